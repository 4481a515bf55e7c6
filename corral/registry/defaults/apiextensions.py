"""Defaults of CustomResourceDefinition (apiextensions/v1 defaults.go) and the status
kube's CRD strategy gives a new definition: its storage version recorded, no names
accepted yet."""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import fill, struct, sub
from corral.registry.validation.shapes import entries


def default_crd(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    if not isinstance(spec, dict):
        return
    names = struct(spec, "names")
    if isinstance(names, dict):
        kind = str(names.get("kind") or "")
        if not names.get("singular"):
            names["singular"] = kind.lower()
        if not names.get("listKind") and kind:
            names["listKind"] = kind + "List"
    conversion = spec.get("conversion")
    if not isinstance(conversion, dict):
        conversion = spec["conversion"] = {"strategy": "None"}
    webhook = sub(conversion, "webhook")
    service = sub(sub(webhook, "clientConfig") or {}, "service") if webhook is not None else None
    if service is not None:
        fill(service, "port", 443)
    if "status" not in obj:
        storage = [v.get("name") for v in entries(spec, "versions") if v.get("storage")]
        obj["status"] = {"acceptedNames": {"kind": "", "plural": ""}, "storedVersions": storage[:1]}
