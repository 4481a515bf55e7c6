"""API semantics at the HTTP level: dry runs, generation, status subresources, field
validation modes, resourceVersion matching, watch bookmarks and timeouts, generateName,
namespace termination, aggregated discovery and OpenAPI links."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.adminhttp import AdminHTTP
from tests.support.names import unique
from tests.support.server import CorralServer


@pytest.fixture
def ns(api: AdminHTTP) -> str:
    name = unique("sem")
    assert api.post("/api/v1/namespaces", {"metadata": {"name": name}}).status == 201
    return name


def _cm(name: str, **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def _deploy(name: str, replicas: int = 1) -> dict[str, Any]:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}}


def _wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_dry_run_create_stores_nothing(api: AdminHTTP, ns: str) -> None:
    resp = api.post(f"/api/v1/namespaces/{ns}/configmaps?dryRun=All", _cm("dry", a="1"))
    assert resp.status == 201
    assert resp.json()["metadata"]["uid"]
    assert api.get(f"/api/v1/namespaces/{ns}/configmaps/dry").status == 404


def test_dry_run_rejects_unknown_values(api: AdminHTTP, ns: str) -> None:
    resp = api.post(f"/api/v1/namespaces/{ns}/configmaps?dryRun=Some", _cm("dry2"))
    assert (resp.status, resp.json()["reason"]) == (400, "BadRequest")


def test_generation_tracks_spec_changes_only(api: AdminHTTP, ns: str) -> None:
    base = f"/apis/apps/v1/namespaces/{ns}/deployments"
    created = api.post(base, _deploy("gen")).json()
    assert created["metadata"]["generation"] == 1
    labelled = {**created, "metadata": {**created["metadata"], "labels": {"x": "y"}}}
    after_label = api.put(f"{base}/gen", labelled).json()
    assert after_label["metadata"]["generation"] == 1
    scaled = {**after_label, "spec": {**after_label["spec"], "replicas": 3}}
    after_scale = api.put(f"{base}/gen", scaled).json()
    assert after_scale["metadata"]["generation"] == 2
    assert int(after_scale["metadata"]["resourceVersion"]) > int(after_label["metadata"]["resourceVersion"])


def test_status_subresource_splits_spec_and_status(api: AdminHTTP, ns: str) -> None:
    base = f"/apis/apps/v1/namespaces/{ns}/deployments"
    created = api.post(base, {**_deploy("st"), "status": {"replicas": 9}}).json()
    assert "replicas" not in created.get("status", {})  # status is not set through create
    with_status = {**created, "status": {"replicas": 2, "observedGeneration": 1}}
    main = api.put(f"{base}/st", with_status).json()
    assert "replicas" not in main.get("status", {})  # ... nor through the main resource
    status_update = {**main, "status": {"replicas": 2}, "spec": {**main["spec"], "replicas": 7}}
    after = api.put(f"{base}/st/status", status_update).json()
    assert after["status"] == {"replicas": 2}
    assert after["spec"]["replicas"] == 1  # the status endpoint ignores spec
    assert api.get(f"{base}/st/status").json()["status"] == {"replicas": 2}


def test_field_validation_modes(api: AdminHTTP, ns: str) -> None:
    base = f"/api/v1/namespaces/{ns}/configmaps"
    body = {**_cm("fv", a="1"), "bogus": 1, "metadata": {"name": "fv", "nope": True}}
    strict = api.post(f"{base}?fieldValidation=Strict", body)
    assert strict.status == 400
    status = strict.json()
    assert 'unknown field "bogus"' in status["message"] and 'unknown field "metadata.nope"' in status["message"]
    assert {c["field"] for c in status["details"]["causes"]} == {"bogus", "metadata.nope"}
    assert api.get(f"{base}/fv").status == 404
    warn = api.post(f"{base}?fieldValidation=Warn", body)
    assert warn.status == 201
    assert any("unknown field" in w for w in warn.headers.get_all("Warning") or [])
    stored = api.get(f"{base}/fv").json()
    assert "bogus" not in stored and "nope" not in stored["metadata"]  # dropped, as kube drops them
    ignore = api.post(f"{base}?fieldValidation=Ignore", {**body, "metadata": {"name": "fv2"}})
    assert ignore.status == 201 and not ignore.headers.get_all("Warning")
    patch = api.request("PATCH", f"{base}/fv?fieldValidation=Strict", {"spec": {"x": 1}},
                        content_type="application/merge-patch+json")
    assert (patch.status, patch.json()["reason"]) == (422, "Invalid")
    assert "spec" in {c["field"] for c in patch.json()["details"]["causes"]}


def test_list_at_exact_revision_sees_the_past(api: AdminHTTP, ns: str) -> None:
    base = f"/api/v1/namespaces/{ns}/configmaps"
    first = api.post(base, _cm("past", v="1")).json()
    rv = first["metadata"]["resourceVersion"]
    api.put(f"{base}/past", {**first, "data": {"v": "2"}})
    old = api.get(f"{base}?resourceVersion={rv}&resourceVersionMatch=Exact").json()
    assert old["metadata"]["resourceVersion"] == rv
    assert [i["data"]["v"] for i in old["items"]] == ["1"]
    now = api.get(f"{base}?resourceVersion={rv}&resourceVersionMatch=NotOlderThan").json()
    assert [i["data"]["v"] for i in now["items"]] == ["2"]


def test_list_options_are_checked(api: AdminHTTP, ns: str) -> None:
    base = f"/api/v1/namespaces/{ns}/configmaps"
    assert api.get(f"{base}?resourceVersionMatch=Exact").status == 422
    assert api.get(f"{base}?resourceVersion=0&resourceVersionMatch=Exact").status == 422
    assert api.get(f"{base}?resourceVersion=abc").status == 400
    assert api.get(f"{base}?labelSelector=a%20in%20(b").status == 400
    too_new = api.get(f"{base}?resourceVersion=999999999&resourceVersionMatch=NotOlderThan")
    assert (too_new.status, too_new.json()["reason"]) == (504, "Timeout")


def test_watch_initial_events_end_with_a_bookmark(api: AdminHTTP, ns: str) -> None:
    base = f"/api/v1/namespaces/{ns}/configmaps"
    for i in range(3):
        api.post(base, _cm(f"w{i}"))
    events = api.watch_lines(f"{base}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
                             "&resourceVersionMatch=NotOlderThan&timeoutSeconds=5", 4)
    assert [e["type"] for e in events] == ["ADDED", "ADDED", "ADDED", "BOOKMARK"]
    mark = events[-1]["object"]["metadata"]
    assert mark["annotations"] == {"k8s.io/initial-events-end": "true"}
    assert int(mark["resourceVersion"]) >= max(int(e["object"]["metadata"]["resourceVersion"])
                                               for e in events[:3])


def test_watch_ends_after_timeout_seconds(api: AdminHTTP, ns: str) -> None:
    start = time.monotonic()
    events = api.watch_lines(f"/api/v1/namespaces/{ns}/configmaps?watch=1&timeoutSeconds=1&resourceVersion="
                             f"{api.get(f'/api/v1/namespaces/{ns}/configmaps').json()['metadata']['resourceVersion']}",
                             10)
    assert events == []
    assert time.monotonic() - start < 5


def test_watch_from_before_restart_is_gone(fresh_server: CorralServer) -> None:
    api = AdminHTTP(fresh_server)
    first = api.post("/api/v1/namespaces/default/configmaps", _cm("g1")).json()
    for i in range(3):
        api.post("/api/v1/namespaces/default/configmaps", _cm(f"g{i + 2}"))
    fresh_server.stop()
    fresh_server.start()
    events = api.watch_lines("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion="
                             f"{first['metadata']['resourceVersion']}", 1)
    assert events[0]["type"] == "ERROR"
    assert (events[0]["object"]["code"], events[0]["object"]["reason"]) == (410, "Expired")


def test_generate_name(api: AdminHTTP, ns: str) -> None:
    obj = api.post(f"/api/v1/namespaces/{ns}/configmaps",
                   {"metadata": {"generateName": "gen-"}, "data": {}}).json()
    name = obj["metadata"]["name"]
    assert name.startswith("gen-") and len(name) == len("gen-") + 5
    missing = api.post(f"/api/v1/namespaces/{ns}/configmaps", {"metadata": {}, "data": {}})
    assert (missing.status, missing.json()["details"]["causes"][0]["field"]) == (422, "metadata.name")


def test_namespace_deletion_removes_its_contents(api: AdminHTTP, ns: str) -> None:
    api.post(f"/api/v1/namespaces/{ns}/configmaps", _cm("inside"))
    resp = api.delete(f"/api/v1/namespaces/{ns}")
    assert resp.status in (200, 202)
    assert resp.json()["status"]["phase"] == "Terminating"
    _wait(lambda: api.get(f"/api/v1/namespaces/{ns}").status == 404)
    assert api.get(f"/api/v1/namespaces/{ns}/configmaps").json()["items"] == []


def test_system_namespaces_cannot_be_deleted(api: AdminHTTP) -> None:
    for name in ("default", "kube-system", "kube-public"):
        resp = api.delete(f"/api/v1/namespaces/{name}")
        assert (resp.status, resp.json()["reason"]) == (403, "Forbidden")


def test_aggregated_discovery(api: AdminHTTP) -> None:
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    resp = api.get("/apis", headers={"Accept": accept})
    assert resp.headers["Content-Type"].startswith("application/json;g=apidiscovery.k8s.io;v=v2")
    groups = {g["metadata"]["name"]: g for g in resp.json()["items"]}
    deployments = next(r for r in groups["apps"]["versions"][0]["resources"] if r["resource"] == "deployments")
    assert deployments["scope"] == "Namespaced" and "deploy" in deployments["shortNames"]
    assert {s["subresource"] for s in deployments["subresources"]} == {"status", "scale"}
    legacy = api.get("/api", headers={"Accept": accept}).json()
    assert [g["metadata"]["name"] for g in legacy["items"]] == [""]


def test_openapi_v3_links_are_content_addressed(api: AdminHTTP) -> None:
    index = api.get("/openapi/v3").json()["paths"]
    url = index["apis/apps/v1"]["serverRelativeURL"]
    doc = api.get(url)
    assert doc.status == 200 and "immutable" in doc.headers["Cache-Control"]
    assert "io.k8s.api.apps.v1.Deployment" in doc.json()["components"]["schemas"]
    stale = api.get("/openapi/v3/apis/apps/v1?hash=0000")
    assert stale.status == 301 and stale.headers["Location"] == url


def test_table_view_for_pods(api: AdminHTTP, ns: str) -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    assert api.post(f"/api/v1/namespaces/{ns}/pods", pod).status == 201
    table = api.get(f"/api/v1/namespaces/{ns}/pods",
                    headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}).json()
    assert table["kind"] == "Table"
    assert [c["name"] for c in table["columnDefinitions"]][:5] == ["Name", "Ready", "Status", "Restarts", "Age"]
    assert table["rows"][0]["cells"][:4] == ["p", "0/1", "Pending", "0"]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


def test_binding_assigns_a_pod_once(api: AdminHTTP, ns: str) -> None:
    pod = {"metadata": {"name": "bindme"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    api.post(f"/api/v1/namespaces/{ns}/pods", pod)
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "bindme"},
               "target": {"apiVersion": "v1", "kind": "Node", "name": "node-a"}}
    assert api.post(f"/api/v1/namespaces/{ns}/pods/bindme/binding", binding).status == 201
    bound = api.get(f"/api/v1/namespaces/{ns}/pods/bindme").json()
    assert bound["spec"]["nodeName"] == "node-a"
    assert {"type": "PodScheduled", "status": "True"}.items() <= bound["status"]["conditions"][-1].items()
    again = api.post(f"/api/v1/namespaces/{ns}/pods/bindme/binding", {**binding, "target": {"name": "node-b"}})
    assert (again.status, again.json()["reason"]) == (409, "Conflict")
    assert api.get(f"/api/v1/namespaces/{ns}/pods/bindme").json()["spec"]["nodeName"] == "node-a"
