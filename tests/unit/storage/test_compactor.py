"""The periodic compactor keeps the newest revisions and drops the rest."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage_helpers import DEADLINE

from corral.storage.compactor import Compactor
from corral.storage.sqlite import SqliteStorage


async def test_compact_once_keeps_the_newest_revisions(tmp_path: Path) -> None:
    store = SqliteStorage(tmp_path / "state.db")
    await store.start()
    try:
        compactor = Compactor(store, keep=3)
        assert await compactor.compact_once() is None  # nothing old enough yet
        rev = await store.create("/r/a", b"0")
        for i in range(1, 10):
            rev = await store.update("/r/a", b"%d" % i, rev)
        assert await compactor.compact_once() == rev - 3
        assert store.compacted_revision == rev - 3
        assert await compactor.compact_once() is None
        kv = await store.get("/r/a", rev - 3)
        assert kv is not None and kv.value == b"6"
    finally:
        await store.close()


async def test_started_compactor_compacts_until_stopped(tmp_path: Path) -> None:
    store = SqliteStorage(tmp_path / "state.db")
    await store.start()
    compactor = Compactor(store, interval=0.01, keep=1)
    compactor.start()
    try:
        rev = await store.create("/r/a", b"0")
        for i in range(1, 5):
            rev = await store.update("/r/a", b"%d" % i, rev)
        async with asyncio.timeout(DEADLINE):
            while store.compacted_revision != rev - 1:
                await asyncio.sleep(0.01)
    finally:
        await compactor.stop()
        await compactor.stop()  # stopping twice is harmless
        await store.close()
