"""What only the watch cache promises: newest reads and watches come from memory, a
client reads its own writes at once, and watchers that fall behind its window end with
CompactedError without holding up the others."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from storage_helpers import drain_until_end, summary, take

from corral.storage.cache import WatchCache
from corral.storage.interface import CompactedError, Event, KeyValue, ListResult
from corral.storage.sqlite import SqliteStorage


class Spy:
    """A backend that records the reads that reach it and can fail its first watch."""

    def __init__(self, inner: SqliteStorage, fail_first_watch: bool = False) -> None:
        self.inner = inner
        self.reads: list[tuple[str, str, int]] = []
        self.watches = 0
        self._fail_first_watch = fail_first_watch

    async def start(self) -> None:
        await self.inner.start()

    async def close(self) -> None:
        await self.inner.close()

    @property
    def revision(self) -> int:
        return self.inner.revision

    @property
    def compacted_revision(self) -> int:
        return self.inner.compacted_revision

    async def create(self, key: str, value: bytes) -> int:
        return await self.inner.create(key, value)

    async def update(self, key: str, value: bytes, expected_revision: int) -> int:
        return await self.inner.update(key, value, expected_revision)

    async def delete(self, key: str, expected_revision: int | None = None) -> tuple[int, KeyValue]:
        return await self.inner.delete(key, expected_revision)

    async def get(self, key: str, revision: int = 0) -> KeyValue | None:
        self.reads.append(("get", key, revision))
        return await self.inner.get(key, revision)

    async def list(self, prefix: str, revision: int = 0, start_after: str = "", limit: int = 0) -> ListResult:
        self.reads.append(("list", prefix, revision))
        return await self.inner.list(prefix, revision, start_after, limit)

    async def count(self, prefix: str) -> int:
        self.reads.append(("count", prefix, 0))
        return await self.inner.count(prefix)

    def watch(self, prefix: str, from_revision: int) -> AsyncIterator[Event]:
        self.watches += 1
        if self._fail_first_watch and self.watches == 1:
            return self._compacted(from_revision)
        return self.inner.watch(prefix, from_revision)

    async def _compacted(self, from_revision: int) -> AsyncIterator[Event]:
        raise CompactedError(from_revision, from_revision + 1)
        yield  # pragma: no cover - makes this an async generator

    async def compact(self, revision: int) -> None:
        await self.inner.compact(revision)


@pytest.fixture
async def spy(tmp_path: Path) -> AsyncIterator[Spy]:
    yield Spy(SqliteStorage(tmp_path / "state.db"))


async def _started(backend: Spy, window: int = 10_000) -> WatchCache:
    cache = WatchCache(backend, window)
    await cache.start()
    return cache


async def test_newest_reads_do_not_touch_the_backend(spy: Spy) -> None:
    cache = await _started(spy)
    try:
        r1 = await cache.create("/r/a", b"1")
        await cache.create("/r/b", b"2")
        spy.reads.clear()
        assert await cache.get("/r/a") == KeyValue("/r/a", b"1", r1, r1)
        assert [kv.key for kv in (await cache.list("/r/", limit=1)).items] == ["/r/a"]
        assert await cache.count("/r/") == 2
        assert await cache.get("/r/a", cache.revision) is not None  # exactly the cache's revision
        assert spy.reads == []
        events = cache.watch("/r/", 0)
        assert [ev.revision for ev in await take(events, 2)] == [r1, r1 + 1]
        assert spy.reads == []
    finally:
        await cache.close()


async def test_older_exact_reads_go_to_the_backend(spy: Spy) -> None:
    cache = await _started(spy)
    try:
        r1 = await cache.create("/r/a", b"1")
        await cache.update("/r/a", b"2", r1)
        spy.reads.clear()
        assert (await cache.list("/r/", r1)).items == [KeyValue("/r/a", b"1", r1, r1)]
        assert await cache.get("/r/a", r1) == KeyValue("/r/a", b"1", r1, r1)
        assert spy.reads == [("list", "/r/", r1), ("get", "/r/a", r1)]
    finally:
        await cache.close()


async def test_writes_are_visible_as_soon_as_they_return(spy: Spy) -> None:
    cache = await _started(spy)
    try:
        for i in range(20):
            rev = await cache.create(f"/r/{i}", b"x")
            assert cache.revision >= rev
            assert (await cache.get(f"/r/{i}")) == KeyValue(f"/r/{i}", b"x", rev, rev)
        rev, _ = await cache.delete("/r/3")
        assert await cache.get("/r/3") is None
        assert (await cache.list("/r/")).revision == rev
        events = cache.watch("/r/", rev - 1)
        assert summary(await take(events, 1)) == [("DELETED", "/r/3", b"x", rev)]
    finally:
        await cache.close()


async def test_start_loads_what_the_backend_holds(tmp_path: Path) -> None:
    backend = SqliteStorage(tmp_path / "state.db")
    await backend.start()
    r1 = await backend.create("/r/a", b"1")
    await backend.close()
    cache = WatchCache(SqliteStorage(tmp_path / "state.db"))
    await cache.start()
    try:
        assert cache.revision == r1
        assert (await cache.list("/r/")).items == [KeyValue("/r/a", b"1", r1, r1)]
        with pytest.raises(CompactedError):  # from before the cache started
            await anext(cache.watch("/r/", 0))
    finally:
        await cache.close()


async def test_watch_older_than_the_window_is_refused(spy: Spy) -> None:
    cache = await _started(spy, window=4)
    try:
        start = cache.revision
        for i in range(20):
            await cache.create(f"/r/{i}", b"x")
        with pytest.raises(CompactedError) as info:
            await anext(cache.watch("/r/", start))
        assert info.value.requested == start
        recent = cache.watch("/r/", cache.revision - 4)
        assert len(await take(recent, 4)) == 4
    finally:
        await cache.close()


async def test_slow_watcher_ends_alone_and_the_rest_get_everything(spy: Spy) -> None:
    cache = await _started(spy, window=8)
    try:
        start = cache.revision
        slow = cache.watch("/w/", start)
        readers = [asyncio.ensure_future(take(cache.watch("/w/", start), 60)) for _ in range(100)]
        revs = [await cache.create("/w/00", b"x")]
        assert [ev.revision for ev in await take(slow, 1)] == revs  # then it stops reading
        revs += [await cache.create(f"/w/{i:02d}", b"x") for i in range(1, 60)]
        for got in await asyncio.gather(*readers):
            assert [ev.revision for ev in got] == revs
        with pytest.raises(CompactedError):
            await drain_until_end(slow)
    finally:
        await cache.close()


async def test_close_ends_every_watch(spy: Spy) -> None:
    cache = await _started(spy)
    watchers = [cache.watch("/w/", cache.revision) for _ in range(10)]
    pending = [asyncio.ensure_future(drain_until_end(w)) for w in watchers]
    await cache.close()
    assert [await p for p in pending] == [[]] * 10


async def test_cache_recovers_when_its_backend_watch_is_compacted(tmp_path: Path) -> None:
    spy = Spy(SqliteStorage(tmp_path / "state.db"), fail_first_watch=True)
    cache = await _started(spy)
    try:
        rev = await cache.create("/r/a", b"x")
        assert await cache.get("/r/a") == KeyValue("/r/a", b"x", rev, rev)
        assert spy.watches == 2
        assert [r for r in spy.reads if r[0] == "list"] == [("list", "", 0)] * 2  # re-listed
    finally:
        await cache.close()


def _fill(path: Path, n: int) -> None:
    """Write ``n`` pods straight into the table, as n creates would have."""
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO kv (id, name, deleted, create_revision, prev_revision, value) "
            "VALUES (?, ?, 0, ?, 0, ?)",
            ((i, f"/registry/core/pods/ns{i % 10}/pod-{i:06d}", i, b'{"kind":"Pod"}')
             for i in range(1, n + 1)))


async def test_fifty_thousand_keys_list_fast(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    backend = SqliteStorage(path)
    await backend.start()
    await backend.close()
    _fill(path, 50_000)
    cache = WatchCache(SqliteStorage(path))
    await cache.start()
    try:
        t0 = time.perf_counter()
        everything = await cache.list("/registry/core/pods/")
        one_ns = await cache.list("/registry/core/pods/ns3/")
        page = await cache.list("/registry/core/pods/", 0, "/registry/core/pods/ns5/pod-000005", 500)
        counted = await cache.count("/registry/core/pods/ns3/")
        elapsed = time.perf_counter() - t0
        assert len(everything.items) == 50_000
        assert len(one_ns.items) == counted == 5_000
        assert page.items[0].key == "/registry/core/pods/ns5/pod-000015"
        assert len(page.items) == 500 and page.more and page.remaining == 5_000 * 5 - 1 - 500
        assert elapsed < 0.5, elapsed
    finally:
        await cache.close()
