"""The work queue controllers take keys from (client-go's rate-limited work queue).

* A key is queued at most once: adding it again while it waits changes nothing.
* A key is never handed to two workers at once: added while a worker has it, it is
  queued again only when that worker calls :meth:`WorkQueue.done`.
* :meth:`~WorkQueue.add_after` queues a key later (the earliest of several requests
  wins); :meth:`~WorkQueue.add_rate_limited` waits as long as the rate limiter says
  (per-key exponential back-off by default) and :meth:`~WorkQueue.forget` resets it.
* After :meth:`~WorkQueue.shutdown` nothing more is queued; keys already queued are
  still handed out, then :meth:`~WorkQueue.get` raises :class:`ShutDown`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Hashable
from typing import Generic, TypeVar

from corral.client.ratelimit import ItemBackoff, RateLimiter

K = TypeVar("K", bound=Hashable)


class ShutDown(Exception):
    """The queue was shut down and is empty."""


class WorkQueue(Generic[K]):
    def __init__(self, rate_limiter: RateLimiter | None = None) -> None:
        self.rate_limiter: RateLimiter = rate_limiter or ItemBackoff()
        self._queue: deque[K] = deque()
        self._dirty: set[K] = set()  # keys that need processing (queued, or re-added while processing)
        self._processing: set[K] = set()
        self._timers: dict[K, asyncio.TimerHandle] = {}
        self._getters: deque[asyncio.Future[None]] = deque()
        self._shutting_down = False

    def __len__(self) -> int:
        return len(self._queue)

    @property
    def shutting_down(self) -> bool:
        return self._shutting_down

    def add(self, key: K) -> None:
        if self._shutting_down or key in self._dirty:
            return
        self._dirty.add(key)
        if key in self._processing:
            return
        self._queue.append(key)
        self._wake_one()

    def add_after(self, key: K, delay: float) -> None:
        if self._shutting_down:
            return
        if delay <= 0:
            self.add(key)
            return
        loop = asyncio.get_running_loop()
        ready = loop.time() + delay
        timer = self._timers.get(key)
        if timer is not None:
            if timer.when() <= ready:
                return
            timer.cancel()
        self._timers[key] = loop.call_at(ready, self._fire, key)

    def _fire(self, key: K) -> None:
        del self._timers[key]
        self.add(key)

    def add_rate_limited(self, key: K) -> None:
        self.add_after(key, self.rate_limiter.when(key))

    def forget(self, key: K) -> None:
        self.rate_limiter.forget(key)

    def num_requeues(self, key: K) -> int:
        return self.rate_limiter.num_requeues(key)

    async def get(self) -> K:
        """The next key, which is now being processed: call :meth:`done` with it."""
        while not self._queue:
            if self._shutting_down:
                raise ShutDown
            waiter = asyncio.get_running_loop().create_future()
            self._getters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()  # woken but not taking the key: pass the wake-up on
                raise
        key = self._queue.popleft()
        self._processing.add(key)
        self._dirty.discard(key)
        return key

    def done(self, key: K) -> None:
        self._processing.discard(key)
        if key in self._dirty:
            self._queue.append(key)
            self._wake_one()

    def shutdown(self) -> None:
        self._shutting_down = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        while self._getters:
            waiter = self._getters.popleft()
            if not waiter.done():
                waiter.set_result(None)

    def _wake_one(self) -> None:
        while self._getters:
            waiter = self._getters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
