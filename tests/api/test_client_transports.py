"""The API client's behaviour, the same against both transports: HTTP to a real
``corral server`` process and in-process into an ApiServer running in the test's event
loop. Verbs and their options, Status errors, watches (bookmarks, 410 Gone after a
restart), discovery, informers recovering from a restart, and namespace termination
through the client-based controller."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, Protocol

import pytest

from corral.api.app import ApiServer
from corral.api.discovery import Discovery
from corral.api.inprocess import InProcessTransport
from corral.auth.authenticator import Authenticator
from corral.auth.user import UserInfo
from corral.client import (
    NAMESPACES,
    Backoff,
    Client,
    DeleteOptions,
    Informer,
    NoKindMatchError,
    PatchType,
    Resource,
    WatchEvent,
    by_label,
)
from corral.controllers import namespace as namespace_controller
from corral.machinery.errors import StatusError
from corral.registry.builtins import BUILTINS, GROUP_ORDER
from corral.registry.store import ObjectStore
from corral.schema.openapi import OpenAPI
from corral.storage.cache import WatchCache
from corral.storage.sqlite import SqliteStorage
from tests.support.names import unique
from tests.support.server import CorralServer

CONFIGMAPS = Resource("", "v1", "configmaps", kind="ConfigMap")
ADMIN = UserInfo("system:admin", groups=("system:masters", "system:authenticated"))
DEADLINE = 15.0

Obj = dict[str, Any]


class Cluster(Protocol):
    client: Client

    async def restart(self) -> None:
        """Stop and start the server over the same data: the watch history restarts."""


class HttpCluster:
    """A real server process, reached through a kubeconfig."""

    def __init__(self, server: CorralServer) -> None:
        self.server = server
        self.client = Client.from_kubeconfig(server.kubeconfig)

    async def restart(self) -> None:
        """A crash and a start: the watches' connections break at once, as they do when a
        node or the process dies."""
        await asyncio.to_thread(self.server.kill9)
        await asyncio.to_thread(self.server.start)


class InProcessCluster:
    """An ApiServer over SQLite in this event loop, with the namespace controller
    running as in ``corral server``."""

    def __init__(self, data: Path) -> None:
        self.db = data / "state.db"
        self.storage = WatchCache(SqliteStorage(self.db))
        self.store = ObjectStore(self.storage)
        self.api = ApiServer(self.store, Discovery(BUILTINS, GROUP_ORDER, "127.0.0.1:6443"), OpenAPI(BUILTINS),
                             Authenticator(None))
        self.client = Client(InProcessTransport(self.api, ADMIN))
        self.controller = namespace_controller.NamespaceController(
            Client(InProcessTransport(self.api, namespace_controller.IDENTITY)))

    async def start(self) -> None:
        await self.storage.start()
        self.controller.start()

    async def restart(self) -> None:
        """Closing the storage ends every watch; the new one starts a new history."""
        await self.storage.close()
        self.storage = WatchCache(SqliteStorage(self.db))
        await self.storage.start()
        self.store.storage = self.storage

    async def close(self) -> None:
        await self.controller.stop()
        await self.storage.close()


async def _cluster(kind: str, request: pytest.FixtureRequest, tmp_path: Path,
                   server_fixture: str) -> AsyncIterator[Cluster]:
    if kind == "http":
        http = HttpCluster(request.getfixturevalue(server_fixture))
        yield http
        await http.client.close()
        return
    local = InProcessCluster(tmp_path)
    await local.start()
    try:
        yield local
    finally:
        await local.close()


@pytest.fixture(params=["http", "inprocess"])
async def cluster(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Cluster]:
    """Either transport; over HTTP, the session's shared server."""
    async for c in _cluster(request.param, request, tmp_path, "server"):
        yield c


@pytest.fixture(params=["http", "inprocess"])
async def fresh_cluster(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Cluster]:
    """Either transport, over a server of the test's own (free to restart)."""
    async for c in _cluster(request.param, request, tmp_path, "fresh_server"):
        yield c


