"""The controller loop: failing reconciles retried with growing back-off and reset on
success, requeue-after, one key never reconciled twice at once, clean stop."""

from __future__ import annotations

import asyncio

from client_fakes import ScriptedTransport, eventually

from corral.client import Client, Controller, ItemBackoff
from corral.machinery.errors import StatusError


class Flaky(Controller):
    """Fails the first ``failures`` reconciles of each key; records what it saw."""

    def __init__(self, failures: int, workers: int = 1, again: float | None = None) -> None:
        super().__init__("flaky", Client(ScriptedTransport()), workers=workers,
                         rate_limiter=ItemBackoff(base=0.001, cap=0.01))
        self.failures = failures
        self.again = again
        self.calls: list[str] = []
        self.requeues_seen: list[int] = []
        self.in_flight: set[str] = set()
        self.overlaps = 0
        self.release = asyncio.Event()
        self.release.set()

    async def reconcile(self, key: str) -> float | None:
        if key in self.in_flight:
            self.overlaps += 1
        self.in_flight.add(key)
        try:
            self.calls.append(key)
            self.requeues_seen.append(self.queue.num_requeues(key))
            await self.release.wait()
            if self.calls.count(key) <= self.failures:
                if self.calls.count(key) % 2:
                    raise StatusError(409, "Conflict", "try again")
                raise RuntimeError("unexpected")
            return self.again
        finally:
            self.in_flight.discard(key)


async def test_failures_are_retried_with_back_off_and_success_forgets() -> None:
    c = Flaky(failures=3)
    c.start()
    try:
        c.enqueue({"metadata": {"name": "a", "namespace": "ns"}})
        await eventually(lambda: len(c.calls) == 4)
        await eventually(lambda: c.queue.num_requeues("ns/a") == 0)
        assert c.calls == ["ns/a"] * 4
        assert c.requeues_seen == [0, 1, 2, 3]
        assert len(c.queue) == 0
    finally:
        await c.stop()


async def test_a_reconcile_may_ask_to_be_run_again_later() -> None:
    c = Flaky(failures=0, again=0.01)
    c.start()
    try:
        c.queue.add("k")
        await eventually(lambda: len(c.calls) >= 3)
        assert set(c.calls) == {"k"} and c.queue.num_requeues("k") == 0
    finally:
        await c.stop()


async def test_workers_share_keys_but_never_one_key() -> None:
    c = Flaky(failures=0, workers=4)
    c.release.clear()
    c.start()
    try:
        for key in ("a", "b", "a", "c", "a"):
            c.queue.add(key)
        await eventually(lambda: len(c.in_flight) == 3)
        c.queue.add("a")  # while "a" is being reconciled
        await asyncio.sleep(0)
        assert sorted(c.in_flight) == ["a", "b", "c"]
        c.release.set()
        await eventually(lambda: c.calls.count("a") == 2 and len(c.calls) == 4)
        assert c.overlaps == 0
    finally:
        await c.stop()


async def test_stop_ends_workers_even_in_the_middle_of_a_reconcile() -> None:
    c = Flaky(failures=0, workers=2)
    c.release.clear()
    c.start()
    c.queue.add("stuck")
    await eventually(lambda: c.in_flight == {"stuck"})
    await asyncio.wait_for(c.stop(), 5)
    assert c.queue.shutting_down and c.in_flight == set()
