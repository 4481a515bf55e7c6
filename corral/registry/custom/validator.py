"""Validation of a custom object (or a part of it) against its CRD schema, with the causes
kube-apiserver 1.33 gives: kube-openapi's schema validator, its messages (``spec.replicas
in body must be of type integer: "string"``), and apiextensions' translation of them
into field errors (Required, Unsupported value, Too long, Too many, Invalid value).

Updates ratchet as kube's CRDValidationRatcheting does: a part of the object that is
unchanged from the old object, and can be matched to it (object fields, map keys, the
entries of ``x-kubernetes-list-type: map`` lists), reports no errors.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.labels import go_quote
from corral.patch.gofmt import go_value
from corral.registry.custom.formats import conforms
from corral.registry.custom.structural import Schema
from corral.registry.validation.fielderrors import GoRepr, invalid, not_supported, required, too_long, too_many

TYPE_INVALID = "FieldValueTypeInvalid"
ABSENT: Any = object()  # no old value to ratchet against


@dataclass(frozen=True, slots=True)
class _Error:
    """One kube-openapi validation error before it becomes a field error."""

    code: str  # required, enum, too_long, max_items, max_properties, type, invalid, composite
    name: str  # the validator's path: "spec.replicas", ".spec" for a required root field
    message: str
    value: Any = None
    limit: int = -1  # the maximum of too_long / max_items / max_properties
    values: tuple[Any, ...] = ()  # the allowed values of an enum


def go_syntax(value: Any) -> str:
    """A decoded JSON value as Go's ``%#v`` prints it (``map[string]interface {}{"a":1}``)."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, dict):
        return "map[string]interface {}{" + ", ".join(
            f"{go_quote(k)}:{go_syntax(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(v) for v in value) + "}"
    return go_value(value)


def shown(value: Any) -> Any:
    """A bad value for a field error, so that it prints as ``field.Error`` prints a
    decoded JSON value (floats as Go writes them, maps and lists with ``%#v``)."""
    return GoRepr(go_syntax(value)) if isinstance(value, dict | list | float) else value


