"""Keeping a local copy of a collection in step with the server: list, then watch from
the list's resourceVersion, feeding every change to a sink (client-go's Reflector).

* The list is read in pages (``limit``/``continue``); if a continue token expires
  meanwhile, the collection is read again in one request.
* Watches ask for bookmarks, so a quiet collection still advances its resourceVersion,
  and for a random timeout between ``watch_timeout`` and twice that, so reconnects of
  many clients spread out. A watch that ends is resumed from the newest resourceVersion
  seen, so nothing is missed and nothing is read twice.
* 410 Gone (the resourceVersion is older than the server's history, e.g. after its
  restart) means a fresh list, whose differences from the cache the sink reports.
* Other failures wait with jittered exponential back-off, then resume the watch (a
  connection failure) or list again (an API error); so does a watch that ends at once
  with nothing in it, which would otherwise spin.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from corral.client.backoff import Backoff
from corral.client.client import Client, WatchEvent
from corral.client.resource import Resource
from corral.machinery.errors import StatusError

log = logging.getLogger("corral.client.reflector")

Obj = dict[str, Any]
_SHORT_WATCH = 1.0  # seconds: a watch ending sooner with no events is a failure


@dataclass(frozen=True, slots=True)
class Sink:
    """Where a reflector reports: the whole collection after each list, then each
    added or changed object, and each deleted one (in its last state)."""

    replace: Callable[[list[Obj]], None]
    upsert: Callable[[Obj], None]
    delete: Callable[[Obj], None]


class Reflector:
    def __init__(self, client: Client, resource: Resource, sink: Sink, *, namespace: str = "",
                 label_selector: str = "", field_selector: str = "", page_size: int = 500,
                 watch_timeout: float = 300.0, backoff: Backoff | None = None,
                 on_error: Callable[[Exception], None] | None = None) -> None:
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.label_selector = label_selector
        self.field_selector = field_selector
        self._sink = sink
        self._page_size = page_size
        self._watch_timeout = watch_timeout
        self._backoff = backoff or Backoff()
        self._on_error = on_error
        self.last_sync_resource_version = ""

    def _failed(self, exc: Exception, what: str) -> None:
        gone = isinstance(exc, StatusError) and exc.code == 410
        log.log(logging.INFO if gone else logging.WARNING, "%s of %s failed: %s", what, self.resource.resource,
                exc or type(exc).__name__)
        if self._on_error is not None:
            try:
                self._on_error(exc)
            except Exception:
                log.exception("watch error handler failed")

    async def run(self) -> None:
        """List and watch until cancelled."""
        while True:
            try:
                rv = await self._list()
            except Exception as exc:
                self._failed(exc, "list")
                await self._backoff.wait()
                continue
            await self._watch(rv)

    async def _page(self, limit: int, token: str) -> Obj:
        return await self.client.list(self.resource, self.namespace, label_selector=self.label_selector,
                                      field_selector=self.field_selector, limit=limit, continue_token=token)

    async def _list(self) -> str:
        items: list[Obj] = []
        token = ""
        while True:
            try:
                page = await self._page(self._page_size, token)
            except StatusError as exc:
                if exc.code != 410 or not token:
                    raise
                items, page = [], await self._page(0, "")  # the continue token expired
            items.extend(page["items"])
            token = str((page.get("metadata") or {}).get("continue") or "")
            if not token:
                break
        rv = str((page.get("metadata") or {}).get("resourceVersion") or "")
        self._sink.replace(items)
        self.last_sync_resource_version = rv
        return rv

    async def _watch(self, rv: str) -> None:
        """Watch from ``rv`` and on from the newest resourceVersion seen, until a fresh
        list is needed."""
        loop = asyncio.get_running_loop()
        attempts = 0
        while True:
            started, seen = loop.time(), 0
            attempts += 1
            try:
                timeout = int(self._watch_timeout * (1 + random.random()))
                async with self.client.watch(self.resource, self.namespace, label_selector=self.label_selector,
                                             field_selector=self.field_selector, resource_version=rv,
                                             allow_bookmarks=True, timeout_seconds=max(timeout, 1)) as events:
                    async for event in events:
                        seen += 1
                        rv = self._apply(event, rv)
                        self._backoff.reset()
            except StatusError as exc:
                self._failed(exc, "watch")
                if exc.code != 410 or (attempts == 1 and not seen):  # 410 right after a list: the server is unwell
                    await self._backoff.wait()
                return
            except Exception as exc:
                self._failed(exc, "watch")
                await self._backoff.wait()
                continue
            if not seen and loop.time() - started < _SHORT_WATCH:
                log.warning("watch of %s ended at once; waiting before the next", self.resource.resource)
                await self._backoff.wait()

    def _apply(self, event: WatchEvent, rv: str) -> str:
        obj = event.object
        if event.type in ("ADDED", "MODIFIED"):
            self._sink.upsert(obj)
        elif event.type == "DELETED":
            self._sink.delete(obj)
        elif event.type != "BOOKMARK":
            log.warning("ignoring watch event of unknown type %r", event.type)
            return rv
        rv = str((obj.get("metadata") or {}).get("resourceVersion") or rv)
        self.last_sync_resource_version = rv
        return rv
