"""The Kubernetes 1.33 type definitions (the JSON Schema kubernetes-validate ships), used
as a source independent of the protobuf table: to check the table's JSON names and types,
and to build sample objects that fill every field of a type for kubectl to encode.
"""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import orjson

_REF = "#/$defs/"
TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
FIELDS_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"


@cache
def definitions() -> dict[str, Any]:
    path = (Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / "v1.33.0-local"
            / "_definitions.json")
    defs: dict[str, Any] = orjson.loads(path.read_bytes())["$defs"]
    return defs


def ref(schema: dict[str, Any]) -> str | None:
    """The definition a property schema refers to, if any."""
    target = schema.get("$ref") or next((s["$ref"] for s in schema.get("allOf", []) if "$ref" in s), None)
    return target.removeprefix(_REF) if target else None


def types(schema: dict[str, Any]) -> set[str]:
    found = schema.get("type", [])
    return {found} if isinstance(found, str) else set(found) - {"null"}


class Sampler:
    """Builds objects with every field set: distinct non-zero values, or all-zero ones."""

    def __init__(self, zero: bool) -> None:
        self.zero = zero
        self._count = itertools.count(1)

    def definition(self, name: str) -> Any:
        defs = definitions()
        if name in (TIME, MICRO_TIME):
            n = 0 if self.zero else next(self._count)
            return f"2024-05-06T07:08:{n % 60:02d}" + (".123456Z" if name == MICRO_TIME else "Z")
        if name == QUANTITY:
            return "0" if self.zero else f"{next(self._count)}001m"
        if name == INT_OR_STRING:
            if self.zero:
                return 0
            n = next(self._count)
            return n if n % 2 else f"p{n}"
        if name == FIELDS_V1:
            return {"f:metadata": {"f:labels": {}}}
        props = defs[name].get("properties", {})
        return {key: self.value(schema) for key, schema in props.items() if key not in ("apiVersion", "kind")}

    def value(self, schema: dict[str, Any]) -> Any:
        target = ref(schema)
        if target is not None:
            return self.definition(target)
        kinds = types(schema)
        if "array" in kinds:
            return [self.value(schema["items"])]
        if "object" in kinds:
            return {"key": self.value(schema["additionalProperties"])}
        if "boolean" in kinds:
            return not self.zero
        if "integer" in kinds:
            return 0 if self.zero else next(self._count)
        if schema.get("format") == "byte":
            return "" if self.zero else "YWJj"
        assert kinds == {"string"}, schema
        return "" if self.zero else f"s{next(self._count)}"
