"""What only the SQLite backend promises: the file keeps data and revisions across
restarts and process kills, compaction really removes rows, and watchers that fall
behind its in-memory ring catch up from the table."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest
from storage_helpers import DEADLINE, summary, take

from corral.storage.interface import KeyValue, StorageError
from corral.storage.sqlite import SqliteStorage

_ROOT = Path(__file__).resolve().parents[3]


def _rows(path: Path) -> list[tuple[int, str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, name, deleted FROM kv ORDER BY id").fetchall()


async def test_restart_keeps_data_and_revision(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    s = SqliteStorage(path)
    await s.start()
    r1 = await s.create("/r/a", b"one")
    r2 = await s.update("/r/a", b"two", r1)
    await s.create("/r/b", b"b")
    r4, _ = await s.delete("/r/b")  # the newest revision is a tombstone
    await s.close()

    s = SqliteStorage(path)
    await s.start()
    try:
        assert s.revision == r4
        assert await s.get("/r/a") == KeyValue("/r/a", b"two", r1, r2)
        assert await s.get("/r/b") is None
        assert await s.get("/r/a", r1) == KeyValue("/r/a", b"one", r1, r1)
        assert await s.create("/r/c", b"c") == r4 + 1
    finally:
        await s.close()


async def test_revision_is_never_reused_after_its_rows_are_compacted(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    s = SqliteStorage(path)
    await s.start()
    r1 = await s.create("/r/a", b"a")
    r2, _ = await s.delete("/r/a")
    await s.compact(r2)
    assert _rows(path) == []  # the tombstone, the newest row, is gone too
    await s.close()

    s = SqliteStorage(path)
    await s.start()
    try:
        assert (s.revision, s.compacted_revision) == (r2, r2)
        assert await s.create("/r/a", b"again") == r2 + 1 > r1
    finally:
        await s.close()


_WRITER = textwrap.dedent("""
    import asyncio, sys
    from corral.storage.sqlite import SqliteStorage

    async def main() -> None:
        store = SqliteStorage(sys.argv[1])
        await store.start()
        async def worker(w: int) -> None:
            for i in range(100_000):
                key = f"/k/{w}/{i}"
                rev = await store.create(key, key.encode())
                print(key, rev, flush=True)
        await asyncio.gather(*(worker(w) for w in range(16)))

    asyncio.run(main())
""")


async def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _WRITER, str(path), cwd=_ROOT, stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(_ROOT)})
    assert proc.stdout is not None
    acked: dict[str, int] = {}
    try:
        async with asyncio.timeout(DEADLINE * 4):
            while len(acked) < 200:
                line = await proc.stdout.readline()
                assert line, "writer exited early"
                key, rev = line.decode().split()
                acked[key] = int(rev)
    finally:
        proc.send_signal(signal.SIGKILL)  # while the other writers are mid-flight
        rest = await proc.stdout.read()
        await proc.wait()
    for text in rest.decode().splitlines():  # acknowledged before the kill, still in the pipe
        name, number = text.split()
        acked[name] = int(number)

    s = SqliteStorage(path)
    await s.start()
    try:
        assert s.revision >= max(acked.values())
        for name, revision in acked.items():
            assert await s.get(name) == KeyValue(name, name.encode(), revision, revision)
    finally:
        await s.close()


async def test_compaction_removes_superseded_rows_and_keeps_the_state(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    s = SqliteStorage(path, compact_span=3)  # many small compaction transactions
    await s.start()
    try:
        created = {i: await s.create(f"/r/{i}", b"v0") for i in range(6)}
        revs = dict(created)
        for round_ in range(1, 4):
            for i in range(6):
                revs[i] = await s.update(f"/r/{i}", b"v%d" % round_, revs[i])
        await s.delete("/r/0")
        await s.delete("/r/1")
        target = s.revision
        tail = await s.update("/r/2", b"after", revs[2])
        before = await s.list("/r/", target)
        assert len(_rows(path)) == 6 * 4 + 2 + 1

        await s.compact(target)
        assert sorted(name for _, name, _ in _rows(path)) == ["/r/2", "/r/2", "/r/3", "/r/4", "/r/5"]
        assert await s.list("/r/", target) == before
        assert [kv.value for kv in (await s.list("/r/")).items] == [b"after", b"v3", b"v3", b"v3"]
        (ev,) = await take(s.watch("/r/", target), 1)
        assert (ev.revision, ev.prev) == (tail, KeyValue("/r/2", b"v3", created[2], revs[2]))
    finally:
        await s.close()


async def test_watcher_behind_the_ring_catches_up_from_the_table(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path / "state.db", ring_size=2)
    await s.start()
    try:
        start = s.revision
        slow = s.watch("/w/", start)
        first = await s.create("/w/0", b"0")
        assert summary(await take(slow, 1)) == [("ADDED", "/w/0", b"0", first)]
        expected = [("ADDED", "/w/0", b"0", first)]
        for i in range(1, 30):  # far more than the ring holds, while `slow` reads nothing
            key = f"/w/{i}"
            expected.append(("ADDED", key, key[3:].encode(), await s.create(key, key[3:].encode())))
            await s.create(f"/other/{i}", b"x")
        assert summary(await take(slow, 29)) == expected[1:]
        # and it goes on live afterwards
        rev = await s.update("/w/0", b"changed", first)
        assert summary(await take(slow, 1)) == [("MODIFIED", "/w/0", b"changed", rev)]
        # a watch started from before the ring replays from the table as well
        assert summary(await take(s.watch("/w/", start), 30)) == expected
    finally:
        await s.close()


async def test_start_fails_when_the_file_cannot_be_opened(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path / "missing-dir" / "state.db")
    with pytest.raises(sqlite3.OperationalError):
        await s.start()
    with pytest.raises(StorageError):
        await s.create("/r/a", b"x")


async def test_writes_after_close_fail(tmp_path: Path) -> None:
    s = SqliteStorage(tmp_path / "state.db")
    await s.start()
    await s.close()
    with pytest.raises(StorageError):
        await s.create("/r/a", b"x")
    with pytest.raises(StorageError):
        await s.get("/r/a")


async def test_file_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    s = SqliteStorage(path)
    await s.start()
    await s.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
