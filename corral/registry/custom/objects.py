"""The strategy of custom objects (apiextensions' customresource registry): defaulting and
validation from the CRD version's schema, and the conversion between the version a
client uses and the storage version.

Conversion is kube's ``None`` strategy: only ``apiVersion`` changes, and each side is
pruned to its own schema. Reading a stored object applies the storage version's defaults,
as kube does when it decodes from etcd.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import dns1123_subdomain_name, is_dns1035_label, path_segment_name
from corral.registry.custom.defaulting import apply_defaults, drop_nulls
from corral.registry.custom.meta import validate_meta, validate_object_meta
from corral.registry.custom.scale import accessor_error, replicas_at
from corral.registry.custom.structural import Schema
from corral.registry.custom.validator import ABSENT, go_syntax, shown, validate
from corral.registry.resources import ResourceDef
from corral.registry.validation.fielderrors import GoRepr, duplicate, invalid, required
from corral.schema.fields import unknown_fields

_MAX_INT32 = 2**31 - 1


def default_object(schema: Schema | None, obj: dict[str, Any]) -> None:
    """Drop disallowed nulls and fill in the defaults of ``schema``, in place."""
    drop_nulls(obj, schema)
    apply_defaults(obj, schema)


def stored(rd: ResourceDef, obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` as it is stored: at the CRD's storage version (a copy when that differs)."""
    custom = rd.custom
    assert custom is not None
    if custom.storage_version == rd.version:
        return obj
    out = copy.deepcopy(obj)
    out["apiVersion"] = f"{rd.group}/{custom.storage_version}"
    unknown_fields(out, rd.group, custom.storage_version, rd.kind, prune=True)
    return out


def served(rd: ResourceDef, obj: dict[str, Any]) -> None:
    """A stored object turned, in place, into what a client of ``rd``'s version reads."""
    custom = rd.custom
    assert custom is not None
    version = str(obj.get("apiVersion") or "").rpartition("/")[2]
    if version == custom.storage_version:
        unknown_fields(obj, rd.group, version, rd.kind, prune=True)
        default_object(custom.storage_structural, obj)
    if version != rd.version:
        obj["apiVersion"] = rd.group_version
        unknown_fields(obj, rd.group, rd.version, rd.kind, prune=True)


