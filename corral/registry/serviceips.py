"""ClusterIP allocation for Services, done while the Service is created, as
kube-apiserver's service registry does it (so ``kubectl get svc`` shows an IP at once).

Addresses come from the service CIDR (k3s's default 10.43.0.0/16); the first host
address belongs to the ``kubernetes`` Service. The set of addresses in use is read from
the stored Services on first use and kept up to date by the create and delete hooks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
from typing import Any

from corral.machinery import errors
from corral.machinery.errors import Cause
from corral.registry import encoding
from corral.registry.hooks import StoreHooks
from corral.storage.interface import Storage

SERVICE_CIDR = ipaddress.IPv4Network("10.43.0.0/16")
KUBERNETES_SERVICE_IP = str(SERVICE_CIDR.network_address + 1)
_PREFIX = "/registry/core/services/"


def _wants_ip(svc: dict[str, Any]) -> bool:
    spec = svc.get("spec") or {}
    return spec.get("type") != "ExternalName" and spec.get("clusterIP") != "None"


class ServiceIPAllocator:
    def __init__(self, storage: Storage, cidr: ipaddress.IPv4Network = SERVICE_CIDR) -> None:
        self.storage = storage
        self.cidr = cidr
        self._used: set[str] | None = None
        self._lock = asyncio.Lock()

    async def _load(self) -> set[str]:
        if self._used is None:
            res = await self.storage.list(_PREFIX)
            self._used = set()
            for kv in res.items:
                ip = (encoding.decode(kv.value, kv.mod_revision).get("spec") or {}).get("clusterIP")
                if ip and ip != "None":
                    self._used.add(ip)
        return self._used

    async def allocate(self, svc: dict[str, Any]) -> None:
        """Give ``svc`` its clusterIP/clusterIPs, or check the one it asks for."""
        if not _wants_ip(svc):
            return
        spec = svc.setdefault("spec", {})
        async with self._lock:
            used = await self._load()
            wanted = spec.get("clusterIP") or ""
            if wanted:
                self._check(svc, wanted, used)
                ip = wanted
            else:
                ip = self._pick(used)
            used.add(ip)
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]

    def _check(self, svc: dict[str, Any], wanted: str, used: set[str]) -> None:
        name = str(svc.get("metadata", {}).get("name", ""))
        try:
            addr = ipaddress.ip_address(wanted)
        except ValueError:
            raise errors.invalid("Service", "", name, [Cause(
                "FieldValueInvalid", f'Invalid value: "{wanted}": must be a valid IP address', "spec.clusterIPs[0]")
            ]) from None
        if addr not in self.cidr:
            raise errors.invalid("Service", "", name, [Cause(
                "FieldValueInvalid", f'Invalid value: "{wanted}": failed to allocate IP {wanted}: the provided IP '
                f"({wanted}) is not in the valid range. The range of valid IPs is {self.cidr}",
                "spec.clusterIPs")])
        if wanted in used:
            raise errors.invalid("Service", "", name, [Cause(
                "FieldValueInvalid", f'Invalid value: "{wanted}": failed to allocate IP {wanted}: provided IP is '
                "already allocated", "spec.clusterIPs")])

    def _pick(self, used: set[str]) -> str:
        first = int(self.cidr.network_address) + 2  # .0 is the network, .1 the kubernetes Service
        last = int(self.cidr.broadcast_address) - 1
        if len(used) >= last - first + 1:
            raise errors.StatusError(500, "InternalError",
                                     "Internal error occurred: failed to allocate a serviceIP: range is full")
        while True:
            ip = str(ipaddress.IPv4Address(random.randint(first, last)))
            if ip not in used:
                return ip

    async def release(self, svc: dict[str, Any]) -> None:
        ip = (svc.get("spec") or {}).get("clusterIP")
        if ip and self._used is not None:
            self._used.discard(ip)


class ServiceHooks(StoreHooks):
    """The Service registry's extra steps: allocate on create, keep the allocation on
    updates that leave it out, free it on delete."""

    def __init__(self, allocator: ServiceIPAllocator) -> None:
        self.allocator = allocator

    async def before_create(self, obj: dict[str, Any]) -> None:
        await self.allocator.allocate(obj)

    async def create_failed(self, obj: dict[str, Any]) -> None:
        await self.allocator.release(obj)

    def before_update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_spec, spec = old.get("spec") or {}, new.get("spec")
        if isinstance(spec, dict) and not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
            spec.setdefault("clusterIPs", old_spec.get("clusterIPs", [old_spec["clusterIP"]]))

    async def after_delete(self, obj: dict[str, Any]) -> None:
        await self.allocator.release(obj)
