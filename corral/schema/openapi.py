"""The OpenAPI documents kube-apiserver serves: /openapi/v2 (Swagger 2.0), the /openapi/v3
discovery index, and one OpenAPI 3.0 document per group-version (plus the small ones for
/api, /apis, each group and /version).

kubectl depends on them: ``kubectl explain`` reads a kind's schema from the v3 document of
its group-version, ``kubectl apply`` takes strategic-merge keys from it, and kubectl only
sends ``fieldValidation`` when that group-version's PATCH operations declare it.

Documents are built on first request, not at start, and kept as bytes with their hashes
until :meth:`OpenAPI.reset` changes the served resources; v3 documents whose
group-version did not change are kept across a reset.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from corral.registry.resources import ResourceDef
from corral.schema import custom
from corral.schema import definitions as d
from corral.schema.convert import definition_v3
from corral.schema.definitions import GVK, Schema
from corral.schema.paths import Kinds, PathItem, discovery_paths, resource_paths
from corral.schema.render import SwaggerPaths, referenced, v3_paths

_INFO = {"title": "Kubernetes", "version": d.KUBE_VERSION}
_SECURITY: list[dict[str, list[str]]] = [{"BearerToken": []}]
_BEARER = {"BearerToken": {"description": "Bearer Token authentication", "in": "header",
                           "name": "authorization", "type": "apiKey"}}
# kinds that subresources serve when they are not the resource's own
_SUBRESOURCE_KINDS: dict[str, GVK] = {
    "Scale": ("autoscaling", "v1", "Scale"),
    "Eviction": ("policy", "v1", "Eviction"),
    "TokenRequest": ("authentication.k8s.io", "v1", "TokenRequest"),
    "Binding": ("", "v1", "Binding"),
}
_DUMP = orjson.OPT_SORT_KEYS


def content_hash(document: bytes) -> str:
    """The hash kube-apiserver gives a document: upper-case hex SHA-512."""
    return hashlib.sha512(document).hexdigest().upper()


class OpenAPI:
    def __init__(self, resources: Iterable[ResourceDef],
                 custom_schemas: Mapping[GVK, Mapping[str, Any]] | None = None) -> None:
        self._resources: list[ResourceDef] = []
        self._custom: dict[GVK, bytes] = {}
        self._v3: dict[str, tuple[bytes, str]] = {}  # document key -> (document, hash)
        self._signatures: dict[str, Any] = {}
        self._v2: tuple[bytes, str] | None = None
        self._index: bytes | None = None
        self.reset(resources, custom_schemas)

    def reset(self, resources: Iterable[ResourceDef],
              custom_schemas: Mapping[GVK, Mapping[str, Any]] | None = None) -> None:
        """Serve a new resource list; ``custom_schemas`` maps (group, version, kind) of custom
        resources to their CRD ``openAPIV3Schema``. Documents are rebuilt when next asked for."""
        self._resources = list(resources)
        self._custom = {gvk: orjson.dumps(dict(s), option=_DUMP) for gvk, s in (custom_schemas or {}).items()}
        signatures = self._document_signatures()
        self._v3 = {key: doc for key, doc in self._v3.items()
                    if self._signatures.get(key) == signatures.get(key)}
        self._signatures = signatures
        self._v2 = None
        self._index = None

    # ----- public documents ----------------------------------------------------------

    def v2(self) -> bytes:
        """The Swagger 2.0 document of /openapi/v2."""
        return self._swagger()[0]

    def v2_etag(self) -> str:
        return self._swagger()[1]

    def v3_index(self) -> bytes:
        """The /openapi/v3 document: each document's path with its hash as a cache buster."""
        if self._index is None:
            self._build_v3()
            paths = {key: {"serverRelativeURL": f"/openapi/v3/{key}?hash={digest}"}
                     for key, (_, digest) in self._v3.items()}
            self._index = orjson.dumps({"paths": paths}, option=_DUMP)
        return self._index

    def v3(self, gv_path: str) -> bytes | None:
        """The OpenAPI 3.0 document for ``api/v1``, ``apis/<group>/<version>`` (or ``api``,
        ``apis``, ``apis/<group>``, ``version``); None when nothing is served there."""
        entry = self._v3_entry(gv_path)
        return entry[0] if entry else None

    def v3_hash(self, gv_path: str) -> str | None:
        """The hash the index publishes for one v3 document (its ``?hash=`` and ETag)."""
        entry = self._v3_entry(gv_path)
        return entry[1] if entry else None

    # ----- building ---------------------------------------------------------------

    def _v3_entry(self, gv_path: str) -> tuple[bytes, str] | None:
        key = gv_path.strip("/")
        if key not in self._signatures:
            return None
        self._build_v3()
        return self._v3.get(key)

    def _document_signatures(self) -> dict[str, Any]:
        """What each v3 document depends on, to tell which survive a reset unchanged."""
        signatures: dict[str, Any] = {"version": "version"}
        for rd in self._resources:
            root = f"apis/{rd.group}" if rd.group else "api"
            signatures.setdefault(root, root)
            if rd.group:
                signatures.setdefault("apis", "apis")
            key = f"{root}/{rd.version}"
            entry = (rd, self._custom.get((rd.group, rd.version, rd.kind), b""))
            signatures[key] = (*signatures.get(key, ()), entry)
        return signatures

    def _prepare(self) -> tuple[dict[str, Schema], dict[str, Schema], dict[str, list[PathItem]]]:
        """v2 definitions, v3 forms of the custom ones, and the path items of each document."""
        defs = d.load()
        v3_custom: dict[str, Schema] = {}
        index = d.gvk_index(defs)
        group_versions: list[tuple[str, str]] = []
        items: list[PathItem] = []
        for rd in self._resources:
            if (rd.group, rd.version) not in group_versions:
                group_versions.append((rd.group, rd.version))
            items.extend(resource_paths(rd, self._kinds(rd, index, defs, v3_custom)))
        items[:0] = discovery_paths(group_versions)
        by_document: dict[str, list[PathItem]] = {}
        for item in items:
            by_document.setdefault(item.document, []).append(item)
        return defs, v3_custom, by_document

    def _kinds(self, rd: ResourceDef, index: dict[GVK, str], defs: dict[str, Schema],
               v3_custom: dict[str, Schema]) -> Kinds:
        gvk = (rd.group, rd.version, rd.kind)
        schema = self._custom.get(gvk)
        builtin = index.get(gvk) if schema is None else None
        if builtin is not None:
            kind, listing = builtin, index.get((rd.group, rd.version, rd.list_kind), "")
        else:
            v2, v3 = custom.definitions(*gvk, orjson.loads(schema) if schema else None)
            defs.update(v2)
            v3_custom.update(v3)
            kind, listing = custom.definition_name(*gvk), custom.definition_name(*gvk) + "List"
        others: dict[str, tuple[GVK, str]] = {}
        for sub, sub_kind in rd.subresources.items():
            sub_gvk = _SUBRESOURCE_KINDS.get(sub_kind)
            if sub_gvk is not None and sub_gvk in index:
                others[sub] = (sub_gvk, index[sub_gvk])
        return Kinds(kind, listing, others, strategic=builtin is not None)

    def _build_v3(self) -> None:
        missing = [key for key in self._signatures if key not in self._v3]
        if not missing:
            return
        defs, v3_custom, by_document = self._prepare()
        converted: dict[str, Schema] = {}
        for key in missing:
            items = by_document.get(key, [])
            schemas = {}
            for name in d.closure(defs, referenced(items)):
                if name not in converted:
                    converted[name] = v3_custom.get(name) or definition_v3(name, defs[name])
                schemas[name] = converted[name]
            document = orjson.dumps({
                "components": {"schemas": schemas, "securitySchemes": _BEARER},
                "info": _INFO,
                "openapi": "3.0.0",
                "paths": v3_paths(items),
                "security": _SECURITY,
            }, option=_DUMP)
            self._v3[key] = (document, content_hash(document))
        self._v3 = {key: self._v3[key] for key in sorted(self._v3)}
        self._index = None

    def _swagger(self) -> tuple[bytes, str]:
        if self._v2 is None:
            defs, _, by_document = self._prepare()
            paths = SwaggerPaths()
            roots: set[str] = set()
            for items in by_document.values():
                paths.add(items)
                roots |= referenced(items)
            document = orjson.dumps({
                "definitions": {name: defs[name] for name in d.closure(defs, roots)},
                "info": _INFO,
                "parameters": paths.parameters,
                "paths": paths.paths,
                "security": _SECURITY,
                "securityDefinitions": _BEARER,
                "swagger": "2.0",
            }, option=_DUMP)
            self._v2 = (document, content_hash(document))
        return self._v2
