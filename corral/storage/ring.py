"""A bounded, shared log of recent events that any number of watchers read at their own pace.

Giving every watcher its own queue makes memory grow with the slowest watcher. Here the
events live once, in revision order; a watcher only remembers the revision it has
delivered and asks for everything after it. When the log drops old events to stay
bounded, a watcher that still needed them learns so (``since`` answers None) and its
owner decides: the SQLite backend re-reads them from its table, the watch cache ends the
watch with ``CompactedError`` so the client re-lists, as kube's watch cache answers 410.

Appends wake waiting watchers once per event-loop turn, not once per event, so a group
commit of many writes costs one wake-up per watcher.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections.abc import AsyncIterator, Awaitable, Callable
from operator import attrgetter

from corral.storage.interface import Event

_revision_of = attrgetter("revision")

# The events under a watcher's prefix after a revision the ring no longer holds, with the
# revision they reach. A CatchUp supplies them, or raises CompactedError when it cannot.
CaughtUp = tuple[list[Event], int]
CatchUp = Callable[[int], Awaitable[CaughtUp]]


class EventRing:
    """The newest ``capacity`` events at least (up to a quarter more between trims), in
    revision order. Every event after ``floor`` is held. Use from the event loop only."""

    def __init__(self, capacity: int, floor: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._trim_at = capacity + max(capacity // 4, 1)  # trimming in steps keeps appends O(1)
        self._events: list[Event] = []
        self._floor = floor
        self._last = floor
        self._closed = False
        self._changed = asyncio.Event()
        self._wake_scheduled = False

    @property
    def floor(self) -> int:
        """Every event with a revision above this one is held; older ones may be gone."""
        return self._floor

    @property
    def last(self) -> int:
        """The revision of the newest event appended (``floor`` when none)."""
        return self._last

    @property
    def closed(self) -> bool:
        return self._closed

    def append(self, event: Event) -> None:
        """Add the next event (its revision must be above ``last``) and wake waiters soon."""
        self._events.append(event)
        self._last = event.revision
        if len(self._events) > self._trim_at:
            cut = len(self._events) - self._capacity
            self._floor = self._events[cut - 1].revision
            del self._events[:cut]
        if not self._wake_scheduled:
            self._wake_scheduled = True
            asyncio.get_running_loop().call_soon(self._wake)

    def reset(self, floor: int) -> None:
        """Forget every event: the state jumped to ``floor`` without them."""
        self._events.clear()
        self._floor = self._last = floor
        self._wake()

    def since(self, revision: int) -> list[Event] | None:
        """The held events after ``revision`` (empty when none yet), or None when some of
        them were already dropped."""
        if revision < self._floor:
            return None
        return self._events[bisect_right(self._events, revision, key=_revision_of):]

    async def wait_past(self, revision: int) -> bool:
        """Wait until an event after ``revision`` is held; False when the ring closed."""
        while self._last <= revision and not self._closed:
            await self._changed.wait()
        return not self._closed

    async def follow(self, prefix: str, after: int, catch_up: CatchUp) -> AsyncIterator[Event]:
        """Events for keys under ``prefix`` after revision ``after``, in order, live,
        until the ring closes. The whole group a wake-up brings is taken at once and
        filtered while it is yielded, so the ring may trim meanwhile without loss."""
        cursor = after
        while not self._closed:
            events = self.since(cursor)
            if events is None:
                caught, cursor = await catch_up(cursor)
                for ev in caught:
                    yield ev
            elif events:
                cursor = events[-1].revision
                for ev in events:
                    if ev.kv.key.startswith(prefix):
                        yield ev
            elif not await self.wait_past(cursor):
                return

    def close(self) -> None:
        """End every wait; watchers then stop."""
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        self._wake_scheduled = False
        self._changed.set()
        self._changed = asyncio.Event()
