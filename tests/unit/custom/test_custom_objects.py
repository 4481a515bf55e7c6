"""What a served CRD version makes of custom objects: its ResourceDefs, defaults,
validation, storage conversion, Table rows, field selectors and Scale."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from corral.machinery.fields import parse_field_selector
from corral.machinery.timeutil import format_time, now
from corral.registry.custom import definitions, objects, scale
from corral.registry.custom.catalog import SchemaCatalog
from corral.registry.fields import check_field_selector, selectable_fields
from corral.registry.printers import table_columns, table_row
from corral.registry.resources import ResourceDef
from corral.registry.validation import validate
from corral.schema.fields import unknown_fields
from tests.unit.custom.crds import crontab, crontab_crd, established


def served(crd: dict[str, Any]) -> dict[str, ResourceDef]:
    return {rd.version: rd for rd in definitions.served_resources(established(crd))}


@pytest.fixture
def catalog() -> Iterator[SchemaCatalog]:
    schemas = SchemaCatalog()
    yield schemas
    schemas.serve([])


def messages(rd: ResourceDef, obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    return [f"{c.field}: {c.message}" for c in validate(rd, obj, old)]


def test_resource_defs_follow_the_accepted_names() -> None:
    rd = served(crontab_crd())["v1"]
    assert (rd.group, rd.version, rd.resource, rd.kind, rd.singular_name) == \
        ("stable.example.com", "v1", "crontabs", "CronTab", "crontab")
    assert rd.namespaced and rd.generation
    assert rd.short_names == ("ct",) and rd.categories == ("all",)
    assert rd.subresources == {"status": "", "scale": "Scale"}
    assert rd.verbs == ("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")
    assert rd.list_kind == "CronTabList"
    cluster = served(crontab_crd(scope="Cluster", status=False, scale=False))["v1"]
    assert not cluster.namespaced and cluster.subresources == {}


def test_nothing_is_served_before_the_crd_is_established() -> None:
    assert definitions.served_resources(crontab_crd()) == []


def test_versions_sort_the_way_kube_prefers_them() -> None:
    crd = crontab_crd(versions=("v1alpha1", "v1beta2", "v1", "foo", "v2beta1", "v2"), storage="v1")
    assert [rd.version for rd in definitions.served_resources(established(crd))] == \
        ["v2", "v1", "v2beta1", "v1beta2", "v1alpha1", "foo"]


def test_a_terminating_crd_takes_no_new_objects() -> None:
    crd = established(crontab_crd())
    crd["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    rd = definitions.served_resources(crd)[0]
    assert rd.custom is not None and rd.custom.terminating
    assert rd.verbs == ("delete", "deletecollection", "get", "list", "watch")


def test_defaults_fill_missing_fields_and_nested_defaults() -> None:
    rd = served(crontab_crd())["v1"]
    assert rd.custom is not None
    obj = crontab(image=None)
    objects.default_object(rd.custom.structural, obj)
    assert obj["spec"] == {"cronSpec": "* * * * */5", "image": "nginx", "limits": {"cpu": "1"}}
    kept = crontab(image="busybox", limits={"cpu": "2"})
    objects.default_object(rd.custom.structural, kept)
    assert kept["spec"]["image"] == "busybox" and kept["spec"]["limits"] == {"cpu": "2"}


def test_nulls_without_nullable_or_default_are_dropped() -> None:
    rd = served(crontab_crd())["v1"]
    assert rd.custom is not None
    obj = crontab(tier=None, settings={"keep": None})
    objects.default_object(rd.custom.structural, obj)
    assert "tier" not in obj["spec"] and obj["spec"]["settings"] == {"keep": None}


def test_validation_of_the_whole_object() -> None:
    rd = served(crontab_crd())["v1"]
    assert messages(rd, crontab(replicas=3, tier="web", port="http", tags=["a"])) == []
    assert messages(rd, crontab(cronSpec="nope", replicas=-1)) == [
        "spec.cronSpec: Invalid value: \"nope\": spec.cronSpec in body should match "
        "'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
        "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
        ".spec.replicas: Invalid value: -1: should be a non-negative integer",
    ]
    wrong = crontab()
    wrong["kind"] = "Other"
    assert messages(rd, wrong) == ['kind: Invalid value: "Other": must be CronTab']
    unnamed = crontab()
    unnamed["metadata"]["name"] = "Bad_Name"
    assert messages(rd, unnamed)[0].startswith('metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123')


def test_status_is_validated_against_its_own_schema() -> None:
    rd = served(crontab_crd())["v1"]
    obj = crontab()
    obj["status"] = {"phase": 5}
    assert messages(rd, obj) == [
        'status.phase: Invalid value: "integer": phase in body must be of type string: "integer"']
    obj["status"] = {"replicas": "two"}  # the scale subresource reads replicas from there too
    assert messages(rd, obj)[1] == \
        ".status.replicas: Invalid value: 0: status.replicas accessor error: two is of the type string, expected int64"


def test_embedded_resources_need_their_type_meta() -> None:
    rd = served(crontab_crd())["v1"]
    assert messages(rd, crontab(template={"metadata": {"name": "x"}, "spec": {}})) == [
        "spec.template.apiVersion: Required value: must not be empty",
        "spec.template.kind: Required value: must not be empty",
    ]
    assert messages(rd, crontab(template={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a/b"}})) == [
        "spec.template.metadata.name: Invalid value: \"a/b\": may not contain '/'"]


def test_list_sets_and_maps_have_no_duplicates() -> None:
    crd = crontab_crd()
    props = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
    props["tags"]["x-kubernetes-list-type"] = "set"
    props["ports"] = {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                      "items": {"type": "object", "required": ["name"], "properties": {
                          "name": {"type": "string"}, "port": {"type": "integer"}}}}
    rd = served(crd)["v1"]
    assert messages(rd, crontab(tags=["a", "b", "a"], ports=[{"name": "x", "port": 1}, {"name": "x", "port": 2}])) == [
        'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"x"}',
        'spec.tags[2]: Duplicate value: "a"',
    ]


def test_objects_are_stored_at_the_storage_version(catalog: SchemaCatalog) -> None:
    versions = served(crontab_crd(versions=("v1", "v1beta1"), storage="v1"))
    catalog.serve(versions.values())
    beta = versions["v1beta1"]
    obj = crontab(version="v1beta1")
    stored = objects.stored(beta, obj)
    assert stored["apiVersion"] == "stable.example.com/v1" and obj["apiVersion"] == "stable.example.com/v1beta1"
    read = copy.deepcopy(stored)
    objects.served(beta, read)
    assert read["apiVersion"] == "stable.example.com/v1beta1"
    assert read["spec"]["image"] == "nginx"  # the storage version's defaults apply on read


def test_reading_prunes_what_the_schema_no_longer_has(catalog: SchemaCatalog) -> None:
    rd = served(crontab_crd())["v1"]
    catalog.serve([rd])
    stored = crontab(gone=1)
    objects.served(rd, stored)
    assert "gone" not in stored["spec"]


def test_catalog_registers_served_and_storage_schemas(catalog: SchemaCatalog) -> None:
    crd = crontab_crd(versions=("v1", "v2"), storage="v1")
    crd["spec"]["versions"][0]["served"] = False
    schemas = catalog.serve(served(crd).values())
    assert list(schemas) == [("stable.example.com", "v2", "CronTab")]
    assert unknown_fields(crontab(version="v1", x=1), "stable.example.com", "v1", "CronTab") == ["spec.x"]
    catalog.serve([])
    assert unknown_fields(crontab(version="v1", x=1), "stable.example.com", "v1", "CronTab") == []


def test_table_columns_and_cells() -> None:
    rd = served(crontab_crd())["v1"]
    columns = table_columns(rd)
    assert [(c["name"], c["type"], c["priority"]) for c in columns] == [
        ("Name", "string", 0), ("Spec", "string", 0), ("Replicas", "integer", 0), ("Image", "string", 1),
        ("Age", "date", 0)]
    assert columns[1]["description"] == "Custom resource definition column (in JSONPath format): .spec.cronSpec"
    obj = crontab(replicas=2)
    obj["metadata"]["creationTimestamp"] = format_time(now() - timedelta(minutes=3))
    assert table_row(rd, obj, now()) == ["c1", "* * * * */5", 2, None, "3m"]


def test_default_columns_are_name_and_age() -> None:
    rd = served(crontab_crd(columns=False))["v1"]
    assert [c["name"] for c in table_columns(rd)] == ["Name", "Age"]


def test_selectable_fields() -> None:
    rd = served(crontab_crd(selectable=(".spec.tier", ".spec.replicas")))["v1"]
    assert selectable_fields(rd, crontab(tier="web", replicas=3)) == {
        "metadata.name": "c1", "metadata.namespace": "ns", "spec.tier": "web", "spec.replicas": "3"}
    assert selectable_fields(rd, crontab())["spec.tier"] == ""
    check_field_selector(rd, parse_field_selector("spec.tier=web"))
    with pytest.raises(ValueError, match=r"field label not supported: spec\.image"):
        check_field_selector(rd, parse_field_selector("spec.image=nginx"))


def test_scale_reads_and_writes_the_declared_paths() -> None:
    rd = served(crontab_crd())["v1"]
    assert rd.custom is not None and rd.custom.scale is not None
    obj = crontab(replicas=2)
    obj["metadata"].update(uid="u", resourceVersion="7")
    obj["status"] = {"replicas": 1, "selector": "app=cron"}
    assert scale.scale_of(rd.custom.scale, obj) == {
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {"name": "c1", "namespace": "ns", "uid": "u", "resourceVersion": "7"},
        "spec": {"replicas": 2}, "status": {"replicas": 1, "selector": "app=cron"}}
    scale.set_replicas(rd.custom.scale, obj, 5)
    assert obj["spec"]["replicas"] == 5
    empty = crontab()
    assert scale.scale_of(rd.custom.scale, empty)["spec"] == {}
