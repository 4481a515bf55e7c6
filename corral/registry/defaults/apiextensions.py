"""Defaults of CustomResourceDefinition (apiextensions/v1 defaults.go) and the status
kube's CRD strategy gives a new definition: its storage version recorded, no names
accepted yet."""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import fill, struct, sub
from corral.registry.validation.shapes import entries


def default_crd(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    names = struct(spec, "names")
    kind = str(names.get("kind") or "")
    fill(names, "singular", kind.lower())
    if kind:
        fill(names, "listKind", kind + "List")
    if spec.get("conversion") is None:
        spec["conversion"] = {"strategy": "None"}
    service = sub(sub(sub(sub(spec, "conversion"), "webhook"), "clientConfig"), "service")
    if service is not None:
        fill(service, "port", 443)
    if "status" not in obj:
        storage = [v.get("name") for v in entries(spec, "versions") if v.get("storage")]
        obj["status"] = {"acceptedNames": {"kind": "", "plural": ""}, "storedVersions": storage[:1]}
