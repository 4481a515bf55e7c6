"""A CRD's ``openAPIV3Schema`` compiled once into a tree the hot paths walk: validation
of custom objects, defaulting and the removal of nulls (kube's structural schema plus the
go-openapi schema it validates with).

The raw schema has passed CRD validation by the time it is compiled, so compiling
trusts its shape and only guards against values of the wrong JSON type.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from corral.registry.custom.formats import supported


class _Missing:
    """Marks an absent default (a default may be JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def _number(raw: Mapping[str, Any], key: str) -> float | None:
    value = raw.get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pattern(text: str) -> re.Pattern[str] | None:
    try:
        return re.compile(text)
    except re.error:
        return None


class Schema:
    """One schema node. ``types`` is empty when the node does not constrain the type
    (``x-kubernetes-preserve-unknown-fields`` alone), two for int-or-string."""

    __slots__ = (
        "additional", "all_of", "any_of", "default", "embedded", "enum", "exclusive_maximum",
        "exclusive_minimum", "format", "int_or_string", "items", "list_map_keys", "list_type", "max_items",
        "max_length", "max_properties", "maximum", "min_items", "min_length", "min_properties", "minimum",
        "multiple_of", "not_", "nullable", "one_of", "pattern", "pattern_text", "preserve", "properties",
        "required", "types", "unique_items",
    )

    def __init__(self, raw: Mapping[str, Any]) -> None:
        kind = raw.get("type")
        self.int_or_string = raw.get("x-kubernetes-int-or-string") is True
        self.types: tuple[str, ...] = ("integer", "string") if self.int_or_string else (
            (kind,) if isinstance(kind, str) and kind else ())
        self.format = supported(str(raw.get("format") or ""))
        self.nullable = raw.get("nullable") is True
        self.default: Any = raw.get("default", MISSING)
        self.preserve = raw.get("x-kubernetes-preserve-unknown-fields") is True
        self.embedded = raw.get("x-kubernetes-embedded-resource") is True
        props = raw.get("properties")
        self.properties: dict[str, Schema] = (
            {k: Schema(v) for k, v in props.items() if isinstance(v, Mapping)} if isinstance(props, Mapping)
            else {})
        items = raw.get("items")
        self.items = Schema(items) if isinstance(items, Mapping) else None
        extra = raw.get("additionalProperties")
        # None: not given; False: no other fields allowed; a Schema: the schema of every other field
        self.additional: Schema | bool | None = (
            Schema(extra) if isinstance(extra, Mapping) else extra if isinstance(extra, bool) else None)
        required = raw.get("required")
        self.required: tuple[str, ...] = tuple(r for r in required if isinstance(r, str)) \
            if isinstance(required, list) else ()
        enum = raw.get("enum")
        self.enum: list[Any] | None = list(enum) if isinstance(enum, list) else None
        self.maximum = _number(raw, "maximum")
        self.minimum = _number(raw, "minimum")
        self.exclusive_maximum = raw.get("exclusiveMaximum") is True
        self.exclusive_minimum = raw.get("exclusiveMinimum") is True
        self.multiple_of = _number(raw, "multipleOf")
        self.max_length = _count(raw, "maxLength")
        self.min_length = _count(raw, "minLength")
        self.max_items = _count(raw, "maxItems")
        self.min_items = _count(raw, "minItems")
        self.max_properties = _count(raw, "maxProperties")
        self.min_properties = _count(raw, "minProperties")
        self.unique_items = raw.get("uniqueItems") is True
        self.pattern_text = str(raw.get("pattern") or "")
        self.pattern = _pattern(self.pattern_text) if self.pattern_text else None
        self.all_of = _list(raw, "allOf")
        self.any_of = _list(raw, "anyOf")
        self.one_of = _list(raw, "oneOf")
        negated = raw.get("not")
        self.not_ = Schema(negated) if isinstance(negated, Mapping) else None
        list_type = raw.get("x-kubernetes-list-type")
        self.list_type = list_type if isinstance(list_type, str) else ""
        keys = raw.get("x-kubernetes-list-map-keys")
        self.list_map_keys: tuple[str, ...] = tuple(k for k in keys if isinstance(k, str)) \
            if isinstance(keys, list) else ()

    def field(self, name: str) -> Schema | None:
        """The schema of one field of an object: a property, or the additionalProperties."""
        found = self.properties.get(name)
        if found is not None:
            return found
        return self.additional if isinstance(self.additional, Schema) else None

    def default_copy(self) -> Any:
        return copy.deepcopy(self.default)


def _list(raw: Mapping[str, Any], key: str) -> tuple[Schema, ...]:
    value = raw.get(key)
    return tuple(Schema(s) for s in value if isinstance(s, Mapping)) if isinstance(value, list) else ()
