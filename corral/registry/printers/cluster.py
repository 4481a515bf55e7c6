"""Table rows of cluster plumbing: nodes (status, roles, versions), namespaces, leases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.registry.printers.cells import (
    AGE,
    NAME,
    NONE,
    UNKNOWN,
    Obj,
    Printer,
    age,
    column,
    doc,
    meta,
    name,
    spec,
    status,
    text,
)

_ROLE_PREFIX = "node-role.kubernetes.io/"
_ROLE_LABEL = "kubernetes.io/role"


def _node_status(obj: Obj) -> str:
    ready = None
    for condition in status(obj).get("conditions") or []:
        if condition.get("type") == "Ready":
            ready = condition  # the last one wins, as in kube's map
    states = ["Unknown" if ready is None else "Ready" if ready.get("status") == "True" else "NotReady"]
    if spec(obj).get("unschedulable") is True:
        states.append("SchedulingDisabled")
    return ",".join(states)


def _node_roles(obj: Obj) -> str:
    roles = set()
    for key, value in (meta(obj).get("labels") or {}).items():
        if key.startswith(_ROLE_PREFIX) and len(key) > len(_ROLE_PREFIX):
            roles.add(key[len(_ROLE_PREFIX):])
        elif key == _ROLE_LABEL and value:
            roles.add(value)
    return ",".join(sorted(roles)) or NONE


def _address(obj: Obj, kind: str) -> str:
    for address in status(obj).get("addresses") or []:
        if address.get("type") == kind:
            return text(address.get("address"))
    return NONE


def _node(obj: Obj, now: datetime) -> list[Any]:
    info = status(obj).get("nodeInfo") or {}
    return [name(obj), _node_status(obj), _node_roles(obj), age(obj, now), text(info.get("kubeletVersion")),
            _address(obj, "InternalIP"), _address(obj, "ExternalIP"),
            *(text(info.get(k)) or UNKNOWN for k in ("osImage", "kernelVersion", "containerRuntimeVersion"))]


def _namespace(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), text(status(obj).get("phase")), age(obj, now)]


def _lease(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), text(spec(obj).get("holderIdentity")), age(obj, now)]


PRINTERS = {
    ("", "nodes"): Printer((
        NAME,
        column("Status", "string", "The status of the node"),
        column("Roles", "string", "The roles of the node"),
        AGE,
        column("Version", "string", doc("NodeSystemInfo.kubeletVersion")),
        column("Internal-IP", "string", doc("NodeStatus.addresses"), priority=1),
        column("External-IP", "string", doc("NodeStatus.addresses"), priority=1),
        column("OS-Image", "string", doc("NodeSystemInfo.osImage"), priority=1),
        column("Kernel-Version", "string", doc("NodeSystemInfo.kernelVersion"), priority=1),
        column("Container-Runtime", "string", doc("NodeSystemInfo.containerRuntimeVersion"), priority=1),
    ), _node),
    ("", "namespaces"): Printer((NAME, column("Status", "string", "The status of the namespace"), AGE),
                               _namespace),
    ("coordination.k8s.io", "leases"): Printer(
        (NAME, column("Holder", "string", doc("LeaseSpec.holderIdentity")), AGE), _lease),
}
