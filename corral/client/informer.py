"""Informers: a cached, always-current view of one collection plus change notifications
(client-go's SharedIndexInformer).

A :class:`Reflector` lists and watches; the informer keeps what it reports in an
:class:`~corral.client.cache.Indexer` and then calls the registered handlers, so a
handler that looks into the cache sees the change it is told about. After a re-list
(410 Gone) the handlers hear exactly what differs from the cache: adds, updates
(objects whose resourceVersion changed) and deletes (objects gone meanwhile, with their
last known state).

Handlers are plain functions called in the event loop; they should be quick (put a key
on a work queue) and must not change the objects they are given, which the cache
shares. A handler added to a running informer first hears an add for every cached
object. An exception in a handler is logged and does not stop the informer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from corral.client.backoff import Backoff
from corral.client.cache import Indexer, IndexFunc, object_key
from corral.client.client import Client
from corral.client.reflector import Reflector, Sink
from corral.client.resource import Resource

log = logging.getLogger("corral.client.informer")

Obj = dict[str, Any]


@dataclass(frozen=True, slots=True)
class EventHandler:
    on_add: Callable[[Obj], None] | None = None
    on_update: Callable[[Obj, Obj], None] | None = None  # (old, new)
    on_delete: Callable[[Obj], None] | None = None


def _rv(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")


class Informer:
    def __init__(self, client: Client, resource: Resource, *, namespace: str = "", label_selector: str = "",
                 field_selector: str = "", indexers: Mapping[str, IndexFunc] | None = None,
                 page_size: int = 500, watch_timeout: float = 300.0, backoff: Backoff | None = None) -> None:
        self.resource = resource
        self.cache = Indexer(indexers)
        self._handlers: list[EventHandler] = []
        self._watch_error: Callable[[Exception], None] | None = None
        self._reflector = Reflector(client, resource, Sink(self._replace, self._upsert, self._delete),
                                    namespace=namespace, label_selector=label_selector,
                                    field_selector=field_selector, page_size=page_size,
                                    watch_timeout=watch_timeout, backoff=backoff, on_error=self._on_watch_error)
        self._synced = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # ----- configuration ---------------------------------------------------------------

    def add_handler(self, *, on_add: Callable[[Obj], None] | None = None,
                    on_update: Callable[[Obj, Obj], None] | None = None,
                    on_delete: Callable[[Obj], None] | None = None) -> EventHandler:
        handler = EventHandler(on_add, on_update, on_delete)
        self._handlers.append(handler)
        if on_add is not None:
            for obj in self.cache.list():
                self._call(on_add, obj)
        return handler

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        self.cache.add_indexers(indexers)

    def set_watch_error_handler(self, handler: Callable[[Exception], None]) -> None:
        """Called with every list or watch failure (a StatusError, 410 included, or a
        TransportError) before the informer recovers from it."""
        self._watch_error = handler

    def _on_watch_error(self, exc: Exception) -> None:
        if self._watch_error is not None:
            self._watch_error(exc)

    # ----- lifecycle -------------------------------------------------------------------

    @property
    def has_synced(self) -> bool:
        """Whether the cache holds a complete list (it stays true across re-lists)."""
        return self._synced.is_set()

    @property
    def last_sync_resource_version(self) -> str:
        return self._reflector.last_sync_resource_version

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._reflector.run(), name=f"informer-{self.resource.resource}")

    async def wait_for_sync(self) -> bool:
        """Wait until the first list is in the cache (starting the informer is someone
        else's job); False if the informer stopped first."""
        synced = asyncio.ensure_future(self._synced.wait())
        waiting: set[asyncio.Future[Any]] = {synced}
        if self._task is not None:
            waiting.add(self._task)
        try:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            synced.cancel()
        return self.has_synced

    async def stop(self) -> None:
        task = self._task
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    # ----- what the reflector reports --------------------------------------------------

    def _replace(self, objs: list[Obj]) -> None:
        fresh = {object_key(obj): obj for obj in objs}
        for key in self.cache:
            if key not in fresh:
                old = self.cache.remove(key)
                if old is not None:
                    self._notify_delete(old)
        for obj in fresh.values():
            old = self.cache.get(object_key(obj))
            if old is None or _rv(old) != _rv(obj):
                self._upsert(obj)
        self._synced.set()

    def _upsert(self, obj: Obj) -> None:
        old = self.cache.upsert(obj)
        for h in self._handlers:
            if old is None and h.on_add is not None:
                self._call(h.on_add, obj)
            elif old is not None and h.on_update is not None:
                self._call(h.on_update, old, obj)

    def _delete(self, obj: Obj) -> None:
        self.cache.remove(object_key(obj))
        self._notify_delete(obj)

    def _notify_delete(self, obj: Obj) -> None:
        for h in self._handlers:
            if h.on_delete is not None:
                self._call(h.on_delete, obj)

    def _call(self, handler: Callable[..., None], *objs: Obj) -> None:
        try:
            handler(*objs)
        except Exception:
            log.exception("event handler of the %s informer failed", self.resource.resource)
