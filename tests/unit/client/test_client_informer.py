"""Informer and reflector semantics against a scripted transport: paged lists, watching
from the list's resourceVersion, bookmarks, resuming after a watch ends, re-listing after
410 Gone with exactly the differences reported, back-off on failures, handlers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from client_fakes import END, RecordingBackoff, ScriptedTransport, eventually, gone, obj, page

from corral.client import Client, Informer, Resource, TransportError, by_namespace
from corral.machinery.errors import StatusError

CONFIGMAPS = Resource("", "v1", "configmaps", kind="ConfigMap")


class Setup:
    def __init__(self) -> None:
        self.transport = ScriptedTransport()
        self.backoff = RecordingBackoff()
        self.informer = Informer(Client(self.transport), CONFIGMAPS, namespace="ns", page_size=2,
                                 watch_timeout=60, backoff=self.backoff, indexers={"ns": by_namespace})
        self.heard: list[tuple[str, str, str]] = []
        self.errors: list[Exception] = []
        self.informer.set_watch_error_handler(self.errors.append)
        self.informer.add_handler(
            on_add=lambda o: self._hear("add", o),
            on_update=lambda old, new: self.heard.append(
                ("update", new["metadata"]["name"], f"{_rv(old)}->{_rv(new)}")),
            on_delete=lambda o: self._hear("delete", o))

    def _hear(self, kind: str, o: dict[str, Any]) -> None:
        self.heard.append((kind, o["metadata"]["name"], _rv(o)))

    async def requests(self, count: int) -> None:
        await eventually(lambda: len(self.transport.requests) >= count)
        await asyncio.sleep(0)  # let the informer act on what the last request returned


def _rv(o: dict[str, Any]) -> str:
    return str(o["metadata"]["resourceVersion"])


@pytest.fixture
async def setup() -> AsyncIterator[Setup]:
    s = Setup()
    yield s
    await s.informer.stop()


async def test_lists_in_pages_then_watches_from_the_lists_revision(setup: Setup) -> None:
    t = setup.transport
    t.answers += [page([obj("a", 3)], 10, cont="next"), page([obj("b", 4)], 10)]
    setup.informer.start()
    assert await asyncio.wait_for(setup.informer.wait_for_sync(), 5)
    await setup.requests(3)
    assert t.kinds == ["list", "list", "watch"]
    assert t.requests[0].path == "/api/v1/namespaces/ns/configmaps"
    assert t.params(0) == {"limit": "2"}
    assert t.params(1) == {"limit": "2", "continue": "next"}
    watch = t.params(2)
    assert (watch["resourceVersion"], watch["allowWatchBookmarks"]) == ("10", "true")
    assert 60 <= int(watch["timeoutSeconds"]) <= 120
    assert setup.heard == [("add", "a", "3"), ("add", "b", "4")]
    assert setup.informer.cache.keys() == ["ns/a", "ns/b"]
    assert setup.informer.cache.index_keys("ns", "ns") == ["ns/a", "ns/b"]
    assert setup.informer.last_sync_resource_version == "10"


async def test_an_expired_continue_token_lists_everything_at_once(setup: Setup) -> None:
    t = setup.transport
    t.answers += [page([obj("a", 3)], 10, cont="next"), StatusError(410, "Expired", "continue too old"),
                  page([obj("a", 3), obj("b", 12)], 12)]
    setup.informer.start()
    assert await asyncio.wait_for(setup.informer.wait_for_sync(), 5)
    await setup.requests(4)
    assert t.params(2) == {}
    assert t.params(3)["resourceVersion"] == "12"
    assert setup.informer.cache.keys() == ["ns/a", "ns/b"]


async def test_watch_events_change_the_cache_before_handlers_hear(setup: Setup) -> None:
    t = setup.transport
    t.answers.append(page([obj("a", 3)], 10))
    seen_in_cache: list[bool] = []
    setup.informer.add_handler(on_delete=lambda o: seen_in_cache.append("ns/a" in setup.informer.cache))
    t.watches.append([("ADDED", obj("b", 11)), ("MODIFIED", obj("a", 12)), ("DELETED", obj("a", 13))])
    setup.informer.start()
    await eventually(lambda: len(setup.heard) == 4)
    assert setup.heard == [("add", "a", "3"), ("add", "b", "11"), ("update", "a", "3->12"), ("delete", "a", "13")]
    assert seen_in_cache == [False]
    assert setup.informer.cache.keys() == ["ns/b"]
    assert setup.informer.last_sync_resource_version == "13"


async def test_bookmarks_move_the_revision_and_ended_watches_resume(setup: Setup) -> None:
    t = setup.transport
    t.answers.append(page([], 10))
    bookmark = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"resourceVersion": "15"}}
    t.watches += [[("BOOKMARK", bookmark), END], [("ADDED", obj("x", 16)), END]]
    setup.informer.start()
    await setup.requests(4)
    assert t.kinds == ["list", "watch", "watch", "watch"]
    assert [t.params(i)["resourceVersion"] for i in (1, 2, 3)] == ["10", "15", "16"]
    assert setup.heard == [("add", "x", "16")]  # bookmarks reach no handler
    assert setup.backoff.waits == 0


async def test_410_lists_again_and_reports_only_the_differences(setup: Setup) -> None:
    t = setup.transport
    t.answers += [page([obj("a", 1), obj("b", 2), obj("c", 3)], 10),
                  page([obj("a", 11), obj("c", 12), obj("d", 13)], 20)]
    t.watches.append([("MODIFIED", obj("a", 11)), gone()])
    setup.informer.start()
    await setup.requests(4)
    assert t.kinds == ["list", "watch", "list", "watch"]
    assert t.params(3)["resourceVersion"] == "20"
    assert setup.heard[3:] == [("update", "a", "1->11"), ("delete", "b", "2"), ("update", "c", "3->12"),
                               ("add", "d", "13")]
    assert [(type(e), getattr(e, "code", None)) for e in setup.errors] == [(StatusError, 410)]
    assert setup.informer.cache.keys() == ["ns/a", "ns/c", "ns/d"]
    assert setup.backoff.waits == 0  # a 410 after a working watch is routine


async def test_410_straight_after_a_list_waits_before_listing_again(setup: Setup) -> None:
    t = setup.transport
    t.answers += [page([], 10), page([], 10)]
    t.watches.append([gone()])
    setup.informer.start()
    await setup.requests(4)
    assert t.kinds == ["list", "watch", "list", "watch"]
    assert setup.backoff.waits == 1


async def test_connection_failures_resume_the_watch_without_listing(setup: Setup) -> None:
    t = setup.transport
    t.answers.append(page([obj("a", 5)], 10))
    t.watches += [[TransportError("connection refused")], [TransportError("connection refused")]]
    setup.informer.start()
    await setup.requests(4)
    assert t.kinds == ["list", "watch", "watch", "watch"]
    assert [t.params(i)["resourceVersion"] for i in (1, 2, 3)] == ["10", "10", "10"]
    assert setup.backoff.waits == 2
    assert all(isinstance(e, TransportError) for e in setup.errors) and len(setup.errors) == 2


async def test_other_api_errors_wait_then_list_again(setup: Setup) -> None:
    t = setup.transport
    t.answers += [StatusError(500, "InternalError", "boom"), page([], 10), page([], 11)]
    t.watches.append([StatusError(403, "Forbidden", "no")])
    setup.informer.start()
    await setup.requests(5)
    assert t.kinds == ["list", "list", "watch", "list", "watch"]
    assert setup.backoff.waits == 2
    assert [e.code for e in setup.errors if isinstance(e, StatusError)] == [500, 403]


async def test_a_watch_that_ends_at_once_empty_waits_before_the_next(setup: Setup) -> None:
    t = setup.transport
    t.answers.append(page([], 10))
    t.watches += [[END]]
    setup.informer.start()
    await setup.requests(3)
    assert t.kinds == ["list", "watch", "watch"]
    assert setup.backoff.waits == 1


async def test_late_handlers_hear_the_cache_and_failing_handlers_stop_nothing(setup: Setup) -> None:
    t = setup.transport
    t.answers.append(page([obj("a", 3)], 10))
    t.watches.append([("ADDED", obj("b", 11))])

    def broken(o: dict[str, Any]) -> None:
        raise RuntimeError("handler bug")

    setup.informer.add_handler(on_add=broken)
    setup.informer.start()
    await eventually(lambda: len(setup.heard) == 2)
    late: list[str] = []
    setup.informer.add_handler(on_add=lambda o: late.append(o["metadata"]["name"]))
    assert late == ["a", "b"]
    assert setup.informer.has_synced


async def test_waiting_for_sync_of_a_stopped_informer_says_false(setup: Setup) -> None:
    setup.informer.start()  # the list never answers
    await setup.requests(1)
    await setup.informer.stop()
    assert await asyncio.wait_for(setup.informer.wait_for_sync(), 5) is False
    assert not setup.informer.running
