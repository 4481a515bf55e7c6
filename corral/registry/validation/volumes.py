"""Validation of pod volumes and of the paths files are projected to
(ValidateVolumes and its helpers in pkg/apis/core/validation)."""

from __future__ import annotations

import posixpath
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import dns1123_subdomain_name, is_dns1123_label, is_qualified_name
from corral.machinery.quantity import parse_quantity
from corral.registry.validation.claims import validate_claim_template
from corral.registry.validation.fielderrors import (
    child,
    duplicate,
    each_invalid,
    forbidden,
    index,
    invalid,
    not_supported,
    required,
)

FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
HOST_PATH_TYPES = (
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
)
VOLUME_FIELD_PATHS = (
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
)

# volume source -> (path segment its errors use, fields it requires); kube checks them in this order
_SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("emptyDir", "emptyDir", ()),
    ("hostPath", "hostPath", ()),
    ("gitRepo", "gitRepo", ("repository",)),
    ("gcePersistentDisk", "persistentDisk", ("pdName",)),
    ("awsElasticBlockStore", "awsElasticBlockStore", ("volumeID",)),
    ("secret", "secret", ()),
    ("nfs", "nfs", ("server", "path")),
    ("iscsi", "iscsi", ("targetPortal", "iqn")),
    ("glusterfs", "glusterfs", ("endpoints", "path")),
    ("flocker", "flocker", ()),
    ("persistentVolumeClaim", "persistentVolumeClaim", ("claimName",)),
    ("rbd", "rbd", ("monitors", "image")),
    ("cinder", "cinder", ("volumeID",)),
    ("cephfs", "cephfs", ("monitors",)),
    ("quobyte", "quobyte", ("registry", "volume")),
    ("downwardAPI", "downwardAPI", ()),
    ("fc", "fc", ()),
    ("flexVolume", "flexVolume", ("driver",)),
    ("configMap", "configMap", ("name",)),
    ("azureFile", "azureFile", ("secretName", "shareName")),
    ("vsphereVolume", "vsphereVolume", ("volumePath",)),
    ("photonPersistentDisk", "photonPersistentDisk", ("pdID",)),
    ("portworxVolume", "portworxVolume", ("volumeID",)),
    ("azureDisk", "azureDisk", ("diskName", "diskURI")),
    ("storageos", "storageos", ("volumeName",)),
    ("projected", "projected", ()),
    ("scaleIO", "scaleIO", ("gateway", "system", "volumeName")),
    ("csi", "csi", ("driver",)),
    ("ephemeral", "ephemeral", ()),
    ("image", "image", ()),
)
# kube names these differently in its "more than 1 volume type" error
_MULTI_NAMES = {"downwardAPI": "downwarAPI", "cephfs": "cephFS"}


def validate_path_no_backsteps(target: str, path: str) -> list[Cause]:
    if ".." in target.replace("\\", "/").split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def validate_local_descending_path(target: str, path: str) -> list[Cause]:
    causes = [invalid(path, target, "must be a relative path")] if posixpath.isabs(target) else []
    return causes + validate_path_no_backsteps(target, path)


def validate_local_non_reserved_path(target: str, path: str) -> list[Cause]:
    causes = validate_local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        causes.append(invalid(path, target, "must not start with '..'"))
    return causes


def _mode(holder: dict[str, Any], name: str, path: str) -> list[Cause]:
    mode = holder.get(name)
    if isinstance(mode, int) and not 0 <= mode <= 0o777:
        return [invalid(child(path, name), mode, FILE_MODE_ERROR)]
    return []


def _key_to_path(item: dict[str, Any], path: str) -> list[Cause]:
    causes = [] if item.get("key") else [required(child(path, "key"))]
    target = str(item.get("path") or "")
    if not target:
        causes.append(required(child(path, "path")))
    causes += validate_local_non_reserved_path(target, child(path, "path"))
    return causes + _mode(item, "mode", path)


def _items(source: dict[str, Any], path: str) -> list[Cause]:
    causes: list[Cause] = []
    for i, item in enumerate(source.get("items") or []):
        causes += _key_to_path(item, index(child(path, "items"), i))
    return causes


def validate_object_field_selector(ref: dict[str, Any], allowed: tuple[str, ...], path: str) -> list[Cause]:
    if not ref.get("apiVersion"):
        return [required(child(path, "apiVersion"))]
    field_path = str(ref.get("fieldPath") or "")
    if not field_path:
        return [required(child(path, "fieldPath"))]
    if "[" in field_path and field_path.endswith("]"):
        base, subscript = field_path[:-1].split("[", 1)
        subscript = subscript.strip("'\"")
        if base == "metadata.annotations":
            return [invalid(path, subscript, m) for m in is_qualified_name(subscript.lower())]
        if base == "metadata.labels":
            return [invalid(path, subscript, m) for m in is_qualified_name(subscript)]
        return [invalid(path, base, "does not support subscript")]
    if field_path not in allowed:
        return [not_supported(child(path, "fieldPath"), field_path, sorted(allowed))]
    return []


def _downward_file(item: dict[str, Any], path: str) -> list[Cause]:
    target = str(item.get("path") or "")
    causes = [] if target else [required(child(path, "path"))]
    causes += validate_local_non_reserved_path(target, child(path, "path"))
    field_ref, resource_ref = item.get("fieldRef"), item.get("resourceFieldRef")
    if isinstance(field_ref, dict):
        causes += validate_object_field_selector(field_ref, VOLUME_FIELD_PATHS, child(path, "fieldRef"))
        if resource_ref is not None:
            causes.append(
                invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously")
            )
    elif isinstance(resource_ref, dict):
        if not resource_ref.get("containerName"):
            causes.append(required(child(path, "resourceFieldRef", "containerName")))
    else:
        causes.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    return causes + _mode(item, "mode", path)


