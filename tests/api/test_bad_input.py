"""Bad input gets a 4xx Status with kube-apiserver's code and reason, and changes
nothing: malformed bodies, contradictions with the path, oversized bodies, unknown media
types, stale resourceVersions, invalid names."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.adminhttp import AdminHTTP, Response
from tests.support.names import unique


@pytest.fixture(scope="module")
def ns(api: AdminHTTP) -> str:
    name = unique("bad")
    assert api.post("/api/v1/namespaces", {"metadata": {"name": name}}).status == 201
    return name


def _status(resp: Response, code: int, reason: str) -> dict[str, Any]:
    body = resp.json()
    assert (resp.status, body["kind"], body["code"], body["reason"]) == (code, "Status", code, reason), body
    return body


def _count(api: AdminHTTP, ns: str) -> int:
    return len(api.get(f"/api/v1/namespaces/{ns}/configmaps").json()["items"])


def test_malformed_json(api: AdminHTTP, ns: str) -> None:
    _status(api.post(f"/api/v1/namespaces/{ns}/configmaps", b'{"metadata": {'), 400, "BadRequest")


def test_malformed_yaml(api: AdminHTTP, ns: str) -> None:
    resp = api.post(f"/api/v1/namespaces/{ns}/configmaps", b"metadata: [unclosed\n",
                    content_type="application/yaml")
    _status(resp, 400, "BadRequest")


def test_yaml_body_is_accepted(api: AdminHTTP, ns: str) -> None:
    resp = api.post(f"/api/v1/namespaces/{ns}/configmaps",
                    b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  when: 2024-01-01\n",
                    content_type="application/yaml")
    assert resp.status == 201
    assert resp.json()["data"] == {"when": "2024-01-01"}  # dates stay strings, as in kube


def test_body_must_be_an_object(api: AdminHTTP, ns: str) -> None:
    _status(api.post(f"/api/v1/namespaces/{ns}/configmaps", [1, 2]), 400, "BadRequest")


def test_api_version_contradicting_the_path(api: AdminHTTP, ns: str) -> None:
    body = {"apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    status = _status(api.post(f"/api/v1/namespaces/{ns}/configmaps", body), 400, "BadRequest")
    assert "apps/v1" in status["message"]


def test_kind_contradicting_the_path(api: AdminHTTP, ns: str) -> None:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}}
    _status(api.post(f"/api/v1/namespaces/{ns}/configmaps", body), 400, "BadRequest")


def test_namespace_contradicting_the_path(api: AdminHTTP, ns: str) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "elsewhere"}}
    _status(api.post(f"/api/v1/namespaces/{ns}/configmaps", body), 400, "BadRequest")


def test_name_contradicting_the_path(api: AdminHTTP, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "named"}})
    resp = api.put(f"/api/v1/namespaces/{ns}/configmaps/named", {"metadata": {"name": "other"}})
    _status(resp, 400, "BadRequest")


def test_oversized_body(api: AdminHTTP, ns: str) -> None:
    before = _count(api, ns)
    big = {"metadata": {"name": "big"}, "data": {"k": "x" * (3 * 1024 * 1024 + 10)}}
    _status(api.post(f"/api/v1/namespaces/{ns}/configmaps", big), 413, "RequestEntityTooLarge")
    assert _count(api, ns) == before


def test_unknown_media_type(api: AdminHTTP, ns: str) -> None:
    resp = api.post(f"/api/v1/namespaces/{ns}/configmaps", b"a,b", content_type="text/csv")
    _status(resp, 415, "UnsupportedMediaType")


def test_unacceptable_accept(api: AdminHTTP, ns: str) -> None:
    resp = api.get(f"/api/v1/namespaces/{ns}/configmaps", headers={"Accept": "text/html"})
    _status(resp, 406, "NotAcceptable")


def test_unknown_patch_type(api: AdminHTTP, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "patchme"}})
    resp = api.request("PATCH", f"/api/v1/namespaces/{ns}/configmaps/patchme", {"data": {}},
                       content_type="application/json")
    _status(resp, 415, "UnsupportedMediaType")


def test_stale_resource_version_conflicts(api: AdminHTTP, ns: str) -> None:
    created = api.post(f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "stale"}}).json()
    api.put(f"/api/v1/namespaces/{ns}/configmaps/stale", {**created, "data": {"a": "1"}})
    resp = api.put(f"/api/v1/namespaces/{ns}/configmaps/stale", {**created, "data": {"a": "2"}})
    status = _status(resp, 409, "Conflict")
    assert "the object has been modified" in status["message"]
    assert api.get(f"/api/v1/namespaces/{ns}/configmaps/stale").json()["data"] == {"a": "1"}


@pytest.mark.parametrize(("path", "name"), [
    ("/api/v1/namespaces/{ns}/configmaps", "Upper"),
    ("/api/v1/namespaces/{ns}/configmaps", "under_score"),
    ("/api/v1/namespaces/{ns}/configmaps", "x" * 254),
    ("/api/v1/namespaces", "dots.not.allowed"),
    ("/api/v1/namespaces/{ns}/services", "9starts-with-digit"),
])
def test_invalid_names(api: AdminHTTP, ns: str, path: str, name: str) -> None:
    body: dict[str, Any] = {"metadata": {"name": name}}
    if path.endswith("services"):
        body["spec"] = {"ports": [{"port": 80}]}
    status = _status(api.post(path.format(ns=ns), body), 422, "Invalid")
    assert status["details"]["causes"][0]["field"] == "metadata.name"


def test_unknown_resource_is_not_found(api: AdminHTTP) -> None:
    _status(api.get("/api/v1/widgets"), 404, "NotFound")
    _status(api.get("/apis/nope.example.com/v1/things"), 404, "NotFound")


def test_method_not_allowed_on_named_create(api: AdminHTTP, ns: str) -> None:
    resp = api.post(f"/api/v1/namespaces/{ns}/configmaps/named", {"metadata": {"name": "named"}})
    _status(resp, 405, "MethodNotAllowed")


@pytest.mark.parametrize("path", [
    "/api/v1/namespaces/default/nodes",  # cluster-scoped kind under a namespace
    "/api/v1/configmaps/x",  # namespaced kind, one object, no namespace
])
def test_paths_outside_the_resource_scope_are_not_found(api: AdminHTTP, path: str) -> None:
    _status(api.get(path), 404, "NotFound")


def test_listing_across_namespaces_needs_no_namespace(api: AdminHTTP, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {"name": "across"}})
    names = {(i["metadata"]["namespace"], i["metadata"]["name"]) for i in api.get("/api/v1/configmaps").json()["items"]}
    assert (ns, "across") in names