async def _namespace(client: Client) -> str:
    name = unique("client")
    await client.create(NAMESPACES, {"metadata": {"name": name}})
    return name


def _cm(name: str, labels: dict[str, str] | None = None, **data: str) -> Obj:
    meta: Obj = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


async def _status(call: Any) -> StatusError:
    with pytest.raises(StatusError) as info:
        await call
    return info.value


async def _eventually(condition: Callable[[], bool], timeout: float = DEADLINE) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


# ----- verbs ---------------------------------------------------------------------------


async def test_create_get_update_delete(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    created = await client.create(CONFIGMAPS, _cm("a", x="1"), ns)
    assert created["metadata"]["namespace"] == ns and created["metadata"]["uid"]
    got = await client.get(CONFIGMAPS, "a", ns)
    assert got == created
    got["data"]["x"] = "2"
    updated = await client.update(CONFIGMAPS, got)
    assert updated["data"] == {"x": "2"}
    assert int(updated["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    stale = await _status(client.update(CONFIGMAPS, got))  # still carries the old resourceVersion
    assert (stale.code, stale.reason) == (409, "Conflict")
    await client.delete(CONFIGMAPS, "a", ns)
    missing = await _status(client.get(CONFIGMAPS, "a", ns))
    assert (missing.code, missing.reason, missing.name) == (404, "NotFound", "a")
    assert missing.message == 'configmaps "a" not found'


async def test_the_callers_objects_are_left_unchanged(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    obj = {"metadata": {"name": "mine"}, "data": {"k": "v"}}  # no apiVersion/kind: the server fills them in
    before = copy.deepcopy(obj)
    created = await client.create(CONFIGMAPS, obj, ns)
    assert obj == before
    created["data"]["k"] = "changed"
    sent = copy.deepcopy(created)
    await client.update(CONFIGMAPS, created)
    assert created == sent


async def test_errors_carry_the_status(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    await client.create(CONFIGMAPS, _cm("dup"), ns)
    exists = await _status(client.create(CONFIGMAPS, _cm("dup"), ns))
    assert (exists.code, exists.reason, exists.kind, exists.name) == (409, "AlreadyExists", "configmaps", "dup")
    invalid = await _status(client.create(CONFIGMAPS, _cm("Not_Valid"), ns))
    assert (invalid.code, invalid.reason) == (422, "Invalid")
    assert [c.field for c in invalid.causes] == ["metadata.name"]
    no_ns = await _status(client.create(CONFIGMAPS, _cm("x"), unique("absent")))
    assert (no_ns.code, no_ns.kind) == (404, "namespaces")


async def test_list_with_selectors_and_pages(cluster: Cluster) -> None:
    client = cluster.client
    ns, other = await _namespace(client), await _namespace(client)
    for i in range(5):
        await client.create(CONFIGMAPS, _cm(f"cm{i}", {"tier": "web" if i % 2 else "db"}), ns)
    await client.create(CONFIGMAPS, _cm("elsewhere", {"tier": "web"}), other)

    web = await client.list(CONFIGMAPS, ns, label_selector="tier=web")
    assert sorted(o["metadata"]["name"] for o in web["items"]) == ["cm1", "cm3"]
    assert all(o["kind"] == "ConfigMap" and o["apiVersion"] == "v1" for o in web["items"])
    assert int(web["metadata"]["resourceVersion"]) > 0
    by_name = await client.list(CONFIGMAPS, ns, field_selector="metadata.name=cm4")
    assert [o["metadata"]["name"] for o in by_name["items"]] == ["cm4"]

    names, token, pages = [], "", 0
    while True:
        page = await client.list(CONFIGMAPS, ns, limit=2, continue_token=token)
        pages += 1
        names += [o["metadata"]["name"] for o in page["items"]]
        token = page["metadata"].get("continue", "")
        if not token:
            break
    assert (names, pages) == ([f"cm{i}" for i in range(5)], 3)

    everywhere = await client.list(CONFIGMAPS, label_selector="tier=web")
    assert {(o["metadata"]["namespace"], o["metadata"]["name"]) for o in everywhere["items"]} >= {
        (ns, "cm1"), (ns, "cm3"), (other, "elsewhere")}


async def test_patch_types_and_subresources(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    await client.create(CONFIGMAPS, _cm("p", a="1"), ns)
    merged = await client.patch(CONFIGMAPS, "p", {"data": {"b": "2", "a": None}}, ns)
    assert merged["data"] == {"b": "2"}
    patched = await client.patch(CONFIGMAPS, "p", [{"op": "add", "path": "/data/c", "value": "3"}], ns,
                                 patch_type=PatchType.JSON)
    assert patched["data"] == {"b": "2", "c": "3"}
    labelled = await client.patch(CONFIGMAPS, "p", {"metadata": {"labels": {"l": "v"}}}, ns,
                                  patch_type=PatchType.STRATEGIC)
    assert labelled["metadata"]["labels"] == {"l": "v"} and labelled["data"] == patched["data"]

    deployments = await client.resource_for("apps/v1", "Deployment")
    labels = {"app": "d"}
    deploy = await client.create(deployments, {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"selector": {"matchLabels": labels}, "template": {
            "metadata": {"labels": labels}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}, ns)
    deploy["status"] = {"observedGeneration": 1, "replicas": 0}
    with_status = await client.update_status(deployments, deploy)
    assert with_status["status"]["observedGeneration"] == 1
    scaled = await client.patch(deployments, "d", {"spec": {"replicas": 3}}, ns, subresource="scale")
    assert (scaled["kind"], scaled["spec"]["replicas"]) == ("Scale", 3)
    assert (await client.get(deployments, "d", ns))["spec"]["replicas"] == 3


async def test_delete_options(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    obj = await client.create(CONFIGMAPS, _cm("d"), ns)
    wrong_uid = await _status(client.delete(CONFIGMAPS, "d", ns, options=DeleteOptions(uid="not-the-uid")))
    assert (wrong_uid.code, wrong_uid.reason) == (409, "Conflict")
    wrong_rv = await _status(client.delete(CONFIGMAPS, "d", ns, options=DeleteOptions(resource_version="1")))
    assert wrong_rv.code == 409
    await client.delete(CONFIGMAPS, "d", ns, options=DeleteOptions(dry_run=True))
    assert (await client.get(CONFIGMAPS, "d", ns))["metadata"]["uid"] == obj["metadata"]["uid"]
    bad = await _status(client.delete(CONFIGMAPS, "d", ns, options=DeleteOptions(propagation_policy="Sideways")))
    assert (bad.code, bad.reason) == (422, "Invalid")
    options = DeleteOptions(propagation_policy="Foreground", grace_period_seconds=0, uid=obj["metadata"]["uid"],
                            resource_version=obj["metadata"]["resourceVersion"])
    await client.delete(CONFIGMAPS, "d", ns, options=options)
    assert (await _status(client.get(CONFIGMAPS, "d", ns))).code == 404


async def test_delete_collection_by_label(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    for name, tier in (("a", "x"), ("b", "x"), ("c", "y")):
        await client.create(CONFIGMAPS, _cm(name, {"tier": tier}), ns)
    await client.delete_collection(CONFIGMAPS, ns, label_selector="tier=x")
    assert [o["metadata"]["name"] for o in (await client.list(CONFIGMAPS, ns))["items"]] == ["c"]


async def test_discovery_maps_kinds_to_resources(cluster: Cluster) -> None:
    client = cluster.client
    assert await client.resource_for("apps/v1", "Deployment") == Resource("apps", "v1", "deployments", True,
                                                                          "Deployment")
    assert await client.resource_for("v1", "Namespace") == NAMESPACES
    with pytest.raises(NoKindMatchError):
        await client.resource_for("apps/v1", "Teapot")
    with pytest.raises(NoKindMatchError):
        await client.resource_for("nothing.example.com/v1", "Teapot")
    served = {(a.resource.group, a.resource.resource): a for a in await client.discovery.preferred_resources()}
    assert {"list", "watch", "deletecollection"} <= served[("", "configmaps")].verbs
    assert ("", "pods/status") not in served


# ----- watches -------------------------------------------------------------------------


async def _next(events: AsyncIterator[WatchEvent]) -> WatchEvent:
    return await asyncio.wait_for(anext(events), DEADLINE)


async def test_watch_sees_changes_in_order(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    start = (await client.list(CONFIGMAPS, ns))["metadata"]["resourceVersion"]
    async with client.watch(CONFIGMAPS, ns, resource_version=start) as events:
        await client.create(CONFIGMAPS, _cm("w", v="1"), ns)
        await client.patch(CONFIGMAPS, "w", {"data": {"v": "2"}}, ns)
        await client.delete(CONFIGMAPS, "w", ns)
        seen = [await _next(events) for _ in range(3)]
    assert [(e.type, e.object["metadata"]["name"]) for e in seen] == [
        ("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]
    assert seen[1].object["data"] == {"v": "2"}
    revisions = [int(e.object["metadata"]["resourceVersion"]) for e in seen]
    assert revisions == sorted(revisions) and revisions[0] > int(start)


async def test_watch_one_object_with_initial_events_and_bookmark(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    await client.create(CONFIGMAPS, _cm("one"), ns)
    await client.create(CONFIGMAPS, _cm("two"), ns)
    async with client.watch(CONFIGMAPS, ns, name="two", send_initial_events=True) as events:
        first, second = await _next(events), await _next(events)
        assert (first.type, first.object["metadata"]["name"]) == ("ADDED", "two")
        assert second.type == "BOOKMARK"
        assert second.object["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
        await client.patch(CONFIGMAPS, "one", {"data": {"ignored": "yes"}}, ns)
        await client.patch(CONFIGMAPS, "two", {"data": {"seen": "yes"}}, ns)
        third = await _next(events)
    assert (third.type, third.object["metadata"]["name"]) == ("MODIFIED", "two")


async def test_watch_ends_after_its_timeout(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    async with client.watch(CONFIGMAPS, ns, resource_version="0", timeout_seconds=1) as events:
        remaining = await asyncio.wait_for(_drain(events), DEADLINE)
    assert remaining == []


async def _drain(events: AsyncIterator[WatchEvent]) -> list[WatchEvent]:
    return [e async for e in events]


async def test_watch_from_before_a_restart_is_gone(fresh_cluster: Cluster) -> None:
    client = fresh_cluster.client
    ns = await _namespace(client)
    old = (await client.create(CONFIGMAPS, _cm("old"), ns))["metadata"]["resourceVersion"]
    await client.create(CONFIGMAPS, _cm("newer"), ns)
    await fresh_cluster.restart()
    gone = await _status(_drain(client.watch(CONFIGMAPS, ns, resource_version=old)))
    assert (gone.code, gone.reason) == (410, "Expired")


# ----- informers -----------------------------------------------------------------------


class Recorder:
    def __init__(self, informer: Informer) -> None:
        self.events: asyncio.Queue[tuple[str, str, Obj]] = asyncio.Queue()
        informer.add_handler(on_add=lambda o: self._put("add", o),
                             on_update=lambda _old, new: self._put("update", new),
                             on_delete=lambda o: self._put("delete", o))

    def _put(self, kind: str, obj: Obj) -> None:
        self.events.put_nowait((kind, obj["metadata"]["name"], obj))

    async def next(self) -> tuple[str, str, Obj]:
        return await asyncio.wait_for(self.events.get(), DEADLINE)


async def test_informer_sees_adds_updates_and_deletes(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    await client.create(CONFIGMAPS, _cm("before", {"app": "a"}), ns)
    informer = Informer(client, CONFIGMAPS, namespace=ns, indexers={"app": by_label("app")})
    seen = Recorder(informer)
    informer.start()
    try:
        assert await asyncio.wait_for(informer.wait_for_sync(), DEADLINE)
        assert (await seen.next())[:2] == ("add", "before")
        await client.create(CONFIGMAPS, _cm("after", {"app": "b"}), ns)
        assert (await seen.next())[:2] == ("add", "after")
        await client.patch(CONFIGMAPS, "after", {"metadata": {"labels": {"app": "a"}}}, ns)
        kind, name, obj = await seen.next()
        assert (kind, name, obj["metadata"]["labels"]) == ("update", "after", {"app": "a"})
        assert informer.cache.index_keys("app", "a") == [f"{ns}/after", f"{ns}/before"]
        assert informer.cache.by_index("app", "b") == []
        await client.delete(CONFIGMAPS, "before", ns)
        assert (await seen.next())[:2] == ("delete", "before")
        assert informer.cache.keys() == [f"{ns}/after"]
    finally:
        await informer.stop()
    assert not informer.running


async def test_informer_lists_again_after_410(fresh_cluster: Cluster) -> None:
    client = fresh_cluster.client
    ns, elsewhere = await _namespace(client), await _namespace(client)
    await client.create(CONFIGMAPS, _cm("kept", v="1"), ns)
    informer = Informer(client, CONFIGMAPS, namespace=ns, watch_timeout=600, backoff=Backoff(0.05, 0.5))
    failures: list[Exception] = []
    informer.set_watch_error_handler(failures.append)
    seen = Recorder(informer)
    informer.start()
    try:
        assert await asyncio.wait_for(informer.wait_for_sync(), DEADLINE)
        assert (await seen.next())[:2] == ("add", "kept")
        watched_from = int(informer.last_sync_resource_version)
        await client.create(CONFIGMAPS, _cm("unwatched"), elsewhere)  # history moves on past watched_from
        await fresh_cluster.restart()
        await _eventually(lambda: any(isinstance(e, StatusError) and e.code == 410 for e in failures))
        await _eventually(lambda: int(informer.last_sync_resource_version or 0) > watched_from)
        await client.create(CONFIGMAPS, _cm("new"), ns)
        await client.patch(CONFIGMAPS, "kept", {"data": {"v": "2"}}, ns)
        changes = [(await seen.next())[:2] for _ in range(2)]
        assert changes == [("add", "new"), ("update", "kept")]  # nothing spurious from the re-list
        assert sorted(informer.cache.keys()) == [f"{ns}/kept", f"{ns}/new"]
        assert informer.cache.get(f"{ns}/kept")["data"] == {"v": "2"}  # type: ignore[index]
    finally:
        await informer.stop()


# ----- the namespace controller, a client of the API --------------------------------------


async def test_namespace_termination_waits_for_finalizers(cluster: Cluster) -> None:
    client = cluster.client
    ns = await _namespace(client)
    await client.create(CONFIGMAPS, _cm("free"), ns)
    held = _cm("held")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    await client.create(CONFIGMAPS, held, ns)
    await client.delete(NAMESPACES, ns)

    async def deleting() -> bool:
        items = (await client.list(CONFIGMAPS, ns))["items"]
        return [o["metadata"]["name"] for o in items] == ["held"] and \
            bool(items[0]["metadata"].get("deletionTimestamp"))

    await _until(deleting)
    namespace = await client.get(NAMESPACES, ns)
    assert namespace["status"]["phase"] == "Terminating"
    assert namespace["spec"]["finalizers"] == ["kubernetes"]
    await client.patch(CONFIGMAPS, "held", {"metadata": {"finalizers": None}}, ns)

    async def namespace_gone() -> bool:
        try:
            await client.get(NAMESPACES, ns)
        except StatusError as exc:
            return exc.code == 404
        return False

    await _until(namespace_gone)


async def _until(condition: Callable[[], Any], timeout: float = DEADLINE) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
