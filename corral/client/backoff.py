"""Waiting between attempts to reach the API server, as client-go's reflector does:
exponential (doubling from ``initial`` up to ``cap``) with up to 100% random jitter so a
restarted server is not hit by every client at the same instant, and back to
``initial`` after a success."""

from __future__ import annotations

import asyncio
import random


class Backoff:
    def __init__(self, initial: float = 0.8, cap: float = 30.0) -> None:
        if initial <= 0 or cap < initial:
            raise ValueError("need 0 < initial <= cap")
        self.initial = initial
        self.cap = cap
        self._next = initial

    def next_delay(self) -> float:
        """The wait before the next attempt; each call doubles the following one."""
        delay = self._next
        self._next = min(self._next * 2, self.cap)
        return delay * (1 + random.random())

    def reset(self) -> None:
        self._next = self.initial

    async def wait(self) -> None:
        await asyncio.sleep(self.next_delay())
