"""The SQLite datastore: Corral's default backend, a kine-style revision log in one file.

Writes go to the group-commit writer thread (:mod:`corral.storage.sqlite_writer`, which
also describes the table). Reads run on a small pool of threads with read-only
connections; WAL mode lets them proceed while the writer commits. Neither ever runs on
the event loop.

Durability: WAL with ``synchronous=FULL`` by default, so the WAL is fsynced at every
group commit and an acknowledged write survives ``kill -9`` and power loss alike.
``synchronous=NORMAL`` already survives a process crash (the commit is in the OS before
the caller hears back) and skips the fsync; group commit makes FULL cheap enough that
FULL is the default.

A read at revision R takes, per key, the newest row with ``id <= R``; a tombstone there
means absent. Nothing is committed above the revision the loop has been told about, so
"newest" is simply the current revision. Compaction records its revision first and then
removes rows, so a read that raced with it checks again afterwards and answers
``CompactedError`` rather than a partial picture.

Watchers follow the writer's recent events in memory (an :class:`EventRing`), woken by
each commit; one that falls behind the ring re-reads the table from where it was. A
multi-server backend would feed the same ring from a poller instead of from its writer.
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from corral.storage.interface import (
    CompactedError,
    Event,
    FutureRevisionError,
    KeyValue,
    ListResult,
    StorageError,
)
from corral.storage.keys import prefix_end
from corral.storage.ring import CaughtUp, EventRing
from corral.storage.sqlite_writer import (
    CompactChunk,
    Create,
    Delete,
    MarkCompacted,
    Synchronous,
    Update,
    Writer,
)

T = TypeVar("T")

_REPLAY_BATCH = 1000  # rows per read when a watcher catches up from the table

# The newest row of k's key at revision ? is k itself, and it is not a tombstone.
_LIVE_AT = ("k.id <= ? AND k.deleted = 0 AND "
            "k.id = (SELECT MAX(n.id) FROM kv AS n WHERE n.name = k.name AND n.id <= ?)")


def _name_range(prefix: str, start_after: str, column: str = "k.name") -> tuple[str, list[str]]:
    """A condition selecting keys under ``prefix`` strictly after ``start_after``."""
    if start_after and start_after >= prefix:
        cond, params = f"{column} > ?", [start_after]
    else:
        cond, params = f"{column} >= ?", [prefix]
    end = prefix_end(prefix)
    if end is not None:
        cond += f" AND {column} < ?"
        params.append(end)
    return cond, params


def _get(conn: sqlite3.Connection, key: str, revision: int) -> KeyValue | None:
    row = conn.execute("SELECT id, deleted, create_revision, value FROM kv "
                       "WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1", (key, revision)).fetchone()
    if row is None or row[1]:
        return None
    return KeyValue(key, row[3], row[2], row[0])


def _count_after(conn: sqlite3.Connection, prefix: str, revision: int, start_after: str) -> int:
    cond, params = _name_range(prefix, start_after)
    row = conn.execute(f"SELECT COUNT(*) FROM kv AS k WHERE {cond} AND {_LIVE_AT}",
                       (*params, revision, revision)).fetchone()
    return int(row[0])


def _list(conn: sqlite3.Connection, prefix: str, revision: int, start_after: str, limit: int) -> ListResult:
    cond, params = _name_range(prefix, start_after)
    rows = conn.execute(f"SELECT k.name, k.value, k.create_revision, k.id FROM kv AS k "
                        f"WHERE {cond} AND {_LIVE_AT} ORDER BY k.name LIMIT ?",
                        (*params, revision, revision, limit + 1 if limit > 0 else -1)).fetchall()
    more = 0 < limit < len(rows)
    if more:
        del rows[limit:]
    items = [KeyValue(name, value, created, mod) for name, value, created, mod in rows]
    remaining = _count_after(conn, prefix, revision, items[-1].key) if more else 0
    return ListResult(items, revision, more, remaining)


def _replay(conn: sqlite3.Connection, prefix: str, after: int, upto: int, limit: int) -> list[Event]:
    # "+k.name" keeps SQLite on the id range: the rows after a revision are few, the
    # versions of every key under a prefix may be many.
    cond, params = _name_range(prefix, "", "+k.name")
    rows = conn.execute(
        "SELECT k.id, k.name, k.deleted, k.create_revision, k.prev_revision, k.value, p.value "
        f"FROM kv AS k LEFT JOIN kv AS p ON p.id = k.prev_revision "
        f"WHERE k.id > ? AND k.id <= ? AND {cond} ORDER BY k.id LIMIT ?",
        (after, upto, *params, limit)).fetchall()
    events: list[Event] = []
    for rev, name, deleted, created, prev_rev, value, prev_value in rows:
        if created == rev:
            events.append(Event("ADDED", KeyValue(name, value, rev, rev), None, rev))
            continue
        if prev_value is None:
            raise StorageError(f"revision {rev} of {name}: previous row {prev_rev} is missing")
        prev = KeyValue(name, prev_value, created, prev_rev)
        if deleted:
            events.append(Event("DELETED", prev, prev, rev))
        else:
            events.append(Event("MODIFIED", KeyValue(name, value, created, rev), prev, rev))
    return events


class SqliteStorage:
    """:class:`corral.storage.interface.Storage` on one SQLite file."""

    def __init__(
        self,
        path: str | Path,
        *,
        synchronous: Synchronous = "FULL",
        ring_size: int = 1024,
        readers: int = 2,
        max_batch: int = 512,
        compact_span: int = 1000,
    ) -> None:
        self._path = Path(path)
        self._writer = Writer(self._path, synchronous, max_batch)
        self._ring_size = ring_size
        self._reader_count = readers
        self._compact_span = compact_span
        self._revision = 0
        self._compacted = 0
        self._ring = EventRing(ring_size, 0)
        self._executor: ThreadPoolExecutor | None = None
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._connections: list[sqlite3.Connection] = []

    # ----- lifecycle -----------------------------------------------------------

    async def start(self) -> None:
        state = await self._writer.start(self._on_commit)
        self._revision, self._compacted = state.revision, state.compacted
        self._ring = EventRing(self._ring_size, self._revision)
        self._executor = ThreadPoolExecutor(self._reader_count, thread_name_prefix="corral-sqlite-read")

    async def close(self) -> None:
        self._ring.close()
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(self._close_readers, executor)
        await self._writer.close()  # last, so its connection checkpoints the WAL away

    def _close_readers(self, executor: ThreadPoolExecutor) -> None:
        executor.shutdown()
        for conn in self._connections:
            conn.close()
        self._connections.clear()

    @property
    def revision(self) -> int:
        return self._revision

    @property
    def compacted_revision(self) -> int:
        return self._compacted

    def _on_commit(self, events: list[Event], revision: int) -> None:
        self._revision = revision
        for ev in events:
            self._ring.append(ev)

    # ----- writes --------------------------------------------------------------

    async def create(self, key: str, value: bytes) -> int:
        return await self._writer.submit(Create(key, value))

    async def update(self, key: str, value: bytes, expected_revision: int) -> int:
        return await self._writer.submit(Update(key, value, expected_revision))

    async def delete(self, key: str, expected_revision: int | None = None) -> tuple[int, KeyValue]:
        return await self._writer.submit(Delete(key, expected_revision))

    async def compact(self, revision: int) -> None:
        if revision > self._revision:
            raise FutureRevisionError(f"cannot compact to {revision}: the newest is {self._revision}")
        if revision > self._compacted:
            await self._writer.submit(MarkCompacted(revision))
            self._compacted = max(self._compacted, revision)
        target = self._compacted  # also finishes a compaction a crash interrupted
        while await self._writer.submit(CompactChunk(target, self._compact_span)) < target:
            pass

    # ----- reads ---------------------------------------------------------------

    async def get(self, key: str, revision: int = 0) -> KeyValue | None:
        rev = self._at(revision)
        kv = await self._read(lambda conn: _get(conn, key, rev))
        self._refuse_compacted(rev)
        return kv

    async def list(self, prefix: str, revision: int = 0, start_after: str = "", limit: int = 0) -> ListResult:
        rev = self._at(revision)
        res = await self._read(lambda conn: _list(conn, prefix, rev, start_after, limit))
        self._refuse_compacted(rev)
        return res

    async def count(self, prefix: str) -> int:
        rev = self._revision
        return await self._read(lambda conn: _count_after(conn, prefix, rev, ""))

    def watch(self, prefix: str, from_revision: int) -> AsyncIterator[Event]:
        return self._watch(prefix, from_revision)

    async def _watch(self, prefix: str, from_revision: int) -> AsyncIterator[Event]:
        self._refuse_compacted(from_revision)
        async for ev in self._ring.follow(prefix, from_revision, lambda after: self._catch_up(prefix, after)):
            yield ev

    async def _catch_up(self, prefix: str, after: int) -> CaughtUp:
        """A watcher fell behind the ring: the next rows under ``prefix`` from the table."""
        upto = self._revision
        events = await self._read(lambda conn: _replay(conn, prefix, after, upto, _REPLAY_BATCH))
        self._refuse_compacted(after)
        return events, events[-1].revision if len(events) == _REPLAY_BATCH else upto

    def _at(self, revision: int) -> int:
        """The revision a read at ``revision`` (0 = newest) runs at, if it can."""
        if revision == 0:
            return self._revision
        if revision > self._revision:
            raise FutureRevisionError(f"revision {revision} is newer than the newest, {self._revision}")
        self._refuse_compacted(revision)
        return revision

    def _refuse_compacted(self, revision: int) -> None:
        if revision < self._compacted:
            raise CompactedError(revision, self._compacted)

    async def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._executor is None:
            raise StorageError("storage is not open")
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._with_connection, fn)

    def _with_connection(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA query_only=1")
            conn.execute("PRAGMA busy_timeout=5000")
            self._connections.append(conn)
        try:
            return fn(conn)
        finally:
            self._idle.put(conn)
