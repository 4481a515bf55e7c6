"""What the client sends for each verb and option, and how it reads answers: paths,
query parameters, bodies, patch media types, watch ERROR events and Status errors."""

from __future__ import annotations

from typing import Any

import pytest
from client_fakes import END, ScriptedTransport

from corral.client import NAMESPACES, Client, DeleteOptions, PatchType, Resource
from corral.client.errors import response_error, status_error
from corral.machinery.errors import StatusError

PODS = Resource("", "v1", "pods", kind="Pod")
DEPLOYMENTS = Resource("apps", "v1", "deployments", kind="Deployment")


@pytest.fixture
def transport() -> ScriptedTransport:
    return ScriptedTransport()


@pytest.fixture
def client(transport: ScriptedTransport) -> Client:
    return Client(transport)


async def test_paths_follow_group_scope_and_subresource(client: Client, transport: ScriptedTransport) -> None:
    transport.answers += [{}, {}, {}, {}]
    await client.get(PODS, "p", "ns")
    await client.get(NAMESPACES, "ns")
    await client.update_status(DEPLOYMENTS, {"metadata": {"name": "d", "namespace": "ns"}})
    await client.update(NAMESPACES, {"metadata": {"name": "gone"}}, subresource="finalize")
    assert [(r.method, r.path) for r in transport.requests] == [
        ("GET", "/api/v1/namespaces/ns/pods/p"),
        ("GET", "/api/v1/namespaces/ns"),
        ("PUT", "/apis/apps/v1/namespaces/ns/deployments/d/status"),
        ("PUT", "/api/v1/namespaces/gone/finalize"),
    ]


def test_bad_addresses_are_refused_before_sending() -> None:
    with pytest.raises(ValueError):
        PODS.path("ns", "../secrets")
    with pytest.raises(ValueError):
        NAMESPACES.path("ns")
    with pytest.raises(ValueError):
        PODS.path("ns", "", "status")
    with pytest.raises(ValueError):
        PODS.namespace_of("", {"metadata": {"name": "p"}})


async def test_list_options_and_items_get_their_kind(client: Client, transport: ScriptedTransport) -> None:
    transport.answers.append({"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "5"},
                              "items": [{"metadata": {"name": "p"}}]})
    result = await client.list(PODS, "ns", label_selector="app=x", field_selector="spec.nodeName=n", limit=10,
                               continue_token="tok", resource_version="3", resource_version_match="NotOlderThan")
    assert transport.params(0) == {"labelSelector": "app=x", "fieldSelector": "spec.nodeName=n", "limit": "10",
                                   "continue": "tok", "resourceVersion": "3",
                                   "resourceVersionMatch": "NotOlderThan"}
    assert result["items"] == [{"metadata": {"name": "p"}, "apiVersion": "v1", "kind": "Pod"}]
    transport.answers.append({"kind": "PodList", "metadata": {}})
    assert (await client.list(PODS))["items"] == []
    assert transport.requests[1].path == "/api/v1/pods" and transport.params(1) == {}


async def test_watch_options(client: Client, transport: ScriptedTransport) -> None:
    transport.watches += [[END], [END]]
    assert [e async for e in client.watch(PODS, "ns", name="p", field_selector="spec.nodeName=n",
                                          resource_version="7", timeout_seconds=30)] == []
    assert transport.params(0) == {"watch": "true", "fieldSelector": "spec.nodeName=n,metadata.name=p",
                                   "resourceVersion": "7", "allowWatchBookmarks": "true", "timeoutSeconds": "30"}
    async with client.watch(PODS, send_initial_events=True, allow_bookmarks=True) as events:
        assert [e async for e in events] == []
    assert transport.params(1) == {"watch": "true", "allowWatchBookmarks": "true", "sendInitialEvents": "true",
                                   "resourceVersionMatch": "NotOlderThan"}


async def test_watch_error_events_raise_their_status(client: Client, transport: ScriptedTransport) -> None:
    added = {"metadata": {"name": "p", "resourceVersion": "8"}}
    transport.watches.append([("ADDED", added), ("ERROR", {
        "kind": "Status", "code": 410, "reason": "Expired", "message": "too old resource version: 1 (5)"})])
    events = client.watch(PODS, "ns", resource_version="1")
    first = await anext(events)
    assert (first.type, first.object) == ("ADDED", added)
    with pytest.raises(StatusError) as info:
        await anext(events)
    assert (info.value.code, info.value.reason, info.value.message) == (410, "Expired",
                                                                      "too old resource version: 1 (5)")
    with pytest.raises(StopAsyncIteration):
        await anext(events)


