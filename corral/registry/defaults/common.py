"""Pieces of defaulting that every API group uses.

Filling fields the way Go sees them unset (:func:`fill`, :func:`struct`), and two things
about what kube-apiserver prints rather than stores: an embedded ``ObjectMeta`` (pod and
claim templates) carries ``creationTimestamp: null`` in 1.33 output, and a resource list
is rounded up to milli precision and printed as canonical quantities.
"""

from __future__ import annotations

from typing import Any

from corral.machinery.quantity import MILLI, canonical_text


def struct(holder: dict[str, Any], name: str) -> dict[str, Any]:
    """A struct-valued field, created when absent or null (Go's zero struct). A malformed
    value is left for validation to report; the caller then fills a detached dict."""
    if holder.get(name) is None:
        holder[name] = {}
    value = holder[name]
    return value if isinstance(value, dict) else {}


def embedded_meta(holder: dict[str, Any]) -> dict[str, Any]:
    """The ``metadata`` of an embedded object, as kube 1.33 serializes it."""
    meta = struct(holder, "metadata")
    meta.setdefault("creationTimestamp", None)
    return meta


def round_resources(holder: dict[str, Any], *fields: str) -> None:
    """SetDefaults_ResourceList on ``holder[field]`` for each field present."""
    for name in fields:
        resources = holder.get(name)
        if isinstance(resources, dict):
            for resource, amount in resources.items():
                resources[resource] = canonical_text(amount, MILLI)


def canonical_quantity(holder: dict[str, Any], name: str) -> None:
    """A single quantity field, printed canonically when present."""
    if name in holder and holder[name] is not None:
        holder[name] = canonical_text(holder[name])


def sub(holder: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    """``holder[name]`` when it is an object, else None (absent, null or malformed)."""
    value = holder.get(name) if holder is not None else None
    return value if isinstance(value, dict) else None


def fill(holder: dict[str, Any], name: str, value: Any) -> None:
    """Default a field the way Go sees it unset: absent or null, and for strings also empty
    (0 and false are explicit values of pointer fields)."""
    current = holder.get(name)
    if current is None or (isinstance(value, str) and current == ""):
        holder[name] = value
