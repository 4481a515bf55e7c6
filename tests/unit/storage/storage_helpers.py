"""Helpers the storage tests share: reading watches with a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from corral.storage.interface import Event

DEADLINE = 5.0  # seconds; every wait in these tests ends by then or fails


async def take(events: AsyncIterator[Event], n: int) -> list[Event]:
    """The next ``n`` events, failing if they do not all arrive before the deadline."""
    out: list[Event] = []
    async with asyncio.timeout(DEADLINE):
        while len(out) < n:
            out.append(await anext(events))
    return out


async def drain_until_end(events: AsyncIterator[Event]) -> list[Event]:
    """Everything the watch still yields, failing unless it ends before the deadline."""
    async with asyncio.timeout(DEADLINE):
        return [ev async for ev in events]


def summary(events: list[Event]) -> list[tuple[str, str, bytes, int]]:
    return [(ev.type, ev.kv.key, ev.kv.value, ev.revision) for ev in events]
