"""The Storage contract, written against corral.storage.interface only and run against
every backend in conftest.BACKENDS."""

from __future__ import annotations

import asyncio

import pytest
from storage_helpers import drain_until_end, summary, take

from corral.storage.interface import (
    CompactedError,
    ConflictError,
    FutureRevisionError,
    KeyExistsError,
    KeyNotFoundError,
    KeyValue,
    Storage,
)


async def test_empty_store(store: Storage) -> None:
    assert store.revision == 0
    assert store.compacted_revision == 0
    assert await store.get("/r/a") is None
    res = await store.list("/r/")
    assert (res.items, res.revision, res.more) == ([], 0, False)
    assert await store.count("/r/") == 0


async def test_create_then_get(store: Storage) -> None:
    rev = await store.create("/r/a", b"one")
    assert rev > 0
    assert store.revision == rev
    assert await store.get("/r/a") == KeyValue("/r/a", b"one", rev, rev)


async def test_create_keeps_empty_value(store: Storage) -> None:
    rev = await store.create("/r/empty", b"")
    assert await store.get("/r/empty") == KeyValue("/r/empty", b"", rev, rev)


async def test_create_existing_key_fails_without_a_revision(store: Storage) -> None:
    rev = await store.create("/r/a", b"one")
    with pytest.raises(KeyExistsError):
        await store.create("/r/a", b"two")
    assert store.revision == rev
    kv = await store.get("/r/a")
    assert kv is not None and kv.value == b"one"


async def test_update(store: Storage) -> None:
    r1 = await store.create("/r/a", b"one")
    r2 = await store.update("/r/a", b"two", r1)
    assert r2 > r1
    assert await store.get("/r/a") == KeyValue("/r/a", b"two", r1, r2)
    with pytest.raises(ConflictError):
        await store.update("/r/a", b"three", r1)
    with pytest.raises(KeyNotFoundError):
        await store.update("/r/missing", b"x", r1)
    assert store.revision == r2


async def test_delete(store: Storage) -> None:
    r1 = await store.create("/r/a", b"one")
    r2 = await store.update("/r/a", b"two", r1)
    r3, last = await store.delete("/r/a")
    assert r3 > r2
    assert last == KeyValue("/r/a", b"two", r1, r2)
    assert await store.get("/r/a") is None
    with pytest.raises(KeyNotFoundError):
        await store.delete("/r/a")
    with pytest.raises(KeyNotFoundError):
        await store.update("/r/a", b"x", r2)
    r4 = await store.create("/r/a", b"again")
    assert await store.get("/r/a") == KeyValue("/r/a", b"again", r4, r4)


async def test_delete_with_expected_revision(store: Storage) -> None:
    r1 = await store.create("/r/a", b"one")
    r2 = await store.update("/r/a", b"two", r1)
    with pytest.raises(ConflictError):
        await store.delete("/r/a", r1)
    assert await store.get("/r/a") is not None
    rev, last = await store.delete("/r/a", r2)
    assert rev > r2 and last.mod_revision == r2


async def test_revisions_are_global_and_strictly_increasing(store: Storage) -> None:
    revs = [await store.create(f"/r/{i}", b"x") for i in range(5)]
    revs.append(await store.update("/r/0", b"y", revs[0]))
    revs.append((await store.delete("/r/1"))[0])
    revs.append(await store.create("/other/z", b"z"))
    assert revs == sorted(set(revs))
    assert store.revision == revs[-1]


async def test_reads_at_a_past_revision(store: Storage) -> None:
    r1 = await store.create("/r/a", b"a1")
    r2 = await store.create("/r/b", b"b1")
    r3 = await store.update("/r/a", b"a2", r1)
    r4, _ = await store.delete("/r/b")
    a1, b1 = KeyValue("/r/a", b"a1", r1, r1), KeyValue("/r/b", b"b1", r2, r2)
    a2 = KeyValue("/r/a", b"a2", r1, r3)

    assert await store.get("/r/a", r1) == a1
    assert await store.get("/r/b", r1) is None
    assert await store.get("/r/b", r3) == b1
    assert await store.get("/r/b", r4) is None
    assert (await store.list("/r/", r2)).items == [a1, b1]
    assert (await store.list("/r/", r3)).items == [a2, b1]
    at_r4 = await store.list("/r/", r4)
    assert (at_r4.items, at_r4.revision) == ([a2], r4)
    newest = await store.list("/r/")
    assert (newest.items, newest.revision) == ([a2], r4)


