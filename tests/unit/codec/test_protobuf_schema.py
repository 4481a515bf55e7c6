"""The protobuf table against the Kubernetes 1.33 OpenAPI definitions: every message must
carry exactly the JSON fields of its type, each with a matching JSON type, so no field of
a covered kind is missing, misnamed or read as the wrong type."""

from __future__ import annotations

from typing import Any

import pytest

from corral.api.codec import protoschema
from corral.api.codec.protoschema import KINDS, SCALARS, SPECIAL, STRING_LISTS, Field, messages
from tests.unit.codec import k8s_openapi
from tests.unit.codec.k8s_openapi import definitions, ref, types

_SPECIAL_DEFS = {
    protoschema.TIME: k8s_openapi.TIME,
    protoschema.QUANTITY: k8s_openapi.QUANTITY,
    protoschema.INT_OR_STRING: k8s_openapi.INT_OR_STRING,
    protoschema.FIELDS_V1: k8s_openapi.FIELDS_V1,
}


def definition_name(message: str) -> str:
    if message in _SPECIAL_DEFS:
        return _SPECIAL_DEFS[message]
    if message.startswith("meta.v1."):
        return "io.k8s.apimachinery.pkg.apis.meta.v1." + message.removeprefix("meta.v1.")
    return "io.k8s.api." + message


def inlined() -> set[str]:
    return {f.type for fields in messages().values() for f in fields.values() if f.inline}


def json_fields(message: str) -> dict[str, Field]:
    """The fields as JSON shows them, with inline messages flattened."""
    out: dict[str, Field] = {}
    for field in messages()[message].values():
        if field.inline:
            out.update(json_fields(field.type))
        else:
            out[field.name] = field
    return out


def check_element(field: Field, schema: dict[str, Any], where: str) -> None:
    """One value (not the list or map around it) of ``field`` against its schema."""
    if field.type in STRING_LISTS:
        assert types(schema) == {"array"} and types(schema["items"]) == {"string"}, where
    elif field.type in SCALARS:
        expected = {"string": ("string", None), "bytes": ("string", "byte"), "int32": ("integer", "int32"),
                    "int64": ("integer", "int64"), "bool": ("boolean", None)}[field.type]
        assert (types(schema), schema.get("format")) == ({expected[0]}, expected[1]), where
    else:
        assert ref(schema) == definition_name(field.type), where


@pytest.mark.parametrize("message", sorted(set(messages()) - inlined()))
def test_message_matches_openapi_definition(message: str) -> None:
    definition = definitions()[definition_name(message)]
    properties = dict(definition.get("properties", {}))
    if "x-kubernetes-group-version-kind" in definition:  # Go's TypeMeta, not in the message
        properties.pop("apiVersion"), properties.pop("kind")
    fields = json_fields(message)
    assert set(fields) == set(properties)
    for name, field in fields.items():
        schema, where = properties[name], f"{message}.{name}"
        if field.is_map:
            assert types(schema) == {"object"}, where
            check_element(field, schema["additionalProperties"], where)
        elif field.repeated:
            assert types(schema) == {"array"}, where
            check_element(field, schema["items"], where)
        else:
            check_element(field, schema, where)


def test_inline_messages_have_no_definition_of_their_own() -> None:
    # Go embeds these structs; OpenAPI knows only the flattened parent.
    assert inlined() == {"core.v1.VolumeSource", "core.v1.ProbeHandler", "core.v1.EphemeralContainerCommon",
                         "core.v1.LocalObjectReference", "networking.v1.IngressRuleValue"}


def test_every_referenced_type_is_known() -> None:
    table = messages()
    for name, fields in table.items():
        for field in fields.values():
            assert field.type in SCALARS or field.type in table or field.type in SPECIAL, (name, field)
            if field.is_map and field.type in SCALARS:
                # decode() fills an absent map value with "", the zero of both
                assert field.type in ("string", "bytes"), (name, field)


@pytest.mark.parametrize("key", sorted(KINDS))
def test_kinds_name_their_openapi_group_version_kind(key: str) -> None:
    api_version, kind = key.rsplit("/", 1)
    group, _, version = api_version.rpartition("/")
    gvks = definitions()[definition_name(KINDS[key])]["x-kubernetes-group-version-kind"]
    assert {"group": group, "version": version, "kind": kind} in gvks
