"""Defaults of storage objects: PersistentVolume, PersistentVolumeClaim and the claim
specs embedded in StatefulSets and ephemeral pod volumes (SetDefaults_PersistentVolume*
in pkg/apis/core/v1/defaults.go, plus the declarative defaults of volume sources)."""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import embedded_meta, fill, round_resources, struct, sub


def _default_claim_spec(claim: dict[str, Any]) -> None:
    spec = struct(claim, "spec")
    fill(spec, "volumeMode", "Filesystem")
    round_resources(struct(spec, "resources"), "limits", "requests")


def default_claim_template(template: dict[str, Any]) -> None:
    """A claim embedded in another object: the spec defaults and its metadata."""
    embedded_meta(template)
    _default_claim_spec(template)


def default_pvc(obj: dict[str, Any]) -> None:
    _default_claim_spec(obj)
    status = struct(obj, "status")
    fill(status, "phase", "Pending")
    round_resources(status, "capacity", "allocatedResources")


def default_iscsi(source: dict[str, Any]) -> None:
    fill(source, "iscsiInterface", "default")


def default_rbd(source: dict[str, Any]) -> None:
    fill(source, "pool", "rbd")
    fill(source, "user", "admin")
    fill(source, "keyring", "/etc/ceph/keyring")


def default_azure_disk(source: dict[str, Any]) -> None:
    fill(source, "cachingMode", "ReadWrite")
    fill(source, "fsType", "ext4")
    fill(source, "readOnly", False)
    fill(source, "kind", "Shared")


def default_scale_io(source: dict[str, Any]) -> None:
    fill(source, "storageMode", "ThinProvisioned")
    fill(source, "fsType", "xfs")


def default_host_path(source: dict[str, Any]) -> None:
    fill(source, "type", "")


# volume source field -> its defaulter, for sources pods and persistent volumes share
SHARED_SOURCES = {
    "hostPath": default_host_path,
    "iscsi": default_iscsi,
    "rbd": default_rbd,
    "azureDisk": default_azure_disk,
    "scaleIO": default_scale_io,
}


def default_pv(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    fill(spec, "persistentVolumeReclaimPolicy", "Retain")
    fill(spec, "volumeMode", "Filesystem")
    round_resources(spec, "capacity")
    for field, defaulter in SHARED_SOURCES.items():
        source = sub(spec, field)
        if source is not None:
            defaulter(source)
    status = struct(obj, "status")
    fill(status, "phase", "Pending")
