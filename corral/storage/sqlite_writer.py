"""The one connection that writes the SQLite file: a thread that commits writes in groups.

SQLite takes one writer at a time, and a COMMIT (with its fsync) costs far more than the
few rows in it. So every write goes onto one queue; a dedicated thread takes everything
waiting, runs it in one transaction, commits once, and only then answers each caller.
Under load many writes share one fsync; no caller hears "done" before its row is on disk;
the asyncio loop never waits for SQLite.

The table is kine's log, one row per revision (``id`` is the revision):

* a create inserts ``create_revision = id``; ``prev_revision`` names the key's
  tombstone if it had one, else 0;
* an update inserts the new value, ``prev_revision`` = the row it replaces;
* a delete inserts a tombstone (``deleted = 1``, no value), ``prev_revision`` = the last
  live row, whose value is what the DELETED event carries.

The previous value of a change is found through ``prev_revision`` rather than copied
into each row (kine's ``old_value``): an update-heavy store stays half the size, and
compaction never removes a row that a newer, uncompacted row still points to. The
unique index on ``(name, prev_revision)`` makes two writes that both think they replace
the same row impossible, whatever the checks above it.

Revisions are chosen here (the last committed one plus one), so a create's row can name
itself as ``create_revision``; ``AUTOINCREMENT`` keeps ``sqlite_sequence`` at the
highest revision ever used, so a revision is never handed out twice, even after its row
was compacted away and the process restarted.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple, Protocol, TypeVar

from corral.storage.interface import (
    ConflictError,
    Event,
    KeyExistsError,
    KeyNotFoundError,
    KeyValue,
    StorageError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

Synchronous = Literal["NORMAL", "FULL"]
OnCommit = Callable[[list[Event], int], None]

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS kv (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        deleted INTEGER NOT NULL,
        create_revision INTEGER NOT NULL,
        prev_revision INTEGER NOT NULL,
        value BLOB
    )""",
    "CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS kv_name_prev ON kv (name, prev_revision)",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)
_INSERT = ("INSERT INTO kv (id, name, deleted, create_revision, prev_revision, value) "
           "VALUES (?, ?, ?, ?, ?, ?)")
_CURRENT = "SELECT id, deleted, create_revision, value FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1"
_META_GET = "SELECT value FROM meta WHERE name = ?"
_META_RAISE = ("INSERT INTO meta (name, value) VALUES (?, ?) "
               "ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)")
COMPACTED = "compacted"  # meta: reads and watches below this revision are refused
_COMPACT_PROGRESS = "compact_progress"  # meta: rows up to this id have been compacted


@dataclass(slots=True)
class Tx:
    """One group-commit transaction as the write operations see it."""

    conn: sqlite3.Connection
    revision: int  # the newest revision taken so far (committed or in this transaction)
    events: list[Event] = field(default_factory=list)

    def next_revision(self) -> int:
        self.revision += 1
        return self.revision


class WriteOp(Protocol[T_co]):
    """A unit of work run inside a group-commit transaction. It raises a StorageError
    only before it has changed anything, so the rest of the group can still commit."""

    def apply(self, tx: Tx) -> T_co: ...


class _Newest(NamedTuple):
    """A key's newest row."""

    id: int
    deleted: int
    create_revision: int
    value: bytes | None  # None in a tombstone


def _newest(tx: Tx, key: str) -> _Newest | None:
    row = tx.conn.execute(_CURRENT, (key,)).fetchone()
    return None if row is None else _Newest(*row)


def _live(tx: Tx, key: str) -> KeyValue:
    row = _newest(tx, key)
    if row is None or row.deleted or row.value is None:
        raise KeyNotFoundError(key)
    return KeyValue(key, row.value, row.create_revision, row.id)


@dataclass(frozen=True, slots=True)
class Create:
    key: str
    value: bytes

    def apply(self, tx: Tx) -> int:
        row = _newest(tx, self.key)
        if row is not None and not row.deleted:
            raise KeyExistsError(self.key)
        rev = tx.next_revision()
        tx.conn.execute(_INSERT, (rev, self.key, 0, rev, row.id if row else 0, self.value))
        tx.events.append(Event("ADDED", KeyValue(self.key, self.value, rev, rev), None, rev))
        return rev


@dataclass(frozen=True, slots=True)
class Update:
    key: str
    value: bytes
    expected_revision: int

    def apply(self, tx: Tx) -> int:
        old = _live(tx, self.key)
        if old.mod_revision != self.expected_revision:
            raise ConflictError(f"{self.key}: expected revision {self.expected_revision}, "
                                f"current {old.mod_revision}")
        rev = tx.next_revision()
        tx.conn.execute(_INSERT, (rev, self.key, 0, old.create_revision, old.mod_revision, self.value))
        new = KeyValue(self.key, self.value, old.create_revision, rev)
        tx.events.append(Event("MODIFIED", new, old, rev))
        return rev


@dataclass(frozen=True, slots=True)
class Delete:
    key: str
    expected_revision: int | None

    def apply(self, tx: Tx) -> tuple[int, KeyValue]:
        old = _live(tx, self.key)
        if self.expected_revision is not None and old.mod_revision != self.expected_revision:
            raise ConflictError(f"{self.key}: expected revision {self.expected_revision}, "
                                f"current {old.mod_revision}")
        rev = tx.next_revision()
        tx.conn.execute(_INSERT, (rev, self.key, 1, old.create_revision, old.mod_revision, None))
        tx.events.append(Event("DELETED", old, old, rev))
        return rev, old


