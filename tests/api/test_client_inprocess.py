"""What only the in-process transport does: requests authorized as the component's own
user through the ApiServer's authorizer, discovery and /version without HTTP, results
that are fresh dicts, and bookmarks while a watch is quiet."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from corral.api import inprocess
from corral.api.app import ApiServer
from corral.api.discovery import Discovery
from corral.api.inprocess import InProcessTransport
from corral.api.request import RequestInfo
from corral.auth.authenticator import Authenticator
from corral.auth.user import UserInfo
from corral.client import NAMESPACES, Client, Request, Resource
from corral.machinery.errors import StatusError
from corral.registry.builtins import BUILTINS, GROUP_ORDER
from corral.registry.store import ObjectStore
from corral.schema.openapi import OpenAPI
from corral.storage.cache import WatchCache
from corral.storage.sqlite import SqliteStorage

CONFIGMAPS = Resource("", "v1", "configmaps", kind="ConfigMap")
COMPONENT = UserInfo("system:serviceaccount:kube-system:test-controller", groups=("system:authenticated",))


class Recording:
    """Allows everything except writes to secrets, and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str, str]] = []

    def authorize(self, user: UserInfo, info: RequestInfo) -> str | None:
        self.asked.append((user.name, info.verb, info.resource, info.path))
        if info.resource == "secrets" and info.verb != "get":
            return f'User "{user.name}" cannot {info.verb} resource "secrets"'
        return None


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[ApiServer]:
    storage = WatchCache(SqliteStorage(tmp_path / "state.db"))
    await storage.start()
    try:
        yield ApiServer(ObjectStore(storage), Discovery(BUILTINS, GROUP_ORDER, "test:6443"), OpenAPI(BUILTINS),
                        Authenticator(None), Recording())
    finally:
        await storage.close()


async def test_requests_are_authorized_as_the_component(api: ApiServer) -> None:
    client = Client(InProcessTransport(api, COMPONENT))
    await client.create(NAMESPACES, {"metadata": {"name": "team"}})
    await client.list(CONFIGMAPS, "team")
    async with client.watch(CONFIGMAPS, "team", timeout_seconds=1):
        pass
    await client.discovery.resources_of("v1")
    denied = Resource("", "v1", "secrets", kind="Secret")
    with pytest.raises(StatusError) as info:
        await client.create(denied, {"metadata": {"name": "s"}}, "team")
    assert (info.value.code, info.value.reason) == (403, "Forbidden")
    assert info.value.message == f'User "{COMPONENT.name}" cannot create resource "secrets"'
    assert isinstance(api.authorizer, Recording)
    assert api.authorizer.asked == [
        (COMPONENT.name, "create", "namespaces", "/api/v1/namespaces"),
        (COMPONENT.name, "list", "configmaps", "/api/v1/namespaces/team/configmaps"),
        (COMPONENT.name, "watch", "configmaps", "/api/v1/namespaces/team/configmaps"),
        (COMPONENT.name, "get", "", "/api/v1"),
        (COMPONENT.name, "create", "secrets", "/api/v1/namespaces/team/secrets"),
    ]


async def test_discovery_and_version_without_http(api: ApiServer) -> None:
    transport = InProcessTransport(api, COMPONENT)
    version = await transport.request(Request("GET", "/version"))
    assert version["major"] == "1" and version["gitVersion"].startswith("v1.")
    groups = await transport.request(Request("GET", "/apis"))
    assert "apps" in {g["name"] for g in groups["groups"]}
    apps = await transport.request(Request("GET", "/apis/apps"))
    assert apps["preferredVersion"]["groupVersion"] == "apps/v1"
    for path in ("/apis/nothing.example.com/v1", "/healthz", "/api/v1/teapots"):
        with pytest.raises(StatusError) as info:
            await transport.request(Request("GET", path))
        assert info.value.code == 404
    with pytest.raises(StatusError) as info:
        await transport.request(Request("POST", "/apis", body={}))
    assert info.value.code == 405


async def test_every_answer_is_a_dict_of_its_own(api: ApiServer) -> None:
    client = Client(InProcessTransport(api, COMPONENT))
    await client.create(NAMESPACES, {"metadata": {"name": "team"}})
    await client.create(CONFIGMAPS, {"metadata": {"name": "c"}, "data": {"k": "v"}}, "team")
    first = await client.get(CONFIGMAPS, "c", "team")
    first["data"]["k"] = "scribbled"
    listed = await client.list(CONFIGMAPS, "team")
    assert (await client.get(CONFIGMAPS, "c", "team"))["data"] == {"k": "v"}
    assert listed["items"][0]["data"] == {"k": "v"}


async def test_quiet_watches_get_bookmarks(api: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inprocess, "BOOKMARK_INTERVAL", 0.05)
    client = Client(InProcessTransport(api, COMPONENT))
    await client.create(NAMESPACES, {"metadata": {"name": "team"}})
    rv = (await client.create(CONFIGMAPS, {"metadata": {"name": "c"}}, "team"))["metadata"]["resourceVersion"]
    async with client.watch(CONFIGMAPS, "team", resource_version=rv) as events:
        await client.create(CONFIGMAPS, {"metadata": {"name": "d"}}, "team")
        added = await asyncio.wait_for(anext(events), 5)
        bookmark = await asyncio.wait_for(anext(events), 5)
    assert (added.type, added.object["metadata"]["name"]) == ("ADDED", "d")
    assert bookmark.type == "BOOKMARK"
    assert bookmark.object == {"kind": "ConfigMap", "apiVersion": "v1",
                               "metadata": {"resourceVersion": added.object["metadata"]["resourceVersion"]}}
    async with client.watch(CONFIGMAPS, "team", resource_version=rv, allow_bookmarks=False,
                            timeout_seconds=1) as quiet:
        assert [e.type async for e in quiet] == ["ADDED"]  # "d" again, and no bookmark
