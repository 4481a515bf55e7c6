"""Definitions for served kinds that Kubernetes itself does not define (custom resources):
named the way kube-apiserver names them (``com.example.stable.v1.CronTab``), built from the
CRD's ``openAPIV3Schema`` when there is one, else open to any field."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from corral.schema.convert import schema_v3
from corral.schema.definitions import LIST_META, OBJECT_META, V2_REF, Schema

_API_VERSION = ("APIVersion defines the versioned schema of this representation of an object. Servers "
                "should convert recognized schemas to the latest internal value, and may reject "
                "unrecognized values. More info: https://git.k8s.io/community/contributors/devel/"
                "sig-architecture/api-conventions.md#resources")
_KIND = ("Kind is a string value representing the REST resource this object represents. Servers may "
         "infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. "
         "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/"
         "api-conventions.md#types-kinds")
_METADATA = ("Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/"
             "sig-architecture/api-conventions.md#metadata")
# keywords OpenAPI 3 has and Swagger 2.0 lacks: dropped from the v2 document
_V3_ONLY = ("nullable", "anyOf", "oneOf", "not", "allOf")


def definition_name(group: str, version: str, kind: str) -> str:
    """``stable.example.com``/``v1``/``CronTab`` -> ``com.example.stable.v1.CronTab``."""
    return ".".join([*reversed(group.split(".")), version, kind]) if group else f"{version}.{kind}"


def definitions(group: str, version: str, kind: str,
                schema: Mapping[str, Any] | None) -> tuple[dict[str, Schema], dict[str, Schema]]:
    """The v2 and v3 definitions of one custom kind and of its list, by name."""
    name = definition_name(group, version, kind)
    body: Schema = copy.deepcopy(dict(schema)) if schema else {"x-kubernetes-preserve-unknown-fields": True}
    body.setdefault("type", "object")
    body["properties"] = {
        **body.get("properties", {}),
        "apiVersion": {"description": _API_VERSION, "type": "string"},
        "kind": {"description": _KIND, "type": "string"},
        "metadata": {"$ref": V2_REF + OBJECT_META, "description": _METADATA},
    }
    body["x-kubernetes-group-version-kind"] = [{"group": group, "kind": kind, "version": version}]
    listing: Schema = {
        "description": f"{kind}List is a list of {kind}",
        "properties": {
            "apiVersion": {"description": _API_VERSION, "type": "string"},
            "items": {"description": f"List of {kind.lower()}s.", "items": {"$ref": V2_REF + name},
                      "type": "array"},
            "kind": {"description": _KIND, "type": "string"},
            "metadata": {"$ref": V2_REF + LIST_META, "description": _METADATA},
        },
        "required": ["items"],
        "type": "object",
        "x-kubernetes-group-version-kind": [{"group": group, "kind": kind + "List", "version": version}],
    }
    list_name = name + "List"
    v2 = {name: _v2_only(body), list_name: listing}
    v3 = {name: schema_v3(body), list_name: schema_v3(listing)}
    return v2, v3


def _v2_only(schema: Schema) -> Schema:
    out = {k: v for k, v in schema.items() if k not in _V3_ONLY}
    if "properties" in out:
        out["properties"] = {n: _v2_only(s) for n, s in out["properties"].items()}
    for key in ("items", "additionalProperties"):
        if isinstance(out.get(key), dict):
            out[key] = _v2_only(out[key])
    return out
