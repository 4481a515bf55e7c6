"""Validation of the ``openAPIV3Schema`` of a CRD version, as apiextensions-apiserver 1.33
validates it: the status-subresource restrictions at the root, the structural schema
rules (every field typed, value validations in ``anyOf``/``allOf``/``oneOf``/``not``
only, metadata left alone), the defaults (valid against their own schema, nothing
pruned), and the OpenAPI features kube refuses (``$ref``, ``patternProperties``,
``uniqueItems``...) or constrains (the ``x-kubernetes-*`` extensions).

Paths are kube's: ``spec.validation.openAPIV3Schema.properties[spec].type`` when every
version shares the schema, ``spec.versions[1].schema.openAPIV3Schema...`` otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.registry.custom.structural import Schema
from corral.registry.custom.validator import shown, validate
from corral.registry.validation.fielderrors import GoRepr, forbidden, go_slice, invalid, not_supported, required

Raw = Mapping[str, Any]

_TYPES = ("array", "boolean", "integer", "number", "object", "string")
_ROOT_ALLOWED_WITH_STATUS = frozenset({
    "description", "type", "format", "title", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "required", "items",
    "properties", "externalDocs", "example", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations"})
_ROOT_FIELD_NAMES = ("Description", "Type", "Format", "Title", "Maximum", "ExclusiveMaximum", "Minimum",
                     "ExclusiveMinimum", "MaxLength", "MinLength", "Pattern", "MaxItems", "MinItems", "UniqueItems",
                     "MultipleOf", "Required", "Items", "Properties", "ExternalDocs", "Example",
                     "XPreserveUnknownFields", "XValidations")
_META_FIELDS = ("metadata", "kind", "apiVersion")
_INT_OR_STRING_ANY_OF = [{"type": "integer"}, {"type": "string"}]
_NESTED_FORBIDDEN = (
    ("type", "must be empty to be structural"),
    ("additionalProperties", "must be undefined to be structural"),
    ("default", "must be undefined to be structural"),
    ("title", "must be empty to be structural"),
    ("description", "must be empty to be structural"),
    ("x-kubernetes-list-map-keys", "must be empty to be structural"),
    ("x-kubernetes-list-type", "must be undefined to be structural"),
    ("x-kubernetes-map-type", "must be undefined to be structural"),
    ("x-kubernetes-validations", "must be empty to be structural"),
)
_NESTED_FLAGS = ("nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
                 "x-kubernetes-int-or-string")
_LEVEL_WORDS = {"root": "must not be empty at the root", "item": "must not be empty for specified array items",
                "field": "must not be empty for specified object fields"}


def _key(path: str, key: str) -> str:
    return f"{path}[{key}]"


def _sub(raw: Raw, key: str) -> Raw | None:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else None


def _props(raw: Raw) -> dict[str, Raw]:
    props = raw.get("properties")
    if not isinstance(props, Mapping):
        return {}
    return {k: v for k, v in sorted(props.items()) if isinstance(v, Mapping)}


def _alternatives(raw: Raw, key: str) -> list[Raw]:
    value = raw.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def validate_schema(schema: Raw, path: str, status_enabled: bool) -> list[Cause]:
    """The causes of one ``openAPIV3Schema`` (at ``path``, ending in ``openAPIV3Schema``)."""
    causes: list[Cause] = []
    if status_enabled:
        causes += _status_root(schema, path)
    if schema.get("nullable") is True:
        causes.append(forbidden(f"{path}.nullable", "nullable cannot be true at the root"))
    init = _structural_init(schema, path)
    if not init:
        structural = _invariants(schema, "root", path) + _completeness(schema, path)
        structural.sort(key=lambda c: f"{c.field}: {c.message}")
        causes += structural or _defaults(schema, path, meta=False, root=True)
    causes += _openapi(schema, path, root=True, inside_meta=False, no_defaults="")
    if not causes:
        causes += init
    return causes


def _status_root(schema: Raw, path: str) -> list[Cause]:
    for key in schema:
        if key == "type":
            if schema["type"] != "object":
                return [invalid(f"{path}.type", schema["type"],
                                'only "object" is allowed as the type at the root of the schema if the status '
                                "subresource is enabled")]
            continue
        if key not in _ROOT_ALLOWED_WITH_STATUS and schema[key] not in (None, False, "", [], {}):
            return [invalid(path, GoRepr("apiextensions.JSONSchemaProps{...}"),
                            f"only [{' '.join(_ROOT_FIELD_NAMES)}] fields are allowed at the root of the schema "
                            "if the status subresource is enabled")]
    return []


def _structural_init(raw: Raw, path: str) -> list[Cause]:
    """NewStructural's refusals: kube reports them only when nothing else is wrong."""
    for key, word in (("id", "id"), ("$schema", "schema"), ("$ref", "$ref"), ("patternProperties", "patternProperties"),
                      ("dependencies", "dependencies"), ("additionalItems", "additionalItems"),
                      ("definitions", "definitions")):
        if raw.get(key):
            return [invalid(path, "", f"OpenAPIV3Schema '{word}' is not supported")]
    if isinstance(raw.get("items"), list):
        return [invalid(path, "", "OpenAPIV3Schema 'items' must be a schema, but is an array")]
    children = [*_props(raw).values(), *_alternatives(raw, "allOf"), *_alternatives(raw, "anyOf"),
                *_alternatives(raw, "oneOf")]
    for key in ("items", "additionalProperties", "not"):
        child = _sub(raw, key)
        if child is not None:
            children.append(child)
    for child in children:
        found = _structural_init(child, path)
        if found:
            return found
    return []


