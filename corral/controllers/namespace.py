"""Namespace termination: once a namespace is marked for deletion, delete everything in
it, then drop the ``kubernetes`` finalizer so the namespace itself goes (kube's namespace
controller). It works on the object store directly until the in-process API client
exists."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from corral.machinery import errors
from corral.registry import encoding
from corral.registry.resources import ResourceDef
from corral.registry.store import Filter, ObjectStore

log = logging.getLogger("corral.namespace")


class NamespaceController:
    def __init__(self, store: ObjectStore, resources: Iterable[ResourceDef]) -> None:
        self.store = store
        self.namespaced = [rd for rd in resources if rd.namespaced]
        self.ns_rd = next(rd for rd in resources if rd.kind == "Namespace" and not rd.group)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                page = await self.store.list(self.ns_rd, "", Filter())
                for kv in page.items:
                    await self._check(encoding.decode(kv.value, kv.mod_revision))
                async for ev in self.store.watch(self.ns_rd, "", "", Filter(), page.revision):
                    if ev.type != "DELETED":
                        await self._check(encoding.decode(ev.value, ev.revision))
            except errors.StatusError as exc:  # watch fell behind: list again
                log.info("namespace watch restarted: %s", exc)
            except Exception:
                log.exception("namespace controller failed; restarting")
                await asyncio.sleep(1)

    async def _check(self, ns: dict[str, Any]) -> None:
        meta = ns["metadata"]
        if not meta.get("deletionTimestamp") or "kubernetes" not in (ns.get("spec") or {}).get("finalizers", []):
            return
        name = meta["name"]
        for rd in self.namespaced:
            page = await self.store.list(rd, name, Filter())
            for kv in page.items:
                obj = encoding.decode(kv.value, kv.mod_revision)
                try:
                    await self.store.delete(rd, name, obj["metadata"]["name"])
                except errors.StatusError as exc:
                    if exc.code != 404:
                        raise

        def finalize(current: dict[str, Any]) -> dict[str, Any]:
            spec = current.setdefault("spec", {})
            spec["finalizers"] = [f for f in spec.get("finalizers", []) if f != "kubernetes"]
            return current

        try:
            await self.store.patch(self.ns_rd, "", name, finalize, subresource="finalize")
        except errors.StatusError as exc:
            if exc.code != 404:
                raise
