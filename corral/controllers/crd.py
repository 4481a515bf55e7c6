"""The CustomResourceDefinition controllers of apiextensions-apiserver in one loop: naming
(accept the names a CRD asks for unless another CRD of its group holds them:
NamesAccepted, ``status.acceptedNames``), establishing (Established once the names are
accepted), serving (hand the ResourceDefs of every established CRD to whoever serves
them) and finalizing (a deleted CRD's objects are deleted, then its
``customresourcecleanup`` finalizer is dropped so the CRD goes too).

Serving happens before the status that announces it is written, so a client that sees
Established finds the resources there. Like the namespace controller it is an API client
of its own server (through the in-process transport), acting as the API server itself.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from corral.auth.user import UserInfo
from corral.client import Client, Controller, Resource
from corral.machinery.errors import StatusError
from corral.registry.custom import definitions as crds
from corral.registry.custom.lifecycle import set_condition, settle
from corral.registry.resources import ResourceDef

log = logging.getLogger("corral.crd")

IDENTITY = UserInfo("system:apiserver", groups=("system:masters", "system:authenticated"))
CRDS = Resource(crds.GROUP, "v1", "customresourcedefinitions", namespaced=False, kind="CustomResourceDefinition")
RECHECK_SECONDS = 1.0  # while finalizers of custom objects hold a CRD's deletion

Publish = Callable[[list[ResourceDef]], None]
Obj = dict[str, Any]


def _held_by_cleanup(crd: Obj) -> bool:
    meta = crd.get("metadata") or {}
    return bool(meta.get("deletionTimestamp")) and crds.CLEANUP_FINALIZER in (meta.get("finalizers") or [])


def served(crd_list: list[Obj]) -> list[ResourceDef]:
    """Every resource the CRDs serve, grouped by group, preferred versions first."""
    found = [rd for crd in crd_list for rd in crds.served_resources(crd)]
    return sorted(found, key=lambda rd: (rd.group, crds.version_order(rd.version), rd.resource))


class CRDController(Controller):
    def __init__(self, client: Client, publish: Publish) -> None:
        """``publish`` receives the custom resources to serve whenever they change."""
        super().__init__("crd", client)
        self._publish_to = publish
        self._published: list[ResourceDef] = []
        self.crds = self.informers.informer(CRDS)
        self.crds.add_handler(on_add=self.enqueue, on_update=lambda _old, new: self.enqueue(new),
                              on_delete=self._deleted)

    async def wait_for_sync(self) -> None:
        """Wait for the first list of CRDs and serve the established ones (a restarted
        server serves its custom resources before it says it is ready)."""
        await self.informers.wait_for_sync()
        self._publish()

    def _deleted(self, crd: Obj) -> None:
        self._publish()
        self._requeue_group(crd)  # its names are free now

    def _requeue_group(self, crd: Obj) -> None:
        group = crds.spec(crd).get("group")
        name = (crd.get("metadata") or {}).get("name")
        for other in self.crds.cache.list():
            if crds.spec(other).get("group") == group and other["metadata"]["name"] != name:
                self.enqueue(other)

    def _publish(self, pending: Obj | None = None) -> None:
        """Serve what the cached CRDs (``pending`` in place of its cached version) serve."""
        current = {c["metadata"]["name"]: c for c in self.crds.cache.list()}
        if pending is not None:
            current[pending["metadata"]["name"]] = pending
        resources = served(list(current.values()))
        if resources != self._published:
            self._published = resources
            self._publish_to(resources)

    async def reconcile(self, key: str) -> float | None:
        crd = self.crds.cache.get(key)
        if crd is None:
            self._publish()
            return None
        if _held_by_cleanup(crd):
            return await self._finalize(crd)
        group = crds.spec(crd).get("group")
        status = settle(crd, [c for c in self.crds.cache.list() if crds.spec(c).get("group") == group])
        if status is None:
            self._publish()
            return None
        updated = {**crd, "status": status}
        self._publish(updated)  # before Established is visible
        if await self._write(updated, "status") is not None:
            self._requeue_group(crd)
        return None

    async def _write(self, crd: Obj, subresource: str = "") -> Obj | None:
        """Update the CRD (or its status) unless it moved on or went meanwhile; the informer
        brings the newer version back here."""
        try:
            return await self.client.update(CRDS, crd, subresource=subresource)
        except StatusError as exc:
            if exc.code in (404, 409):
                return None
            raise

    async def _finalize(self, cached: Obj) -> float | None:
        """The CRD finalizer: delete every custom object, then let the CRD go."""
        self._publish()  # no new objects from now on
        crd = copy.deepcopy(cached)
        if (crds.condition(crd, "Terminating") or {}).get("reason") != "InstanceDeletionInProgress":
            set_condition(crd, "Terminating", "True", "InstanceDeletionInProgress",
                          "CustomResource deletion is in progress")
            written = await self._write(crd, "status")
            if written is None:
                return None
            crd = written
        if crds.is_true(crd, "Established"):
            remaining = await self._delete_instances(crd)
            if remaining:
                log.info("CRD %s: %d objects wait for their finalizers", crd["metadata"]["name"], remaining)
                return RECHECK_SECONDS
            set_condition(crd, "Terminating", "False", "InstanceDeletionCompleted", "removed all instances")
        else:
            set_condition(crd, "Terminating", "False", "NeverEstablished", "resource was never established")
        written = await self._write(crd, "status")
        if written is None:
            return None
        meta = written["metadata"]
        meta["finalizers"] = [f for f in meta.get("finalizers") or [] if f != crds.CLEANUP_FINALIZER]
        await self._write(written)
        return None

    async def _delete_instances(self, crd: Obj) -> int:
        """Delete the CRD's objects in every namespace; how many are left (held by their
        own finalizers)."""
        names = crds.status(crd).get("acceptedNames") or {}
        version = next((str(v.get("name")) for v in crds.versions(crd) if v.get("served") is True), "")
        if not version:
            return 0  # nothing serves them: nothing could have made them
        resource = Resource(str(crds.spec(crd).get("group")), version, str(names.get("plural") or ""),
                            namespaced=crds.spec(crd).get("scope") != "Cluster", kind=str(names.get("kind") or ""))
        await self.client.delete_collection(resource)
        left = await self.client.list(resource)
        return len(left.get("items") or [])
