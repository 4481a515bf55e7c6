"""Table output of custom resources (apiextensions' tableconvertor): the Name column, then
the version's ``additionalPrinterColumns``, or Age when it declares none. Cells are read
with each column's JSONPath and typed by the column's type, as kube types them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from corral.patch.gofmt import go_value
from corral.registry.custom.jsonpath import JSONPath, JSONPathError
from corral.registry.printers.cells import NAME, Obj, Printer, column, doc, elapsed, name, timestamp

AGE_COLUMN: Mapping[str, Any] = {"name": "Age", "type": "date", "description": doc("ObjectMeta.creationTimestamp"),
                                 "jsonPath": ".metadata.creationTimestamp"}


@dataclass(frozen=True, slots=True)
class Column:
    """One additionalPrinterColumn of a CRD version."""

    name: str
    type: str
    json_path: str
    format: str = ""
    description: str = ""
    priority: int = 0

    @classmethod
    def from_crd(cls, raw: Mapping[str, Any]) -> Column:
        return cls(str(raw.get("name") or ""), str(raw.get("type") or ""), str(raw.get("jsonPath") or ""),
                   str(raw.get("format") or ""), str(raw.get("description") or ""), int(raw.get("priority") or 0))


def _go_json(value: Any) -> str:
    """encoding/json's compact form: sorted keys, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cell(kind: str, value: Any, now: datetime) -> Any:
    """cellForJSONValue: a value of the column's type, or None (kubectl prints <none>)."""
    if value is None:
        return None
    if kind == "string":
        return _go_json(value) if isinstance(value, dict | list) else value if isinstance(value, str) \
            else go_value(value)
    if kind == "integer" and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, str):
        when = timestamp(value)
        return elapsed(None, now) if not value else "<invalid>" if when is None else elapsed(when, now)
    return None


def build_printer(columns: tuple[Column, ...]) -> Printer:
    """The Printer of one CRD version (columns as defaulted: Age when none are declared)."""
    paths: list[JSONPath | None] = []
    definitions = [NAME]
    for col in columns:
        try:
            paths.append(JSONPath(col.json_path))
        except JSONPathError:
            paths.append(None)  # kube would refuse to serve; the column stays empty instead
        description = col.description or f"Custom resource definition column (in JSONPath format): {col.json_path}"
        definitions.append(column(col.name, col.type, description, priority=col.priority, fmt=col.format))

    def row(obj: Obj, now: datetime) -> list[Any]:
        cells: list[Any] = [name(obj)]
        for col, path in zip(columns, paths, strict=True):
            try:
                found = path.find(obj) if path is not None else []
            except JSONPathError:
                found = []
            cells.append(_cell(col.type, found[0], now) if found else None)
        return cells

    return Printer(tuple(definitions), row)