def _is_int_or_string(alternatives: Any) -> bool:
    return isinstance(alternatives, list) and alternatives == _INT_OR_STRING_ANY_OF


def _invariants(raw: Raw, level: str, path: str) -> list[Cause]:
    causes: list[Cause] = []
    kind = raw.get("type") or ""
    items = _sub(raw, "items")
    if kind == "array" and items is None:
        causes.append(required(f"{path}.items", "must be specified"))
    if items is not None:
        causes += _invariants(items, "item", f"{path}.items")
    for name, prop in _props(raw).items():
        causes += _invariants(prop, "field", _key(f"{path}.properties", name))
    extra = raw.get("additionalProperties")
    if extra is not None:
        if level == "root":
            causes.append(forbidden(f"{path}.additionalProperties", "must not be used at the root"))
        if isinstance(extra, Mapping):
            causes += _invariants(extra, "field", f"{path}.additionalProperties")
    int_or_string = raw.get("x-kubernetes-int-or-string") is True
    preserve = raw.get("x-kubernetes-preserve-unknown-fields") is True
    embedded = raw.get("x-kubernetes-embedded-resource") is True
    if int_or_string and preserve:
        causes.append(invalid(f"{path}.x-kubernetes-preserve-unknown-fields", True,
                              "must be false if x-kubernetes-int-or-string is true"))
    if int_or_string and embedded:
        causes.append(invalid(f"{path}.x-kubernetes-embedded-resource", True,
                              "must be false if x-kubernetes-int-or-string is true"))
    all_of = _alternatives(raw, "allOf")
    causes += _value_validation(raw, path, skip_any_of=_is_int_or_string(raw.get("anyOf")),
                                skip_first_all_of=bool(all_of) and _is_int_or_string(all_of[0].get("anyOf")))
    if embedded and kind != "object":
        causes.append(required(f"{path}.type", "must be object if x-kubernetes-embedded-resource is true")
                      if not kind else invalid(f"{path}.type", kind,
                                               "must be object if x-kubernetes-embedded-resource is true"))
    elif not kind and not int_or_string and not preserve:
        causes.append(required(f"{path}.type", _LEVEL_WORDS[level]))
    if embedded and extra is not None:
        causes.append(forbidden(f"{path}.additionalProperties", "must not be used if x-kubernetes-embedded-resource "
                                                                "is set"))
    if level == "root" and kind and kind != "object":
        causes.append(invalid(f"{path}.type", kind, "must be object at the root"))
    props = _props(raw)
    check_meta = level == "root" or embedded
    for meta_field in ("kind", "apiVersion"):
        if check_meta and meta_field in props and props[meta_field].get("type") != "string":
            causes.append(invalid(f"{_key(f'{path}.properties', meta_field)}.type",
                                  props[meta_field].get("type") or "", "must be string"))
    if "metadata" in props:
        causes += _metadata_invariants(props["metadata"], check_meta, level,
                                       _key(f"{path}.properties", "metadata"))
    if embedded and not preserve and not props:
        causes.append(required(f"{path}.properties", "must not be empty if x-kubernetes-embedded-resource is true "
                                                     "without x-kubernetes-preserve-unknown-fields"))
    return causes


def _metadata_invariants(raw: Raw, check: bool, level: str, path: str) -> list[Cause]:
    causes: list[Cause] = []
    if check and raw.get("type") != "object":
        causes.append(invalid(f"{path}.type", raw.get("type") or "", "must be object"))
    if level == "root":
        extra = {k for k, v in raw.items() if k not in ("type", "properties") and v not in (None, False, "", [], {})}
        names = set(_props(raw))
        if extra or names - {"name", "generateName"}:
            causes.append(forbidden(path, "must not specify anything other than name and generateName, but "
                                          "metadata is implicitly specified"))
    return causes


