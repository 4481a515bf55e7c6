"""The schema-guided walks server-side apply is built on: the fields a value sets (as kube
writes them for a Deployment, and for a custom resource without schema), the errors of
a configuration whose lists cannot be merged, comparison, the merge of a configuration
(associative lists by key, sets, atomic lists and structs, the order of merged items),
removal of fields, and the struct fields that own what they hold."""

from __future__ import annotations

from typing import Any

import pytest

from corral.patch.fieldset import field, key, path, to_fields_v1, value
from corral.patch.typed import TypedError, compare, ensure_named, field_set, merge, remove_items
from corral.schema.patchmeta import PatchMeta, apply_meta

DEPLOYMENT = apply_meta("apps", "v1", "Deployment")
CUSTOM = apply_meta("example.com", "v1", "Widget")
CONTAINERS = ("spec", "template", "spec", "containers")


def deployment(*containers: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {**spec, "template": {"spec": {"containers": list(containers)}}}}


def containers_of(obj: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = obj["spec"]["template"]["spec"]["containers"]
    return found


def test_the_fields_of_a_deployment_are_those_kube_records() -> None:
    config = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                     {"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}], "args": ["-v"]}]}}},
    }
    assert to_fields_v1(field_set(config, DEPLOYMENT)) == {
        "f:apiVersion": {}, "f:kind": {},
        "f:metadata": {"f:labels": {"f:app": {}}, "f:name": {}},
        "f:spec": {
            "f:replicas": {},
            "f:selector": {},  # atomic: owned whole
            "f:template": {
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
                    ".": {}, "f:args": {}, "f:image": {}, "f:name": {},
                    # the protocol key defaults to TCP
                    "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}},
                }}},
            },
        },
    }


def test_custom_resources_own_every_map_key_of_their_fields() -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget",
              "metadata": {"name": "w", "finalizers": ["a"], "labels": {"x": "y"}},
              "spec": {"size": 3, "tags": ["a", "b"], "nested": {"deep": True}, "empty": {}}}
    assert to_fields_v1(field_set(widget, CUSTOM)) == {
        "f:apiVersion": {}, "f:kind": {},
        "f:metadata": {"f:finalizers": {'v:"a"': {}}, "f:labels": {"f:x": {}}, "f:name": {}},
        "f:spec": {".": {}, "f:empty": {}, "f:nested": {".": {}, "f:deep": {}}, "f:size": {}, "f:tags": {}},
    }


def test_declared_fields_set_to_null_or_empty_are_owned() -> None:
    config = {"metadata": {"labels": None}, "spec": {"strategy": {}}}
    assert field_set(config, DEPLOYMENT) == {path("metadata", "labels"), path("spec", "strategy")}


@pytest.mark.parametrize(("items", "message"), [
    ([{"name": "a"}, {"name": "a", "image": "x"}],
     '.spec.template.spec.containers: duplicate entries for key [name="a"]'),
    ([{"image": "x"}], ".spec.template.spec.containers: element 0: associative list with keys has an element "
                       'that omits key field "name" (and doesn\'t have default value)'),
    (["a"], ".spec.template.spec.containers: element 0: associative list with keys may not have non-map elements"),
])
def test_a_configuration_must_name_its_list_items(items: list[Any], message: str) -> None:
    with pytest.raises(TypedError) as caught:
        field_set(deployment(*items), DEPLOYMENT, strict=True)
    assert str(caught.value) == message


def test_sets_take_scalars_only() -> None:
    with pytest.raises(TypedError, match=r"^\.metadata\.finalizers: element 0: associative list without keys has "
                                         r"an element that's a map type$"):
        field_set({"metadata": {"finalizers": [{"a": 1}]}}, DEPLOYMENT, strict=True)


def test_live_objects_with_duplicates_own_them_whole() -> None:
    """Duplicates are allowed in stored objects: each is owned as one item."""
    fields = field_set(deployment({"name": "a", "image": "x"}, {"name": "a", "image": "y"}), DEPLOYMENT)
    item = path(*CONTAINERS, key({"name": "a"}))
    assert item in fields
    assert (*item, field("image")) not in fields


def test_compare_reports_leaves_and_the_items_and_keys_that_come_and_go() -> None:
    old = deployment({"name": "a", "image": "x"}, {"name": "b", "image": "y"}, replicas=1)
    new = deployment({"name": "a", "image": "z", "env": [{"name": "E", "value": "1"}]}, replicas=1)
    new["metadata"]["labels"] = {"app": "web"}
    a, b = path(*CONTAINERS, key({"name": "a"})), path(*CONTAINERS, key({"name": "b"}))
    env = (*a, field("env"))
    changes = compare(old, new, DEPLOYMENT)
    assert changes.modified == {(*a, field("image"))}
    assert changes.added == {path("metadata", "labels"), path("metadata", "labels", "app"), env,
                             (*env, key({"name": "E"})), (*env, key({"name": "E"}), field("name")),
                             (*env, key({"name": "E"}), field("value"))}
    assert changes.removed == {b, (*b, field("name")), (*b, field("image"))}


