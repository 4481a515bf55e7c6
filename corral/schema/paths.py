"""The REST operations of served resources, described once in a neutral form and rendered
by :mod:`corral.schema.render` into OpenAPI v2 and v3 paths.

Names follow kube-apiserver: operation ids such as ``patchAppsV1NamespacedDeploymentScale``,
tags such as ``apps_v1``, ``x-kubernetes-action`` values, and one path per collection,
object, subresource and (deprecated) watch endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from corral.registry.resources import ResourceDef
from corral.schema import definitions as d
from corral.schema import parameters as p
from corral.schema.definitions import GVK
from corral.schema.parameters import Param

OBJECT_TYPES = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
STREAM_TYPES = (
    *OBJECT_TYPES,
    "application/json;stream=watch",
    "application/vnd.kubernetes.protobuf;stream=watch",
)
STRATEGIC_MERGE = "application/strategic-merge-patch+json"
_LOG_TYPES = ("text/plain", "application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
_ANY = ("*/*",)

# How each published subresource is served: read/replace/patch, replace only, create, or log.
_SUBRESOURCE_STYLE = {
    "status": "rw", "scale": "rw", "ephemeralcontainers": "rw", "resize": "rw",
    "finalize": "put", "binding": "create", "eviction": "create", "token": "create", "log": "log",
}


@dataclass(frozen=True, slots=True)
class Operation:
    method: str  # get, put, post, patch, delete
    operation_id: str
    description: str
    tag: str
    action: str = ""  # x-kubernetes-action; "" for discovery endpoints
    gvk: GVK | None = None
    params: tuple[Param, ...] = ()
    body: str = ""  # definition name of the request body, "" for none
    consumes: tuple[str, ...] = _ANY
    response: str = ""  # definition name of the answer, "" for plain text
    codes: tuple[str, ...] = ("200",)
    produces: tuple[str, ...] = OBJECT_TYPES


@dataclass(frozen=True, slots=True)
class PathItem:
    path: str
    params: tuple[Param, ...]
    operations: tuple[Operation, ...]

    @property
    def document(self) -> str:
        """The /openapi/v3 document holding this path: ``api/v1``, ``apis/apps/v1``, ``apis``..."""
        parts = [s for s in self.path.split("/") if s]
        size = 2 if parts[0] == "api" else 3 if parts[0] == "apis" else 1
        return "/".join(parts[:size])


@dataclass(frozen=True, slots=True)
class Kinds:
    """Definition names one resource's operations refer to."""

    kind: str  # the resource's own kind
    list: str  # its list kind
    # subresource name -> (group/version/kind, definition) when it serves another kind
    others: Mapping[str, tuple[GVK, str]]
    strategic: bool  # built-in kinds accept strategic merge patches, custom ones do not


def _operation_id_part(text: str, capitalize: bool) -> str:
    out: list[str] = []
    upper = capitalize
    for ch in text:
        if ch in ".-/":
            upper = True
            continue
        out.append(ch.upper() if upper else ch)
        upper = False
    return "".join(out)


def _group_part(group: str) -> str:
    return (group or "core").removesuffix(".k8s.io")


def gv_operation_part(group: str, version: str) -> str:
    """``AppsV1``, ``CoreV1``, ``RbacAuthorizationV1``: the group-version inside operation ids."""
    return _operation_id_part(_group_part(group), True) + _operation_id_part(version, True)


def tag(group: str, version: str = "") -> str:
    """``apps_v1``, ``core_v1``, ``rbacAuthorization_v1`` (or ``apps`` for the group alone)."""
    name = _operation_id_part(_group_part(group), False)
    return f"{name}_{_operation_id_part(version, False)}" if version else name


