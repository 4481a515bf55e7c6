"""Serving a watch over HTTP: a chunked stream of JSON lines ``{"type": ..., "object": ...}``.

It sends the initial state the watch operation read (when the client gave no
resourceVersion, or "0", or asked for sendInitialEvents), then follows the store's
changes. Bookmarks are sent while
idle when the client allows them; a too-old resourceVersion ends the stream with an
ERROR event carrying a 410 Status, as kube-apiserver does.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import orjson
from aiohttp import web

from corral.api import views
from corral.api.negotiation import Representation
from corral.api.operations import WatchResult
from corral.api.params import ListOptions
from corral.machinery import errors, timeutil
from corral.registry import encoding
from corral.registry.resources import ResourceDef
from corral.registry.store import WatchEvent

BOOKMARK_INTERVAL = 30.0  # seconds of quiet before a bookmark
_END = object()
_QUEUE = 1024  # events buffered per watcher; past that the store's slow-watcher rule applies


def _line(kind: str, obj: bytes) -> bytes:
    return b'{"type":"%s","object":%s}\n' % (kind.encode(), obj)


class _Encoder:
    def __init__(self, rd: ResourceDef, rep: Representation, opts: ListOptions) -> None:
        self.rd, self.rep, self.opts = rd, rep, opts
        self.first = True

    def event(self, ev: WatchEvent) -> bytes:
        if self.rep.form == "object":
            return _line(ev.type, encoding.with_revision(ev.value, ev.revision))
        obj = encoding.decode(ev.value, ev.revision)
        if self.rep.form == "table":
            view = views.table(self.rd, [obj], self.rep.version, {"resourceVersion": str(ev.revision)},
                               self.opts.include_object, timeutil.now(), headers=self.first)
            self.first = False
        else:
            view = views.partial(obj, self.rep.version)
        return _line(ev.type, orjson.dumps(view))

    def bookmark(self, revision: int, initial_end: bool = False) -> bytes:
        meta: dict[str, Any] = {"resourceVersion": str(revision), "creationTimestamp": None}
        if initial_end:
            meta["annotations"] = {"k8s.io/initial-events-end": "true"}
        if self.rep.form == "object":
            obj = {"kind": self.rd.kind, "apiVersion": self.rd.group_version, "metadata": meta}
        else:
            obj = {"kind": "PartialObjectMetadata" if self.rep.form == "partial" else "Table",
                   "apiVersion": f"meta.k8s.io/{self.rep.version}", "metadata": meta}
            if self.rep.form == "table":
                obj.update({"columnDefinitions": [], "rows": []})
        return _line("BOOKMARK", orjson.dumps(obj))


class ActiveWatches:
    """The watch streams being served, so that shutdown can end them at once instead of
    waiting for their timeouts (clients then re-watch from their last resourceVersion)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Any]] = set()

    def close_all(self) -> None:
        for queue in self._queues:
            while not queue.empty():  # drop what is buffered: the stream ends now
                queue.get_nowait()
            queue.put_nowait(_END)


async def serve_watch(request: web.Request, rd: ResourceDef, watch: WatchResult,
                      rep: Representation, active: ActiveWatches) -> web.StreamResponse:
    opts = watch.opts
    timeout = opts.timeout_seconds if opts.timeout_seconds else 1800 * (1 + random.random())
    enc = _Encoder(rd, rep, opts)
    resp = web.StreamResponse(headers={"Content-Type": "application/json",
                                       "Cache-Control": "no-cache, private"})
    resp.enable_chunked_encoding()
    await resp.prepare(request)
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=_QUEUE)
    active._queues.add(queue)
    pump = asyncio.create_task(_pump(watch.events, queue))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = watch.start
    try:
        for ev in watch.initial:
            await resp.write(enc.event(ev))
        if opts.send_initial_events and opts.bookmarks:
            await resp.write(enc.bookmark(watch.start, initial_end=True))
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            try:
                item = await asyncio.wait_for(queue.get(), min(remaining, BOOKMARK_INTERVAL))
            except TimeoutError:
                if opts.bookmarks and loop.time() < deadline:
                    await resp.write(enc.bookmark(last))
                continue
            if item is _END:
                break
            if isinstance(item, errors.StatusError):
                await resp.write(_line("ERROR", orjson.dumps(item.to_status())))
                break
            last = item.revision
            await resp.write(enc.event(item))
    except ConnectionResetError:
        pass
    finally:
        active._queues.discard(queue)
        pump.cancel()
    return resp


async def _pump(events: AsyncIterator[WatchEvent], queue: asyncio.Queue[Any]) -> None:
    try:
        async for ev in events:
            await queue.put(ev)
    except errors.StatusError as exc:
        await queue.put(exc)
        return
    await queue.put(_END)
