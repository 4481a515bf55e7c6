"""Custom objects checked against their CRD: schema validation answered 422 with one
cause per field as kube words them, unknown fields pruned (or refused by
fieldValidation=Strict), schema defaults applied on writes and on reads, patch types, and
the validation of CRDs themselves."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.adminhttp import AdminHTTP
from tests.support.kubectl import Kubectl
from tests.support.names import unique
from tests.unit.custom.crds import crd_path, crontab, crontab_crd, install, unique_group, wait_until

pytestmark = pytest.mark.kubectl


@pytest.fixture(scope="module")
def group(api: AdminHTTP) -> str:
    name = unique_group()
    install(api, crontab_crd(name))
    return name


@pytest.fixture
def ns(api: AdminHTTP) -> str:
    name = unique("crv")
    assert api.post("/api/v1/namespaces", {"metadata": {"name": name}}).status == 201
    return name


def body(group: str, name: str = "c1", **spec: Any) -> dict[str, Any]:
    obj = crontab(name, **spec)
    obj["apiVersion"] = f"{group}/v1"
    del obj["metadata"]["namespace"]
    return obj


def collection(group: str, ns: str) -> str:
    return f"/apis/{group}/v1/namespaces/{ns}/crontabs"


def test_schema_violations_answer_422_with_causes(api: AdminHTTP, group: str, ns: str) -> None:
    resp = api.post(collection(group, ns), body(group, "bad", cronSpec=5, tier="db", tags=["a", "b", "c", "d"],
                                                when="soon", image="x" * 21))
    assert resp.status == 422
    status = resp.json()
    assert (status["reason"], status["details"]["kind"], status["details"]["group"], status["details"]["name"]) == \
        ("Invalid", "CronTab", group, "bad")
    assert status["details"]["causes"] == [
        {"reason": "FieldValueTypeInvalid", "field": "spec.cronSpec",
         "message": 'Invalid value: "integer": spec.cronSpec in body must be of type string: "integer"'},
        {"reason": "FieldValueTooLong", "message": "Too long: may not be more than 20 bytes", "field": "spec.image"},
        {"reason": "FieldValueTooMany", "message": "Too many: 4: must have at most 3 items", "field": "spec.tags"},
        {"reason": "FieldValueNotSupported", "field": "spec.tier",
         "message": 'Unsupported value: "db": supported values: "web", "batch"'},
        {"reason": "FieldValueTypeInvalid", "field": "spec.when",
         "message": 'Invalid value: "soon": spec.when in body must be of type date-time: "soon"'},
    ]
    assert status["message"].startswith(f'CronTab.{group} "bad" is invalid: [spec.cronSpec: Invalid value:')


def test_required_fields_and_embedded_resources(api: AdminHTTP, group: str, ns: str) -> None:
    obj = body(group, "req", template={"spec": {}})
    del obj["spec"]["cronSpec"]
    causes = api.post(collection(group, ns), obj).json()["details"]["causes"]
    assert [(c["field"], c["message"]) for c in causes] == [
        ("spec.cronSpec", "Required value"),
        ("spec.template.apiVersion", "Required value: must not be empty"),
        ("spec.template.kind", "Required value: must not be empty"),
    ]


def test_unknown_fields_are_pruned_or_refused(api: AdminHTTP, group: str, ns: str) -> None:
    obj = body(group, "pruned", settings={"free": {"form": 1}})
    obj["spec"]["bogus"] = 1
    obj["extra"] = True
    strict = api.post(collection(group, ns) + "?fieldValidation=Strict", obj)
    assert strict.status == 400
    assert strict.json()["message"] == ('CronTab in version "v1" cannot be handled as a CronTab: strict decoding '
                                        'error: unknown field "extra", unknown field "spec.bogus"')
    warned = api.post(collection(group, ns), obj)
    assert warned.status == 201
    assert warned.headers.get_all("Warning") == ['299 - "unknown field \\"extra\\""',
                                                 '299 - "unknown field \\"spec.bogus\\""']
    stored = api.get(collection(group, ns) + "/pruned").json()
    assert "extra" not in stored and "bogus" not in stored["spec"]
    assert stored["spec"]["settings"] == {"free": {"form": 1}}  # x-kubernetes-preserve-unknown-fields


def test_defaults_on_create_and_update(api: AdminHTTP, group: str, ns: str) -> None:
    created = api.post(collection(group, ns), body(group, "dflt", limits={})).json()
    assert (created["spec"]["image"], created["spec"]["limits"]) == ("nginx", {"cpu": "1"})
    replaced = dict(created, spec={"cronSpec": "0 * * * *", "image": "busybox"})
    updated = api.put(collection(group, ns) + "/dflt", replaced).json()
    assert updated["spec"] == {"cronSpec": "0 * * * *", "image": "busybox", "limits": {"cpu": "1"}}
    assert updated["metadata"]["generation"] == 2


def test_defaults_added_to_the_schema_apply_to_stored_objects(api: AdminHTTP, ns: str) -> None:
    group = unique_group()
    crd = install(api, crontab_crd(group))
    assert api.post(collection(group, ns), body(group, "old")).status == 201
    props = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
    props["tier"]["default"] = "batch"
    assert api.put(crd_path(crd["metadata"]["name"]), crd).status == 200
    wait_until(lambda: api.get(collection(group, ns) + "/old").json()["spec"].get("tier") == "batch",
               what="the new default read back")
    listed = api.get(collection(group, ns)).json()["items"]
    assert listed[0]["spec"]["tier"] == "batch"


def test_patch_types(api: AdminHTTP, group: str, ns: str) -> None:
    api.post(collection(group, ns), body(group, "patched"))
    path = collection(group, ns) + "/patched"
    strategic = api.request("PATCH", path, {"spec": {"replicas": 1}},
                            content_type="application/strategic-merge-patch+json")
    assert strategic.status == 415
    assert strategic.json()["reason"] == "UnsupportedMediaType"
    assert strategic.json()["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
    merged = api.request("PATCH", path, {"spec": {"replicas": 1}}, content_type="application/merge-patch+json")
    assert merged.json()["spec"]["replicas"] == 1
    jsonpatch = api.request("PATCH", path, [{"op": "replace", "path": "/spec/replicas", "value": 2}],
                            content_type="application/json-patch+json")
    assert jsonpatch.json()["spec"]["replicas"] == 2
    invalid = api.request("PATCH", path, {"spec": {"replicas": 99}}, content_type="application/merge-patch+json")
    assert invalid.status == 422


def test_status_subresource_only_when_declared(api: AdminHTTP, ns: str) -> None:
    group = unique_group()
    install(api, crontab_crd(group, status=False, scale=False))
    obj = body(group, "plain")
    obj["status"] = {"phase": "Kept"}
    created = api.post(collection(group, ns), obj).json()
    assert created["status"] == {"phase": "Kept"}  # part of the object without the subresource
    assert api.get(collection(group, ns) + "/plain/status").status == 404
    assert api.get(collection(group, ns) + "/plain/scale").status == 404
    changed = api.request("PATCH", collection(group, ns) + "/plain", {"status": {"phase": "New"}},
                          content_type="application/merge-patch+json").json()
    assert changed["metadata"]["generation"] == 2  # without a status subresource, status counts


def test_invalid_crds_are_refused(kubectl: Kubectl) -> None:
    group = unique_group()
    crd = crontab_crd(group, versions=("v1", "v2"), storage="v3")
    crd["metadata"]["name"] = f"tabs.{group}"
    del crd["spec"]["versions"][1]["schema"]
    refused = kubectl.fail("create", "-f", "-", input=json.dumps(crd))
    assert f'The CustomResourceDefinition "tabs.{group}" is invalid:' in refused.stderr
    assert 'metadata.name: Invalid value: "tabs.' in refused.stderr
    assert 'must be spec.names.plural+"."+spec.group' in refused.stderr
    assert "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required" in refused.stderr
    assert "must have exactly one version marked as storage version" in refused.stderr


def test_non_structural_schemas_are_refused(api: AdminHTTP) -> None:
    crd = crontab_crd(unique_group())
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["loose"] = {}
    resp = api.post(crd_path(), crd)
    assert resp.status == 422
    assert resp.json()["details"]["causes"] == [{
        "reason": "FieldValueRequired", "message": "Required value: must not be empty for specified object fields",
        "field": "spec.validation.openAPIV3Schema.properties[spec].properties[loose].type"}]