async def test_reads_ahead_of_the_store_fail(store: Storage) -> None:
    rev = await store.create("/r/a", b"x")
    with pytest.raises(FutureRevisionError):
        await store.get("/r/a", rev + 1)
    with pytest.raises(FutureRevisionError):
        await store.list("/r/", rev + 1)


async def test_pagination_walks_one_snapshot(store: Storage) -> None:
    for i in range(10):
        await store.create(f"/r/k{i:02d}", b"%d" % i)
    first = await store.list("/r/", limit=4)
    assert [kv.key for kv in first.items] == ["/r/k00", "/r/k01", "/r/k02", "/r/k03"]
    assert first.more and first.remaining == 6
    # Changes after the first page do not show in the later pages of the same list.
    await store.create("/r/k05a", b"new")
    await store.delete("/r/k07")

    keys = [kv.key for kv in first.items]
    cursor = first.items[-1].key
    while True:
        page = await store.list("/r/", first.revision, cursor, 4)
        assert page.revision == first.revision
        keys += [kv.key for kv in page.items]
        if not page.more:
            break
        cursor = page.items[-1].key
    assert keys == [f"/r/k{i:02d}" for i in range(10)]
    assert not page.more

    last_page = await store.list("/r/", 0, "/r/k06", 10)
    assert [kv.key for kv in last_page.items] == ["/r/k08", "/r/k09"]
    assert not last_page.more


async def test_limit_equal_to_size_has_no_more(store: Storage) -> None:
    for i in range(3):
        await store.create(f"/r/{i}", b"x")
    res = await store.list("/r/", limit=3)
    assert len(res.items) == 3 and not res.more


async def test_prefix_isolation(store: Storage) -> None:
    for key in ("/a/1", "/a/2", "/ab/1", "/a", "/b/1"):
        await store.create(key, b"x")
    assert [kv.key for kv in (await store.list("/a/")).items] == ["/a/1", "/a/2"]
    assert await store.count("/a/") == 2
    assert await store.count("/ab/") == 1
    assert [kv.key for kv in (await store.list("/a/", start_after="/a/1")).items] == ["/a/2"]


async def test_count_follows_deletes(store: Storage) -> None:
    for i in range(4):
        await store.create(f"/r/{i}", b"x")
    await store.delete("/r/2")
    assert await store.count("/r/") == 3
    assert await store.count("") == 3


async def test_watch_replays_history_then_goes_live(store: Storage) -> None:
    start = store.revision
    r1 = await store.create("/w/a", b"a1")
    r2 = await store.update("/w/a", b"a2", r1)
    r3 = await store.create("/w/b", b"b1")
    events = store.watch("/w/", start)
    replayed = await take(events, 3)
    assert summary(replayed) == [("ADDED", "/w/a", b"a1", r1), ("MODIFIED", "/w/a", b"a2", r2),
                                 ("ADDED", "/w/b", b"b1", r3)]
    assert replayed[0].prev is None
    assert replayed[1].prev == KeyValue("/w/a", b"a1", r1, r1)
    assert replayed[1].kv == KeyValue("/w/a", b"a2", r1, r2)

    r4 = await store.update("/w/b", b"b2", r3)
    (live,) = await take(events, 1)
    assert summary([live]) == [("MODIFIED", "/w/b", b"b2", r4)]
    assert live.prev == KeyValue("/w/b", b"b1", r3, r3)


async def test_watch_from_midway_skips_older_events(store: Storage) -> None:
    r1 = await store.create("/w/a", b"a1")
    r2 = await store.update("/w/a", b"a2", r1)
    events = store.watch("/w/", r1)
    assert summary(await take(events, 1)) == [("MODIFIED", "/w/a", b"a2", r2)]


async def test_watch_sees_deletes_with_the_deleted_value(store: Storage) -> None:
    r1 = await store.create("/w/a", b"a1")
    r2 = await store.update("/w/a", b"a2", r1)
    live = store.watch("/w/", r2)
    r3, _ = await store.delete("/w/a")
    replay = store.watch("/w/", r2)
    for events in (live, replay):
        (ev,) = await take(events, 1)
        assert (ev.type, ev.revision) == ("DELETED", r3)
        assert ev.kv == KeyValue("/w/a", b"a2", r1, r2)


