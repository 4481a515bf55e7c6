"""Validation of PersistentVolume and PersistentVolumeClaim, including what updates may
change (ValidatePersistentVolume*, ValidatePersistentVolumeClaim* in
pkg/apis/core/validation)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import dns1123_subdomain_name
from corral.registry.validation.claims import (
    VOLUME_MODES,
    validate_access_modes,
    validate_claim_spec,
    validate_positive_storage,
)
from corral.registry.validation.fielderrors import (
    GoRepr,
    each_invalid,
    forbidden,
    immutable,
    key,
    not_supported,
    required,
)
from corral.registry.validation.meta import (
    validate_meta,
)
from corral.registry.validation.resources import quantity_at, validate_resource_name
from corral.registry.validation.shapes import section
from corral.registry.validation.volumes import validate_volume_source

RECLAIM_POLICIES = ("Delete", "Recycle", "Retain")
# the PersistentVolumeSource fields: everything a PV spec may name besides its own settings
_PV_SOURCES = (
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "hostPath",
    "glusterfs",
    "nfs",
    "rbd",
    "iscsi",
    "cinder",
    "cephfs",
    "fc",
    "flocker",
    "flexVolume",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "local",
    "storageos",
    "csi",
)


def validate_pvc(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    causes += validate_claim_spec(spec, "spec")
    if old is None:
        return causes
    old_spec = old.get("spec") or {}
    bound = (obj.get("status") or {}).get("phase") == "Bound"
    comparable, old_comparable = dict(spec), dict(old_spec)
    if not old_spec.get("volumeName"):
        comparable.pop("volumeName", None)
        old_comparable.pop("volumeName", None)
    if bound:
        for side in (comparable, old_comparable):
            resources = dict(side.get("resources") or {})
            resources["requests"] = {k: v for k, v in (resources.get("requests") or {}).items() if k != "storage"}
            side["resources"] = resources
            side.pop("volumeAttributesClassName", None)
    if comparable != old_comparable:
        causes.append(
            forbidden(
                "spec",
                "spec is immutable after creation except resources.requests and "
                "volumeAttributesClassName for bound claims\n" + _diff(old_comparable, comparable),
            )
        )
    causes += _storage_not_decreased(spec, old_spec, old.get("status") or {})
    return causes + immutable("volumeMode", spec.get("volumeMode"), old_spec.get("volumeMode"))


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """The changed top-level fields (kube prints a cmp.Diff of the whole spec)."""
    return "\n".join(
        f"  {k}: {json.dumps(old.get(k))} -> {json.dumps(new.get(k))}"
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k)
    )


def _storage(holder: Mapping[str, Any], *path: str) -> Any:
    for name in path:
        holder = section(holder, name)
    sink: list[Cause] = []
    raw = holder.get("storage")
    q = quantity_at(raw, "", sink) if raw is not None else None
    return q.value if q is not None else 0


def _storage_not_decreased(
    spec: Mapping[str, Any], old_spec: Mapping[str, Any], old_status: Mapping[str, Any]
) -> list[Cause]:
    """A bound claim may shrink its request (to recover from a failed expansion), but not
    to or below the capacity it has."""
    new_size, old_size = _storage(spec, "resources", "requests"), _storage(old_spec, "resources", "requests")
    if new_size < old_size and new_size <= _storage(old_status, "capacity"):
        return [forbidden("spec.resources.requests.storage", "field can not be less than status.capacity")]
    return []


def validate_pv(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, False, dns1123_subdomain_name)
    causes += validate_access_modes(spec.get("accessModes"), "spec.accessModes", "")
    capacity = section(spec, "capacity")
    if not capacity:
        causes.append(required("spec.capacity"))
    if "storage" not in capacity or len(capacity) > 1:
        causes.append(not_supported("spec.capacity", GoRepr(_go_resource_list(capacity)), ("storage",)))
    for name in sorted(capacity):
        causes += validate_resource_name(name, key("spec.capacity", name)) if name != "storage" else []
        causes += validate_positive_storage(capacity[name], key("spec.capacity", name))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy and policy not in RECLAIM_POLICIES:
        causes.append(not_supported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES))
    sources = {k: v for k, v in spec.items() if k in _PV_SOURCES and k != "local"}
    local = spec.get("local")
    if not isinstance(local, dict):
        causes += validate_volume_source(sources, "spec")
    elif sources:
        causes.append(forbidden("spec.local", "may not specify more than 1 volume type"))
    elif not local.get("path"):
        causes.append(required("spec.local.path"))
    class_name = spec.get("storageClassName")
    if class_name:
        causes += each_invalid("spec.storageClassName", class_name, dns1123_subdomain_name(str(class_name), False))
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        causes.append(not_supported("spec.volumeMode", mode, VOLUME_MODES))
    if old is not None:
        old_spec = old.get("spec") or {}
        old_sources = {k: v for k, v in old_spec.items() if k in _PV_SOURCES}
        if {k: v for k, v in spec.items() if k in _PV_SOURCES} != old_sources:
            causes.append(
                forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation")
            )
        causes += immutable("volumeMode", mode, old_spec.get("volumeMode"))
    return causes


def _go_resource_list(resources: Mapping[str, Any]) -> str:
    """``%#v``-like rendering of a core.ResourceList (quantities by value)."""
    return "core.ResourceList{" + ", ".join(f'"{k}":"{resources[k]}"' for k in sorted(resources)) + "}"
