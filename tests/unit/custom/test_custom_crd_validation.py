"""Validation of CustomResourceDefinitions: names, versions, schemas (structural rules,
defaults, kube's OpenAPI dialect), subresources, printer columns, selectable fields,
stored versions and the fields that may not change."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from corral.registry.custom.crdvalidation import validate_crd
from corral.registry.defaults import apply_defaults
from tests.unit.custom.crds import crontab_crd, established

CRD = "CustomResourceDefinition"


def errors(crd: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    apply_defaults("apiextensions.k8s.io", CRD, crd)
    return [f"{c.field}: {c.message}" for c in validate_crd(crd, old)]


def schema_of(crd: dict[str, Any], version: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = crd["spec"]["versions"][version]["schema"]["openAPIV3Schema"]
    return schema


def spec_fields(crd: dict[str, Any], version: int = 0) -> dict[str, Any]:
    fields: dict[str, Any] = schema_of(crd, version)["properties"]["spec"]["properties"]
    return fields


def test_the_example_crd_is_valid() -> None:
    assert errors(crontab_crd()) == []
    assert errors(crontab_crd(versions=("v1beta1", "v1"), scope="Cluster", selectable=(".spec.tier",))) == []


def test_the_name_is_plural_dot_group() -> None:
    crd = crontab_crd()
    crd["metadata"]["name"] = "crontab.stable.example.com"
    assert errors(crd) == [
        'metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group']


def test_exactly_one_storage_version() -> None:
    crd = crontab_crd(versions=("v1", "v2"), storage="none")
    found = errors(crd)
    assert found[0].startswith("spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{")
    assert found[0].endswith(": must have exactly one version marked as storage version")
    assert found[1] == "status.storedVersions: Invalid value: []string(nil): must have at least one stored version"
    twice = crontab_crd(versions=("v1", "v2"))
    twice["spec"]["versions"][1]["storage"] = True
    assert errors(twice)[0].endswith(": must have exactly one version marked as storage version")


def test_version_names_are_unique_dns_labels() -> None:
    crd = crontab_crd(versions=("v1", "v1"))
    assert errors(crd)[0].endswith(": must contain unique version names")
    bad = crontab_crd(versions=("V1",), storage="V1")
    assert errors(bad)[0].startswith('spec.versions[0].name: Invalid value: "V1": a DNS-1035 label')


def test_every_version_needs_a_schema() -> None:
    crd = crontab_crd(versions=("v1", "v2"))
    del crd["spec"]["versions"][1]["schema"]
    assert errors(crd) == ["spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required"]


def test_group_scope_and_names() -> None:
    crd = crontab_crd(group="example")
    assert 'spec.group: Invalid value: "example": should be a domain with at least one dot' in errors(crd)
    crd = crontab_crd()
    crd["spec"]["scope"] = "Global"
    assert errors(crd) == ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']
    crd = crontab_crd(short_names=("CT",))
    assert errors(crd)[0].startswith('spec.names.shortNames[0]: Invalid value: "CT": a DNS-1035 label')
    crd = crontab_crd()
    crd["spec"]["names"]["listKind"] = "CronTab"
    assert errors(crd) == ['spec.names.listKind: Invalid value: "CronTab": kind and listKind may not be the same']


def test_shared_schemas_are_reported_at_the_top_level_like_kube() -> None:
    crd = crontab_crd()
    spec_fields(crd)["untyped"] = {"description": "no type"}
    assert errors(crd) == ["spec.validation.openAPIV3Schema.properties[spec].properties[untyped].type: "
                           "Required value: must not be empty for specified object fields"]
    per_version = crontab_crd(versions=("v1", "v2"))
    spec_fields(per_version, 1)["odd"] = {"type": "strin"}
    assert errors(per_version) == [
        'spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[odd].type: Unsupported value: '
        '"strin": supported values: "array", "boolean", "integer", "number", "object", "string"']


@pytest.mark.parametrize(("change", "expected"), [
    (lambda s: s.update(type="array", items={"type": "object"}),
     "spec.validation.openAPIV3Schema.type: Invalid value: \"array\": must be object at the root"),
    (lambda s: s["properties"]["spec"].update(type="array"),
     "spec.validation.openAPIV3Schema.properties[spec].items: Required value: must be specified"),
    (lambda s: s["properties"].update(metadata={"type": "object", "properties": {"labels": {"type": "object"}}}),
     "spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name "
     "and generateName, but metadata is implicitly specified"),
    (lambda s: s["properties"]["spec"]["properties"]["tier"].update(anyOf=[{"type": "string"}]),
     "spec.validation.openAPIV3Schema.properties[spec].properties[tier].anyOf[0].type: Forbidden: must be empty "
     "to be structural"),
    (lambda s: s["properties"]["spec"]["properties"]["tags"].update(uniqueItems=True),
     "spec.validation.openAPIV3Schema.properties[spec].properties[tags].uniqueItems: Forbidden: uniqueItems cannot "
     "be set to true since the runtime complexity becomes quadratic"),
    (lambda s: s["properties"]["spec"]["properties"]["settings"].update(
        {"x-kubernetes-preserve-unknown-fields": False}),
     "spec.validation.openAPIV3Schema.properties[spec].properties[settings].x-kubernetes-preserve-unknown-fields: "
     "Invalid value: false: must be true or undefined"),
    (lambda s: s["properties"]["spec"]["properties"]["replicas"].update(default="three"),
     "spec.validation.openAPIV3Schema.properties[spec].properties[replicas].default: Invalid value: \"string\":  "
     "in body must be of type integer: \"string\""),
    (lambda s: s["properties"]["spec"]["properties"]["limits"].update(default={"memory": "1Gi"}),
     "spec.validation.openAPIV3Schema.properties[spec].properties[limits].default: Invalid value: "
     "map[string]interface {}{\"memory\":\"1Gi\"}: must not have unknown fields"),
    (lambda s: s["properties"]["spec"]["properties"]["tags"].update({"x-kubernetes-list-type": "map"}),
     "spec.validation.openAPIV3Schema.properties[spec].properties[tags].x-kubernetes-list-map-keys: Required value: "
     "must not be empty if x-kubernetes-list-type is map"),
])
def test_schema_rules(change: Any, expected: str) -> None:
    crd = crontab_crd()
    change(schema_of(crd))
    assert expected in errors(crd)


def test_status_subresource_restricts_the_root_type() -> None:
    crd = crontab_crd()
    schema_of(crd)["type"] = "string"
    assert errors(crd)[0] == ('spec.validation.openAPIV3Schema.type: Invalid value: "string": only "object" is '
                              "allowed as the type at the root of the schema if the status subresource is enabled")


def test_scale_paths_columns_and_selectable_fields() -> None:
    crd = crontab_crd()
    version = crd["spec"]["versions"][0]
    version["subresources"]["scale"]["specReplicasPath"] = ".status.x"
    version["additionalPrinterColumns"] = [{"name": "X", "type": "str", "jsonPath": "spec.x"}, {"name": "Y"}]
    version["selectableFields"] = [{"jsonPath": ".spec.tags"}, {"jsonPath": ".spec.nope"}, {"jsonPath": ".spec.tier"},
                                   {"jsonPath": ".spec.tier"}]
    assert errors(crd) == [
        'spec.subresources.scale.specReplicasPath: Invalid value: ".status.x": should be a json path under .spec',
        'spec.additionalPrinterColumns[0].type: Invalid value: "str": must be one of boolean,date,integer,number,'
        "string",
        'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.x": must be a simple json path starting '
        "with .",
        "spec.additionalPrinterColumns[1].type: Required value: must be one of boolean,date,integer,number,string",
        "spec.additionalPrinterColumns[1].JSONPath: Required value",
        'spec.selectableFields[0].jsonPath: Invalid value: ".spec.tags": must point to a field of type string, '
        "boolean or integer. Enum string fields and strings with formats are allowed.",
        'spec.selectableFields[1].jsonPath: Invalid value: ".spec.nope": is an invalid path: does not refer to a '
        "valid field",
        'spec.selectableFields[3].jsonPath: Duplicate value: ".spec.tier"',
    ]


def test_protected_groups_need_approval() -> None:
    crd = crontab_crd(group="widgets.k8s.io")
    assert errors(crd) == ['metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must '
                           'have approval annotation "api-approved.kubernetes.io", see '
                           "https://github.com/kubernetes/enhancements/pull/1111"]
    crd["metadata"]["annotations"] = {"api-approved.kubernetes.io": "unapproved, testing"}
    assert errors(crd) == []


def test_conversion_strategy() -> None:
    crd = crontab_crd()
    crd["spec"]["conversion"] = {"strategy": "Webhook"}
    assert errors(crd) == [
        "spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook",
        "spec.conversion.conversionReviewVersions: Required value"]


def test_what_may_not_change() -> None:
    old = established(crontab_crd())
    apply_defaults("apiextensions.k8s.io", CRD, old)
    new = copy.deepcopy(old)
    new["spec"]["scope"] = "Cluster"
    new["spec"]["names"]["kind"] = "Cron"
    new["spec"]["names"]["listKind"] = "CronList"
    new["spec"]["group"] = "other.example.com"
    assert errors(new, old) == [
        'spec.scope: Invalid value: "Cluster": field is immutable',
        'spec.names.kind: Invalid value: "Cron": field is immutable',
        'spec.group: Invalid value: "other.example.com": field is immutable',
    ]


def test_a_stored_version_cannot_leave_spec_versions() -> None:
    old = established(crontab_crd(versions=("v1", "v2"), storage="v1"))
    old["status"]["storedVersions"] = ["v1", "v2"]
    new = copy.deepcopy(old)
    new["spec"]["versions"] = [v for v in new["spec"]["versions"] if v["name"] == "v1"]
    assert errors(new, old) == [
        'status.storedVersions[1]: Invalid value: "v2": missing from spec.versions; v2 was previously a storage '
        "version, and must remain in spec.versions until a storage migration ensures no data remains persisted in "
        "v2 and removes v2 from status.storedVersions"]


def test_any_qualified_finalizer_name_is_fine() -> None:
    crd = crontab_crd()
    crd["metadata"]["finalizers"] = ["customresourcecleanup.apiextensions.k8s.io"]
    assert errors(crd) == []
