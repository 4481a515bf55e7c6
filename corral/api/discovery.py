"""Discovery documents: the legacy ones (/api, /apis, /apis/<g>, APIResourceList per
group-version) and aggregated discovery (apidiscovery.k8s.io v2 and v2beta1), built from
the served :class:`ResourceDef` list. Documents are rendered once per change of that
list and kept as bytes."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from typing import Any

import orjson

from corral.registry.resources import ResourceDef

# verbs of each subresource, as kube-apiserver publishes them
_SUB_VERBS: dict[str, tuple[str, ...]] = {
    "status": ("get", "patch", "update"),
    "scale": ("get", "patch", "update"),
    "ephemeralcontainers": ("get", "patch", "update"),
    "resize": ("get", "patch", "update"),
    "binding": ("create",),
    "eviction": ("create",),
    "token": ("create",),
    "log": ("get",),
    "exec": ("create", "get"),
    "attach": ("create", "get"),
    "portforward": ("create", "get"),
    "proxy": ("create", "delete", "get", "patch", "update"),
    "finalize": ("update",),
}
# group/version of the kinds subresources answer with, when not the resource's own
_SUB_GV: dict[str, tuple[str, str]] = {
    "Scale": ("autoscaling", "v1"),
    "Eviction": ("policy", "v1"),
    "TokenRequest": ("authentication.k8s.io", "v1"),
}


def _storage_version_hash(rd: ResourceDef) -> str:
    digest = hashlib.sha256(f"{rd.group}/{rd.version}/{rd.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


class Discovery:
    def __init__(self, resources: Iterable[ResourceDef], group_order: Iterable[str],
                 server_address: str) -> None:
        self._address = server_address
        self.reset(resources, group_order)

    def reset(self, resources: Iterable[ResourceDef], group_order: Iterable[str]) -> None:
        """Rebuild every document from a new resource list."""
        self.resources = list(resources)
        order = {g: i for i, g in enumerate(group_order)}
        groups: dict[str, list[str]] = {}
        for rd in self.resources:
            versions = groups.setdefault(rd.group, [])
            if rd.version not in versions:
                versions.append(rd.version)
        self._groups = sorted(groups.items(), key=lambda gv: (order.get(gv[0], len(order)), gv[0]))
        self._cache: dict[tuple[str, ...], bytes] = {}
        self.by_gv: dict[tuple[str, str], dict[str, ResourceDef]] = {}
        for rd in self.resources:
            self.by_gv.setdefault((rd.group, rd.version), {})[rd.resource] = rd

    def lookup(self, group: str, version: str, resource: str) -> ResourceDef | None:
        return self.by_gv.get((group, version), {}).get(resource)

    def has_group_version(self, group: str, version: str) -> bool:
        return (group, version) in self.by_gv

    def _cached(self, key: tuple[str, ...], build: Any) -> bytes:
        doc = self._cache.get(key)
        if doc is None:
            doc = self._cache[key] = orjson.dumps(build())
        return doc

    # ----- legacy discovery ----------------------------------------------------------

    def api_versions(self) -> bytes:
        return self._cached(("api",), lambda: {
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": self._address}],
        })

    def _group_doc(self, group: str, versions: list[str]) -> dict[str, Any]:
        gvs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        return {"name": group, "versions": gvs, "preferredVersion": gvs[0]}

    def api_groups(self) -> bytes:
        return self._cached(("apis",), lambda: {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [self._group_doc(g, vs) for g, vs in self._groups if g],
        })

    def api_group(self, group: str) -> bytes | None:
        versions = dict(self._groups).get(group)
        if not group or versions is None:
            return None
        return self._cached(("group", group), lambda: {
            "kind": "APIGroup", "apiVersion": "v1", **self._group_doc(group, versions)})

    def resource_list(self, group: str, version: str) -> bytes | None:
        if (group, version) not in self.by_gv:
            return None
        return self._cached(("gv", group, version), lambda: self._resource_list(group, version))

    def _resource_list(self, group: str, version: str) -> dict[str, Any]:
        resources: list[dict[str, Any]] = []
        for rd in self.by_gv[(group, version)].values():
            entry: dict[str, Any] = {
                "name": rd.resource,
                "singularName": rd.singular_name,
                "namespaced": rd.namespaced,
                "kind": rd.kind,
                "verbs": list(rd.verbs),
            }
            if rd.short_names:
                entry["shortNames"] = list(rd.short_names)
            if rd.categories:
                entry["categories"] = list(rd.categories)
            entry["storageVersionHash"] = _storage_version_hash(rd)
            resources.append(entry)
            for sub, kind in rd.subresources.items():
                sub_entry: dict[str, Any] = {
                    "name": f"{rd.resource}/{sub}",
                    "singularName": "",
                    "namespaced": rd.namespaced,
                    "kind": kind or rd.kind,
                    "verbs": list(_SUB_VERBS.get(sub, ("get",))),
                }
                if kind in _SUB_GV:
                    sub_entry["group"], sub_entry["version"] = _SUB_GV[kind]
                resources.append(sub_entry)
        gv = f"{group}/{version}" if group else version
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}

    # ----- aggregated discovery --------------------------------------------------------

    def aggregated(self, legacy: bool, version: str) -> bytes:
        """The APIGroupDiscoveryList for /api (legacy=True) or /apis."""
        return self._cached(("agg", str(legacy), version), lambda: {
            "kind": "APIGroupDiscoveryList",
            "apiVersion": f"apidiscovery.k8s.io/{version}",
            "metadata": {},
            "items": [self._agg_group(g, vs) for g, vs in self._groups if (g == "") == legacy],
        })

    def _agg_group(self, group: str, versions: list[str]) -> dict[str, Any]:
        return {
            "metadata": {"name": group, "creationTimestamp": None},
            "versions": [{"version": v, "resources": [self._agg_resource(rd)
                                                      for rd in self.by_gv[(group, v)].values()],
                          "freshness": "Current"} for v in versions],
        }

    @staticmethod
    def _agg_resource(rd: ResourceDef) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "resource": rd.resource,
            "responseKind": {"group": rd.group, "version": rd.version, "kind": rd.kind},
            "scope": "Namespaced" if rd.namespaced else "Cluster",
            "singularResource": rd.singular_name,
            "verbs": list(rd.verbs),
        }
        if rd.short_names:
            entry["shortNames"] = list(rd.short_names)
        if rd.categories:
            entry["categories"] = list(rd.categories)
        subs = []
        for sub, kind in rd.subresources.items():
            group, version = _SUB_GV.get(kind, (rd.group, rd.version))
            subs.append({"subresource": sub,
                         "responseKind": {"group": group, "version": version, "kind": kind or rd.kind},
                         "verbs": list(_SUB_VERBS.get(sub, ("get",)))})
        if subs:
            entry["subresources"] = subs
        return entry
