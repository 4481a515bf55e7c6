"""The ``kubernetes_asyncio`` client against a real server: create, list, watch, the patch
types and delete on built-in kinds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from kubernetes_asyncio import client, config, watch
from kubernetes_asyncio.client.exceptions import ApiException

from tests.support.names import unique
from tests.support.server import CorralServer


@pytest.fixture
async def api(server: CorralServer) -> AsyncIterator[client.ApiClient]:
    cfg = client.Configuration()
    await config.load_kube_config(config_file=str(server.kubeconfig), client_configuration=cfg)
    async with client.ApiClient(cfg) as api_client:
        yield api_client


@pytest.fixture
async def ns(api: client.ApiClient) -> str:
    name = unique("aio")
    await client.CoreV1Api(api).create_namespace({"metadata": {"name": name}})
    return name


def _deployment(name: str) -> dict[str, object]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [
                         {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}}}


async def test_create_list_delete(api: client.ApiClient, ns: str) -> None:
    core = client.CoreV1Api(api)
    created = await core.create_namespaced_config_map(ns, {"metadata": {"name": "a"}, "data": {"k": "v"}})
    assert created.metadata.uid
    listed = await core.list_namespaced_config_map(ns)
    assert [c.metadata.name for c in listed.items] == ["a"]
    await core.delete_namespaced_config_map("a", ns)
    with pytest.raises(ApiException) as err:
        await core.read_namespaced_config_map("a", ns)
    assert err.value.status == 404


async def test_watch_sees_changes(api: client.ApiClient, ns: str) -> None:
    core = client.CoreV1Api(api)
    rv = (await core.list_namespaced_config_map(ns)).metadata.resource_version
    seen: list[tuple[str, str]] = []

    async def follow() -> None:
        async with watch.Watch().stream(core.list_namespaced_config_map, ns, resource_version=rv,
                                        timeout_seconds=20) as stream:
            async for event in stream:
                seen.append((event["type"], event["object"].metadata.name))
                if event["type"] == "DELETED":
                    return

    task = asyncio.create_task(follow())
    await core.create_namespaced_config_map(ns, {"metadata": {"name": "w"}})
    await core.patch_namespaced_config_map("w", ns, {"data": {"x": "1"}})
    await core.delete_namespaced_config_map("w", ns)
    await asyncio.wait_for(task, 20)
    assert seen == [("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]


async def test_patch_types_on_a_deployment(api: client.ApiClient, ns: str) -> None:
    apps = client.AppsV1Api(api)
    await apps.create_namespaced_deployment(ns, _deployment("web"))
    # strategic merge (the client's default for dict bodies): containers merge by name
    patched = await apps.patch_namespaced_deployment("web", ns, {"spec": {"template": {"spec": {
        "containers": [{"name": "web", "image": "nginx:1.28"}]}}}})
    [container] = patched.spec.template.spec.containers
    assert (container.image, container.ports[0].container_port) == ("nginx:1.28", 80)
    # JSON merge patch
    patched = await apps.patch_namespaced_deployment(
        "web", ns, {"metadata": {"labels": {"tier": "front"}}}, _content_type="application/merge-patch+json")
    assert patched.metadata.labels == {"tier": "front"}
    # JSON patch
    patched = await apps.patch_namespaced_deployment(
        "web", ns, [{"op": "replace", "path": "/spec/replicas", "value": 3}],
        _content_type="application/json-patch+json")
    assert patched.spec.replicas == 3
    assert patched.metadata.generation == 3  # image and replicas changed; the label did not count