def _value_validation(raw: Raw, path: str, *, skip_any_of: bool = False,
                      skip_first_all_of: bool = False) -> list[Cause]:
    causes: list[Cause] = []
    if not skip_any_of:
        for i, alt in enumerate(_alternatives(raw, "anyOf")):
            causes += _nested(alt, f"{path}.anyOf[{i}]")
    for i, alt in enumerate(_alternatives(raw, "allOf")):
        causes += _nested(alt, f"{path}.allOf[{i}]", skip_any_of=skip_first_all_of and i == 0)
    for i, alt in enumerate(_alternatives(raw, "oneOf")):
        causes += _nested(alt, f"{path}.oneOf[{i}]")
    negated = _sub(raw, "not")
    if negated is not None:
        causes += _nested(negated, f"{path}.not")
    pattern = raw.get("pattern")
    if isinstance(pattern, str) and pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            causes.append(invalid(f"{path}.pattern", pattern, f"must be a valid regular expression, but isn't: "
                                                              f"error parsing regexp: {exc}"))
    return causes


def _nested(raw: Raw, path: str, *, skip_any_of: bool = False) -> list[Cause]:
    """A value validation inside anyOf/allOf/oneOf/not: no structure of its own."""
    causes = _value_validation(raw, path, skip_any_of=skip_any_of)
    items = _sub(raw, "items")
    if items is not None:
        causes += _nested(items, f"{path}.items")
    for name, prop in _props(raw).items():
        causes += _nested(prop, _key(f"{path}.properties", name))
    for key, message in _NESTED_FORBIDDEN:
        if raw.get(key) not in (None, "", [], {}):
            causes.append(forbidden(f"{path}.{key}", message))
    for key in _NESTED_FLAGS:
        if raw.get(key) is True:
            causes.append(forbidden(f"{path}.{key}", "must be false to be structural"))
    if "metadata" in _props(raw):
        causes.append(forbidden(_key(f"{path}.properties", "metadata"), "must not be specified in a nested context"))
    return causes


def _completeness(raw: Raw, path: str) -> list[Cause]:
    """Every field a value validation mentions is also declared by the schema itself."""
    causes: list[Cause] = []
    for key in ("allOf", "anyOf", "oneOf"):
        for i, alt in enumerate(_alternatives(raw, key)):
            causes += _complete(alt, raw, path, f"{path}.{key}[{i}]")
    negated = _sub(raw, "not")
    if negated is not None:
        causes += _complete(negated, raw, path, f"{path}.not")
    return causes


def _complete(value: Raw, structure: Raw | None, s_path: str, v_path: str) -> list[Cause]:
    if structure is None:
        return [required(s_path, f"because it is defined in {v_path}")]
    causes = _completeness_of(value, structure, s_path, v_path)
    items = _sub(value, "items")
    if items is not None:
        causes += _complete(items, _sub(structure, "items"), f"{s_path}.items", f"{v_path}.items")
    declared = _props(structure)
    for name, prop in _props(value).items():
        where = _key(f"{v_path}.properties", name)
        if name not in declared:
            causes.append(required(_key(f"{s_path}.properties", name), f"because it is defined in {where}"))
        else:
            causes += _complete(prop, declared[name], _key(f"{s_path}.properties", name), where)
    return causes


def _completeness_of(value: Raw, structure: Raw, s_path: str, v_path: str) -> list[Cause]:
    causes: list[Cause] = []
    for key in ("allOf", "anyOf", "oneOf"):
        for i, alt in enumerate(_alternatives(value, key)):
            causes += _complete(alt, structure, s_path, f"{v_path}.{key}[{i}]")
    negated = _sub(value, "not")
    if negated is not None:
        causes += _complete(negated, structure, s_path, f"{v_path}.not")
    return causes


def _has_unknown(value: Any, schema: Schema) -> bool:
    """Whether pruning would remove anything from a default value."""
    if schema.preserve:
        return False
    if isinstance(value, dict):
        for key, child in value.items():
            sub = schema.field(key)
            if sub is None:
                if not (schema.embedded and key in _META_FIELDS):
                    return True
            elif _has_unknown(child, sub):
                return True
    elif isinstance(value, list) and schema.items is not None:
        return any(_has_unknown(item, schema.items) for item in value)
    return False


