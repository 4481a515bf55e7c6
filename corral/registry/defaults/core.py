"""Defaults of the remaining core/v1 objects and their relatives in other groups:
Namespace, Node, Secret, LimitRange, ResourceQuota, Event (core and events.k8s.io) and
Lease.

Some entries are not defaulting in kube's sense but what its strategies, conversions or
serializer add to what users see: a Namespace's ``kubernetes`` finalizer on create, a
Secret's ``stringData`` folded into ``data``, and the zero-valued structs and null
timestamps Go always prints.
"""

from __future__ import annotations

import base64
from typing import Any

from corral.registry.defaults.common import fill, round_resources, sub
from corral.registry.validation.shapes import entries

NODE_INFO_FIELDS = (
    "architecture",
    "bootID",
    "containerRuntimeVersion",
    "kernelVersion",
    "kubeProxyVersion",
    "kubeletVersion",
    "machineID",
    "operatingSystem",
    "osImage",
    "systemUUID",
)


def default_namespace(obj: dict[str, Any]) -> None:
    meta = obj.setdefault("metadata", {})
    name = meta.get("name")
    if name:
        labels = meta.get("labels")
        if not isinstance(labels, dict):
            labels = meta["labels"] = {}
        labels["kubernetes.io/metadata.name"] = name
    spec = obj.setdefault("spec", {})
    if "status" not in obj and isinstance(spec, dict):
        # kube's namespace strategy requires its own finalizer on create (only then: the
        # namespace controller removes it through the finalize subresource)
        finalizers = spec.get("finalizers")
        if not isinstance(finalizers, list):
            finalizers = spec["finalizers"] = []
        if "kubernetes" not in finalizers:
            finalizers.append("kubernetes")
    status = obj.setdefault("status", {})
    if isinstance(status, dict) and not status.get("phase"):
        status["phase"] = "Active"


def default_node(obj: dict[str, Any]) -> None:
    obj.setdefault("spec", {})
    status = obj.setdefault("status", {})
    if not isinstance(status, dict):
        return
    if status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])
    round_resources(status, "capacity", "allocatable")
    endpoints = status.setdefault("daemonEndpoints", {})
    if isinstance(endpoints, dict):
        kubelet = endpoints.setdefault("kubeletEndpoint", {})
        if isinstance(kubelet, dict):
            fill(kubelet, "Port", 0)
    info = status.setdefault("nodeInfo", {})
    if isinstance(info, dict):
        for field in NODE_INFO_FIELDS:
            fill(info, field, "")


def default_secret(obj: dict[str, Any]) -> None:
    if not obj.get("type"):
        obj["type"] = "Opaque"
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = obj.get("data")
        if not isinstance(data, dict):
            data = obj["data"] = {}
        for k, v in string_data.items():
            data[k] = base64.b64encode(str(v).encode()).decode()


def default_limit_range(obj: dict[str, Any]) -> None:
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    spec.setdefault("limits", None)  # no omitempty: a missing list prints as null
    for limit in entries(spec, "limits"):
        if limit.get("type") == "Container":
            default = limit.get("default")
            if not isinstance(default, dict):
                default = limit["default"] = {}
            request = limit.get("defaultRequest")
            if not isinstance(request, dict):
                request = limit["defaultRequest"] = {}
            for name, value in (sub(limit, "max") or {}).items():
                fill(default, name, value)
            for name, value in default.items():
                fill(request, name, value)
            for name, value in (sub(limit, "min") or {}).items():
                fill(request, name, value)
        round_resources(limit, "max", "min", "default", "defaultRequest", "maxLimitRequestRatio")


def default_resource_quota(obj: dict[str, Any]) -> None:
    spec = obj.setdefault("spec", {})
    if isinstance(spec, dict):
        round_resources(spec, "hard")
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        round_resources(status, "hard", "used")


def default_core_event(obj: dict[str, Any]) -> None:
    obj.setdefault("involvedObject", {})
    obj.setdefault("source", {})
    for stamp in ("firstTimestamp", "lastTimestamp", "eventTime"):
        obj.setdefault(stamp, None)
    fill(obj, "reportingComponent", "")
    fill(obj, "reportingInstance", "")


def default_event(obj: dict[str, Any]) -> None:
    """events.k8s.io/v1 Event."""
    obj.setdefault("eventTime", None)
    obj.setdefault("regarding", {})
    obj.setdefault("deprecatedSource", {})
    obj.setdefault("deprecatedFirstTimestamp", None)
    obj.setdefault("deprecatedLastTimestamp", None)


def default_lease(obj: dict[str, Any]) -> None:
    obj.setdefault("spec", {})
