"""Reading a CustomResourceDefinition: its versions, conditions and accepted names, and the
:class:`~corral.registry.resources.ResourceDef` of each version it serves.

A CRD serves its versions once it is Established (kube's discovery condition), under the
names the naming controller accepted (``status.acceptedNames``), not the ones its spec
asks for. Versions sort the way kube sorts them: GA before beta before alpha, higher
numbers first, other names last in alphabetical order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from corral.registry.custom.printer import AGE_COLUMN, Column, build_printer
from corral.registry.custom.selectable import field_name, field_values
from corral.registry.custom.spec import CustomVersion, ScalePaths
from corral.registry.custom.structural import Schema
from corral.registry.resources import ResourceDef

GROUP = "apiextensions.k8s.io"
CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"
VERBS = ("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")
TERMINATING_VERBS = ("delete", "deletecollection", "get", "list", "watch")
_KUBE_VERSION = re.compile(r"^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$")
_STABILITY = {"alpha": 0, "beta": 1, None: 2}

Obj = Mapping[str, Any]


def is_crd(rd: ResourceDef) -> bool:
    return rd.group == GROUP and rd.resource == "customresourcedefinitions"


def version_order(name: str) -> tuple[int, int, int, int, str]:
    """Sort key of a version name: the most preferred version sorts first."""
    match = _KUBE_VERSION.match(name)
    if match is None:
        return (1, 0, 0, 0, name)
    major, stability, minor = match.groups()
    return (0, -_STABILITY[stability], -int(major), -int(minor or 0), "")


def spec(crd: Obj) -> Obj:
    value = crd.get("spec")
    return value if isinstance(value, Mapping) else {}


def status(crd: Obj) -> Obj:
    value = crd.get("status")
    return value if isinstance(value, Mapping) else {}


def versions(crd: Obj) -> list[Obj]:
    return [v for v in spec(crd).get("versions") or [] if isinstance(v, Mapping)]


def storage_version(crd: Obj) -> str:
    return next((str(v.get("name")) for v in versions(crd) if v.get("storage") is True), "")


def condition(crd: Obj, kind: str) -> Obj | None:
    return next((c for c in status(crd).get("conditions") or []
                 if isinstance(c, Mapping) and c.get("type") == kind), None)


def is_true(crd: Obj, kind: str) -> bool:
    found = condition(crd, kind)
    return found is not None and found.get("status") == "True"


def schema_of(version: Obj) -> Mapping[str, Any] | None:
    schema = (version.get("schema") or {}).get("openAPIV3Schema")
    return schema if isinstance(schema, Mapping) else None


def _scale(version: Obj) -> ScalePaths | None:
    scale = (version.get("subresources") or {}).get("scale")
    if not isinstance(scale, Mapping):
        return None
    return ScalePaths(str(scale.get("specReplicasPath") or ""), str(scale.get("statusReplicasPath") or ""),
                      str(scale.get("labelSelectorPath") or ""))


def _custom_version(crd: Obj, version: Obj) -> CustomVersion:
    storage = next((v for v in versions(crd) if v.get("storage") is True), version)
    schema, storage_schema = schema_of(version), schema_of(storage)
    columns = tuple(Column.from_crd(c) for c in version.get("additionalPrinterColumns") or [AGE_COLUMN])
    selectable = tuple(str(f.get("jsonPath") or "") for f in version.get("selectableFields") or [])
    return CustomVersion(
        crd=str((crd.get("metadata") or {}).get("name") or ""),
        storage_version=str(storage.get("name") or ""),
        schema=schema,
        storage_schema=storage_schema,
        columns=columns,
        scale=_scale(version),
        selectable=tuple(field_name(p) for p in selectable),
        terminating=is_true(crd, "Terminating") or bool((crd.get("metadata") or {}).get("deletionTimestamp")),
        structural=Schema(schema) if schema is not None else None,
        storage_structural=Schema(storage_schema) if storage_schema is not None else None,
        printer=build_printer(columns),
        field_values=field_values(selectable),
    )


def resource(crd: Obj, version: Obj) -> ResourceDef:
    """The ResourceDef of one version of a CRD, under its accepted names."""
    names = status(crd).get("acceptedNames") or {}
    subresources = version.get("subresources") or {}
    custom = _custom_version(crd, version)
    return ResourceDef(
        group=str(spec(crd).get("group") or ""),
        version=str(version.get("name") or ""),
        resource=str(names.get("plural") or ""),
        kind=str(names.get("kind") or ""),
        namespaced=spec(crd).get("scope") != "Cluster",
        singular=str(names.get("singular") or ""),
        short_names=tuple(names.get("shortNames") or ()),
        categories=tuple(names.get("categories") or ()),
        verbs=TERMINATING_VERBS if custom.terminating else VERBS,
        subresources={**({"status": ""} if "status" in subresources else {}),
                      **({"scale": "Scale"} if "scale" in subresources else {})},
        generation=True,
        custom=custom,
        custom_list_kind=str(names.get("listKind") or ""),
    )


def served_resources(crd: Obj) -> list[ResourceDef]:
    """The ResourceDefs an Established CRD serves, its preferred version first."""
    if not is_true(crd, "Established"):
        return []
    served = [v for v in versions(crd) if v.get("served") is True]
    return [resource(crd, v) for v in sorted(served, key=lambda v: version_order(str(v.get("name") or "")))]