async def test_write_options_and_bodies(client: Client, transport: ScriptedTransport) -> None:
    transport.answers += [{}, {}, {}]
    body = {"metadata": {"name": "p", "namespace": "from-object"}}
    await client.create(PODS, body, dry_run=True, field_manager="me", field_validation="Strict")
    await client.create(PODS, body, "explicit")
    await client.update(PODS, body, field_manager="me")
    assert [r.path for r in transport.requests] == ["/api/v1/namespaces/from-object/pods",
                                                    "/api/v1/namespaces/explicit/pods",
                                                    "/api/v1/namespaces/from-object/pods/p"]
    assert transport.params(0) == {"dryRun": "All", "fieldManager": "me", "fieldValidation": "Strict"}
    assert transport.params(1) == {} and transport.params(2) == {"fieldManager": "me"}
    assert all(r.body is body for r in transport.requests)
    with pytest.raises(ValueError):
        await client.update(PODS, {"metadata": {"namespace": "ns"}})


@pytest.mark.parametrize(("patch_type", "media_type"), [
    (PatchType.MERGE, "application/merge-patch+json"),
    (PatchType.JSON, "application/json-patch+json"),
    (PatchType.STRATEGIC, "application/strategic-merge-patch+json"),
])
async def test_patch_types_select_the_media_type(client: Client, transport: ScriptedTransport,
                                                 patch_type: PatchType, media_type: str) -> None:
    transport.answers.append({})
    await client.patch(DEPLOYMENTS, "d", {"spec": {}}, "ns", patch_type=patch_type, subresource="scale")
    request = transport.requests[0]
    assert (request.method, request.path, request.content_type) == (
        "PATCH", "/apis/apps/v1/namespaces/ns/deployments/d/scale", media_type)


async def test_apply_needs_a_field_manager_and_may_force(client: Client, transport: ScriptedTransport) -> None:
    with pytest.raises(ValueError):
        await client.patch(PODS, "p", {}, "ns", patch_type=PatchType.APPLY)
    transport.answers.append({})
    await client.patch(PODS, "p", {}, "ns", patch_type=PatchType.APPLY, field_manager="fleet", force=True)
    assert transport.params(0) == {"fieldManager": "fleet", "force": "true"}
    assert transport.requests[0].content_type == "application/apply-patch+yaml"


async def test_delete_options_travel_as_the_body(client: Client, transport: ScriptedTransport) -> None:
    transport.answers += [{}, {}]
    await client.delete(PODS, "p", "ns", options=DeleteOptions(
        propagation_policy="Foreground", grace_period_seconds=0, uid="u", resource_version="9", dry_run=True))
    assert transport.requests[0].body == {
        "kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground", "gracePeriodSeconds": 0,
        "preconditions": {"uid": "u", "resourceVersion": "9"}, "dryRun": ["All"]}
    await client.delete_collection(PODS, "ns", label_selector="app=x")
    request = transport.requests[1]
    assert (request.method, request.path, dict(request.params)) == (
        "DELETE", "/api/v1/namespaces/ns/pods", {"labelSelector": "app=x"})
    assert request.body == {"kind": "DeleteOptions", "apiVersion": "v1"}


def test_status_bodies_become_status_errors() -> None:
    status: dict[str, Any] = {
        "kind": "Status", "status": "Failure", "message": 'Pod "x" is invalid', "reason": "Invalid", "code": 422,
        "details": {"name": "x", "kind": "Pod", "retryAfterSeconds": 3,
                    "causes": [{"reason": "FieldValueRequired", "message": "Required value", "field": "spec"}]}}
    err = response_error(422, status)
    assert (err.code, err.reason, err.message, err.name, err.kind, err.retry_after) == (
        422, "Invalid", 'Pod "x" is invalid', "x", "Pod", 3)
    assert [(c.reason, c.field) for c in err.causes] == [("FieldValueRequired", "spec")]
    assert err.to_status() == {**status, "apiVersion": "v1", "metadata": {}}
    assert status_error({"message": "no code"}, 503).code == 503


def test_answers_that_are_not_status_still_raise_with_the_http_code() -> None:
    err = response_error(502, "<html>bad gateway</html>\n")
    assert (err.code, err.reason, err.message) == (502, "BadGateway", "<html>bad gateway</html>")
    assert response_error(599, {}).reason == "Unknown"