def same(a: Any, b: Any) -> bool:
    """Deep equality of JSON values that tells booleans from numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and bool(a == b)


def validate(schema: Schema, value: Any, prefix: str | None = None, old: Any = ABSENT) -> list[Cause]:
    """The causes of ``value`` (the part of an object at field path ``prefix``, None for the
    whole object) failing ``schema``; ``old`` is the value before an update."""
    return [_cause(e, prefix) for e in _Checker().check(schema, value, "", old)]


def _cause(error: _Error, prefix: str | None) -> Cause:
    name = error.name.removeprefix(".")
    if error.code == "composite" or not name:
        path = prefix if prefix is not None else "<nil>"
    else:
        path = f"{prefix}.{name}" if prefix else name
    if error.code == "composite":
        return invalid(path, "", error.message)
    if error.code == "required":
        return required(path)
    if error.code == "enum":
        allowed = [v if isinstance(v, str) else json.dumps(v) for v in error.values]
        return not_supported(path, shown(error.value), allowed)
    if error.code == "too_long":
        return too_long(path, error.limit)
    if error.code in ("max_items", "max_properties"):
        return too_many(path, int(error.value), error.limit)
    bad = shown("" if error.value is None else error.value)
    if error.code == "type":
        return Cause(TYPE_INVALID, invalid(path, bad, error.message).message, path)
    return invalid(path, bad, error.message)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Checker:
    """kube-openapi's SchemaValidator: each check applies by the kind of the value."""

    def check(self, s: Schema, data: Any, path: str, old: Any) -> list[_Error]:
        errors = self._check(s, data, path, old)
        if errors and old is not ABSENT and same(data, old):
            return []  # ratcheting: unchanged values keep passing
        return errors

    def _check(self, s: Schema, data: Any, path: str, old: Any) -> list[_Error]:
        errors = self._type(s, data, path)
        if data is None:
            return errors + self._enum(s, data, path)
        errors += self._combinations(s, data, path, old)
        if isinstance(data, str):
            errors += self._string(s, data, path)
            if s.format:
                errors += self._format(s, data, path)
        elif isinstance(data, int | float) and not isinstance(data, bool):
            errors += self._number(s, data, path)
        elif isinstance(data, list):
            errors += self._slice(s, data, path, old)
        errors += self._enum(s, data, path)
        if isinstance(data, dict):
            errors += self._object(s, data, path, old)
        return errors

    @staticmethod
    def _type(s: Schema, data: Any, path: str) -> list[_Error]:
        if not s.types and not s.format:
            return []
        wanted = ",".join(s.types)
        if data is None:
            if s.types and not s.nullable:
                return [_Error("type", path, f"{path} in body must be of type {wanted}: \"null\"", "null")]
            return []
        actual = _json_type(data)
        float_int = actual == "number" and float(data).is_integer() and "integer" in s.types
        int_float = actual == "integer" and "number" in s.types
        if not isinstance(data, str | list) and s.format and not (actual in s.types or float_int or int_float):
            fmt = "int64" if actual == "integer" else "float64" if actual == "number" else ""
            return [_Error("type", path, f"{path} in body must be of type {s.format}: {go_quote(fmt)}", fmt)]
        if "number" not in s.types and "integer" not in s.types and s.format and isinstance(data, str | list):
            return []
        if not (actual in s.types or float_int or int_float):
            return [_Error("type", path, f"{path} in body must be of type {wanted}: {go_quote(actual)}", actual)]
        return []

    def _combinations(self, s: Schema, data: Any, path: str, old: Any) -> list[_Error]:
        errors: list[_Error] = []
        if s.any_of:
            results = [self.check(branch, data, path, old) for branch in s.any_of]
            if all(results):
                errors.append(_Error("composite", path, f"{go_quote(path)} must validate at least one schema "
                                                         "(anyOf)"))
                errors += _fewest(results)
        if s.one_of:
            results = [self.check(branch, data, path, old) for branch in s.one_of]
            valid = sum(1 for r in results if not r)
            if valid != 1:
                detail = "Found none valid" if valid == 0 else f"Found {valid} valid alternatives"
                errors.append(_Error("composite", path, f"{go_quote(path)} must validate one and only one schema "
                                                         f"(oneOf). {detail}"))
                if valid == 0:
                    errors += _fewest(results)
        if s.all_of:
            results = [self.check(branch, data, path, old) for branch in s.all_of]
            for result in results:
                errors += result
            passed = sum(1 for r in results if not r)
            if passed != len(results):
                detail = ". None validated" if passed == 0 else ""
                errors.append(_Error("composite", path, f"{go_quote(path)} must validate all the schemas "
                                                         f"(allOf){detail}"))
        if s.not_ is not None and not self.check(s.not_, data, path, old):
            errors.append(_Error("composite", path, f"{go_quote(path)} must not validate the schema (not)"))
        return errors

    @staticmethod
    def _string(s: Schema, data: str, path: str) -> list[_Error]:
        if s.max_length is not None and len(data) > s.max_length:
            return [_Error("too_long", path, f"{path} in body should be at most {s.max_length} chars long", data,
                           s.max_length)]
        if s.min_length is not None and len(data) < s.min_length:
            return [_Error("invalid", path, f"{path} in body should be at least {s.min_length} chars long",
                           data)]
        if s.pattern_text and (s.pattern is None or not s.pattern.search(data)):
            return [_Error("invalid", path, f"{path} in body should match '{s.pattern_text}'", data)]
        return []

    @staticmethod
    def _format(s: Schema, data: str, path: str) -> list[_Error]:
        if conforms(s.format, data):
            return []
        return [_Error("type", path, f"{path} in body must be of type {s.format}: {go_quote(data)}", data)]

    @staticmethod
    def _number(s: Schema, data: float, path: str) -> list[_Error]:
        errors: list[_Error] = []
        integral = isinstance(data, int)

        def bound(limit: float) -> str:
            return str(int(limit)) if integral else go_value(float(limit))

        if s.multiple_of is not None:
            factor = s.multiple_of
            if factor <= 0:
                errors.append(_Error("invalid", path, f"factor MultipleOf declared for {path} must be positive: "
                                                      f"{bound(factor)}", data))
            elif not _is_multiple(data, factor):
                errors.append(_Error("invalid", path, f"{path} in body should be a multiple of {bound(factor)}",
                                     data))
        if s.minimum is not None:
            low = int(s.minimum) if integral else s.minimum
            if data < low or (s.exclusive_minimum and data <= low):
                word = "greater than" if s.exclusive_minimum else "greater than or equal to"
                errors.append(_Error("invalid", path, f"{path} in body should be {word} {bound(s.minimum)}", data))
        if s.maximum is not None:
            high = int(s.maximum) if integral else s.maximum
            if data > high or (s.exclusive_maximum and data >= high):
                word = "less than" if s.exclusive_maximum else "less than or equal to"
                errors.append(_Error("invalid", path, f"{path} in body should be {word} {bound(s.maximum)}", data))
        return errors

    def _slice(self, s: Schema, data: list[Any], path: str, old: Any) -> list[_Error]:
        errors: list[_Error] = []
        if s.items is not None:
            olds = _correlate_items(s, data, old)
            for i, item in enumerate(data):
                errors += self.check(s.items, item, f"{path}[{i}]", olds[i])
        size = len(data)
        if s.min_items is not None and size < s.min_items:
            errors.append(_Error("invalid", path, f"{path} in body should have at least {s.min_items} items", size))
        if s.max_items is not None and size > s.max_items:
            errors.append(_Error("max_items", path, f"{path} in body should have at most {s.max_items} items", size,
                                 s.max_items))
        if s.unique_items and any(same(a, b) for i, a in enumerate(data) for b in data[i + 1:]):
            errors.append(_Error("invalid", path, f"{path} in body shouldn't contain duplicates"))
        return errors

    @staticmethod
    def _enum(s: Schema, data: Any, path: str) -> list[_Error]:
        if not s.enum or any(same(data, v) for v in s.enum):
            return []
        shown = " ".join(go_value(v) for v in s.enum)
        return [_Error("enum", path, f"{path} in body should be one of [{shown}]", data, values=tuple(s.enum))]

    def _object(self, s: Schema, data: dict[str, Any], path: str, old: Any) -> list[_Error]:
        errors: list[_Error] = []
        size = len(data)
        if s.min_properties is not None and size < s.min_properties:
            errors.append(_Error("invalid", path, f"{path} in body should have at least {s.min_properties} "
                                                  "properties", size))
        if s.max_properties is not None and size > s.max_properties:
            errors.append(_Error("max_properties", path, f"{path} in body should have at most {s.max_properties} "
                                                         "properties", size, s.max_properties))
        olds = old if isinstance(old, dict) else {}
        if s.additional is False:
            errors += [_Error("invalid", f"{path}.{k}", f"{path}.{k} in body is a forbidden property")
                       for k in sorted(data) if k not in s.properties]
        elif isinstance(s.additional, Schema):
            for key in sorted(data):
                if key not in s.properties:
                    errors += self.check(s.additional, data[key], f"{path}.{key}", olds.get(key, ABSENT))
        for name in sorted(s.properties):
            if name in data:
                errors += self.check(s.properties[name], data[name], _at(path, name), olds.get(name, ABSENT))
        errors += [_Error("required", f"{path}.{name}", f"{path}.{name} in body is required")
                   for name in s.required if name not in data]
        return errors


def _fewest(results: list[list[_Error]]) -> list[_Error]:
    """The errors of the alternative that came closest (kube keeps its best failure)."""
    return min(results, key=len)


def _is_multiple(value: float, factor: float) -> bool:
    """MultipleOfInt for integers (by the factor's integer part), MultipleOf for floats."""
    if isinstance(value, int):
        return int(factor) == 0 or value % int(factor) == 0
    quotient = value / factor if factor >= 1 else 1 / factor * value
    return quotient.is_integer()


def _correlate_items(s: Schema, data: list[Any], old: Any) -> list[Any]:
    """The old entry of each new list entry, where kube can tell it (map lists, by key)."""
    if s.list_type != "map" or not s.list_map_keys or not isinstance(old, list):
        return [ABSENT] * len(data)
    by_key = {_map_key(s, o): o for o in old if isinstance(o, Mapping)}
    return [by_key.get(_map_key(s, d), ABSENT) if isinstance(d, Mapping) else ABSENT for d in data]


def _map_key(s: Schema, entry: Mapping[str, Any]) -> str:
    return json.dumps([entry.get(k) for k in s.list_map_keys], sort_keys=True)
