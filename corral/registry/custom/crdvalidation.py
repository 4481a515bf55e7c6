"""Validation of CustomResourceDefinitions as apiextensions-apiserver 1.33 validates them:
the name (``<plural>.<group>``), group, scope, names, versions (unique, exactly one
storage version, a schema for each), subresources, printer columns, selectable fields,
conversion, the accepted names and stored versions in the status, and what may not change
once the CRD is established.

kube validates its internal form, into which a v1 CRD converts with every per-version
schema, subresources, columns and selectable fields that all versions share moved to the
top level; error paths follow it (``spec.validation.openAPIV3Schema``,
``spec.subresources``, ``spec.additionalPrinterColumns[0]``) exactly as kube's do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from corral.machinery.errors import Cause
from corral.machinery.labels import go_quote
from corral.machinery.names import dns1123_subdomain_name, is_dns1035_label, is_dns1123_subdomain
from corral.registry.custom.crdschema import validate_schema
from corral.registry.custom.definitions import is_true, schema_of, spec, status, versions
from corral.registry.custom.meta import validate_meta
from corral.registry.validation.fielderrors import (
    GoRepr,
    duplicate,
    forbidden,
    go_slice,
    immutable,
    invalid,
    not_supported,
    required,
    too_many,
)

Obj = Mapping[str, Any]

_COLUMN_TYPES = ("boolean", "date", "integer", "number", "string")
_COLUMN_FORMATS = ("byte", "date", "date-time", "double", "float", "int32", "int64", "password")
_SELECTABLE_TYPES = ("string", "boolean", "integer")
MAX_SELECTABLE_FIELDS = 8
APPROVAL = "api-approved.kubernetes.io"
_PER_VERSION = ("schema", "subresources", "additionalPrinterColumns", "selectableFields")


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _shared(vs: list[Obj], key: str) -> bool:
    """Whether every version has the same value there (then kube moves it to the top)."""
    first = vs[0].get(key) if vs else None
    return bool(vs) and all((_empty(v.get(key)) and _empty(first)) or v.get(key) == first for v in vs)


def validate_crd(crd: Obj, old: Obj | None) -> list[Cause]:
    """Why kube would refuse this CRD (replacing ``old`` on update)."""
    s = spec(crd)
    causes = validate_meta(crd, old, False, _name_check(s))
    causes += _spec(s, require_schema=old is None or all(schema_of(v) is not None for v in versions(old)))
    if old is not None:
        causes += _spec_update(s, spec(old), names_fixed=is_true(old, "Established"))
    causes += _names(status(crd).get("acceptedNames") or {}, "status.acceptedNames")
    causes += _stored_versions(status(crd).get("storedVersions"), versions(crd))
    causes += _approval(crd, old)
    if s.get("preserveUnknownFields") is True and (old is None or spec(old).get("preserveUnknownFields") is not True):
        causes.append(invalid("spec.preserveUnknownFields", True, "cannot set to true, set "
                              "x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"))
    return causes


def _name_check(s: Obj) -> Callable[[str, bool], list[str]]:
    wanted = f"{(s.get('names') or {}).get('plural', '')}.{s.get('group', '')}"

    def check(name: str, prefix: bool) -> list[str]:
        problems = dns1123_subdomain_name(name, prefix)
        if name != wanted:
            problems.append('must be spec.names.plural+"."+spec.group')
        return problems

    return check


def _spec(s: Obj, *, require_schema: bool) -> list[Cause]:
    causes: list[Cause] = []
    group = str(s.get("group") or "")
    if not group:
        causes.append(required("spec.group"))
    elif is_dns1123_subdomain(group):
        causes.append(invalid("spec.group", group, ",".join(is_dns1123_subdomain(group))))
    elif len(group.split(".")) < 2:
        causes.append(invalid("spec.group", group, "should be a domain with at least one dot"))
    scope = s.get("scope") or ""
    if not scope:
        causes.append(required("spec.scope"))
    elif scope not in ("Cluster", "Namespaced"):
        causes.append(not_supported("spec.scope", scope, ("Cluster", "Namespaced")))
    vs = versions({"spec": s})
    shared = {key: _shared(vs, key) for key in _PER_VERSION}
    top_schema = schema_of(vs[0]) if vs and shared["schema"] else None
    if require_schema and top_schema is None:
        causes += [required(f"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required")
                   for i, v in enumerate(vs) if schema_of(v) is None]
    if _has_defaults(vs) and s.get("preserveUnknownFields") is True:
        causes.append(invalid("spec.preserveUnknownFields", True, "must be false in order to use defaults in the "
                                                                  "schema"))
    storage = 0
    names: set[str] = set()
    unique = True
    for i, v in enumerate(vs):
        path = f"spec.versions[{i}]"
        name = str(v.get("name") or "")
        storage += v.get("storage") is True
        unique = unique and name not in names
        names.add(name)
        if is_dns1035_label(name):
            causes.append(invalid(f"{path}.name", name, ",".join(is_dns1035_label(name))))
        causes += _version(v, path, shared, _status_enabled(vs[0] if shared["subresources"] else v))
    if not unique:
        causes.append(invalid("spec.versions", _versions_shown(vs, shared), "must contain unique version names"))
    if storage != 1:
        causes.append(invalid("spec.versions", _versions_shown(vs, shared),
                              "must have exactly one version marked as storage version"))
    requested = s.get("names") or {}
    causes += [required(f"spec.names.{field}") for field in ("plural", "singular", "kind", "listKind")
               if not requested.get(field)]
    causes += _names(requested, "spec.names")
    if vs and shared["schema"] and top_schema is not None:
        any_status = any(_status_enabled(v) for v in vs)
        causes += validate_schema(top_schema, "spec.validation.openAPIV3Schema", any_status)
    if vs and shared["subresources"]:
        causes += _subresources(vs[0].get("subresources"), "spec.subresources")
    if vs and shared["additionalPrinterColumns"]:
        causes += _columns(vs[0].get("additionalPrinterColumns"), "spec.additionalPrinterColumns")
    if vs and shared["selectableFields"] and vs[0].get("selectableFields"):
        if top_schema is None:
            causes.append(invalid("spec.selectableFields", "", "selectableFields may only be set when "
                                                               "validations.schema is included"))
        else:
            causes += _selectable(vs[0]["selectableFields"], top_schema, "spec.selectableFields")
    return causes + _conversion(s.get("conversion"))


def _status_enabled(version: Obj) -> bool:
    return isinstance(version.get("subresources"), Mapping) and "status" in version["subresources"]


def _has_defaults(vs: list[Obj]) -> bool:
    def found(raw: Any) -> bool:
        if isinstance(raw, Mapping):
            return "default" in raw or any(found(v) for v in raw.values())
        return isinstance(raw, list) and any(found(v) for v in raw)

    return any(found(schema_of(v)) for v in vs)


def _version(v: Obj, path: str, shared: Mapping[str, bool], status_enabled: bool) -> list[Cause]:
    causes: list[Cause] = []
    warning = v.get("deprecationWarning")
    if warning is not None:
        problems = [] if v.get("deprecated") is True else ["can only be set for deprecated versions"]
        if len(str(warning)) > 256:
            problems.append("must be <= 256 characters long")
        if not warning:
            problems.append("must not be an empty string")
        causes += [invalid(f"{path}.deprecationWarning", warning, p) for p in problems]
    schema = None if shared["schema"] else schema_of(v)
    if schema is not None:
        causes += validate_schema(schema, f"{path}.schema.openAPIV3Schema", status_enabled)
    if not shared["subresources"]:
        causes += _subresources(v.get("subresources"), f"{path}.subresources")
    if not shared["additionalPrinterColumns"]:
        causes += _columns(v.get("additionalPrinterColumns"), f"{path}.additionalPrinterColumns")
    if not shared["selectableFields"] and v.get("selectableFields"):
        if schema is None:
            causes.append(invalid(f"{path}.selectableFields", "", "selectableFields may only be set when "
                                                                  "version.schema.openAPIV3Schema is not included"))
        else:
            causes += _selectable(v["selectableFields"], schema, f"{path}.selectableFields")
    return causes


def _versions_shown(vs: list[Obj], shared: Mapping[str, bool]) -> GoRepr:
    """%#v of the internal []CustomResourceDefinitionVersion (pointers show as addresses)."""
    def pointer(kind: str, value: Any, key: str) -> str:
        return f"(*apiextensions.{kind})(nil)" if shared[key] or _empty(value) else f"(*apiextensions.{kind})(0xc0)"

    def items(kind: str, value: Any, key: str) -> str:
        return f"[]apiextensions.{kind}(nil)" if shared[key] or _empty(value) else f"[]apiextensions.{kind}{{...}}"

    shown = []
    for v in vs:
        warning = v.get("deprecationWarning")
        shown.append(
            "apiextensions.CustomResourceDefinitionVersion{"
            f"Name:{go_quote(str(v.get('name') or ''))}, Served:{'true' if v.get('served') else 'false'}, "
            f"Storage:{'true' if v.get('storage') else 'false'}, "
            f"Deprecated:{'true' if v.get('deprecated') else 'false'}, "
            f"DeprecationWarning:{'(*string)(nil)' if warning is None else '(*string)(0xc0)'}, "
            f"Schema:{pointer('CustomResourceValidation', v.get('schema'), 'schema')}, "
            f"Subresources:{pointer('CustomResourceSubresources', v.get('subresources'), 'subresources')}, "
            "AdditionalPrinterColumns:" + items("CustomResourceColumnDefinition", v.get("additionalPrinterColumns"),
                                                "additionalPrinterColumns") + ", "
            f"SelectableFields:{items('SelectableField', v.get('selectableFields'), 'selectableFields')}}}")
    return GoRepr("[]apiextensions.CustomResourceDefinitionVersion{" + ", ".join(shown) + "}")


