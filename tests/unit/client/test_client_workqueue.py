"""The work queue's contract, as client-go's: keys deduplicated while queued, never
processed by two workers at once, delayed and rate-limited adds, shutdown."""

from __future__ import annotations

import asyncio
import random

import pytest
from client_fakes import eventually

from corral.client import ItemBackoff, ShutDown, WorkQueue


async def test_a_key_added_twice_while_queued_is_queued_once() -> None:
    q: WorkQueue[str] = WorkQueue()
    for key in ("a", "b", "a", "a", "c", "b"):
        q.add(key)
    assert len(q) == 3
    assert [await q.get() for _ in range(3)] == ["a", "b", "c"]


async def test_a_key_being_processed_is_queued_again_only_when_done() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add("a")
    assert await q.get() == "a"
    q.add("a")
    q.add("a")
    assert len(q) == 0  # not handed to a second worker while the first has it
    second = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    assert not second.done()
    q.done("a")
    assert await asyncio.wait_for(second, 1) == "a"
    q.done("a")
    assert len(q) == 0


async def test_done_without_a_new_add_does_not_queue_again() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add("a")
    await q.get()
    q.done("a")
    assert len(q) == 0


async def test_workers_never_hold_the_same_key_at_once() -> None:
    q: WorkQueue[int] = WorkQueue()
    in_flight: set[int] = set()
    overlaps: list[int] = []
    processed: list[int] = []

    async def worker() -> None:
        while True:
            try:
                key = await q.get()
            except ShutDown:
                return
            if key in in_flight:
                overlaps.append(key)
            in_flight.add(key)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            in_flight.discard(key)
            processed.append(key)
            q.done(key)

    workers = [asyncio.create_task(worker()) for _ in range(8)]
    rng = random.Random(7)
    for _ in range(500):
        q.add(rng.randrange(5))
        await asyncio.sleep(0)
    q.shutdown()
    await asyncio.wait_for(asyncio.gather(*workers), 5)
    assert overlaps == []
    assert set(processed) == set(range(5))


async def test_add_after_queues_later_and_the_earliest_request_wins() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add_after("soon", 0.01)
    q.add_after("soon", 60)  # later than already asked for: no change
    q.add_after("late", 60)
    q.add_after("late", 0.02)  # earlier: replaces the wait
    assert len(q) == 0
    got = [await asyncio.wait_for(q.get(), 5) for _ in range(2)]
    assert got == ["soon", "late"]
    q.add_after("now", 0)
    assert len(q) == 1


async def test_rate_limited_adds_back_off_exponentially_until_forgotten() -> None:
    limiter = ItemBackoff(base=0.005, cap=1000.0)
    q: WorkQueue[str] = WorkQueue(limiter)
    loop = asyncio.get_running_loop()
    waits = []
    for _ in range(4):
        start = loop.time()
        q.add_rate_limited("k")
        key = await asyncio.wait_for(q.get(), 5)
        waits.append(loop.time() - start)
        q.done(key)
    assert q.num_requeues("k") == 4
    assert waits[3] >= 0.04 - 0.002 and waits[2] >= 0.02 - 0.002  # 5, 10, 20, 40 ms
    q.forget("k")
    assert q.num_requeues("k") == 0
    assert limiter.when("k") == pytest.approx(0.005)


async def test_shutdown_drains_then_stops_getters_and_ignores_adds() -> None:
    q: WorkQueue[str] = WorkQueue()
    waiting = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    q.add("queued")
    assert await asyncio.wait_for(waiting, 1) == "queued"
    q.add("left")
    q.add_after("timer", 0.01)
    idle = asyncio.create_task(q.get())
    q.shutdown()
    assert await asyncio.wait_for(idle, 1) == "left"  # keys already queued are still handed out
    blocked = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    with pytest.raises(ShutDown):
        await asyncio.wait_for(blocked, 1)
    q.add("ignored")
    q.add_after("ignored", 0)
    assert len(q) == 0 and q.shutting_down


async def test_a_cancelled_getter_passes_its_wake_up_on() -> None:
    q: WorkQueue[str] = WorkQueue()
    first = asyncio.create_task(q.get())
    second = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    q.add("k")  # wakes the first getter...
    first.cancel()  # ...which is cancelled before it runs
    assert await asyncio.wait_for(second, 1) == "k"
    await eventually(first.done)
    assert first.cancelled()
