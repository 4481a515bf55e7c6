"""Field sets and their ``FieldsV1`` form: the JSON kube writes (element kinds, sort order,
``"."`` for members with children), reading it back (unknown element kinds skipped,
malformed ones rejected), paths in messages, and the set algebra."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corral.patch.fieldset import (
    INDEX,
    FieldSet,
    FieldsV1Error,
    Path,
    PathElement,
    field,
    from_fields_v1,
    key,
    path,
    path_string,
    recursive_difference,
    to_fields_v1,
    value,
)

CONTAINER = key({"name": "nginx"})
PORT = key({"protocol": "TCP", "containerPort": 80})


def test_members_with_children_are_marked_with_a_dot() -> None:
    containers = path("spec", "template", "spec", "containers")
    fields = frozenset({
        path("metadata", "labels", "app"),
        path("spec", "replicas"),
        (*containers, CONTAINER),
        (*containers, CONTAINER, field("image")),
        (*containers, CONTAINER, field("ports"), PORT),
    })
    assert to_fields_v1(fields) == {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {
            "f:replicas": {},
            "f:template": {"f:spec": {"f:containers": {
                'k:{"name":"nginx"}': {
                    ".": {},
                    "f:image": {},
                    "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {}},
                },
            }}},
        },
    }


def test_elements_sort_as_kube_sorts_them() -> None:
    """Field names, then keys, then set values (numbers, strings, booleans), then indexes."""
    fields = frozenset({
        (value("b"),), (value(True),), (value(10),), (value(2.5),), (value("a"),),
        (key({"name": "z"}),), (key({"name": "a"}),), path("zeta"), path("alpha"), ((INDEX, 3),), ((INDEX, 1),),
    })
    assert list(to_fields_v1(fields)) == [
        "f:alpha", "f:zeta", 'k:{"name":"a"}', 'k:{"name":"z"}',
        "v:2.5", "v:10", 'v:"a"', 'v:"b"', "v:true", "i:1", "i:3",
    ]


def test_keys_are_written_with_sorted_names_and_go_escaping() -> None:
    assert list(to_fields_v1(frozenset({(key({"z": 1, "a": "<&>"}),)}))) == \
        ['k:{"a":"\\u003c\\u0026\\u003e","z":1}']


def test_reading_the_json_kube_writes() -> None:
    data = {
        "f:metadata": {"f:finalizers": {".": {}, 'v:"example.com/a"': {}}},
        "f:spec": {"f:ports": {'k:{"port":80,"protocol":"TCP"}': {".": {}, "f:port": {}}}},
    }
    assert from_fields_v1(data) == frozenset({
        path("metadata", "finalizers"),
        path("metadata", "finalizers", value("example.com/a")),
        path("spec", "ports", key({"port": 80, "protocol": "TCP"})),
        path("spec", "ports", key({"port": 80, "protocol": "TCP"}), "port"),
    })


def test_a_node_with_only_a_dot_is_a_member() -> None:
    assert from_fields_v1({"f:data": {".": {}}}) == frozenset({path("data")})


def test_elements_of_unknown_kinds_are_skipped() -> None:
    assert from_fields_v1({"x:future": {}, "f:a": {"x:future": {}}}) == frozenset({path("a")})


@pytest.mark.parametrize("data", [
    [], {"f:a": []}, {"nocolon": {}}, {"k:{not json": {}}, {"k:[1]": {}}, {"i:x": {}},
])
def test_malformed_fields_are_rejected(data: Any) -> None:
    with pytest.raises(FieldsV1Error):
        from_fields_v1(data)


def test_paths_read_as_kube_writes_them() -> None:
    p = path("spec", "template", "spec", "containers", CONTAINER, "ports", PORT, "containerPort")
    assert path_string(p) == '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]' \
                             ".containerPort"
    assert path_string(path("metadata", "finalizers", value("a/b"))) == '.metadata.finalizers[="a/b"]'
    assert path_string(path("items", (INDEX, 2))) == ".items[2]"
    assert path_string(path("x", value(1e21), value(True), value(None))) == ".x[=1e+21][=true][=null]"


def test_recursive_difference_drops_everything_below() -> None:
    fields = frozenset({path("a"), path("a", "b"), path("a", "b", "c"), path("a", "d"), path("e")})
    assert recursive_difference(fields, frozenset({path("a", "b")})) == frozenset({path("a"), path("a", "d"),
                                                                                   path("e")})
    assert recursive_difference(fields, frozenset({path("a")})) == frozenset({path("e")})
    assert fields - frozenset({path("a", "b")}) == frozenset({path("a"), path("a", "b", "c"), path("a", "d"),
                                                            path("e")})


# ----- properties --------------------------------------------------------------------

_scalars = st.one_of(st.integers(-5, 5), st.text("ab<", max_size=2), st.booleans())
_elements: st.SearchStrategy[PathElement] = st.one_of(
    st.text("abc.:{}", min_size=1, max_size=3).map(field),
    st.dictionaries(st.sampled_from(["name", "port", "protocol"]), _scalars, min_size=1).map(key),
    _scalars.map(value),
    st.integers(0, 3).map(lambda i: (INDEX, i)),
)
_paths: st.SearchStrategy[Path] = st.lists(_elements, min_size=1, max_size=4).map(tuple)
_sets: st.SearchStrategy[FieldSet] = st.frozensets(_paths, max_size=12)


@given(_sets)
def test_fields_v1_round_trips(fields: FieldSet) -> None:
    assert from_fields_v1(to_fields_v1(fields)) == fields


@given(_sets, _sets)
def test_recursive_difference_is_a_difference_closed_downwards(a: FieldSet, b: FieldSet) -> None:
    result = recursive_difference(a, b)
    assert result <= a - b
    for p in a - result:
        assert any(p[:depth] in b for depth in range(1, len(p) + 1))