def _names(names: Obj, path: str) -> list[Cause]:
    causes: list[Cause] = []
    for field, lower in (("plural", False), ("singular", False), ("kind", True), ("listKind", True)):
        value = str(names.get(field) or "")
        problems = is_dns1035_label(value.lower() if lower else value) if value else []
        if problems:
            detail = ",".join(problems)
            causes.append(invalid(f"{path}.{field}", value,
                                  f"may have mixed case, but should otherwise match: {detail}" if lower else detail))
    for field in ("shortNames", "categories"):
        for i, value in enumerate(names.get(field) or []):
            problems = is_dns1035_label(str(value))
            if problems:
                causes.append(invalid(f"{path}.{field}[{i}]", value, ",".join(problems)))
    kind = names.get("kind")
    if kind and kind == names.get("listKind"):
        causes.append(invalid(f"{path}.listKind", kind, "kind and listKind may not be the same"))
    return causes


def _subresources(subresources: Any, path: str) -> list[Cause]:
    scale = subresources.get("scale") if isinstance(subresources, Mapping) else None
    if not isinstance(scale, Mapping):
        return []
    causes: list[Cause] = []
    for field, under in (("specReplicasPath", (".spec.",)), ("statusReplicasPath", (".status.",))):
        value = str(scale.get(field) or "")
        where = f"{path}.scale.{field}"
        if not value:
            causes.append(required(where))
        else:
            problems = _simple_json_path(value, where)
            if problems:
                causes += problems
            elif not value.startswith(under):
                causes.append(invalid(where, value, f"should be a json path under {under[0].rstrip('.')}"))
    selector = str(scale.get("labelSelectorPath") or "")
    if selector:
        where = f"{path}.scale.labelSelectorPath"
        problems = _simple_json_path(selector, where)
        if problems:
            causes += problems
        elif not selector.startswith((".spec.", ".status.")):
            causes.append(invalid(where, GoRepr("(*string)(0xc0)"), "should be a json path under either .spec or "
                                                                    ".status"))
    return causes


