"""How long a work-queue key waits before it is retried (client-go's workqueue rate
limiters).

* :class:`ItemBackoff`: per key, ``base * 2**failures`` capped at ``cap`` (5 ms
  doubling to 1000 s by default); :meth:`forget` once the key succeeded.
* :class:`TokenBucket`: an overall limit of ``qps`` retries a second with bursts of
  ``burst``, whatever the key.
* :class:`MaxOf`: the longest wait any of several limiters asks for (client-go's
  default controller limiter is the first two combined this way).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Protocol


class RateLimiter(Protocol):
    def when(self, key: Hashable) -> float:
        """Seconds ``key`` should wait before its next attempt (counts as a failure)."""

    def forget(self, key: Hashable) -> None:
        """``key`` succeeded: its next failure starts from the shortest wait."""

    def num_requeues(self, key: Hashable) -> int:
        """Failures counted for ``key`` since it was last forgotten."""


class ItemBackoff:
    def __init__(self, base: float = 0.005, cap: float = 1000.0) -> None:
        if base <= 0 or cap < base:
            raise ValueError("need 0 < base <= cap")
        self.base = base
        self.cap = cap
        self._failures: dict[Hashable, int] = {}

    def when(self, key: Hashable) -> float:
        failures = self._failures.get(key, 0)
        self._failures[key] = failures + 1
        if failures >= 64:  # 2**64 * base overflows any sensible cap
            return self.cap
        return min(self.base * float(2 ** failures), self.cap)

    def forget(self, key: Hashable) -> None:
        self._failures.pop(key, None)

    def num_requeues(self, key: Hashable) -> int:
        return self._failures.get(key, 0)


class TokenBucket:
    def __init__(self, qps: float = 10.0, burst: int = 100, clock: Callable[[], float] = time.monotonic) -> None:
        if qps <= 0 or burst < 1:
            raise ValueError("need qps > 0 and burst >= 1")
        self.qps = qps
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._at = clock()

    def when(self, key: Hashable) -> float:
        """Takes a token now, or reserves the next one and says how long until it exists."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.qps) - 1
        self._at = now
        return 0.0 if self._tokens >= 0 else -self._tokens / self.qps

    def forget(self, key: Hashable) -> None:
        """The bucket is shared by every key: nothing to forget."""

    def num_requeues(self, key: Hashable) -> int:
        return 0


class MaxOf:
    def __init__(self, *limiters: RateLimiter) -> None:
        if not limiters:
            raise ValueError("need at least one rate limiter")
        self.limiters = limiters

    def when(self, key: Hashable) -> float:
        return max(limiter.when(key) for limiter in self.limiters)

    def forget(self, key: Hashable) -> None:
        for limiter in self.limiters:
            limiter.forget(key)

    def num_requeues(self, key: Hashable) -> int:
        return max(limiter.num_requeues(key) for limiter in self.limiters)