def _defaults(raw: Raw, path: str, *, meta: bool, root: bool = False) -> list[Cause]:
    """ValidateDefaults: each default is free of unknown fields and valid for its schema.
    Defaults inside object metadata are left to the rules that forbid them there."""
    causes: list[Cause] = []
    resource = root or raw.get("x-kubernetes-embedded-resource") is True
    inside = meta and not resource
    if "default" in raw and not inside:
        schema = Schema(raw)
        default = raw["default"]
        if _has_unknown(default, schema):
            causes.append(invalid(f"{path}.default", shown(default), "must not have unknown fields"))
        causes += validate(schema, default, f"{path}.default")
    items = _sub(raw, "items")
    if items is not None:
        causes += _defaults(items, f"{path}.items", meta=inside)
    for name, prop in _props(raw).items():
        causes += _defaults(prop, _key(f"{path}.properties", name),
                            meta=inside or (resource and name in _META_FIELDS))
    return causes


def _openapi(raw: Raw, path: str, *, root: bool, inside_meta: bool, no_defaults: str) -> list[Cause]:
    """ValidateCustomResourceDefinitionOpenAPISchema (without CEL)."""
    causes = _standard(raw, path, inside_meta, no_defaults)
    if raw.get("uniqueItems") is True:
        causes.append(forbidden(f"{path}.uniqueItems", "uniqueItems cannot be set to true since the runtime "
                                                       "complexity becomes quadratic"))
    extra = raw.get("additionalProperties")
    if extra is not None:
        if _props(raw) and (extra is False or isinstance(extra, Mapping)):
            causes.append(forbidden(f"{path}.additionalProperties",
                                    "additionalProperties and properties are mutual exclusive"))
        if isinstance(extra, Mapping):
            reason = "inside additionalProperties applying to object metadata" if inside_meta else no_defaults
            causes += _openapi(extra, f"{path}.additionalProperties", root=False, inside_meta=inside_meta,
                               no_defaults=reason)
    embedded = raw.get("x-kubernetes-embedded-resource") is True
    for name, prop in _props(raw).items():
        meta = (root or embedded) and name in _META_FIELDS
        reason = f"in top-level {name}" if root and meta else no_defaults
        causes += _openapi(prop, _key(f"{path}.properties", name), root=False, inside_meta=inside_meta or meta,
                           no_defaults=reason)
    negated = _sub(raw, "not")
    if negated is not None:
        causes += _openapi(negated, f"{path}.not", root=False, inside_meta=inside_meta, no_defaults=no_defaults)
    for key in ("allOf", "oneOf", "anyOf"):
        for i, alt in enumerate(_alternatives(raw, key)):
            causes += _openapi(alt, f"{path}.{key}[{i}]", root=False, inside_meta=inside_meta,
                               no_defaults=no_defaults)
    items = _sub(raw, "items")
    if items is not None:
        causes += _openapi(items, f"{path}.items", root=False, inside_meta=inside_meta, no_defaults=no_defaults)
    causes += _extensions(raw, path)
    return causes


def _standard(raw: Raw, path: str, inside_meta: bool, no_defaults: str) -> list[Cause]:
    """specStandardValidatorV3: what kube's OpenAPI v3 dialect leaves out."""
    causes: list[Cause] = []
    kind = raw.get("type")
    if isinstance(kind, str) and kind and kind not in _TYPES and kind != "null":
        causes.append(not_supported(f"{path}.type", kind, _TYPES))
    if "default" in raw and no_defaults:
        causes.append(forbidden(f"{path}.default", f"must not be set {no_defaults}"))
    for key, word in (("id", "id"), ("additionalItems", "additionalItems"), ("patternProperties", "patternProperties"),
                      ("definitions", "definitions"), ("dependencies", "dependencies"), ("$ref", "$ref")):
        if raw.get(key):
            causes.append(forbidden(f"{path}.{key}", f"{word} is not supported"))
    if kind == "null":
        causes.append(forbidden(f"{path}.type", "type cannot be set to null, use nullable as an alternative"))
    if isinstance(raw.get("items"), list) and raw["items"]:
        causes.append(forbidden(f"{path}.items", "items must be a schema object and not an array"))
    if inside_meta and raw.get("x-kubernetes-embedded-resource") is True:
        causes.append(forbidden(f"{path}.x-kubernetes-embedded-resource", "must not be used inside of resource meta"))
    return causes


