"""Periodic compaction, so the revision log does not grow without end.

Every write adds a row; only compaction removes superseded ones. Like kine's compactor,
this runs every ``interval`` seconds (5 minutes) and compacts everything older than the
newest ``keep`` revisions (1,000): recent history stays available for watches resuming
after a short disconnect and for paginated lists in progress.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from corral.storage.interface import Storage, StorageError

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 300.0
DEFAULT_KEEP = 1000


class Compactor:
    def __init__(
        self, storage: Storage, interval: float = DEFAULT_INTERVAL, keep: int = DEFAULT_KEEP
    ) -> None:
        self._storage = storage
        self._interval = interval
        self._keep = keep
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin compacting every ``interval`` seconds (from the running event loop)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="corral-compactor")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def compact_once(self) -> int | None:
        """Compact to ``revision - keep`` if that is new; answer the revision compacted to."""
        target = self._storage.revision - self._keep
        if target <= self._storage.compacted_revision:
            return None
        await self._storage.compact(target)
        return target

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                target = await self.compact_once()
            except StorageError:
                log.exception("compaction failed; trying again in %.0fs", self._interval)
            else:
                if target is not None:
                    log.debug("compacted to revision %d", target)