def discovery_paths(group_versions: list[tuple[str, str]]) -> list[PathItem]:
    """The discovery endpoints: /api/, /apis/, each group and group-version, /version/."""
    def get(path: str, op_id: str, description: str, tag_: str, response: str) -> PathItem:
        op = Operation("get", op_id, description, tag_, response=response, consumes=OBJECT_TYPES)
        return PathItem(path, (), (op,))

    items = [get("/version/", "getCodeVersion", "get the code version", "version", d.VERSION_INFO)]
    groups: list[str] = []
    for group, version in group_versions:
        prefix = f"/apis/{group}" if group else "/api"
        if group not in groups:
            groups.append(group)
            if group:
                items.append(get(f"{prefix}/", f"get{_operation_id_part(_group_part(group), True)}APIGroup",
                                 "get information of a group", tag(group), d.API_GROUP))
            else:
                items.append(get("/api/", "getCoreAPIVersions", "get available API versions", "core",
                                 d.API_VERSIONS))
        items.append(get(f"{prefix}/{version}/", f"get{gv_operation_part(group, version)}APIResources",
                         "get available resources", tag(group, version), d.API_RESOURCE_LIST))
    if any(groups):
        items.append(get("/apis/", "getAPIVersions", "get available API versions", "apis", d.API_GROUP_LIST))
    return items


def resource_paths(rd: ResourceDef, kinds: Kinds) -> list[PathItem]:
    """Every path kube-apiserver serves for one resource, with the operations its verbs allow."""
    return _ResourcePaths(rd, kinds).build()