def _extensions(raw: Raw, path: str) -> list[Cause]:
    causes: list[Cause] = []
    kind = raw.get("type") or ""
    if raw.get("x-kubernetes-preserve-unknown-fields") is False:
        causes.append(invalid(f"{path}.x-kubernetes-preserve-unknown-fields", False, "must be true or undefined"))
    map_type = raw.get("x-kubernetes-map-type")
    if map_type is not None:
        if kind != "object":
            message = "must be object if x-kubernetes-map-type is specified"
            causes.append(required(f"{path}.type", message) if not kind else invalid(f"{path}.type", kind, message))
        if map_type not in ("atomic", "granular"):
            causes.append(not_supported(f"{path}.x-kubernetes-map-type", map_type, ("atomic", "granular")))
    list_type = raw.get("x-kubernetes-list-type")
    items = _sub(raw, "items")
    if list_type is not None and kind != "array":
        message = "must be array if x-kubernetes-list-type is specified"
        causes.append(required(f"{path}.type", message) if not kind else invalid(f"{path}.type", kind, message))
    elif list_type == "set" and items is not None:
        if items.get("type") == "array" and items.get("x-kubernetes-list-type") not in (None, "atomic"):
            causes.append(invalid(f"{path}.items.x-kubernetes-list-type", items.get("x-kubernetes-list-type"),
                                  "must be atomic as item of a list with x-kubernetes-list-type=set"))
        if items.get("type") == "object" and items.get("x-kubernetes-map-type") != "atomic":
            causes.append(invalid(f"{path}.items.x-kubernetes-map-type", GoRepr("(*string)(nil)"),
                                  "must be atomic as item of a list with x-kubernetes-list-type=set"))
    if list_type is not None and list_type not in ("atomic", "set", "map"):
        causes.append(not_supported(f"{path}.x-kubernetes-list-type", list_type, ("atomic", "set", "map")))
    keys = raw.get("x-kubernetes-list-map-keys") or []
    if keys:
        if list_type is None:
            causes.append(required(f"{path}.x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is "
                                                                     "non-empty"))
        elif list_type != "map":
            causes.append(invalid(f"{path}.x-kubernetes-list-type", list_type,
                                  "must be map if x-kubernetes-list-map-keys is non-empty"))
    if list_type == "map":
        causes += _map_list(raw, items, keys, path)
    if list_type in ("set", "map") and items is not None:
        causes += _map_set_items(items, list_type, keys, path)
    return causes


def _map_list(raw: Raw, items: Raw | None, keys: list[Any], path: str) -> list[Cause]:
    causes: list[Cause] = []
    if not keys:
        causes.append(required(f"{path}.x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type "
                                                                     "is map"))
    if "items" not in raw:
        causes.append(required(f"{path}.items", "must have a schema if x-kubernetes-list-type is map"))
    if items is None:
        return causes
    if items.get("type") != "object":
        causes.append(invalid(f"{path}.items.type", items.get("type") or "",
                              "must be object if parent array's x-kubernetes-list-type is map"))
        return causes
    props = _props(items)
    seen: set[str] = set()
    for key in keys:
        if key in props:
            if props[key].get("type") in ("array", "object"):
                causes.append(invalid(f"{_key(f'{path}.items.properties', key)}.type", "object",
                                      "must be a scalar type if parent array's x-kubernetes-list-type is map"))
        else:
            causes.append(invalid(f"{path}.x-kubernetes-list-map-keys", GoRepr(_go_strings(keys)),
                                  "entries must all be names of item properties"))
        if key in seen:
            causes.append(invalid(f"{path}.x-kubernetes-list-map-keys", GoRepr(_go_strings(keys)),
                                  "must not contain duplicate entries"))
        seen.add(key)
    return causes


def _go_strings(values: list[Any]) -> str:
    return go_slice([str(v) for v in values]).text


def _map_set_items(items: Raw, list_type: str, keys: list[Any], path: str) -> list[Cause]:
    causes: list[Cause] = []
    if items.get("nullable") is True:
        causes.append(forbidden(f"{path}.items.nullable", f"cannot be nullable when x-kubernetes-list-type is "
                                                          f"{list_type}"))
    if list_type == "map":
        props = _props(items)
        needed = set(items.get("required") or [])
        for key in keys:
            prop = props.get(key)
            if prop is None:
                continue
            where = _key(f"{path}.items.properties", key)
            if key not in needed and "default" not in prop:
                causes.append(required(f"{where}.default", "this property is in x-kubernetes-list-map-keys, so it "
                                                           "must have a default or be a required property"))
            if prop.get("nullable") is True:
                causes.append(forbidden(f"{where}.nullable", "this property is in x-kubernetes-list-map-keys, so it "
                                                             "cannot be nullable"))
    return causes
