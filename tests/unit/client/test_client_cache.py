"""The informer cache: keys as client-go makes them and indexes kept in step with
changes."""

from __future__ import annotations

import pytest

from corral.client import Indexer, by_field, by_label, by_namespace, object_key, split_key


def pod(name: str, ns: str = "", node: str = "", **labels: str) -> dict[str, object]:
    meta: dict[str, object] = {"name": name, "labels": labels}
    if ns:
        meta["namespace"] = ns
    return {"metadata": meta, "spec": {"nodeName": node} if node else {}}


def test_keys_are_namespace_slash_name_or_just_name() -> None:
    assert object_key(pod("p", "ns")) == "ns/p"
    assert object_key(pod("node-1")) == "node-1"
    assert split_key("ns/p") == ("ns", "p") and split_key("node-1") == ("", "node-1")


def test_indexes_follow_updates_and_removals() -> None:
    cache = Indexer({"ns": by_namespace, "app": by_label("app"), "node": by_field("spec.nodeName")})
    cache.upsert(pod("a", "x", "n1", app="web"))
    cache.upsert(pod("b", "x", "n2", app="web"))
    cache.upsert(pod("c", "y", app="db"))
    assert cache.index_keys("ns", "x") == ["x/a", "x/b"]
    assert cache.index_keys("node", "n1") == ["x/a"]
    assert cache.index_keys("node", "") == []  # unscheduled pods are not filed under ""
    old = cache.upsert(pod("a", "x", "n2", app="db"))  # moves in two indexes
    assert old is not None and old["spec"] == {"nodeName": "n1"}
    assert cache.index_keys("app", "web") == ["x/b"]
    assert cache.index_keys("app", "db") == ["x/a", "y/c"]
    assert cache.index_keys("node", "n1") == []
    assert [o["metadata"]["name"] for o in cache.by_index("node", "n2")] == ["a", "b"]  # type: ignore[index]
    assert cache.remove("x/b") is not None and cache.remove("x/b") is None
    assert cache.index_keys("app", "web") == [] and len(cache) == 2
    assert sorted(cache) == ["x/a", "y/c"] and "y/c" in cache


def test_indexes_added_later_cover_what_is_cached() -> None:
    cache = Indexer()
    cache.upsert(pod("a", "x", app="web"))
    cache.add_indexers({"app": by_label("app")})
    assert cache.index_keys("app", "web") == ["x/a"]
    with pytest.raises(ValueError):
        cache.add_indexers({"app": by_namespace})
    with pytest.raises(KeyError):
        cache.index_keys("missing", "x")
