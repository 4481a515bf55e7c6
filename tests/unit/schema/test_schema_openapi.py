"""The OpenAPI v2 and v3 documents: valid, complete for what is served, shaped the way
kube-apiserver 1.33 shapes them, and rebuilt (with new hashes) when the resources change."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import orjson
import pytest
from openapi_spec_validator import validate

from corral.registry.builtins import BUILTINS
from corral.registry.resources import ResourceDef
from corral.schema import definitions
from corral.schema.openapi import OpenAPI

V2_REF = "#/definitions/"
V3_REF = "#/components/schemas/"
CRONTAB = ResourceDef("stable.example.com", "v1", "crontabs", "CronTab",
                      subresources={"status": "", "scale": "Scale"})
CRONTAB_SCHEMA = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
    "cronSpec": {"type": "string"},
    "port": {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}, {"type": "string"}]},
}}}}
CRONTAB_GVK = ("stable.example.com", "v1", "CronTab")
PATCH_TYPES = {"application/json-patch+json", "application/merge-patch+json",
               "application/strategic-merge-patch+json", "application/apply-patch+yaml"}


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI(BUILTINS)


@pytest.fixture(scope="module")
def v2(openapi: OpenAPI) -> dict[str, Any]:
    doc: dict[str, Any] = orjson.loads(openapi.v2())
    return doc


def v3(openapi: OpenAPI, key: str) -> dict[str, Any]:
    raw = openapi.v3(key)
    assert raw is not None, key
    doc: dict[str, Any] = orjson.loads(raw)
    return doc


def walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair in a JSON document, except property names (a schema may
    well have properties called "type" or "$ref")."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for prop in value.values():
                    yield from walk(prop)
                continue
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def resolve_v2(doc: dict[str, Any], param: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in param:
        found: dict[str, Any] = doc["parameters"][param["$ref"].removeprefix("#/parameters/")]
        return found
    return param


def param_names(doc: dict[str, Any], params: list[dict[str, Any]]) -> set[str]:
    return {resolve_v2(doc, prm)["name"] for prm in params}


# ----- v2 -------------------------------------------------------------------------------


def test_v2_is_valid_swagger(v2: dict[str, Any]) -> None:
    validate(v2)
    assert v2["swagger"] == "2.0"
    assert v2["info"] == {"title": "Kubernetes", "version": "v1.33.0"}


def test_v2_refs_all_resolve(v2: dict[str, Any]) -> None:
    refs = {value for key, value in walk(v2) if key == "$ref" and isinstance(value, str)}
    assert refs
    for ref in refs:
        if ref.startswith("#/parameters/"):
            assert ref.removeprefix("#/parameters/") in v2["parameters"], ref
        else:
            assert ref.startswith(V2_REF), ref
            assert ref.removeprefix(V2_REF) in v2["definitions"], ref


def test_v2_has_a_definition_with_gvk_for_every_served_kind(v2: dict[str, Any]) -> None:
    gvks = {(g["group"], g["version"], g["kind"]) for schema in v2["definitions"].values()
            for g in schema.get("x-kubernetes-group-version-kind", ())}
    for rd in BUILTINS:
        assert (rd.group, rd.version, rd.kind) in gvks, rd
        if "list" in rd.verbs:
            assert (rd.group, rd.version, rd.list_kind) in gvks, rd


def test_v2_deployment_paths_and_operations(v2: dict[str, Any]) -> None:
    collection = v2["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments"]
    assert collection["get"]["operationId"] == "listAppsV1NamespacedDeployment"
    assert collection["get"]["x-kubernetes-action"] == "list"
    assert collection["get"]["x-kubernetes-group-version-kind"] == {"group": "apps", "kind": "Deployment",
                                                                     "version": "v1"}
    assert collection["get"]["responses"]["200"]["schema"] == {
        "$ref": V2_REF + "io.k8s.api.apps.v1.DeploymentList"}
    assert {"labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "watch",
            "timeoutSeconds", "allowWatchBookmarks"} <= param_names(v2, collection["get"]["parameters"])
    assert param_names(v2, collection["parameters"]) == {"namespace", "pretty"}
    assert collection["post"]["operationId"] == "createAppsV1NamespacedDeployment"
    assert collection["delete"]["x-kubernetes-action"] == "deletecollection"
    assert collection["delete"]["operationId"] == "deleteAppsV1CollectionNamespacedDeployment"

    item = v2["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    assert {op["operationId"] for method, op in item.items() if method != "parameters"} == {
        "readAppsV1NamespacedDeployment", "replaceAppsV1NamespacedDeployment",
        "patchAppsV1NamespacedDeployment", "deleteAppsV1NamespacedDeployment"}
    assert set(item["patch"]["consumes"]) == PATCH_TYPES
    body = item["put"]["parameters"][0]
    assert body == {"in": "body", "name": "body", "required": True,
                    "schema": {"$ref": V2_REF + "io.k8s.api.apps.v1.Deployment"}}
    all_namespaces = v2["paths"]["/apis/apps/v1/deployments"]["get"]
    assert all_namespaces["operationId"] == "listAppsV1DeploymentForAllNamespaces"
    watch = v2["paths"]["/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}"]["get"]
    assert watch["x-kubernetes-action"] == "watch"
    assert watch["responses"]["200"]["schema"] == {
        "$ref": V2_REF + "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"}


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_v2_write_operations_declare_write_parameters(v2: dict[str, Any], method: str) -> None:
    seen = 0
    for path, item in v2["paths"].items():
        op = item.get(method)
        if op is None:
            continue
        seen += 1
        names = param_names(v2, op.get("parameters", [])) | param_names(v2, item.get("parameters", []))
        assert {"dryRun", "fieldManager", "fieldValidation", "pretty"} <= names, path
    assert seen > 20


def test_v2_subresources(v2: dict[str, Any]) -> None:
    scale = v2["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]
    assert scale["patch"]["operationId"] == "patchAppsV1NamespacedDeploymentScale"
    assert scale["get"]["x-kubernetes-group-version-kind"] == {"group": "autoscaling", "kind": "Scale",
                                                                "version": "v1"}
    assert scale["put"]["responses"]["200"]["schema"]["$ref"] == V2_REF + "io.k8s.api.autoscaling.v1.Scale"
    status = v2["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/status"]
    assert status["get"]["operationId"] == "readCoreV1NamespacedPodStatus"
    assert status["patch"]["x-kubernetes-group-version-kind"]["kind"] == "Pod"
    binding = v2["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/binding"]["post"]
    assert binding["operationId"] == "createCoreV1NamespacedPodBinding"
    log = v2["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/log"]["get"]
    assert log["responses"]["200"]["schema"] == {"type": "string"}
    assert "/api/v1/namespaces/{name}/status" in v2["paths"]
    assert v2["paths"]["/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}"]["get"]["operationId"] == \
        "readRbacAuthorizationV1ClusterRole"


def test_v2_special_types_look_like_kube(v2: dict[str, Any]) -> None:
    defs = v2["definitions"]
    int_or_string = defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    assert (int_or_string["type"], int_or_string["format"]) == ("string", "int-or-string")
    assert defs["io.k8s.apimachinery.pkg.api.resource.Quantity"]["type"] == "string"
    assert (defs["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]["type"],
            defs["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]["format"]) == ("string", "date-time")
    assert defs["io.k8s.apimachinery.pkg.runtime.RawExtension"]["type"] == "object"
    assert "enum" not in defs["io.k8s.api.apps.v1.Deployment"]["properties"]["apiVersion"]
    for key, value in walk(defs):
        if key == "type":
            assert isinstance(value, str), value
        if key == "$ref":
            assert value.startswith(V2_REF)


# ----- v3 -------------------------------------------------------------------------------


def test_v3_index_lists_documents_with_their_hashes(openapi: OpenAPI) -> None:
    index = orjson.loads(openapi.v3_index())
    paths = index["paths"]
    assert {"api", "api/v1", "apis", "apis/apps", "apis/apps/v1", "apis/batch/v1", "version",
            "apis/rbac.authorization.k8s.io/v1", "apis/apiextensions.k8s.io/v1"} <= set(paths)
    for key, entry in paths.items():
        document = openapi.v3(key)
        assert document is not None
        digest = hashlib.sha512(document).hexdigest().upper()
        assert entry == {"serverRelativeURL": f"/openapi/v3/{key}?hash={digest}"}
        assert openapi.v3_hash(key) == digest
    assert openapi.v3("apis/nothing.example.com/v1") is None
    assert openapi.v3_hash("apis/nothing.example.com/v1") is None


def test_v3_documents_are_valid_openapi(openapi: OpenAPI) -> None:
    for key in ("apis/coordination.k8s.io/v1", "apis/apps", "version"):
        doc = v3(openapi, key)
        validate(doc)
        assert doc["openapi"] == "3.0.0"


def test_v3_refs_resolve_inside_each_document(openapi: OpenAPI) -> None:
    for key in orjson.loads(openapi.v3_index())["paths"]:
        doc = v3(openapi, key)
        schemas = doc["components"]["schemas"]
        for name, value in walk(doc):
            if name == "$ref":
                assert value.startswith(V3_REF), value
                assert value.removeprefix(V3_REF) in schemas, (key, value)
            if name == "type":
                assert value != "null" and not isinstance(value, list), (key, value)


def test_v3_every_served_kind_has_schema_and_patch_operation(openapi: OpenAPI) -> None:
    for rd in BUILTINS:
        doc = v3(openapi, f"apis/{rd.group}/{rd.version}" if rd.group else f"api/{rd.version}")
        gvk = {"group": rd.group, "kind": rd.kind, "version": rd.version}
        assert [n for n, s in doc["components"]["schemas"].items()
                if gvk in s.get("x-kubernetes-group-version-kind", [])], rd
        patches = [op for item in doc["paths"].values() for method, op in item.items()
                   if method == "patch" and op["x-kubernetes-group-version-kind"] == gvk]
        assert bool(patches) == ("patch" in rd.verbs), rd
        for op in patches:  # what kubectl's query-param verifier and apply look for
            assert "fieldValidation" in {prm["name"] for prm in op["parameters"] if prm["in"] == "query"}
            assert set(op["requestBody"]["content"]) == PATCH_TYPES


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_v3_write_operations_declare_write_parameters(openapi: OpenAPI, method: str) -> None:
    doc = v3(openapi, "api/v1")
    ops = [(path, op) for path, item in doc["paths"].items() for m, op in item.items() if m == method]
    assert len(ops) > 10
    for path, op in ops:
        names = {prm["name"] for prm in op["parameters"]}
        assert {"dryRun", "fieldManager", "fieldValidation"} <= names, path
        assert "pretty" in {prm["name"] for prm in doc["paths"][path]["parameters"]}, path


def test_v3_strategic_merge_extensions(openapi: OpenAPI) -> None:
    schemas = v3(openapi, "apis/apps/v1")["components"]["schemas"]
    containers = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert containers["x-kubernetes-patch-strategy"] == "merge"
    assert containers["x-kubernetes-list-type"] == "map"
    assert containers["x-kubernetes-list-map-keys"] == ["name"]
    assert containers["items"] == {"$ref": V3_REF + "io.k8s.api.core.v1.Container"}
    ports = schemas["io.k8s.api.core.v1.Container"]["properties"]["ports"]
    assert ports["x-kubernetes-patch-merge-key"] == "containerPort"
    assert ports["x-kubernetes-list-map-keys"] == ["containerPort", "protocol"]
    strategy = schemas["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["strategy"]
    assert strategy["x-kubernetes-patch-strategy"] == "retainKeys"
    # a ref with siblings is wrapped in allOf, as OpenAPI 3.0 requires
    assert strategy["allOf"] == [{"$ref": V3_REF + "io.k8s.api.apps.v1.DeploymentStrategy"}]
    assert "$ref" not in strategy


def test_v3_special_types_look_like_kube(openapi: OpenAPI) -> None:
    schemas = v3(openapi, "api/v1")["components"]["schemas"]
    int_or_string = schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    assert int_or_string["format"] == "int-or-string"
    assert int_or_string["oneOf"] == [{"type": "integer"}, {"type": "string"}]
    assert "type" not in int_or_string
    assert schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]["oneOf"] == [{"type": "string"},
                                                                                {"type": "number"}]
    assert schemas["io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"]["format"] == "date-time"


def test_v3_discovery_documents(openapi: OpenAPI) -> None:
    apps = v3(openapi, "apis/apps/v1")
    assert apps["paths"]["/apis/apps/v1/"]["get"]["operationId"] == "getAppsV1APIResources"
    assert v3(openapi, "apis/apps")["paths"]["/apis/apps/"]["get"]["operationId"] == "getAppsAPIGroup"
    assert v3(openapi, "api")["paths"]["/api/"]["get"]["operationId"] == "getCoreAPIVersions"
    assert v3(openapi, "apis")["paths"]["/apis/"]["get"]["operationId"] == "getAPIVersions"
    assert "io.k8s.apimachinery.pkg.version.Info" in v3(openapi, "version")["components"]["schemas"]
    assert all(p.startswith("/apis/apps/v1/") for p in apps["paths"])


# ----- custom resources and changes ---------------------------------------------------------


def test_custom_resource_documents() -> None:
    openapi = OpenAPI([*BUILTINS, CRONTAB], {CRONTAB_GVK: CRONTAB_SCHEMA})
    doc = v3(openapi, "apis/stable.example.com/v1")
    validate(doc)
    schemas = doc["components"]["schemas"]
    crontab = schemas["com.example.stable.v1.CronTab"]
    assert crontab["x-kubernetes-group-version-kind"] == [{"group": "stable.example.com", "kind": "CronTab",
                                                           "version": "v1"}]
    assert crontab["properties"]["spec"]["properties"]["port"]["x-kubernetes-int-or-string"] is True
    assert crontab["properties"]["metadata"]["allOf"] == [
        {"$ref": V3_REF + "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]
    assert schemas["com.example.stable.v1.CronTabList"]["properties"]["items"]["items"] == {
        "$ref": V3_REF + "com.example.stable.v1.CronTab"}
    patch = doc["paths"]["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"]["patch"]
    # kubectl apply falls back to JSON merge patch for kinds without strategic merge patch
    assert set(patch["requestBody"]["content"]) == PATCH_TYPES - {"application/strategic-merge-patch+json"}
    scale = doc["paths"]["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale"]
    assert scale["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == \
        V3_REF + "io.k8s.api.autoscaling.v1.Scale"
    v2 = orjson.loads(openapi.v2())
    port = v2["definitions"]["com.example.stable.v1.CronTab"]["properties"]["spec"]["properties"]["port"]
    assert "anyOf" not in port  # Swagger 2.0 has no anyOf


def test_custom_resource_without_schema_accepts_anything() -> None:
    openapi = OpenAPI([CRONTAB])
    schemas = v3(openapi, "apis/stable.example.com/v1")["components"]["schemas"]
    crontab = schemas["com.example.stable.v1.CronTab"]
    assert crontab["x-kubernetes-preserve-unknown-fields"] is True
    assert set(crontab["properties"]) == {"apiVersion", "kind", "metadata"}


def test_reset_changes_only_the_hashes_of_changed_documents() -> None:
    openapi = OpenAPI(BUILTINS)
    before = orjson.loads(openapi.v3_index())["paths"]
    etag = openapi.v2_etag()
    apps_doc = openapi.v3("apis/apps/v1")

    openapi.reset([rd for rd in BUILTINS if rd.kind != "DaemonSet"])
    after = orjson.loads(openapi.v3_index())["paths"]
    assert after["apis/apps/v1"] != before["apis/apps/v1"]
    assert b"daemonsets" not in (openapi.v3("apis/apps/v1") or b"daemonsets")
    assert after["api/v1"] == before["api/v1"]
    assert openapi.v2_etag() != etag

    openapi.reset([*BUILTINS, CRONTAB], {CRONTAB_GVK: CRONTAB_SCHEMA})
    again = orjson.loads(openapi.v3_index())["paths"]
    assert again["apis/apps/v1"] == before["apis/apps/v1"]
    assert openapi.v3("apis/apps/v1") == apps_doc
    assert set(again) - set(before) == {"apis/stable.example.com", "apis/stable.example.com/v1"}

    changed = {**CRONTAB_SCHEMA, "description": "changed"}
    openapi.reset([*BUILTINS, CRONTAB], {CRONTAB_GVK: changed})
    last = orjson.loads(openapi.v3_index())["paths"]
    assert last["apis/stable.example.com/v1"] != again["apis/stable.example.com/v1"]
    assert last["apis/apps/v1"] == again["apis/apps/v1"]

    # a change of a resource's facts (here: fewer verbs) changes its document too
    openapi.reset([replace(rd, verbs=("get", "list")) if rd.kind == "Lease" else rd for rd in BUILTINS])
    leases = orjson.loads(openapi.v3("apis/coordination.k8s.io/v1") or b"{}")["paths"]
    assert "post" not in leases["/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases"]


def test_definitions_are_read_on_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real_load = definitions.load

    def counting_load() -> dict[str, Any]:
        calls.append(1)
        return real_load()

    monkeypatch.setattr(definitions, "load", counting_load)
    openapi = OpenAPI(BUILTINS)
    assert calls == []
    openapi.v3_index()
    openapi.v3("api/v1")
    openapi.v3("apis/apps/v1")
    assert len(calls) == 1
    openapi.v2()
    openapi.v2()
    assert len(calls) == 2


def test_operation_ids_are_unique_per_document(openapi: OpenAPI, v2: dict[str, Any]) -> None:
    ids = [op["operationId"] for item in v2["paths"].values() for m, op in item.items() if m != "parameters"]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]+", i) for i in ids)
