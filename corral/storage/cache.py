"""The watch cache: the whole current state and the recent changes, in memory.

kube-apiserver answers most reads and every watch from its watch cache rather than from
etcd; Corral does the same in front of any :class:`Storage` backend. The cache lists the
backend once, then follows one backend watch over every key. It holds:

* every live key's newest :class:`KeyValue`, in two parallel lists sorted by key, so a
  prefix list is two bisections and a slice (50,000 keys list in milliseconds), and
  ``start_after``/``limit`` pages cost only the page;
* the newest ``window`` events at least (an :class:`EventRing`), from which every watch
  is served.

Reads at revision 0, or at exactly the cache's revision, come from memory; a read at
revision 0 first waits until the cache has applied everything the backend has
committed, so it is as fresh as reading the backend (kube's consistent reads from
cache). Other exact revisions go to the backend. Writes go to the backend and return
only once the cache has applied their revision, so a client reads its own writes.

A watch from before the ring's oldest event, or from before the backend's compacted
revision, fails at once with ``CompactedError`` (kube: 410 "too old resource version").
Watchers share the ring; none has a queue of its own. One that falls more than the
window behind (it still needs events the ring has dropped) ends with ``CompactedError``
on its next read, so a stuck client costs no memory and delays nobody; its client
re-lists, as kube clients do after a 410.

If the backend watch itself is lost to compaction the cache re-lists the backend and
starts a new window; watchers from before end with ``CompactedError``.
"""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_left, bisect_right
from collections.abc import AsyncIterator
from contextlib import suppress

from corral.storage.interface import (
    CompactedError,
    Event,
    FutureRevisionError,
    KeyValue,
    ListResult,
    Storage,
    StorageError,
)
from corral.storage.keys import prefix_end
from corral.storage.ring import CaughtUp, EventRing

log = logging.getLogger(__name__)

_RETRY_SECONDS = 1.0  # before re-watching the backend after an unexpected failure


class WatchCache:
    """:class:`corral.storage.interface.Storage` served from memory over ``backend``."""

    def __init__(self, backend: Storage, window: int = 10_000) -> None:
        self._backend = backend
        self._keys: list[str] = []
        self._kvs: list[KeyValue] = []  # _kvs[i] is the value of _keys[i]
        self._rev = 0
        self._ring = EventRing(window, 0)
        self._follower: asyncio.Task[None] | None = None

    # ----- lifecycle -----------------------------------------------------------

    async def start(self) -> None:
        await self._backend.start()
        await self._load()
        self._follower = asyncio.create_task(self._follow(), name="corral-watch-cache")

    async def close(self) -> None:
        self._ring.close()
        await self._backend.close()  # ends the backend watch, so the follower returns
        if self._follower is not None:
            self._follower.cancel()  # in case it was waiting to retry
            with suppress(asyncio.CancelledError):
                await self._follower
            self._follower = None

    @property
    def revision(self) -> int:
        return self._rev

    @property
    def compacted_revision(self) -> int:
        return self._backend.compacted_revision

    async def _load(self) -> None:
        res = await self._backend.list("", 0)
        self._keys = [kv.key for kv in res.items]
        self._kvs = list(res.items)
        self._rev = res.revision
        self._ring.reset(res.revision)

    async def _follow(self) -> None:
        stale = False
        while not self._ring.closed:
            try:
                if stale:
                    await self._load()
                    stale = False
                async for ev in self._backend.watch("", self._rev):
                    self._apply(ev)
                return
            except CompactedError as exc:
                log.warning("watch cache fell behind the backend (%s); re-listing", exc)
                stale = True
            except Exception:
                log.exception("watch cache lost its backend watch; retrying")
                await asyncio.sleep(_RETRY_SECONDS)

    def _apply(self, ev: Event) -> None:
        if ev.revision <= self._rev:
            return
        key = ev.kv.key
        i = bisect_left(self._keys, key)
        found = i < len(self._keys) and self._keys[i] == key
        if ev.type == "DELETED":
            if found:
                del self._keys[i], self._kvs[i]
        elif found:
            self._kvs[i] = ev.kv
        else:
            self._keys.insert(i, key)
            self._kvs.insert(i, ev.kv)
        self._rev = ev.revision
        self._ring.append(ev)

    async def _caught_up(self, revision: int) -> None:
        while self._rev < revision:
            if not await self._ring.wait_past(self._rev):
                raise StorageError("storage is closed")

    # ----- writes --------------------------------------------------------------

    async def create(self, key: str, value: bytes) -> int:
        rev = await self._backend.create(key, value)
        await self._caught_up(rev)
        return rev

    async def update(self, key: str, value: bytes, expected_revision: int) -> int:
        rev = await self._backend.update(key, value, expected_revision)
        await self._caught_up(rev)
        return rev

    async def delete(self, key: str, expected_revision: int | None = None) -> tuple[int, KeyValue]:
        rev, kv = await self._backend.delete(key, expected_revision)
        await self._caught_up(rev)
        return rev, kv

    async def compact(self, revision: int) -> None:
        await self._backend.compact(revision)

    # ----- reads ---------------------------------------------------------------

    async def _in_memory(self, revision: int) -> bool:
        """Whether a read at ``revision`` (0 = newest) is answered from memory, once the
        cache has caught up with it; the caller must read memory without awaiting."""
        newest = self._backend.revision
        if revision > newest:
            raise FutureRevisionError(f"revision {revision} is newer than the newest, {newest}")
        await self._caught_up(revision or newest)
        return revision in (0, self._rev)

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect_left(self._keys, prefix)
        end = prefix_end(prefix)
        return lo, len(self._keys) if end is None else bisect_left(self._keys, end, lo)

    async def get(self, key: str, revision: int = 0) -> KeyValue | None:
        if not await self._in_memory(revision):
            return await self._backend.get(key, revision)
        i = bisect_left(self._keys, key)
        return self._kvs[i] if i < len(self._keys) and self._keys[i] == key else None

    async def list(self, prefix: str, revision: int = 0, start_after: str = "", limit: int = 0) -> ListResult:
        if not await self._in_memory(revision):
            return await self._backend.list(prefix, revision, start_after, limit)
        lo, hi = self._range(prefix)
        if start_after and start_after >= prefix:
            lo = max(lo, bisect_right(self._keys, start_after, lo, hi))
        stop = min(hi, lo + limit) if limit > 0 else hi
        return ListResult(self._kvs[lo:stop], self._rev, stop < hi, hi - stop)

    async def count(self, prefix: str) -> int:
        await self._in_memory(0)
        lo, hi = self._range(prefix)
        return hi - lo

    def watch(self, prefix: str, from_revision: int) -> AsyncIterator[Event]:
        return self._watch(prefix, from_revision)

    async def _watch(self, prefix: str, from_revision: int) -> AsyncIterator[Event]:
        oldest = max(self._ring.floor, self._backend.compacted_revision)
        if from_revision < oldest:
            raise CompactedError(from_revision, oldest)
        async for ev in self._ring.follow(prefix, from_revision, self._too_old):
            yield ev

    async def _too_old(self, after: int) -> CaughtUp:
        raise CompactedError(after, self._ring.floor)