async def test_watch_is_limited_to_its_prefix(store: Storage) -> None:
    start = store.revision
    events = store.watch("/a/", start)
    await store.create("/ab/x", b"no")
    await store.create("/a", b"no")
    r = await store.create("/a/x", b"yes")
    assert summary(await take(events, 1)) == [("ADDED", "/a/x", b"yes", r)]


async def test_watch_from_a_future_revision_waits_for_it(store: Storage) -> None:
    start = store.revision
    events = store.watch("/w/", start + 1)
    await store.create("/w/skipped", b"x")
    r2 = await store.create("/w/seen", b"y")
    assert summary(await take(events, 1)) == [("ADDED", "/w/seen", b"y", r2)]


async def test_many_watchers_each_get_every_event_in_order(store: Storage) -> None:
    start = store.revision
    watchers = [store.watch("/w/", start) for _ in range(20)]
    revs = [await store.create(f"/w/{i}", b"x") for i in range(10)]
    for events in watchers:
        assert [ev.revision for ev in await take(events, 10)] == revs


async def test_close_ends_watches(store: Storage) -> None:
    events = store.watch("/w/", store.revision)
    await store.create("/w/a", b"x")
    assert len(await take(events, 1)) == 1
    waiting = asyncio.ensure_future(drain_until_end(events))
    await store.close()
    assert await waiting == []


async def test_compaction(store: Storage) -> None:
    r1 = await store.create("/c/a", b"a1")
    r2 = await store.update("/c/a", b"a2", r1)
    r3 = await store.create("/c/b", b"b1")
    r4, _ = await store.delete("/c/b")
    r5 = await store.update("/c/a", b"a3", r2)
    await store.compact(r4)
    assert store.compacted_revision == r4

    with pytest.raises(CompactedError) as info:
        await store.get("/c/a", r3)
    assert (info.value.requested, info.value.compacted) == (r3, r4)
    with pytest.raises(CompactedError):
        await store.list("/c/", r1)
    with pytest.raises(CompactedError):
        await anext(store.watch("/c/", r3))

    # The state at the compacted revision, and everything after it, is still there.
    assert (await store.list("/c/", r4)).items == [KeyValue("/c/a", b"a2", r1, r2)]
    assert await store.get("/c/b", r4) is None
    assert (await store.list("/c/")).items == [KeyValue("/c/a", b"a3", r1, r5)]
    (ev,) = await take(store.watch("/c/", r4), 1)
    assert (ev.type, ev.revision, ev.prev) == ("MODIFIED", r5, KeyValue("/c/a", b"a2", r1, r2))


async def test_compaction_never_goes_back_or_ahead(store: Storage) -> None:
    r1 = await store.create("/c/a", b"a1")
    r2 = await store.update("/c/a", b"a2", r1)
    await store.compact(r2)
    await store.compact(r1)
    assert store.compacted_revision == r2
    with pytest.raises(FutureRevisionError):
        await store.compact(r2 + 1)


async def test_concurrent_updates_with_one_expected_revision_one_wins(store: Storage) -> None:
    rev = await store.create("/r/a", b"0")
    results = await asyncio.gather(*(store.update("/r/a", b"%d" % i, rev) for i in range(20)),
                                   return_exceptions=True)
    won = [r for r in results if isinstance(r, int)]
    assert len(won) == 1
    assert all(isinstance(r, ConflictError) for r in results if not isinstance(r, int))
    kv = await store.get("/r/a")
    assert kv is not None and kv.mod_revision == won[0]


async def test_concurrent_creates_of_one_key_one_wins(store: Storage) -> None:
    results = await asyncio.gather(*(store.create("/r/a", b"%d" % i) for i in range(20)),
                                   return_exceptions=True)
    assert sum(isinstance(r, int) for r in results) == 1
    assert sum(isinstance(r, KeyExistsError) for r in results) == 19


async def test_concurrent_writes_to_many_keys_all_land(store: Storage) -> None:
    revs = await asyncio.gather(*(store.create(f"/r/{i:03d}", b"x") for i in range(200)))
    assert len(set(revs)) == 200
    assert store.revision == max(revs)
    assert await store.count("/r/") == 200