def _simple_json_path(value: str, path: str) -> list[Cause]:
    if not value:
        return [invalid(path, value, "must not be empty")]
    if not value.startswith("."):
        return [invalid(path, value, "must be a simple json path starting with .")]
    return []


def _columns(columns: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    for i, col in enumerate(columns if isinstance(columns, list) else []):
        where = f"{path}[{i}]"
        col = col if isinstance(col, Mapping) else {}
        if not col.get("name"):
            causes.append(required(f"{where}.name"))
        kind = str(col.get("type") or "")
        if not kind:
            causes.append(required(f"{where}.type", f"must be one of {','.join(_COLUMN_TYPES)}"))
        elif kind not in _COLUMN_TYPES:
            causes.append(invalid(f"{where}.type", kind, f"must be one of {','.join(_COLUMN_TYPES)}"))
        fmt = str(col.get("format") or "")
        if fmt and fmt not in _COLUMN_FORMATS:
            causes.append(invalid(f"{where}.format", fmt, f"must be one of {','.join(_COLUMN_FORMATS)}"))
        json_path = str(col.get("jsonPath") or "")
        if not json_path:
            causes.append(required(f"{where}.JSONPath"))
        else:
            causes += _simple_json_path(json_path, f"{where}.JSONPath")
    return causes


def _field_path(json_path: str, schema: Obj) -> tuple[list[str], Obj]:
    """cel.ValidFieldPath without array notation: the path's segments and the schema it
    reaches; ValueError with kube's words when it reaches nothing."""
    tokens: list[str] = []
    current = ""
    for char in json_path:
        if char in ".[]":
            if current:
                tokens.append(current)
            tokens.append(char)
            current = ""
        else:
            current += char
    if current:
        tokens.append(current)
    segments: list[str] = []
    node: Obj = schema
    stream = iter(tokens)
    for token in stream:
        if token == "[":
            raise ValueError("array notation is not allowed")
        if token != ".":
            raise ValueError(f"expected [ or . but got: {token}")
        name = next(stream, None)
        if name is None:
            raise ValueError("unexpected end of JSON path")
        props = node.get("properties")
        extra = node.get("additionalProperties")
        if isinstance(props, Mapping):
            if not isinstance(props.get(name), Mapping):
                raise ValueError("does not refer to a valid field")
            node = props[name]
        elif isinstance(extra, Mapping):
            node = extra
        else:
            raise ValueError("does not refer to a valid field")
        segments.append(name)
    return segments, node


def _selectable(fields: Any, schema: Obj, path: str) -> list[Cause]:
    causes: list[Cause] = []
    unique: set[str] = set()
    for i, entry in enumerate(fields if isinstance(fields, list) else []):
        where = f"{path}[{i}].jsonPath"
        json_path = str((entry if isinstance(entry, Mapping) else {}).get("jsonPath") or "")
        if not json_path:
            causes.append(required(where))
            continue
        try:
            segments, found = _field_path(json_path, schema)
        except ValueError as exc:
            causes.append(invalid(where, json_path, f"is an invalid path: {exc}"))
            continue
        if segments and segments[0] == "metadata":
            causes.append(invalid(where, json_path, "must not point to fields in metadata"))
        if found.get("type") not in _SELECTABLE_TYPES:
            causes.append(invalid(where, json_path, "must point to a field of type string, boolean or integer. Enum "
                                                    "string fields and strings with formats are allowed."))
        key = ".".join(segments)
        if key in unique:
            causes.append(duplicate(where, json_path))
        unique.add(key)
    if len(unique) > MAX_SELECTABLE_FIELDS:
        causes.append(too_many(path, len(unique), MAX_SELECTABLE_FIELDS))
    return causes


def _conversion(conversion: Any) -> list[Cause]:
    if not isinstance(conversion, Mapping):
        return []
    path = "spec.conversion"
    strategy = conversion.get("strategy") or ""
    webhook = conversion.get("webhook")
    webhook = webhook if isinstance(webhook, Mapping) else {}
    config = webhook.get("clientConfig")
    review = webhook.get("conversionReviewVersions") or []
    if not strategy:
        return [required(f"{path}.strategy")]
    if strategy not in ("None", "Webhook"):
        return [not_supported(f"{path}.strategy", strategy, ("None", "Webhook"))]
    causes: list[Cause] = []
    if strategy == "Webhook":
        if not isinstance(config, Mapping):
            causes.append(required(f"{path}.webhookClientConfig", "required when strategy is set to Webhook"))
        elif (config.get("url") is None) == (config.get("service") is None):
            causes.append(required(f"{path}.webhookClientConfig", "exactly one of url or service is required"))
        elif config.get("url") is not None and urlsplit(str(config["url"])).scheme != "https":
            causes.append(invalid(f"{path}.webhookClientConfig.url", config["url"], "'https' is the only allowed "
                                                                                    "URL scheme"))
        causes += _review_versions(review, f"{path}.conversionReviewVersions")
    else:
        if config is not None:
            causes.append(forbidden(f"{path}.webhookClientConfig", "should not be set when strategy is not set to "
                                                                   "Webhook"))
        if review:
            causes.append(forbidden(f"{path}.conversionReviewVersions", "should not be set when strategy is not "
                                                                        "set to Webhook"))
    return causes


def _review_versions(review: list[Any], path: str) -> list[Cause]:
    if not review:
        return [required(path)]
    causes: list[Cause] = []
    seen: set[str] = set()
    for i, version in enumerate(review):
        if version in seen:
            causes.append(invalid(f"{path}[{i}]", version, "duplicate version"))
            continue
        seen.add(version)
        causes += [invalid(f"{path}[{i}]", version, p) for p in is_dns1035_label(str(version))]
    if not seen & {"v1", "v1beta1"}:
        causes.append(invalid(path, go_slice(review), "must include at least one of v1, v1beta1"))
    return causes


def _spec_update(s: Obj, old: Obj, *, names_fixed: bool) -> list[Cause]:
    causes: list[Cause] = []
    if names_fixed:
        causes += immutable("spec.scope", s.get("scope"), old.get("scope"))
        causes += immutable("spec.names.kind", (s.get("names") or {}).get("kind"),
                            (old.get("names") or {}).get("kind"))
    causes += immutable("spec.group", s.get("group"), old.get("group"))
    causes += immutable("spec.names.plural", (s.get("names") or {}).get("plural"),
                        (old.get("names") or {}).get("plural"))
    return causes


def _stored_versions(stored: Any, vs: list[Obj]) -> list[Cause]:
    path = "status.storedVersions"
    values = [str(v) for v in stored] if isinstance(stored, list) else []
    if not values:
        return [invalid(path, go_slice(None), "must have at least one stored version")]
    causes: list[Cause] = []
    remaining = {v: i for i, v in enumerate(values)}
    for v in vs:
        name = str(v.get("name") or "")
        if v.get("storage") is True and name not in remaining:
            causes.append(invalid(path, go_slice(values), f"must have the storage version {name}"))
        remaining.pop(name, None)
    for name, i in remaining.items():
        causes.append(invalid(f"{path}[{i}]", name, f"missing from spec.versions; {name} was previously a storage "
                              f"version, and must remain in spec.versions until a storage migration ensures no data "
                              f"remains persisted in {name} and removes {name} from status.storedVersions"))
    return causes


def _approval_state(crd: Obj) -> tuple[str, str]:
    value = str(((crd.get("metadata") or {}).get("annotations") or {}).get(APPROVAL) or "")
    if not value:
        return "missing", (f'protected groups must have approval annotation "{APPROVAL}", see '
                           "https://github.com/kubernetes/enhancements/pull/1111")
    if value.startswith("unapproved"):
        return "bypassed", ""
    parts = urlsplit(value)
    if parts.scheme and parts.netloc:
        return "approved", ""
    return "invalid", (f'protected groups must have approval annotation "{APPROVAL}" with either a URL or a reason '
                       'starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111')


def _approval(crd: Obj, old: Obj | None) -> list[Cause]:
    """Groups under k8s.io and kubernetes.io need an approval annotation."""
    group = str(spec(crd).get("group") or "")
    if not any(group == g or group.endswith("." + g) for g in ("k8s.io", "kubernetes.io")):
        return []
    state, reason = _approval_state(crd)
    if old is not None and _approval_state(old)[0] == state:
        return []
    path = f"metadata.annotations[{APPROVAL}]"
    if state == "missing":
        return [required(path, reason)]
    if state == "invalid":
        return [invalid(path, ((crd.get("metadata") or {}).get("annotations") or {}).get(APPROVAL), reason)]
    return []
