"""Helpers for the validation tests: run the store's order (defaults, then validation)
and show causes the way kube-apiserver's Invalid message does."""

from __future__ import annotations

import copy
from typing import Any

from corral.machinery.errors import Cause
from corral.registry.builtins import BUILTINS
from corral.registry.defaults import apply_defaults
from corral.registry.validation import validate

RESOURCES = {(rd.group, rd.kind): rd for rd in BUILTINS}
UID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def meta(name: str, namespace: str | None = "default", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "uid": UID, "creationTimestamp": "2025-05-01T10:00:00Z", **extra}
    if namespace is not None:
        out["namespace"] = namespace
    return out


def check(group: str, kind: str, obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[Cause]:
    """Default a copy of ``obj`` as the store would and validate it."""
    obj = copy.deepcopy(obj)
    apply_defaults(group, kind, obj)
    return validate(RESOURCES[(group, kind)], obj, old)


def messages(group: str, kind: str, obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    """The causes as ``field: message``, the text kubectl prints for each."""
    return [f"{c.field}: {c.message}" if c.field else c.message for c in check(group, kind, obj, old)]


def stored(group: str, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` as created: defaulted, and known to be valid."""
    obj = copy.deepcopy(obj)
    apply_defaults(group, kind, obj)
    causes = validate(RESOURCES[(group, kind)], obj, None)
    assert causes == [], causes
    return obj
