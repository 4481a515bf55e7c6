"""Validation of persistent volume claim specs, for claims themselves and for the claim
templates StatefulSets and ephemeral volumes embed (ValidatePersistentVolumeClaimSpec,
ValidatePersistentVolumeClaimTemplate in pkg/apis/core/validation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import dns1123_subdomain_name
from corral.machinery.quantity import canonical
from corral.registry.validation.fielderrors import (
    child,
    each_invalid,
    forbidden,
    invalid,
    key,
    not_supported,
    required,
)
from corral.registry.validation.meta import validate_label_selector, validate_template_meta
from corral.registry.validation.resources import quantity_at, validate_quantity_value

ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
VOLUME_MODES = ("Block", "Filesystem")


def validate_access_modes(modes: Any, path: str, detail: str) -> list[Cause]:
    modes = modes if isinstance(modes, list) else []
    causes = [] if modes else [required(path, detail)]
    causes += [not_supported(path, m, ACCESS_MODES) for m in modes if m not in ACCESS_MODES]
    known = [m for m in modes if m in ACCESS_MODES]
    if "ReadWriteOncePod" in known and any(m != "ReadWriteOncePod" for m in known):
        causes.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return causes


def validate_positive_storage(raw: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    q = quantity_at(raw, path, causes)
    if q is not None and q.value <= 0:
        causes.append(invalid(path, canonical(q), "must be greater than zero"))
    elif q is not None:
        causes += validate_quantity_value("storage", q, path)
    return causes


def validate_claim_spec(spec: Any, path: str) -> list[Cause]:
    spec = spec if isinstance(spec, Mapping) else {}
    causes = validate_access_modes(
        spec.get("accessModes"), child(path, "accessModes"), "at least 1 access mode is required"
    )
    causes += validate_label_selector(spec.get("selector"), child(path, "selector"))
    requests = (spec.get("resources") or {}).get("requests") or {}
    storage_path = key(child(path, "resources"), "storage")
    if "storage" not in requests:
        causes.append(required(storage_path))
    else:
        causes += validate_positive_storage(requests["storage"], storage_path)
    class_name = spec.get("storageClassName")
    if class_name:
        causes += each_invalid(
            child(path, "storageClassName"), class_name, dns1123_subdomain_name(str(class_name), False)
        )
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        causes.append(not_supported(child(path, "volumeMode"), mode, VOLUME_MODES))
    return causes


def validate_claim_template(template: Any, path: str) -> list[Cause]:
    """A claim embedded in a StatefulSet or an ephemeral volume."""
    template = template if isinstance(template, Mapping) else {}
    return validate_template_meta(template.get("metadata"), child(path, "metadata")) + validate_claim_spec(
        template.get("spec"), child(path, "spec")
    )
