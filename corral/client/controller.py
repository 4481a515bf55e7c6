"""The shape of every control loop: informers that say what changed, a work queue of
object keys, and ``reconcile(key)`` run by a few workers.

Reconciling is level-triggered: ``reconcile`` looks at the current state of the key's
object (in an informer's cache, or fetched) and acts to make the world match it,
whatever events led there. Handlers only enqueue keys, so a burst of changes to one
object is one reconcile; a failing reconcile is retried with per-key exponential
back-off, and a success resets it. Stopping cancels reconciles in flight, which a
level-triggered reconcile must tolerate (the next start redoes what is left).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import Any

from corral.client.cache import object_key
from corral.client.client import Client
from corral.client.factory import InformerFactory
from corral.client.ratelimit import RateLimiter
from corral.client.workqueue import ShutDown, WorkQueue
from corral.machinery.errors import StatusError

log = logging.getLogger("corral.client.controller")


class Controller:
    """Subclasses ask ``self.informers`` for the informers they need in ``__init__``,
    register handlers that call :meth:`enqueue`, and implement :meth:`reconcile`."""

    def __init__(self, name: str, client: Client, *, informers: InformerFactory | None = None,
                 workers: int = 1, rate_limiter: RateLimiter | None = None) -> None:
        """Informers come from ``informers`` when several controllers share them (whoever
        made the factory starts and stops it), else from a factory of the controller's own."""
        self.name = name
        self.client = client
        self._own_informers = informers is None
        self.informers = informers if informers is not None else InformerFactory(client)
        self.queue: WorkQueue[str] = WorkQueue(rate_limiter)
        self.workers = workers
        self._task: asyncio.Task[None] | None = None

    async def reconcile(self, key: str) -> float | None:
        """Make the world match the object ``key`` names. Raise to be retried with
        back-off; return a number of seconds to be looked at again after that long
        even if nothing changes (waiting on something no informer reports), else None."""
        raise NotImplementedError

    def enqueue(self, obj: dict[str, Any]) -> None:
        self.queue.add(object_key(obj))

    def start(self) -> None:
        """Start the informers (if the controller owns them) and, once they have synced,
        the workers."""
        if self._task is not None:
            return
        if self._own_informers:
            self.informers.start()
        self._task = asyncio.create_task(self._run(), name=f"controller-{self.name}")

    async def stop(self) -> None:
        self.queue.shutdown()
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        if self._own_informers:
            await self.informers.stop()

    async def _run(self) -> None:
        if not await self.informers.wait_for_sync():
            log.error("%s controller: informers stopped before they synced", self.name)
            return
        await asyncio.gather(*(self._worker() for _ in range(self.workers)))

    async def _worker(self) -> None:
        while True:
            try:
                key = await self.queue.get()
            except ShutDown:
                return
            try:
                again = await self.reconcile(key)
            except StatusError as exc:
                log.warning("%s controller: %s: %s (retrying)", self.name, key, exc)
                self.queue.add_rate_limited(key)
            except Exception:
                log.exception("%s controller: reconciling %s failed (retrying)", self.name, key)
                self.queue.add_rate_limited(key)
            else:
                self.queue.forget(key)
                if again is not None:
                    self.queue.add_after(key, again)
            finally:
                self.queue.done(key)