def test_compare_treats_atomic_values_as_leaves() -> None:
    old = {"spec": {"selector": {"matchLabels": {"a": "1"}}}}
    new = {"spec": {"selector": {"matchLabels": {"a": "2", "b": "3"}}}}
    changes = compare(old, new, DEPLOYMENT)
    assert (changes.added, changes.modified, changes.removed) == (set(), {path("spec", "selector")}, set())


def test_merge_merges_list_items_by_key_and_replaces_atomic_values() -> None:
    live = deployment({"name": "a", "image": "x", "args": ["1", "2"], "env": [{"name": "E", "value": "1"}]},
                      {"name": "b", "image": "y"}, selector={"matchLabels": {"app": "web", "tier": "x"}})
    live["metadata"].update(labels={"keep": "me"}, finalizers=["example.com/a"])
    config = deployment({"name": "a", "args": ["3"], "env": [{"name": "F", "value": "2"}]},
                        selector={"matchLabels": {"app": "web"}})
    config["metadata"].update(labels={"new": "one"}, finalizers=["example.com/b"])
    merged = merge(live, config, DEPLOYMENT)
    assert containers_of(merged) == [
        {"name": "a", "image": "x", "args": ["3"], "env": [{"name": "E", "value": "1"}, {"name": "F", "value": "2"}]},
        {"name": "b", "image": "y"},
    ]
    assert merged["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert merged["metadata"]["labels"] == {"keep": "me", "new": "one"}
    assert merged["metadata"]["finalizers"] == ["example.com/a", "example.com/b"]


@pytest.mark.parametrize(("live", "config", "order"), [
    ("abc", "cd", "abcd"),
    ("abc", "ca", "bca"),
    ("abc", "xa", "xabc"),
    ("abcd", "db", "acdb"),
    ("", "ba", "ba"),
])
def test_merged_items_keep_the_configuration_order_and_live_items_in_place(live: str, config: str,
                                                                           order: str) -> None:
    merged = merge(deployment(*({"name": n} for n in live)), deployment(*({"name": n} for n in config)),
                   DEPLOYMENT)
    assert "".join(c["name"] for c in containers_of(merged)) == order


def test_merge_of_a_custom_resource_replaces_lists() -> None:
    live = {"spec": {"tags": ["a", "b"], "size": {"cpu": 1}}}
    merged = merge(live, {"spec": {"tags": ["c"], "size": {"memory": 2}}}, CUSTOM)
    assert merged == {"spec": {"tags": ["c"], "size": {"cpu": 1, "memory": 2}}}


def test_remove_items_drops_fields_with_what_they_hold_and_emptied_parents() -> None:
    obj = deployment({"name": "a", "image": "x"}, {"name": "b", "image": "y"}, replicas=3)
    obj["metadata"]["labels"] = {"only": "one"}
    gone = frozenset({path(*CONTAINERS, key({"name": "a"})), path("metadata", "labels", "only"),
                      path("spec", "replicas")})
    assert remove_items(obj, gone, DEPLOYMENT) == {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [{"name": "b", "image": "y"}]}}},
    }


def test_remove_items_takes_set_values() -> None:
    obj = {"metadata": {"finalizers": ["a", "b"]}}
    assert remove_items(obj, frozenset({path("metadata", "finalizers", value("a"))}), DEPLOYMENT) == \
        {"metadata": {"finalizers": ["b"]}}


def test_named_struct_fields_own_what_they_hold_map_keys_do_not() -> None:
    fields = frozenset({path("spec", "template", "metadata", "labels", "app"),
                        path(*CONTAINERS, key({"name": "a"}), "image")})
    assert ensure_named(fields, DEPLOYMENT) - fields == {
        path("spec"), path("spec", "template"), path("spec", "template", "metadata"),
        path("spec", "template", "metadata", "labels"), path("spec", "template", "spec"), path(*CONTAINERS),
    }
    custom = frozenset({path("spec", "a", "b")})
    assert ensure_named(custom, CUSTOM) == custom  # no declared fields below the root


def test_types_without_metadata_walk_as_values_without_schema() -> None:
    meta = PatchMeta()
    assert field_set({"a": {"b": [1]}}, meta) == {path("a"), path("a", "b")}