def _projected(source: dict[str, Any], path: str) -> list[Cause]:
    causes = _mode(source, "defaultMode", path)
    seen: set[str] = set()
    for i, projection in enumerate(source.get("sources") or []):
        src_path = index(child(path, "sources"), i)
        kinds = [
            k
            for k in ("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle")
            if isinstance(projection.get(k), dict)
        ]
        for kind in kinds:
            part, part_path = projection[kind], child(src_path, kind)
            if kind in ("secret", "configMap"):
                if not part.get("name"):
                    causes.append(required(child(part_path, "name")))
                for j, item in enumerate(part.get("items") or []):
                    causes += _key_to_path(item, index(child(part_path, "items"), j))
                    target = item.get("path")
                    if target in seen:
                        causes.append(invalid(path, part.get("name", ""), "conflicting duplicate paths"))
                    elif target:
                        seen.add(target)
            elif kind == "downwardAPI":
                for item in part.get("items") or []:
                    causes += _downward_file(item, part_path)
                    target = item.get("path")
                    if target in seen:
                        causes.append(invalid(path, target, "conflicting duplicate paths"))
                    elif target:
                        seen.add(target)
            elif kind == "serviceAccountToken":
                seconds = part.get("expirationSeconds")
                if isinstance(seconds, int) and seconds < 600:
                    causes.append(
                        invalid(
                            child(part_path, "expirationSeconds"),
                            seconds,
                            "may not specify a duration less than 10 minutes",
                        )
                    )
                if isinstance(seconds, int) and seconds > 1 << 32:
                    causes.append(
                        invalid(
                            child(part_path, "expirationSeconds"),
                            seconds,
                            "may not specify a duration larger than 2^32 seconds",
                        )
                    )
                if not part.get("path"):
                    causes.append(required(child(path, "path")))
                else:
                    causes += validate_local_non_reserved_path(str(part["path"]), child(path, "path"))
        if len(kinds) > 1:
            causes.append(forbidden(src_path, "may not specify more than 1 volume type per source"))
    return causes


def _specific(name: str, source: dict[str, Any], path: str) -> list[Cause]:
    """The checks kube makes of one volume source beyond its required fields."""
    causes: list[Cause] = []
    if name == "emptyDir" and source.get("sizeLimit") is not None:
        try:
            negative = parse_quantity(source["sizeLimit"]).value < 0
        except ValueError:
            negative = True
        if negative:
            causes.append(forbidden(child(path, "sizeLimit"), "SizeLimit field must be a valid resource quantity"))
    elif name == "hostPath":
        host_path = str(source.get("path") or "")
        if not host_path:
            return [required(child(path, "path"))]
        causes += validate_path_no_backsteps(host_path, child(path, "path"))
        kind = source.get("type")
        if kind is not None and kind not in HOST_PATH_TYPES:
            causes.append(not_supported(child(path, "type"), kind, HOST_PATH_TYPES))
    elif name == "gitRepo":
        causes += validate_local_descending_path(str(source.get("directory") or ""), child(path, "directory"))
    elif name == "secret":
        if not source.get("secretName"):
            causes.append(required(child(path, "secretName")))
        causes += _mode(source, "defaultMode", path) + _items(source, path)
    elif name == "configMap":
        causes += _mode(source, "defaultMode", path) + _items(source, path)
    elif name == "nfs" and source.get("path") and not posixpath.isabs(str(source["path"])):
        causes.append(invalid(child(path, "path"), source["path"], "must be an absolute path"))
    elif name == "downwardAPI":
        causes += _mode(source, "defaultMode", path)
        for item in source.get("items") or []:
            causes += _downward_file(item, path)
    elif name == "projected":
        causes += _projected(source, path)
    elif name == "csi" and source.get("driver"):
        driver = str(source["driver"])
        causes += each_invalid(child(path, "driver"), driver, dns1123_subdomain_name(driver.lower(), False))
    elif name == "ephemeral":
        template = source.get("volumeClaimTemplate")
        if not isinstance(template, dict):
            causes.append(required(child(path, "volumeClaimTemplate")))
        else:
            causes += validate_claim_template(template, child(path, "volumeClaimTemplate"))
    return causes


def validate_volume_source(volume: dict[str, Any], path: str) -> list[Cause]:
    causes: list[Cause] = []
    count = 0
    for name, segment, fields in _SOURCES:
        source = volume.get(name)
        if not isinstance(source, dict):
            continue
        if count:
            causes.append(
                forbidden(child(path, _MULTI_NAMES.get(name, name)), "may not specify more than 1 volume type")
            )
            continue
        count += 1
        causes += [required(child(path, segment, f)) for f in fields if not source.get(f)]
        causes += _specific(name, source, child(path, segment))
    if not count:
        causes.append(required(path, "must specify a volume type"))
    return causes


def validate_volumes(volumes: Any, path: str) -> tuple[dict[str, dict[str, Any]], list[Cause]]:
    """The valid volumes by name (mounts may only refer to those) and the errors."""
    valid: dict[str, dict[str, Any]] = {}
    causes: list[Cause] = []
    for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
        idx = index(path, i)
        name = str(volume.get("name") or "")
        errors = validate_volume_source(volume, idx)
        if not name:
            errors.append(required(child(idx, "name")))
        else:
            errors += each_invalid(child(idx, "name"), name, is_dns1123_label(name))
        if name in valid:
            errors.append(duplicate(child(idx, "name"), name))
        if errors:
            causes += errors
        else:
            valid[name] = volume
    return valid, causes