def validate_object(rd: ResourceDef, obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    """Why kube would reject this custom object (replacing ``old`` on update)."""
    custom = rd.custom
    assert custom is not None
    causes = _type_meta(rd, obj)
    if causes:
        return causes
    causes = validate_meta(obj, old, rd.namespaced, dns1123_subdomain_name)
    schema = custom.structural
    if schema is not None:
        causes += _schema(rd, schema, obj, old)
        causes += _embedded(schema, obj, "", root=True)
        causes += _lists(schema, obj, "")
    if custom.scale is not None:
        causes += _replicas(obj, custom.scale.spec_replicas) + _replicas(obj, custom.scale.status_replicas)
        if custom.scale.label_selector:
            value, found = replicas_at(obj, custom.scale.label_selector)
            if found and not isinstance(value, str):
                causes.append(invalid(custom.scale.label_selector, "",
                                      accessor_error(custom.scale.label_selector, value, "string")))
    return causes


def _type_meta(rd: ResourceDef, obj: Mapping[str, Any]) -> list[Cause]:
    causes = []
    if obj.get("kind") != rd.kind:
        causes.append(invalid("kind", obj.get("kind"), f"must be {rd.kind}"))
    if obj.get("apiVersion") != rd.group_version:
        causes.append(invalid("apiVersion", obj.get("apiVersion"), f"must be {rd.group_version}"))
    return causes


def _without_status(obj: Mapping[str, Any] | None) -> Any:
    return {k: v for k, v in obj.items() if k != "status"} if obj is not None else ABSENT


def _schema(rd: ResourceDef, schema: Schema, obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    """The object against its schema; with a status subresource, status against its own part
    of the schema, as kube's status strategy validates it."""
    status_schema = schema.properties.get("status")
    if not rd.has_status or status_schema is None:
        return validate(schema, obj, None, old if old is not None else ABSENT)
    causes = validate(schema, _without_status(obj), None, _without_status(old))
    if "status" in obj:
        old_status = old["status"] if old is not None and "status" in old else ABSENT
        causes += validate(status_schema, obj["status"], "status", old_status)
    return causes


def _replicas(obj: dict[str, Any], path: str) -> list[Cause]:
    value, found = replicas_at(obj, path)
    if not found:
        return []
    if not isinstance(value, int) or isinstance(value, bool):
        return [invalid(path, 0, accessor_error(path, value, "int64"))]
    if value < 0:
        return [invalid(path, value, "should be a non-negative integer")]
    if value > _MAX_INT32:
        return [invalid(path, value, f"should be less than or equal to {_MAX_INT32}")]
    return []


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _embedded(schema: Schema | None, value: Any, path: str, *, root: bool = False) -> list[Cause]:
    """objectmeta.Validate: the type and object metadata of resources embedded in the object
    (``x-kubernetes-embedded-resource``)."""
    if schema is None:
        return []
    causes: list[Cause] = []
    if isinstance(value, dict):
        if schema.embedded and not root:
            causes += _embedded_resource(value, path)
        for key in sorted(value):
            child = schema.properties.get(key)
            if child is not None:
                causes += _embedded(child, value[key], _child(path, key))
            elif isinstance(schema.additional, Schema):
                causes += _embedded(schema.additional, value[key], f"{path}[{key}]")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            causes += _embedded(schema.items, item, f"{path}[{i}]")
    return causes


def _embedded_resource(value: dict[str, Any], path: str) -> list[Cause]:
    causes = [required(_child(path, field), "must not be empty")
              for field in ("apiVersion", "kind") if field not in value]
    api_version = value.get("apiVersion")
    if "apiVersion" in value:
        where = _child(path, "apiVersion")
        if not isinstance(api_version, str):
            causes.append(invalid(where, shown(api_version), "must be a string"))
        elif not api_version:
            causes.append(invalid(where, "", "must not be empty"))
        elif api_version.count("/") > 1:
            causes.append(invalid(where, api_version, f"unexpected GroupVersion string: {api_version}"))
    kind = value.get("kind")
    if "kind" in value:
        where = _child(path, "kind")
        if not isinstance(kind, str):
            causes.append(invalid(where, shown(kind), "must be a string"))
        elif not kind:
            causes.append(invalid(where, "", "must not be empty"))
        else:
            problems = is_dns1035_label(kind.lower())
            if problems:
                causes.append(invalid(where, kind, "may have mixed case, but should otherwise match: "
                                      + ",".join(problems)))
    meta = value.get("metadata")
    if isinstance(meta, dict):
        checked = {**meta, "name": meta.get("name") or "fakename"}
        for cause in validate_object_meta({"metadata": checked}, bool(meta.get("namespace")), path_segment_name):
            causes.append(Cause(cause.reason, cause.message, _child(path, cause.field)))
    return causes


def _lists(schema: Schema | None, value: Any, path: str) -> list[Cause]:
    """ValidateListSetsAndMaps: no duplicate entries in ``set`` lists, no duplicate keys in
    ``map`` lists."""
    if schema is None:
        return []
    causes: list[Cause] = []
    if isinstance(value, dict):
        for key in sorted(value):
            child = schema.properties.get(key)
            if child is not None:
                causes += _lists(child, value[key], _child(path, key))
            elif isinstance(schema.additional, Schema):
                causes += _lists(schema.additional, value[key], f"{path}[{key}]")
    elif isinstance(value, list):
        if schema.list_type == "set":
            causes += [duplicate(f"{path}[{i}]", shown(value[i])) for i in _repeats(value)]
        elif schema.list_type == "map":
            causes += _map_list(schema, value, path)
        for i, item in enumerate(value):
            causes += _lists(schema.items, item, f"{path}[{i}]")
    return causes


def _repeats(values: list[Any]) -> list[int]:
    """The index of the second occurrence of each repeated value."""
    seen: dict[str, int] = {}
    out = []
    for i, value in enumerate(values):
        key = json.dumps(value, sort_keys=True) + type(value).__name__
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            out.append(i)
    return out


def _map_list(schema: Schema, value: list[Any], path: str) -> list[Cause]:
    for i, item in enumerate(value):
        if item is not None and not isinstance(item, dict):
            return [invalid(f"{path}[{i}]", shown(item), "must be an object for an array of list-type map")]
    keys = [{k: item[k] for k in schema.list_map_keys if k in item} if isinstance(item, dict) else {}
            for item in value]
    return [duplicate(f"{path}[{i}]", GoRepr(go_syntax(keys[i]))) for i in _repeats(keys)]
