"""Turns definitions from their OpenAPI v2 form into the OpenAPI 3.0 form kube-apiserver
publishes under /openapi/v3: refs point into ``#/components/schemas/``, a ref with
sibling keywords is wrapped in a one-element ``allOf`` (a 3.0 ref may not have siblings),
and IntOrString and Quantity list their alternatives with ``oneOf``."""

from __future__ import annotations

from typing import Any

from corral.schema.definitions import INT_OR_STRING, QUANTITY, V3_REF, Schema, ref_name

_ONE_OF: dict[str, list[Schema]] = {
    INT_OR_STRING: [{"type": "integer"}, {"type": "string"}],
    QUANTITY: [{"type": "string"}, {"type": "number"}],
}
_NESTED_MAPS = ("properties",)
_NESTED_ONE = ("items", "additionalProperties", "not")
_NESTED_LISTS = ("allOf", "anyOf", "oneOf")


def definition_v3(name: str, schema: Schema) -> Schema:
    """The v3 form of the definition called ``name``."""
    out = schema_v3(schema)
    alternatives = _ONE_OF.get(name)
    if alternatives is not None:
        out.pop("type", None)
        out["oneOf"] = [dict(a) for a in alternatives]
    return out


def schema_v3(schema: Schema) -> Schema:
    """A converted copy of one v2 schema (the input is left as it is)."""
    out: Schema = {}
    for key, value in schema.items():
        if key == "$ref":
            continue
        out[key] = _nested_v3(key, value)
    ref = schema.get("$ref")
    if ref is not None:
        target = {"$ref": V3_REF + ref_name(ref)}
        if out:
            out["allOf"] = [target]
        else:
            out = target
    return out


def _nested_v3(key: str, value: Any) -> Any:
    if key in _NESTED_MAPS and isinstance(value, dict):
        return {name: schema_v3(sub) for name, sub in value.items()}
    if key in _NESTED_ONE and isinstance(value, dict):
        return schema_v3(value)
    if key in _NESTED_LISTS and isinstance(value, list):
        return [schema_v3(sub) for sub in value]
    return value
