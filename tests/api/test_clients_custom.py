"""Both official Python clients on custom objects, and server-side apply through them:
create, list, watch, the patch types a custom resource accepts, and delete."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from kubernetes import client as sync_client
from kubernetes import watch as sync_watch
from kubernetes.client.exceptions import ApiException
from kubernetes_asyncio import client as aio_client
from kubernetes_asyncio import config as aio_config

from tests.support.adminhttp import AdminHTTP
from tests.support.server import CorralServer
from tests.unit.custom.crds import crontab_crd, install, unique_group

VERSION = "v1"
PLURAL = "crontabs"


@pytest.fixture(scope="module")
def group(api: AdminHTTP) -> str:
    name = unique_group()
    install(api, crontab_crd(name))
    return name


def _crontab(group: str, name: str, **spec: object) -> dict[str, object]:
    return {"apiVersion": f"{group}/{VERSION}", "kind": "CronTab", "metadata": {"name": name},
            "spec": {"cronSpec": "* * * * */5", "image": "busybox", **spec}}


@pytest.fixture
def custom(k8s_client: sync_client.ApiClient) -> Iterator[sync_client.CustomObjectsApi]:
    yield sync_client.CustomObjectsApi(k8s_client)


def test_sync_client_custom_objects(custom: sync_client.CustomObjectsApi, group: str, namespace: str) -> None:
    args = (group, VERSION, namespace, PLURAL)
    created = custom.create_namespaced_custom_object(*args, _crontab(group, "a", replicas=1))
    assert created["metadata"]["generation"] == 1
    listed = custom.list_namespaced_custom_object(*args)
    assert [i["metadata"]["name"] for i in listed["items"]] == ["a"]
    rv = listed["metadata"]["resourceVersion"]
    merged = custom.patch_namespaced_custom_object(*args, "a", {"spec": {"replicas": 2}})  # merge patch
    assert merged["spec"]["replicas"] == 2 and merged["metadata"]["generation"] == 2
    stream = sync_watch.Watch().stream(custom.list_namespaced_custom_object, *args, resource_version=rv,
                                       timeout_seconds=10)
    event = next(stream)
    assert (event["type"], event["object"]["spec"]["replicas"]) == ("MODIFIED", 2)
    custom.delete_namespaced_custom_object(*args, "a")
    with pytest.raises(ApiException) as err:
        custom.get_namespaced_custom_object(*args, "a")
    assert err.value.status == 404


def test_strategic_merge_patch_on_a_custom_object_is_415(custom: sync_client.CustomObjectsApi, group: str,
                                                          namespace: str) -> None:
    args = (group, VERSION, namespace, PLURAL)
    custom.create_namespaced_custom_object(*args, _crontab(group, "smp"))
    with pytest.raises(ApiException) as err:
        custom.patch_namespaced_custom_object(*args, "smp", {"spec": {"replicas": 3}},
                                              _content_type="application/strategic-merge-patch+json")
    assert err.value.status == 415


def test_server_side_apply_through_the_sync_client(custom: sync_client.CustomObjectsApi, group: str,
                                                   namespace: str) -> None:
    args = (group, VERSION, namespace, PLURAL)

    def apply(manager: str, body: dict[str, object], force: bool = False) -> Any:
        return custom.patch_namespaced_custom_object(*args, "ssa", body, field_manager=manager,
                                                     force=force or None,
                                                     _content_type="application/apply-patch+yaml")

    apply("team-a", _crontab(group, "ssa", replicas=1))  # 201 Created: this client returns no body for it
    first = custom.get_namespaced_custom_object(*args, "ssa")
    assert [m["manager"] for m in first["metadata"]["managedFields"]] == ["team-a"]
    with pytest.raises(ApiException) as err:
        apply("team-b", _crontab(group, "ssa", replicas=5))
    assert err.value.status == 409 and "team-a" in err.value.body
    forced = apply("team-b", _crontab(group, "ssa", replicas=5), force=True)
    assert forced["spec"]["replicas"] == 5


@pytest.fixture
async def aio(server: CorralServer) -> AsyncIterator[aio_client.ApiClient]:
    cfg = aio_client.Configuration()
    await aio_config.load_kube_config(config_file=str(server.kubeconfig), client_configuration=cfg)
    async with aio_client.ApiClient(cfg) as api_client:
        yield api_client


async def test_asyncio_client_custom_objects(aio: aio_client.ApiClient, group: str, namespace: str) -> None:
    custom = aio_client.CustomObjectsApi(aio)
    args = (group, VERSION, namespace, PLURAL)
    await custom.create_namespaced_custom_object(*args, _crontab(group, "b"))
    patched = await custom.patch_namespaced_custom_object(
        *args, "b", [{"op": "replace", "path": "/spec/image", "value": "alpine"}],
        _content_type="application/json-patch+json")
    assert patched["spec"]["image"] == "alpine"
    listed = await custom.list_namespaced_custom_object(*args)
    assert [i["spec"]["image"] for i in listed["items"]] == ["alpine"]
    await custom.delete_namespaced_custom_object(*args, "b")
    assert (await custom.list_namespaced_custom_object(*args))["items"] == []

