"""The official ``kubernetes`` Python client against the server: ConfigMap create, read,
list, replace (and a stale replace refused with 409), delete, watch and paginated list."""

from __future__ import annotations

import json

import pytest
from kubernetes import client, watch
from kubernetes.client.exceptions import ApiException

from tests.support.names import unique

WATCH_TIMEOUT = 20  # seconds: the server ends the watch; the client socket gives up a bit later


def configmap(name: str, data: dict[str, str], labels: dict[str, str] | None = None) -> client.V1ConfigMap:
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data)


def test_create_read_replace_delete(core_v1: client.CoreV1Api, namespace: str) -> None:
    created = core_v1.create_namespaced_config_map(namespace, configmap("cfg", {"a": "1"}))
    assert (created.metadata.name, created.metadata.namespace, created.data) == ("cfg", namespace, {"a": "1"})
    assert created.metadata.uid and created.metadata.resource_version

    read = core_v1.read_namespaced_config_map("cfg", namespace)
    assert read.metadata.resource_version == created.metadata.resource_version

    read.data["b"] = "2"
    replaced = core_v1.replace_namespaced_config_map("cfg", namespace, read)
    assert replaced.data == {"a": "1", "b": "2"}
    assert replaced.metadata.uid == created.metadata.uid
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)

    # Older clients return a V1Status, newer ones a plain dict: compare the JSON form.
    deleted = core_v1.delete_namespaced_config_map("cfg", namespace)
    status = core_v1.api_client.sanitize_for_serialization(deleted)
    assert (status["status"], status["details"]["name"], status["details"]["kind"]) == (
        "Success", "cfg", "configmaps")
    with pytest.raises(ApiException) as missing:
        core_v1.read_namespaced_config_map("cfg", namespace)
    assert missing.value.status == 404


def test_list_returns_created_objects(core_v1: client.CoreV1Api, namespace: str) -> None:
    for name in ("one", "two", "three"):
        core_v1.create_namespaced_config_map(namespace, configmap(name, {"n": name}, {"batch": "x"}))
    listed = core_v1.list_namespaced_config_map(namespace, label_selector="batch=x")
    assert sorted(item.metadata.name for item in listed.items) == ["one", "three", "two"]
    assert listed.metadata.resource_version.isdigit()
    assert all(item.data == {"n": item.metadata.name} for item in listed.items)


def test_replace_with_stale_resource_version_is_conflict(core_v1: client.CoreV1Api, namespace: str) -> None:
    created = core_v1.create_namespaced_config_map(namespace, configmap("race", {"v": "0"}))
    fresh = core_v1.read_namespaced_config_map("race", namespace)
    fresh.data = {"v": "1"}
    core_v1.replace_namespaced_config_map("race", namespace, fresh)

    created.data = {"v": "stale"}
    with pytest.raises(ApiException) as conflict:
        core_v1.replace_namespaced_config_map("race", namespace, created)
    assert conflict.value.status == 409
    body = json.loads(conflict.value.body)
    assert (body["kind"], body["reason"], body["code"]) == ("Status", "Conflict", 409)
    assert body["message"] == ('Operation cannot be fulfilled on configmaps "race": the object has been '
                               "modified; please apply your changes to the latest version and try again")
    assert core_v1.read_namespaced_config_map("race", namespace).data == {"v": "1"}


def test_watch_sees_added_modified_deleted(core_v1: client.CoreV1Api, namespace: str) -> None:
    start = core_v1.list_namespaced_config_map(namespace).metadata.resource_version
    name = unique("watched")
    core_v1.create_namespaced_config_map(namespace, configmap(name, {"step": "1"}))
    core_v1.patch_namespaced_config_map(name, namespace, {"data": {"step": "2"}})
    core_v1.delete_namespaced_config_map(name, namespace)

    seen: list[tuple[str, str, str]] = []
    stream = watch.Watch()
    for event in stream.stream(core_v1.list_namespaced_config_map, namespace, resource_version=start,
                               field_selector=f"metadata.name={name}", timeout_seconds=WATCH_TIMEOUT,
                               _request_timeout=WATCH_TIMEOUT + 10):
        obj = event["object"]
        seen.append((event["type"], obj.metadata.name, (obj.data or {}).get("step", "")))
        if event["type"] == "DELETED":
            stream.stop()
    assert seen == [("ADDED", name, "1"), ("MODIFIED", name, "2"), ("DELETED", name, "2")]


def test_watch_resource_versions_increase(core_v1: client.CoreV1Api, namespace: str) -> None:
    start = core_v1.list_namespaced_config_map(namespace).metadata.resource_version
    for index in range(3):
        core_v1.create_namespaced_config_map(namespace, configmap(f"rv-{index}", {}))
    versions: list[int] = []
    stream = watch.Watch()
    for event in stream.stream(core_v1.list_namespaced_config_map, namespace, resource_version=start,
                               timeout_seconds=WATCH_TIMEOUT,
                               _request_timeout=WATCH_TIMEOUT + 10):
        if event["object"].metadata.name.startswith("rv-"):
            versions.append(int(event["object"].metadata.resource_version))
        if len(versions) == 3:
            stream.stop()
    assert len(versions) == 3
    assert versions == sorted(versions) and len(set(versions)) == 3
    assert versions[0] > int(start)


def test_list_with_limit_and_continue(core_v1: client.CoreV1Api, namespace: str) -> None:
    wanted = [f"page-{index}" for index in range(5)]
    for name in wanted:
        core_v1.create_namespaced_config_map(namespace, configmap(name, {}, {"paged": "yes"}))
    pages: list[list[str]] = []
    token: str | None = None
    while True:
        page = core_v1.list_namespaced_config_map(namespace, label_selector="paged=yes", limit=2,
                                                  _continue=token)
        pages.append([item.metadata.name for item in page.items])
        token = page.metadata._continue
        if not token:
            break
        assert len(pages) <= 5, f"pagination does not end: {pages}"
    assert pages == [wanted[0:2], wanted[2:4], wanted[4:5]]


def test_first_page_reports_remaining_item_count(core_v1: client.CoreV1Api, namespace: str) -> None:
    for index in range(5):
        core_v1.create_namespaced_config_map(namespace, configmap(f"count-{index}", {}))
    everything = core_v1.list_namespaced_config_map(namespace)
    first = core_v1.list_namespaced_config_map(namespace, limit=2)
    assert len(first.items) == 2
    assert first.metadata._continue
    assert first.metadata.remaining_item_count == len(everything.items) - 2


def test_garbled_continue_token_is_bad_request(core_v1: client.CoreV1Api, namespace: str) -> None:
    with pytest.raises(ApiException) as bad:
        core_v1.list_namespaced_config_map(namespace, limit=2, _continue="not-a-token")
    assert bad.value.status == 400, bad.value.body
