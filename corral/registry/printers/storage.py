"""Table rows of persistent volumes and claims, capacities in canonical quantity form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.machinery.quantity import canonical_text
from corral.registry.printers.cells import (
    AGE,
    NAME,
    UNSET,
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

_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
          ("ReadWriteOncePod", "RWOP"))


def _access_modes(modes: list[str] | None) -> str:
    """helper.GetAccessModesAsString: the short names in a fixed order."""
    present = set(modes or [])
    return ",".join(short for mode, short in _MODES if mode in present)


def _storage_class(obj: Obj) -> str:
    """The beta annotation wins over spec.storageClassName, as in kube's helpers."""
    annotations = meta(obj).get("annotations") or {}
    if _CLASS_ANNOTATION in annotations:
        return text(annotations[_CLASS_ANNOTATION])
    return text(spec(obj).get("storageClassName"))


def _phase(obj: Obj) -> str:
    return "Terminating" if meta(obj).get("deletionTimestamp") is not None else text(status(obj).get("phase"))


def _optional(value: Any) -> str:
    return UNSET if value is None else text(value)


def _storage(resources: dict[str, Any] | None) -> str:
    """The storage quantity of a resource list; "0" (a zero Quantity) when absent."""
    return str(canonical_text((resources or {}).get("storage") or "0"))


def _volume(obj: Obj, now: datetime) -> list[Any]:
    s = spec(obj)
    ref = s.get("claimRef")
    claim = f"{text(ref.get('namespace'))}/{text(ref.get('name'))}" if ref is not None else ""
    return [name(obj), _storage(s.get("capacity")), _access_modes(s.get("accessModes")),
            text(s.get("persistentVolumeReclaimPolicy")), _phase(obj), claim, _storage_class(obj),
            _optional(s.get("volumeAttributesClassName")), text(status(obj).get("reason")), age(obj, now),
            _optional(s.get("volumeMode"))]


def _claim(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    volume = text(s.get("volumeName"))
    capacity = _storage(st.get("capacity")) if volume else ""
    modes = _access_modes(st.get("accessModes")) if volume else ""
    return [name(obj), _phase(obj), volume, capacity, modes, _storage_class(obj),
            _optional(s.get("volumeAttributesClassName")), age(obj, now), _optional(s.get("volumeMode"))]


PRINTERS = {
    ("", "persistentvolumes"): Printer((
        NAME,
        column("Capacity", "string", doc("PersistentVolumeSpec.capacity")),
        column("Access Modes", "string", doc("PersistentVolumeSpec.accessModes")),
        column("Reclaim Policy", "string", doc("PersistentVolumeSpec.persistentVolumeReclaimPolicy")),
        column("Status", "string", doc("PersistentVolumeStatus.phase")),
        column("Claim", "string", doc("PersistentVolumeSpec.claimRef")),
        column("StorageClass", "string", "StorageClass of the pv"),
        column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
        column("Reason", "string", doc("PersistentVolumeStatus.reason")),
        AGE,
        column("VolumeMode", "string", doc("PersistentVolumeSpec.volumeMode"), priority=1),
    ), _volume),
    ("", "persistentvolumeclaims"): Printer((
        NAME,
        column("Status", "string", doc("PersistentVolumeClaimStatus.phase")),
        column("Volume", "string", doc("PersistentVolumeClaimSpec.volumeName")),
        column("Capacity", "string", doc("PersistentVolumeClaimStatus.capacity")),
        column("Access Modes", "string", doc("PersistentVolumeClaimStatus.accessModes")),
        column("StorageClass", "string", "StorageClass of the pvc"),
        column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
        AGE,
        column("VolumeMode", "string", doc("PersistentVolumeClaimSpec.volumeMode"), priority=1),
    ), _claim),
}