@dataclass(frozen=True, slots=True)
class MarkCompacted:
    """Persist the compacted revision (it only grows) before any row is removed."""

    revision: int

    def apply(self, tx: Tx) -> None:
        tx.conn.execute(_META_RAISE, (COMPACTED, self.revision))


@dataclass(frozen=True, slots=True)
class CompactChunk:
    """Remove what compaction up to ``target`` no longer needs, for the next ``span``
    revisions after the recorded progress; answer the new progress.

    A row is superseded exactly when a newer row of its key names it as
    ``prev_revision``, so for every row in the span its predecessor goes, and so do
    tombstones themselves. Progress is recorded in the same transaction, so a crash
    mid-way leaves the next compaction to carry on from there."""

    target: int
    span: int

    def apply(self, tx: Tx) -> int:
        row = tx.conn.execute(_META_GET, (_COMPACT_PROGRESS,)).fetchone()
        lo = row[0] if row else 0
        if lo >= self.target:
            return int(lo)
        hi = min(lo + self.span, self.target)
        tx.conn.execute("DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv "
                        "WHERE id > ? AND id <= ? AND prev_revision > 0)", (lo, hi))
        tx.conn.execute("DELETE FROM kv WHERE id > ? AND id <= ? AND deleted = 1", (lo, hi))
        tx.conn.execute(_META_RAISE, (_COMPACT_PROGRESS, hi))
        return hi


@dataclass(frozen=True, slots=True)
class OpenState:
    revision: int
    compacted: int


_Pending = tuple[WriteOp[Any], "asyncio.Future[Any]"]
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


def _resolve(outcomes: list[_Outcome]) -> None:
    for fut, result, exc in outcomes:
        if fut.done():  # the caller was cancelled; the write still happened
            continue
        if exc is None:
            fut.set_result(result)
        else:
            fut.set_exception(exc)


class Writer:
    """Owns the write connection and its thread. ``submit`` from the event loop only."""

    def __init__(self, path: Path, synchronous: Synchronous, max_batch: int) -> None:
        self._path = path
        self._synchronous = synchronous
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closed = False

    async def start(self, on_commit: OnCommit) -> OpenState:
        """Open (and if needed create) the database on the writer thread; ``on_commit``
        runs on the loop after every group commit, before the writers hear back."""
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[OpenState] = loop.create_future()
        self._thread = threading.Thread(target=self._run, args=(loop, ready, on_commit),
                                        name="corral-sqlite-writer", daemon=True)
        self._thread.start()
        try:
            return await ready
        except BaseException:  # failed to open, or the caller gave up waiting
            self._closed = True
            self._queue.put(None)
            await asyncio.to_thread(self._thread.join)
            raise

    def submit(self, op: WriteOp[T]) -> asyncio.Future[T]:
        if self._closed or self._thread is None:
            raise StorageError("storage is not open")
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put((op, fut))
        return fut

    async def close(self) -> None:
        """Finish every write already submitted, then stop the thread."""
        if self._closed or self._thread is None:
            return
        self._closed = True
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join)

    # ----- on the writer thread ----------------------------------------------

    def _open(self) -> tuple[sqlite3.Connection, OpenState]:
        conn = sqlite3.connect(self._path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self._synchronous}")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("BEGIN IMMEDIATE")
            for ddl in _SCHEMA:
                conn.execute(ddl)
            conn.execute("COMMIT")
            seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'kv'").fetchone()
            compacted = conn.execute(_META_GET, (COMPACTED,)).fetchone()
        except BaseException:
            conn.close()
            raise
        comp = int(compacted[0]) if compacted else 0
        return conn, OpenState(max(int(seq[0]) if seq else 0, comp), comp)

    def _run(self, loop: asyncio.AbstractEventLoop, ready: asyncio.Future[OpenState],
             on_commit: OnCommit) -> None:
        try:
            conn, state = self._open()
        except Exception as exc:
            failed: list[_Outcome] = [(ready, None, exc)]
            loop.call_soon_threadsafe(_resolve, failed)
            return
        opened: list[_Outcome] = [(ready, state, None)]
        loop.call_soon_threadsafe(_resolve, opened)
        revision = state.revision
        try:
            stop = False
            while not stop:
                item = self._queue.get()
                if item is None:
                    break
                batch = [item]
                while len(batch) < self._max_batch:
                    try:
                        nxt = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is None:
                        stop = True
                        break
                    batch.append(nxt)
                revision = self._commit(conn, batch, revision, loop, on_commit)
        finally:
            conn.close()

    def _commit(self, conn: sqlite3.Connection, batch: list[_Pending], revision: int,
                loop: asyncio.AbstractEventLoop, on_commit: OnCommit) -> int:
        tx = Tx(conn, revision)
        outcomes: list[_Outcome] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for op, fut in batch:
                try:
                    outcomes.append((fut, op.apply(tx), None))
                except StorageError as exc:
                    outcomes.append((fut, None, exc))
            conn.execute("COMMIT")
        except Exception as exc:
            log.exception("sqlite group commit of %d writes failed", len(batch))
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            failures: list[_Outcome] = [(fut, None, StorageError(f"sqlite write failed: {exc}"))
                                        for _, fut in batch]
            loop.call_soon_threadsafe(_resolve, failures)
            return revision
        loop.call_soon_threadsafe(self._committed, on_commit, tx.events, tx.revision, outcomes)
        return tx.revision

    @staticmethod
    def _committed(on_commit: OnCommit, events: list[Event], revision: int,
                   outcomes: list[_Outcome]) -> None:
        on_commit(events, revision)
        _resolve(outcomes)
