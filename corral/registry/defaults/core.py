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

from corral.registry.defaults.common import fill, round_resources, struct, sub
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
    meta = struct(obj, "metadata")
    if meta.get("name"):
        struct(meta, "labels")["kubernetes.io/metadata.name"] = meta["name"]
    spec = struct(obj, "spec")
    if "status" not in obj:
        # kube's namespace strategy requires its own finalizer on create (only then: the
        # namespace controller removes it through the finalize subresource)
        finalizers = spec.get("finalizers")
        if not isinstance(finalizers, list):
            finalizers = spec["finalizers"] = []
        if "kubernetes" not in finalizers:
            finalizers.append("kubernetes")
    fill(struct(obj, "status"), "phase", "Active")


def default_node(obj: dict[str, Any]) -> None:
    struct(obj, "spec")
    status = struct(obj, "status")
    capacity = sub(status, "capacity")
    if status.get("allocatable") is None and capacity is not None:
        status["allocatable"] = dict(capacity)
    round_resources(status, "capacity", "allocatable")
    fill(struct(struct(status, "daemonEndpoints"), "kubeletEndpoint"), "Port", 0)
    info = struct(status, "nodeInfo")
    for field in NODE_INFO_FIELDS:
        fill(info, field, "")


def default_secret(obj: dict[str, Any]) -> None:
    fill(obj, "type", "Opaque")
    # v1 conversion: stringData is write-only, folded into data (base64 in JSON)
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = struct(obj, "data")
        for k, v in string_data.items():
            data[k] = base64.b64encode(str(v).encode()).decode()


def _container_limit_defaults(limit: dict[str, Any]) -> None:
    """SetDefaults_LimitRangeItem: default limits from max, default requests from the
    default limits, then from min. An empty map is not printed."""
    default = dict(sub(limit, "default") or {})
    for name, value in (sub(limit, "max") or {}).items():
        default.setdefault(name, value)
    request = dict(sub(limit, "defaultRequest") or {})
    for source in (default, sub(limit, "min") or {}):
        for name, value in source.items():
            request.setdefault(name, value)
    for field, values in (("default", default), ("defaultRequest", request)):
        if values:
            limit[field] = values


def default_limit_range(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    spec.setdefault("limits", None)  # no omitempty: a missing list prints as null
    for limit in entries(spec, "limits"):
        if limit.get("type") == "Container":
            _container_limit_defaults(limit)
        round_resources(limit, "max", "min", "default", "defaultRequest", "maxLimitRequestRatio")


def default_resource_quota(obj: dict[str, Any]) -> None:
    round_resources(struct(obj, "spec"), "hard")
    round_resources(struct(obj, "status"), "hard", "used")


def default_core_event(obj: dict[str, Any]) -> None:
    struct(obj, "involvedObject")
    struct(obj, "source")
    for stamp in ("firstTimestamp", "lastTimestamp", "eventTime"):
        obj.setdefault(stamp, None)
    fill(obj, "reportingComponent", "")
    fill(obj, "reportingInstance", "")


def default_event(obj: dict[str, Any]) -> None:
    """events.k8s.io/v1 Event."""
    obj.setdefault("eventTime", None)
    struct(obj, "regarding")
    struct(obj, "deprecatedSource")
    obj.setdefault("deprecatedFirstTimestamp", None)
    obj.setdefault("deprecatedLastTimestamp", None)


def default_lease(obj: dict[str, Any]) -> None:
    struct(obj, "spec")
