"""The storage backends the contract suite runs against.

Each entry builds an unstarted store in a fresh directory; a PostgreSQL or etcd backend
joins the whole contract suite by adding an entry here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from corral.storage.cache import WatchCache
from corral.storage.interface import Storage
from corral.storage.sqlite import SqliteStorage

BACKENDS: dict[str, Callable[[Path], Storage]] = {
    "sqlite": lambda d: SqliteStorage(d / "state.db"),
    "cache": lambda d: WatchCache(SqliteStorage(d / "state.db")),
}


@pytest.fixture(params=list(BACKENDS))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    s = BACKENDS[request.param](tmp_path)
    await s.start()
    try:
        yield s
    finally:
        await s.close()
