"""Validation of custom objects against their CRD schema: each keyword's field error,
worded as kube-apiserver 1.33 words it, and ratcheting of unchanged values on update."""

from __future__ import annotations

from typing import Any

from corral.registry.custom.structural import Schema
from corral.registry.custom.validator import go_syntax, validate

SCHEMA = Schema({"type": "object", "required": ["spec"], "properties": {"spec": {
    "type": "object", "required": ["name"], "properties": {
        "replicas": {"type": "integer", "minimum": 1, "maximum": 10},
        "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
        "color": {"type": "string", "enum": ["red", "green"]},
        "port": {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}, {"type": "string"}]},
        "when": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "ratio": {"type": "number", "exclusiveMaximum": True, "maximum": 1.5},
        "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        "maybe": {"type": "string", "nullable": True},
    }}}})


def errors(obj: dict[str, Any], old: Any = None) -> list[str]:
    causes = validate(SCHEMA, obj) if old is None else validate(SCHEMA, obj, None, old)
    return [f"{c.field}: {c.message}" for c in causes]


def spec(**fields: Any) -> dict[str, Any]:
    return {"spec": {"name": "ab", **fields}}


def test_a_valid_object_has_no_errors() -> None:
    assert errors(spec(replicas=3, color="red", port="http", when="2024-01-02T03:04:05Z", tags=["a"],
                       labels={"a": "b"}, ratio=1.25, free={"any": [1, {"x": None}]}, maybe=None)) == []
    assert errors(spec(port=8080, replicas=2.0)) == []  # an integral float is an integer


def test_type_errors_name_the_json_type() -> None:
    assert errors(spec(replicas="3")) == [
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"']
    assert errors(spec(labels={"x": 1})) == [
        'spec.labels.x: Invalid value: "integer": spec.labels.x in body must be of type string: "integer"']
    assert errors(spec(tags="a")) == [
        'spec.tags: Invalid value: "string": spec.tags in body must be of type array: "string"']


def test_type_errors_are_their_own_reason() -> None:
    cause = validate(SCHEMA, spec(replicas=True))[0]
    assert cause.reason == "FieldValueTypeInvalid"
    assert cause.message == 'Invalid value: "boolean": spec.replicas in body must be of type integer: "boolean"'


def test_bounds_of_numbers() -> None:
    assert errors(spec(replicas=0)) == [
        "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"]
    assert errors(spec(replicas=11)) == [
        "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10"]
    assert errors(spec(ratio=1.5)) == [
        "spec.ratio: Invalid value: 1.5: spec.ratio in body should be less than 1.5"]


def test_strings_report_their_first_failure_only() -> None:
    assert errors(spec(name="abcdefg")) == ["spec.name: Too long: may not be more than 5 bytes"]
    assert errors(spec(name="a")) == [
        'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']
    assert errors(spec(name="A1")) == ["spec.name: Invalid value: \"A1\": spec.name in body should match '^[a-z]+$'"]


def test_enum_lists_supported_values() -> None:
    assert errors(spec(color="blue")) == [
        'spec.color: Unsupported value: "blue": supported values: "red", "green"']


def test_formats() -> None:
    assert errors(spec(when="yesterday")) == [
        'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']


def test_item_counts() -> None:
    assert errors(spec(tags=[])) == ["spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items"]
    assert errors(spec(tags=["a", "b", "c"])) == ["spec.tags: Too many: 3: must have at most 2 items"]
    assert errors(spec(tags=["a", 2])) == [
        'spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"']


def test_required_fields() -> None:
    assert errors({}) == ["spec: Required value"]
    assert errors({"spec": {}}) == ["spec.name: Required value"]


def test_null_is_a_type_error_unless_nullable() -> None:
    assert errors(spec(replicas=None)) == [
        'spec.replicas: Invalid value: "null": spec.replicas in body must be of type integer: "null"']
    assert errors(spec(color=None))[1] == 'spec.color: Unsupported value: null: supported values: "red", "green"'
    assert errors(spec(maybe=None)) == []


def test_int_or_string_takes_either_and_nothing_else() -> None:
    assert errors(spec(port="http")) == errors(spec(port=80)) == []
    found = errors(spec(port=True))
    assert found[0] == ('spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: '
                        '"boolean"')
    assert '<nil>: Invalid value: "": "spec.port" must validate at least one schema (anyOf)' in found


def test_errors_of_a_part_are_prefixed_with_its_path() -> None:
    status = Schema({"type": "object", "properties": {"ready": {"type": "integer"}}})
    assert [f"{c.field}: {c.message}" for c in validate(status, {"ready": "yes"}, "status")] == [
        'status.ready: Invalid value: "string": ready in body must be of type integer: "string"']


def test_unchanged_values_ratchet_on_update() -> None:
    old = spec(replicas=50, color="blue")
    assert errors(spec(replicas=50, color="blue"), old) == []
    assert errors(spec(replicas=51, color="blue"), old) == [
        "spec.replicas: Invalid value: 51: spec.replicas in body should be less than or equal to 10"]


def test_go_syntax_of_json_values() -> None:
    assert go_syntax({"b": [1, "x"], "a": None, "c": 1.5}) == \
        'map[string]interface {}{"a":interface {}(nil), "b":[]interface {}{1, "x"}, "c":1.5}'
