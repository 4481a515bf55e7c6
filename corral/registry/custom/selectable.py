"""Field selectors on custom resources (``selectableFields`` of a CRD version): the value
each declared JSONPath reads in an object, as the string kube's field sets hold
(``fmt.Sprint`` of the value, "" when the field is missing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corral.patch.gofmt import go_value
from corral.registry.custom.jsonpath import JSONPath, JSONPathError

FieldValues = Callable[[dict[str, Any]], dict[str, str]]


def field_name(json_path: str) -> str:
    """The name a field selector uses for a selectable field: the path without its dot."""
    return json_path.removeprefix(".")


def field_values(json_paths: tuple[str, ...]) -> FieldValues:
    """A function giving an object's values of the selectable fields, by field name."""
    compiled: list[tuple[str, JSONPath | None]] = []
    for path in json_paths:
        try:
            compiled.append((field_name(path), JSONPath(path)))
        except JSONPathError:
            compiled.append((field_name(path), None))

    def values(obj: dict[str, Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, path in compiled:
            try:
                found = path.find(obj) if path is not None else []
            except JSONPathError:
                found = []
            out[name] = go_value(found[0]) if found and found[0] is not None else ""
        return out

    return values
