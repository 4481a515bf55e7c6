"""CustomResourceDefinitions for the custom-resource tests, unit and API alike: a CronTab
CRD in the shape of kube's documentation example, with knobs for the variations the tests
need, the status the CRD controller gives an established CRD, and installing one on a
test server."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from tests.support.adminhttp import AdminHTTP
from tests.support.names import unique

CRONTAB_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["cronSpec"],
            "properties": {
                "cronSpec": {"type": "string", "pattern": r"^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$"},
                "image": {"type": "string", "default": "nginx", "maxLength": 20},
                "replicas": {"type": "integer", "minimum": 0, "maximum": 10},
                "tier": {"type": "string", "enum": ["web", "batch"]},
                "port": {"x-kubernetes-int-or-string": True},
                "when": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "maxItems": 3, "items": {"type": "string", "minLength": 1}},
                "settings": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                             "x-kubernetes-preserve-unknown-fields": True},
                "limits": {"type": "object", "default": {}, "properties": {
                    "cpu": {"type": "string", "default": "1"}}},
            },
        },
        "status": {
            "type": "object",
            "properties": {
                "replicas": {"type": "integer"},
                "selector": {"type": "string"},
                "phase": {"type": "string"},
            },
        },
    },
}


def crontab_crd(group: str = "stable.example.com", plural: str = "crontabs", kind: str = "CronTab", *,
                scope: str = "Namespaced", short_names: tuple[str, ...] = ("ct",),
                categories: tuple[str, ...] = ("all",), versions: tuple[str, ...] = ("v1",), storage: str = "v1",
                status: bool = True, scale: bool = True, columns: bool = True,
                selectable: tuple[str, ...] = ()) -> dict[str, Any]:
    """A CRD serving ``versions`` (each with the CronTab schema), stored at ``storage``."""
    names: dict[str, Any] = {"plural": plural, "singular": plural.removesuffix("s"), "kind": kind}
    if short_names:
        names["shortNames"] = list(short_names)
    if categories:
        names["categories"] = list(categories)
    subresources: dict[str, Any] = {}
    if status:
        subresources["status"] = {}
    if scale:
        subresources["scale"] = {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas",
                                 "labelSelectorPath": ".status.selector"}
    version_list = []
    for name in versions:
        version: dict[str, Any] = {"name": name, "served": True, "storage": name == storage,
                                   "schema": {"openAPIV3Schema": copy.deepcopy(CRONTAB_SCHEMA)}}
        if subresources:
            version["subresources"] = copy.deepcopy(subresources)
        if columns:
            version["additionalPrinterColumns"] = [
                {"name": "Spec", "type": "string", "jsonPath": ".spec.cronSpec"},
                {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
                {"name": "Image", "type": "string", "jsonPath": ".spec.image", "priority": 1},
                {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
            ]
        if selectable:
            version["selectableFields"] = [{"jsonPath": p} for p in selectable]
        version_list.append(version)
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {"group": group, "scope": scope, "names": names, "versions": version_list},
    }


def established(crd: dict[str, Any]) -> dict[str, Any]:
    """``crd`` with the status the CRD controller gives it once its names are accepted."""
    out = copy.deepcopy(crd)
    names = dict(out["spec"]["names"])
    names.setdefault("singular", names["kind"].lower())
    names.setdefault("listKind", names["kind"] + "List")
    out["metadata"].setdefault("uid", "uid-1")
    out["status"] = {
        "acceptedNames": names,
        "conditions": [
            {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found"},
            {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
             "message": "the initial names have been accepted"},
        ],
        "storedVersions": [next(v["name"] for v in out["spec"]["versions"] if v["storage"])],
    }
    return out


def crontab(name: str = "c1", version: str = "v1", **spec: Any) -> dict[str, Any]:
    """A CronTab in namespace "ns" with the given spec fields."""
    return {"apiVersion": f"stable.example.com/{version}", "kind": "CronTab",
            "metadata": {"name": name, "namespace": "ns"}, "spec": {"cronSpec": "* * * * */5", **spec}}


def unique_group() -> str:
    """A group no other test uses (CRDs are cluster-wide, tests share a server)."""
    return f"{unique('g')}.example.com"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout}s")
        time.sleep(0.02)


def crd_path(name: str = "") -> str:
    return "/apis/apiextensions.k8s.io/v1/customresourcedefinitions" + (f"/{name}" if name else "")


def is_established(api: AdminHTTP, name: str) -> bool:
    resp = api.get(crd_path(name))
    conditions = resp.json().get("status", {}).get("conditions", []) if resp.status == 200 else []
    return any(c["type"] == "Established" and c["status"] == "True" for c in conditions)


def install(api: AdminHTTP, crd: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
    """Create the CRD and wait until it is established; returns it as the server has it."""
    resp = api.post(crd_path(), crd)
    assert resp.status == 201, resp.body
    name = crd["metadata"]["name"]
    wait_until(lambda: is_established(api, name), timeout, f"{name} established")
    stored: dict[str, Any] = api.get(crd_path(name)).json()
    return stored
