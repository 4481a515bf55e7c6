"""JSON patch (RFC 6902) and JSON merge patch (RFC 7386): the RFCs' own examples, the
failure cases, and properties checked with hypothesis."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corral.patch.jsonpatch import PatchError, apply_json_patch
from corral.patch.merge import merge_patch

# ----- RFC 6902, appendix A ---------------------------------------------------------


@pytest.mark.parametrize(("doc", "patch", "expected"), [
    ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}], {"baz": "qux", "foo": "bar"}),
    ({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}], {"foo": ["bar", "qux", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}], {"foo": ["bar", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}], {"baz": "boo", "foo": "bar"}),
    ({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ({"foo": ["all", "grass", "cows", "eat"]}, [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
     {"foo": ["all", "cows", "eat", "grass"]}),
    ({"baz": "qux", "foo": ["a", 2, "c"]},
     [{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}],
     {"baz": "qux", "foo": ["a", 2, "c"]}),
    ({"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
     {"foo": "bar", "child": {"grandchild": {}}}),
    ({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}], {"foo": ["bar", ["abc", "def"]]}),
    ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}], {"/": 9, "~1": 10}),
    ({"a": 1}, [{"op": "copy", "from": "/a", "path": "/b"}], {"a": 1, "b": 1}),
    ({"n": 1}, [{"op": "test", "path": "/n", "value": 1.0}], {"n": 1}),  # one JSON number
])
def test_rfc6902_examples(doc: Any, patch: list[dict[str, Any]], expected: Any) -> None:
    before = copy.deepcopy(doc)
    assert apply_json_patch(doc, patch) == expected
    assert doc == before  # the input is never modified


@pytest.mark.parametrize(("doc", "patch"), [
    ({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}]),  # failed test
    ({"flag": True}, [{"op": "test", "path": "/flag", "value": 1}]),  # true is not 1 in JSON
    ({"n": [1]}, [{"op": "test", "path": "/n", "value": [True]}]),
    ({"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}]),  # missing parent
    ({"foo": []}, [{"op": "remove", "path": "/foo/0"}]),  # index out of range
    ({"foo": [1]}, [{"op": "add", "path": "/foo/01", "value": 2}]),  # leading zero
    ({"foo": 1}, [{"op": "replace", "path": "/bar", "value": 2}]),  # replace needs the target
    ({"foo": 1}, [{"op": "frobnicate", "path": "/foo"}]),  # unknown op
    ({"foo": 1}, [{"op": "add", "path": "foo", "value": 1}]),  # not a pointer
    ({"foo": 1}, [{"op": "add", "path": "/foo"}]),  # no value
    ({"a": {"b": 1}}, [{"op": "move", "from": "/a", "path": "/a/b/c"}]),  # into its own child
    ({"foo": 1}, {"op": "add"}),  # not a list
])
def test_bad_json_patches_raise(doc: Any, patch: Any) -> None:
    with pytest.raises(PatchError):
        apply_json_patch(doc, patch)


def test_a_failing_operation_leaves_no_partial_result() -> None:
    doc = {"a": 1}
    with pytest.raises(PatchError):
        apply_json_patch(doc, [{"op": "add", "path": "/b", "value": 2}, {"op": "test", "path": "/a", "value": 9}])
    assert doc == {"a": 1}


# ----- RFC 7386, appendix A --------------------------------------------------------


@pytest.mark.parametrize(("target", "patch", "expected"), [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
])
def test_rfc7386_examples(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


# ----- properties --------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3)
_keys = st.text(alphabet="abcd", min_size=1, max_size=2)
_docs = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
                     max_leaves=12)
_objects = st.dictionaries(_keys, _docs, max_size=4)


def _merge_diff(a: Any, b: Any) -> Any:
    """The merge patch that turns ``a`` into ``b`` (b holds no nulls)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return b
    patch = {k: None for k in a if k not in b}
    for k, v in b.items():
        if k not in a:
            patch[k] = v
        elif a[k] != v:
            patch[k] = _merge_diff(a[k], v)
    return patch


def _strip_nulls(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _strip_nulls(v) for k, v in doc.items() if v is not None}
    if isinstance(doc, list):
        return [_strip_nulls(v) for v in doc]
    return doc


@given(_objects, _objects)
def test_merge_diff_turns_one_document_into_the_other(a: dict[str, Any], b: dict[str, Any]) -> None:
    b = _strip_nulls(b)
    assert merge_patch(a, _merge_diff(a, b)) == b


@given(_objects, _objects)
def test_merge_patch_is_idempotent(a: dict[str, Any], patch: dict[str, Any]) -> None:
    once = merge_patch(a, patch)
    assert merge_patch(once, patch) == once


@given(_objects, _objects)
def test_replacing_the_root_with_a_json_patch(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert apply_json_patch(a, [{"op": "replace", "path": "", "value": b}]) == b
    assert apply_json_patch(b, [{"op": "test", "path": "", "value": b}]) == b
