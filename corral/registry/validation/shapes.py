"""Reading JSON-shaped objects defensively: a request body may hold a string where an
object belongs, and defaulting and validation must not crash on it (schema checks
report such mistakes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def section(holder: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    """``holder[name]`` when it is an object, else an empty one."""
    value = holder.get(name) if isinstance(holder, Mapping) else None
    return value if isinstance(value, dict) else {}


def entries(holder: Mapping[str, Any] | None, name: str) -> list[dict[str, Any]]:
    """The object entries of the list ``holder[name]`` (absent or malformed: none)."""
    value = holder.get(name) if isinstance(holder, Mapping) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
