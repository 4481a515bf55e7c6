"""Schema defaults of custom objects (apiextensions' structural defaulting): a field that
is missing, or null where null is not allowed, gets a copy of its ``default``; then the
nulls that have neither ``nullable`` nor a default are dropped, as kube drops them while
decoding. Both run on every write (with the schema of the request's version) and on
every read of a stored object (with the storage version's schema)."""

from __future__ import annotations

from typing import Any

from corral.registry.custom.structural import MISSING, Schema


def _null_not_allowed(value: Any, schema: Schema | None) -> bool:
    return value is None and schema is not None and not schema.nullable


def apply_defaults(value: Any, schema: Schema | None) -> None:
    """Fill in defaults below ``value`` (an object or list, changed in place)."""
    if schema is None:
        return
    if isinstance(value, dict):
        for name, prop in schema.properties.items():
            if prop.default is not MISSING and (name not in value or _null_not_allowed(value[name], prop)):
                value[name] = prop.default_copy()
        for key in list(value):
            child = schema.properties.get(key)
            if child is None and isinstance(schema.additional, Schema):
                child = schema.additional
                if _null_not_allowed(value[key], child) and child.default is not MISSING:
                    value[key] = child.default_copy()
            apply_defaults(value[key], child)
    elif isinstance(value, list) and schema.items is not None:
        for i, item in enumerate(value):
            if _null_not_allowed(item, schema.items) and schema.items.default is not MISSING:
                value[i] = schema.items.default_copy()
            apply_defaults(value[i], schema.items)


def drop_nulls(value: Any, schema: Schema | None) -> None:
    """Remove null fields whose schema neither allows null nor has a default."""
    if isinstance(value, dict):
        for key in list(value):
            child = schema.field(key) if schema is not None else None
            if value[key] is None and child is not None and not child.nullable and child.default is MISSING:
                del value[key]
            else:
                drop_nulls(value[key], child)
    elif isinstance(value, list):
        items = schema.items if schema is not None else None
        for item in value:
            drop_nulls(item, items)