class _ResourcePaths:
    def __init__(self, rd: ResourceDef, kinds: Kinds) -> None:
        self.rd = rd
        self.kinds = kinds
        self.gvk: GVK = (rd.group, rd.version, rd.kind)
        self.gv = gv_operation_part(rd.group, rd.version)
        self.tag = tag(rd.group, rd.version)
        self.ns = "Namespaced" if rd.namespaced else ""
        prefix = f"/apis/{rd.group}/{rd.version}" if rd.group else f"/api/{rd.version}"
        self.prefix = prefix
        scope = f"{prefix}/namespaces/{{namespace}}" if rd.namespaced else prefix
        self.collection = f"{scope}/{rd.resource}"
        self.scope_params: tuple[Param, ...] = (p.NAMESPACE,) if rd.namespaced else ()
        self.patch_types = ("application/json-patch+json", "application/merge-patch+json") + (
            (STRATEGIC_MERGE,) if kinds.strategic else ()) + ("application/apply-patch+yaml",)

    def op(self, method: str, verb: str, rest: str, description: str, action: str, *,
           gvk: GVK | None = None, params: tuple[Param, ...] = (), body: str = "",
           consumes: tuple[str, ...] = _ANY, response: str = "", codes: tuple[str, ...] = ("200",),
           produces: tuple[str, ...] = OBJECT_TYPES) -> Operation:
        return Operation(method, f"{verb}{self.gv}{rest}", description, self.tag, action, gvk or self.gvk,
                         params, body, consumes, response, codes, produces)

    def build(self) -> list[PathItem]:
        rd, kind, verbs, name = self.rd, self.rd.kind, set(self.rd.verbs), f"{self.ns}{self.rd.kind}"
        own, listing = self.kinds.kind, self.kinds.list
        candidates: tuple[tuple[str, Operation], ...] = (
            ("list", self.op("get", "list", name, f"list or watch objects of kind {kind}", "list",
                             params=p.LIST, response=listing, produces=STREAM_TYPES)),
            ("create", self.op("post", "create", name, f"create a {kind}", "post", params=p.WRITE, body=own,
                               response=own, codes=("200", "201", "202"))),
            ("deletecollection", self.op("delete", "delete", f"Collection{name}",
                                         f"delete collection of {kind}", "deletecollection",
                                         params=p.DELETE_COLLECTION, body=d.DELETE_OPTIONS,
                                         response=d.STATUS)),
        )
        items: list[PathItem] = []
        collection_ops = tuple(op for verb, op in candidates if verb in verbs)
        if collection_ops:
            items.append(PathItem(self.collection, (*self.scope_params, p.PRETTY), collection_ops))
        candidates = (
            ("get", self.op("get", "read", name, f"read the specified {kind}", "get", response=own)),
            ("update", self.op("put", "replace", name, f"replace the specified {kind}", "put", params=p.WRITE,
                               body=own, response=own, codes=("200", "201"))),
            ("patch", self.op("patch", "patch", name, f"partially update the specified {kind}", "patch",
                              params=p.PATCH, body=d.PATCH, consumes=self.patch_types, response=own,
                              codes=("200", "201"))),
            ("delete", self.op("delete", "delete", name, f"delete a {kind}", "delete", params=p.DELETE,
                               body=d.DELETE_OPTIONS, response=d.STATUS, codes=("200", "202"))),
        )
        item_ops = tuple(op for verb, op in candidates if verb in verbs)
        if item_ops:
            item_params = (p.name_param(kind), *self.scope_params, p.PRETTY)
            items.append(PathItem(f"{self.collection}/{{name}}", item_params, item_ops))
        for sub in rd.subresources:
            item = self.subresource(sub)
            if item is not None:
                items.append(item)
        if rd.namespaced and "list" in verbs:
            items.append(PathItem(f"{self.prefix}/{rd.resource}", (*p.LIST, p.PRETTY), (
                self.op("get", "list", f"{kind}ForAllNamespaces", f"list or watch objects of kind {kind}",
                        "list", response=listing, produces=STREAM_TYPES),)))
        if "watch" in verbs:
            items.extend(self.watch_paths())
        return items

    def watch_paths(self) -> list[PathItem]:
        rd, kind = self.rd, self.rd.kind
        scope = f"{self.prefix}/watch/namespaces/{{namespace}}" if rd.namespaced else f"{self.prefix}/watch"
        list_params = (*p.LIST, p.PRETTY)
        deprecated = "deprecated: use the 'watch' parameter with a list operation instead"
        watch_list = self.op("get", "watch", f"{self.ns}{kind}List",
                             f"watch individual changes to a list of {kind}. {deprecated}.", "watchlist",
                             response=d.WATCH_EVENT, produces=STREAM_TYPES)
        watch_one = self.op("get", "watch", f"{self.ns}{kind}",
                            f"watch changes to an object of kind {kind}. {deprecated}, filtered to a single "
                            "item with the 'fieldSelector' parameter.", "watch",
                            response=d.WATCH_EVENT, produces=STREAM_TYPES)
        items = [
            PathItem(f"{scope}/{rd.resource}", (*self.scope_params, *list_params), (watch_list,)),
            PathItem(f"{scope}/{rd.resource}/{{name}}",
                     (p.name_param(kind), *self.scope_params, *list_params), (watch_one,)),
        ]
        if rd.namespaced:
            items.append(PathItem(f"{self.prefix}/watch/{rd.resource}", list_params, (
                self.op("get", "watch", f"{kind}ListForAllNamespaces",
                        f"watch individual changes to a list of {kind}. {deprecated}.", "watchlist",
                        response=d.WATCH_EVENT, produces=STREAM_TYPES),)))
        return items

    def subresource(self, sub: str) -> PathItem | None:
        style = _SUBRESOURCE_STYLE.get(sub)
        if style is None or (style == "create" and sub not in self.kinds.others):
            return None
        kind = self.rd.kind
        gvk, definition = self.kinds.others.get(sub, (self.gvk, self.kinds.kind))
        rest = f"{self.ns}{kind}{sub.capitalize()}"
        path = f"{self.collection}/{{name}}/{sub}"
        params = (p.name_param(gvk[2]), *self.scope_params, p.PRETTY)
        ops: tuple[Operation, ...]
        if style == "rw":
            ops = (
                self.op("get", "read", rest, f"read {sub} of the specified {kind}", "get", gvk=gvk,
                        response=definition),
                self.op("put", "replace", rest, f"replace {sub} of the specified {kind}", "put", gvk=gvk,
                        params=p.WRITE, body=definition, response=definition, codes=("200", "201")),
                self.op("patch", "patch", rest, f"partially update {sub} of the specified {kind}", "patch",
                        gvk=gvk, params=p.PATCH, body=d.PATCH, consumes=self.patch_types, response=definition,
                        codes=("200", "201")),
            )
        elif style == "put":
            ops = (self.op("put", "replace", rest, f"replace {sub} of the specified {kind}", "put", gvk=gvk,
                           params=p.WRITE, body=definition, response=definition, codes=("200", "201")),)
        elif style == "create":
            ops = (self.op("post", "create", rest, f"create {sub} of a {kind}", "post", gvk=gvk,
                           params=p.WRITE, body=definition, response=definition,
                           codes=("200", "201", "202")),)
        else:
            ops = (self.op("get", "read", rest, f"read {sub} of the specified {kind}", "get", gvk=gvk,
                           params=p.LOG, produces=_LOG_TYPES),)
        return PathItem(path, params, ops)
