"""Field ownership through updates and applies: an applier owns its configuration's fields,
changing another manager's field is a conflict unless forced (then it changes hands),
co-owners share a field, fields an applier stops applying go unless someone else owns
them, and updates take what they change. Properties: applying a configuration twice
changes nothing, and a forced apply restores every value of its configuration."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corral.patch.apply import ApplyConflict, Managers, Owned, apply, update
from corral.patch.fieldset import FieldSet, key, path, value
from corral.patch.typed import field_set, merge
from corral.schema.patchmeta import apply_meta

META = apply_meta("apps", "v1", "Deployment")
GV = "apps/v1"
CONTAINERS = ("spec", "template", "spec", "containers")


def config(spec: dict[str, Any] | None = None, **metadata: Any) -> dict[str, Any]:
    return {"apiVersion": GV, "kind": "Deployment", "metadata": {"name": "web", **metadata}, **(
        {"spec": spec} if spec is not None else {})}


def pod(*containers: dict[str, Any]) -> dict[str, Any]:
    return {"template": {"spec": {"containers": list(containers)}}}


def run(live: dict[str, Any], cfg: dict[str, Any], managers: Managers, manager: str,
        force: bool = False) -> tuple[dict[str, Any], Managers]:
    return apply(live, cfg, META, managers, manager, GV, force=force)


def owned(managers: Managers, manager: str) -> FieldSet:
    return managers[manager].fields


def test_an_applier_owns_exactly_its_configuration() -> None:
    cfg = config({"replicas": 2}, labels={"app": "web"})
    obj, managers = run({}, cfg, {}, "a")
    assert obj == cfg
    assert managers == {"a": Owned(field_set(cfg, META), GV, applied=True)}


def test_changing_another_managers_field_conflicts_unless_forced() -> None:
    obj, managers = run({}, config({"replicas": 2}), {}, "a")
    with pytest.raises(ApplyConflict) as caught:
        run(obj, config({"replicas": 3}), managers, "b")
    assert caught.value.conflicts == {"a": {path("spec", "replicas")}}
    obj, managers = run(obj, config({"replicas": 3}), managers, "b", force=True)
    assert obj["spec"]["replicas"] == 3
    assert path("spec", "replicas") not in owned(managers, "a")
    assert path("spec", "replicas") in owned(managers, "b")


def test_applying_the_same_value_shares_the_field() -> None:
    obj, managers = run({}, config({"replicas": 2}), {}, "a")
    obj, managers = run(obj, config({"replicas": 2}), managers, "b")
    assert path("spec", "replicas") in owned(managers, "a") & owned(managers, "b")
    # a stops applying it: b still holds the value
    obj, managers = run(obj, config(), managers, "a")
    assert obj["spec"]["replicas"] == 2


def test_fields_an_applier_drops_are_removed_when_nobody_else_owns_them() -> None:
    obj, managers = run({}, config({"replicas": 2}, labels={"app": "web", "tier": "front"}), {}, "a")
    obj, managers = run(obj, config({"replicas": 2}, labels={"app": "web"}), managers, "a")
    assert obj["metadata"]["labels"] == {"app": "web"}
    obj, managers = run(obj, config(labels={"app": "web"}), managers, "a")
    assert "spec" not in obj


def test_fields_an_updater_set_survive_the_applier_dropping_them() -> None:
    obj, managers = run({}, config(labels={"app": "web", "tier": "front"}), {}, "a")
    edited = {**obj, "metadata": {**obj["metadata"], "labels": {"app": "web", "tier": "back"}}}
    managers = update(obj, edited, META, managers, "editor", GV)
    assert path("metadata", "labels", "tier") in owned(managers, "editor")
    assert path("metadata", "labels", "tier") not in owned(managers, "a")
    obj, managers = run(edited, config(labels={"app": "web"}), managers, "a")
    assert obj["metadata"]["labels"] == {"app": "web", "tier": "back"}


def test_containers_merge_by_name_and_a_dropped_container_goes() -> None:
    obj, managers = run({}, config(pod({"name": "web", "image": "nginx"}, {"name": "proxy", "image": "envoy"})),
                        {}, "a")
    obj, managers = run(obj, config(pod({"name": "sidecar", "image": "busybox"})), managers, "b")
    assert [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["web", "proxy", "sidecar"]
    obj, managers = run(obj, config(pod({"name": "web", "image": "nginx"})), managers, "a")
    assert obj["spec"]["template"]["spec"]["containers"] == [{"name": "web", "image": "nginx"},
                                                             {"name": "sidecar", "image": "busybox"}]
    assert path(*CONTAINERS, key({"name": "proxy"})) not in owned(managers, "a")


def test_finalizers_are_a_set_each_applier_owns_its_own() -> None:
    obj, managers = run({}, config(finalizers=["example.com/a"]), {}, "a")
    obj, managers = run(obj, config(finalizers=["example.com/b"]), managers, "b")
    assert obj["metadata"]["finalizers"] == ["example.com/a", "example.com/b"]
    obj, managers = run(obj, config(finalizers=[]), managers, "a")
    assert obj["metadata"]["finalizers"] == ["example.com/b"]
    assert path("metadata", "finalizers", value("example.com/b")) in owned(managers, "b")


def test_atomic_lists_are_replaced_and_owned_whole() -> None:
    obj, managers = run({}, config(pod({"name": "web", "args": ["1", "2"]})), {}, "a")
    args = path(*CONTAINERS, key({"name": "web"}), "args")
    with pytest.raises(ApplyConflict) as caught:
        run(obj, config(pod({"name": "web", "args": ["3"]})), managers, "b")
    assert caught.value.conflicts == {"a": {args}}
    obj, managers = run(obj, config(pod({"name": "web", "args": ["3"]})), managers, "b", force=True)
    assert obj["spec"]["template"]["spec"]["containers"][0]["args"] == ["3"]
    assert args in owned(managers, "b") and args not in owned(managers, "a")


def test_updates_take_what_they_change_and_removals_are_nobodys() -> None:
    obj, managers = run({}, config({"replicas": 2, "minReadySeconds": 5}), {}, "a")
    new = {**obj, "spec": {"replicas": 4}}
    managers = update(obj, new, META, managers, "scaler", GV)
    assert owned(managers, "scaler") == {path("spec", "replicas")}
    assert path("spec", "replicas") not in owned(managers, "a")
    assert path("spec", "minReadySeconds") not in owned(managers, "a")


def test_an_update_that_changes_nothing_owns_nothing() -> None:
    obj, managers = run({}, config({"replicas": 2}), {}, "a")
    assert update(obj, obj, META, managers, "noop", GV) == managers


def test_ignored_fields_are_nobodys_gain() -> None:
    obj = config({"replicas": 1})
    new = {**obj, "status": {"replicas": 1}}
    managers = update(obj, new, META, {}, "u", GV, ignored=frozenset({path("status")}))
    assert managers == {}


# ----- properties --------------------------------------------------------------------

_names = st.sampled_from(["a", "b", "c"])
_containers = st.lists(
    st.fixed_dictionaries({"name": _names}, optional={
        "image": st.sampled_from(["nginx", "envoy"]),
        "args": st.lists(st.sampled_from(["-v", "-q"]), max_size=2),
        "env": st.lists(st.fixed_dictionaries({"name": _names, "value": st.sampled_from(["1", "2"])}),
                        max_size=2, unique_by=lambda e: e["name"]),
    }), max_size=3, unique_by=lambda c: c["name"])
_configs = st.builds(
    lambda labels, finalizers, replicas, containers: config(
        {**({"replicas": replicas} if replicas is not None else {}), **pod(*containers)},
        labels=labels, finalizers=finalizers),
    st.dictionaries(_names, st.sampled_from(["x", "y"]), max_size=2),
    st.lists(st.sampled_from(["f/1", "f/2", "f/3"]), max_size=2, unique=True),
    st.none() | st.integers(0, 3),
    _containers,
)


@settings(max_examples=60, deadline=None)
@given(_configs, _configs)
def test_applying_a_configuration_twice_changes_nothing(first: dict[str, Any], cfg: dict[str, Any]) -> None:
    live, managers = run({}, first, {}, "other")
    once, after_once = run(live, cfg, managers, "a", force=True)
    twice, after_twice = run(once, cfg, after_once, "a")
    assert (twice, after_twice) == (once, after_once)
    assert owned(after_once, "a") == field_set(cfg, META)


@settings(max_examples=60, deadline=None)
@given(_configs, _configs)
def test_forcing_a_configuration_back_restores_its_values(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    obj, managers = run({}, mine, {}, "a")
    obj, managers = run(obj, theirs, managers, "b", force=True)
    obj, managers = run(obj, mine, managers, "a", force=True)
    assert merge(obj, mine, META) == obj  # every value of mine is in place
    assert owned(managers, "a") == field_set(mine, META)
    assert "b" not in managers or owned(managers, "b") <= field_set(theirs, META)
