"""The Kubernetes 1.33 type definitions, read from the JSON Schema file that the
``kubernetes-validate`` package ships, and put into the shape kube-apiserver publishes in
its OpenAPI v2 document.

The file is read on demand and nothing here keeps it: callers build what they need (the
OpenAPI documents, the compact field trees for unknown-field detection) and let the
parsed definitions go, so an idle server does not carry them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

Schema = dict[str, Any]
GVK = tuple[str, str, str]  # (group, version, kind)

KUBE_VERSION = "v1.33.0"
_SCHEMA_DIR = "v1.33.0-local"
_DEFS_REF = "#/$defs/"
V2_REF = "#/definitions/"
V3_REF = "#/components/schemas/"

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
WATCH_EVENT = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"
API_RESOURCE_LIST = "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList"
API_GROUP = "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup"
API_GROUP_LIST = "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList"
API_VERSIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions"
VERSION_INFO = "io.k8s.apimachinery.pkg.version.Info"

# The JSON Schema file writes these two as oneOf without a description; kube-apiserver
# publishes them as below (v3 adds the oneOf alternatives, see corral.schema.convert).
_SPECIAL: dict[str, Schema] = {
    INT_OR_STRING: {
        "description": "IntOrString is a type that can hold an int32 or a string. When used in JSON or "
                       "YAML marshalling and unmarshalling, it produces or consumes the inner type. This "
                       "allows you to have, for example, a JSON field that can accept a name or number.",
        "format": "int-or-string",
        "type": "string",
    },
    QUANTITY: {
        "description": "Quantity is a fixed-point representation of a number, written as a string such "
                       "as \"100m\", \"1.5Gi\" or \"2\": a signed decimal number followed by an optional "
                       "suffix, either a binary SI suffix (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix "
                       "(n, u, m, \"\", k, M, G, T, P, E) or a decimal exponent (e3, E6). Servers "
                       "serialize quantities in canonical form.",
        "type": "string",
    },
}


def _definitions_file() -> Path:
    # found through the package's __file__ without importing it: its import pulls in
    # jsonschema, some 8 MB the server has no use for
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or spec.origin is None:
        raise RuntimeError("the kubernetes-validate package is not installed")
    return Path(spec.origin).resolve().parent / "kubernetes-json-schema" / _SCHEMA_DIR / "_definitions.json"


def load() -> dict[str, Schema]:
    """A fresh copy of every definition, in OpenAPI v2 form (refs ``#/definitions/...``)."""
    raw: dict[str, Schema] = orjson.loads(_definitions_file().read_bytes())["$defs"]
    for name, schema in raw.items():
        if name in _SPECIAL:
            raw[name] = dict(_SPECIAL[name])
            continue
        _normalise(schema)
        props = schema.get("properties")
        if props is not None:
            # kubernetes-validate pins apiVersion and kind with an enum; kube does not
            for meta in ("apiVersion", "kind"):
                if meta in props:
                    props[meta].pop("enum", None)
    return raw


def _normalise(schema: Schema) -> None:
    """In place: nullable type lists become plain types and refs point at definitions."""
    kind = schema.get("type")
    if isinstance(kind, list):
        plain = [t for t in kind if t != "null"]
        schema["type"] = plain[0] if plain else "object"
    ref = schema.get("$ref")
    if ref is not None:
        schema["$ref"] = V2_REF + ref.removeprefix(_DEFS_REF)
    for sub in subschemas(schema):
        _normalise(sub)


def subschemas(schema: Mapping[str, Any]) -> Iterator[Schema]:
    """The schemas directly nested in one schema (properties, items, maps, combinators)."""
    props = schema.get("properties")
    if props:
        yield from props.values()
    items = schema.get("items")
    if isinstance(items, dict):
        yield items
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield extra
    for combinator in ("allOf", "anyOf", "oneOf"):
        alternatives = schema.get(combinator)
        if alternatives:
            yield from alternatives
    negated = schema.get("not")
    if isinstance(negated, dict):
        yield negated


def ref_name(ref: str) -> str:
    """The definition name a ``$ref`` in any of the three forms points at."""
    return ref.rpartition("/")[2]


def refs(schema: Mapping[str, Any]) -> Iterator[str]:
    """Names of the definitions one schema refers to, anywhere inside it."""
    ref = schema.get("$ref")
    if ref is not None:
        yield ref_name(ref)
    for sub in subschemas(schema):
        yield from refs(sub)


def closure(definitions: Mapping[str, Schema], roots: Iterable[str]) -> list[str]:
    """Sorted names of the roots and of every definition reachable from them."""
    seen: set[str] = set()
    pending = [r for r in roots if r in definitions]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(r for r in refs(definitions[name]) if r not in seen and r in definitions)
    return sorted(seen)


def gvk_index(definitions: Mapping[str, Schema]) -> dict[GVK, str]:
    """Definition name of each group/version/kind, from ``x-kubernetes-group-version-kind``."""
    index: dict[GVK, str] = {}
    for name, schema in definitions.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", ()):
            index.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return index

