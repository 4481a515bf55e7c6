"""Namespace termination (kube's namespace controller): once a namespace is marked for
deletion, delete everything in it, and when nothing is left, drop the ``kubernetes``
finalizer through the ``finalize`` subresource so the namespace itself goes.

It is an API client like any other: it watches namespaces through an informer, finds
what to delete through discovery (every namespaced resource in its group's preferred
version that can be listed and deleted, custom resources included) and works as its
own service account. Objects that finalizers hold keep the namespace until they are
gone; the namespace is looked at again every second meanwhile.
"""

from __future__ import annotations

import logging
from typing import Any

from corral.auth.user import UserInfo
from corral.client import NAMESPACES, Client, Controller, Resource
from corral.machinery.errors import StatusError

log = logging.getLogger("corral.namespace")

IDENTITY = UserInfo("system:serviceaccount:kube-system:namespace-controller",
                    groups=("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"))
FINALIZER = "kubernetes"
RECHECK_SECONDS = 1.0  # while finalizers hold content, as kube's controller looks again


def _terminating(ns: dict[str, Any]) -> bool:
    return bool(ns["metadata"].get("deletionTimestamp")) and \
        FINALIZER in ((ns.get("spec") or {}).get("finalizers") or [])


class NamespaceController(Controller):
    def __init__(self, client: Client, *, workers: int = 2) -> None:
        super().__init__("namespace", client, workers=workers)
        self.namespaces = self.informers.informer(NAMESPACES)
        self.namespaces.add_handler(on_add=self._changed, on_update=lambda _old, new: self._changed(new))

    def _changed(self, ns: dict[str, Any]) -> None:
        if _terminating(ns):
            self.enqueue(ns)

    async def reconcile(self, key: str) -> float | None:
        cached = self.namespaces.cache.get(key)
        if cached is None or not _terminating(cached):
            return None
        try:
            ns = await self.client.get(NAMESPACES, key)  # the cache may lag; finalize the newest
        except StatusError as exc:
            if exc.code == 404:
                return None
            raise
        if not _terminating(ns):
            return None
        remaining = await self._delete_content(key)
        if remaining:
            log.info("namespace %s: %d objects wait for their finalizers", key, remaining)
            return RECHECK_SECONDS
        spec = ns.setdefault("spec", {})
        spec["finalizers"] = [f for f in spec.get("finalizers") or [] if f != FINALIZER]
        try:
            await self.client.update(NAMESPACES, ns, subresource="finalize")
        except StatusError as exc:
            if exc.code != 404:
                raise
        return None

    async def _delete_content(self, namespace: str) -> int:
        """Delete every object in ``namespace``; the number still there afterwards."""
        remaining = 0
        for api in await self.client.discovery.preferred_resources():
            res = api.resource
            if not res.namespaced or not {"list", "delete"} <= api.verbs:
                continue
            try:
                if "deletecollection" in api.verbs:
                    await self._delete_collection(res, namespace)
                else:
                    await self._delete_each(res, namespace)
                remaining += len((await self.client.list(res, namespace))["items"])
            except StatusError as exc:
                if exc.code != 404:  # 404: the resource stopped being served meanwhile
                    raise
        return remaining

    async def _delete_collection(self, res: Resource, namespace: str) -> None:
        try:
            await self.client.delete_collection(res, namespace)
        except StatusError as exc:
            if exc.code != 405:
                raise
            await self._delete_each(res, namespace)

    async def _delete_each(self, res: Resource, namespace: str) -> None:
        for obj in (await self.client.list(res, namespace))["items"]:
            try:
                await self.client.delete(res, obj["metadata"]["name"], namespace)
            except StatusError as exc:
                if exc.code != 404:
                    raise
