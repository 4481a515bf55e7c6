"""Strategic merge patch on a small self-referencing type, one rule per case, after the
cases of apimachinery's strategicpatch tests: maps, merging and replaced lists, the
``$patch``, ``$deleteFromPrimitiveList``, ``$setElementOrder`` and ``$retainKeys``
directives, and the order kube gives merged lists."""

from __future__ import annotations

from typing import Any

import pytest

from corral.patch.strategic import StrategicPatchError, strategic_merge_patch
from corral.schema.patchmeta import Field, PatchMeta

# Item: {name, value, other, items (merge on name), plain (replaced), numbers (merge),
# plainNumbers (replaced), replaced (replace strategy), retained (retainKeys),
# retainedItems (merge on name, retainKeys), labels (a map)}
ITEM = PatchMeta()
RETAINED = PatchMeta({"numbers": Field("merge"), "items": Field("merge", "name", meta=ITEM)})
ITEM.fields.update(
    items=Field("merge", "name", meta=ITEM),
    plain=Field(meta=ITEM),
    numbers=Field("merge"),
    replaced=Field("replace"),
    retained=Field(retain_keys=True, meta=RETAINED),
    retainedItems=Field("merge", "name", retain_keys=True, meta=ITEM),
)


def patched(original: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    return strategic_merge_patch(original, patch, ITEM)


CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    # ----- maps
    ("adds a field", {"name": "a"}, {"value": "v"}, {"name": "a", "value": "v"}),
    ("null deletes a field", {"name": "a", "value": "v"}, {"value": None, "other": "o"},
     {"name": "a", "other": "o"}),
    ("null of a missing field changes nothing", {"name": "a"}, {"value": None}, {"name": "a"}),
    ("nested maps merge", {"labels": {"app": "x", "tier": "web"}},
     {"labels": {"tier": None, "team": "blue"}}, {"labels": {"app": "x", "team": "blue"}}),
    ("an empty patch changes nothing", {"name": "a", "labels": {"k": "v"}}, {}, {"name": "a", "labels": {"k": "v"}}),
    ("$patch: replace replaces a map", {"name": "a", "value": "v"}, {"other": "o", "$patch": "replace"},
     {"other": "o"}),
    ("$patch: delete empties a map", {"labels": {"k": "v"}}, {"labels": {"$patch": "delete"}}, {"labels": {}}),
    ("a new value loses its nulls", {}, {"labels": {"k": None, "j": {"x": None, "y": "1"}}},
     {"labels": {"j": {"y": "1"}}}),
    ("a new value loses its $patch objects", {}, {"labels": {"k": {"$patch": "delete"}, "j": "1"},
                                                "plain": [{"name": "a"}, {"name": "b", "$patch": "delete"}]},
     {"labels": {"j": "1"}, "plain": [{"name": "a"}]}),
    ("a new $patch object is not added at all", {}, {"labels": {"$patch": "replace", "k": "v"}}, {}),
    ("nulls inside a new list of scalars stay", {}, {"plainNumbers": [1, None, 2]},
     {"plainNumbers": [1, None, 2]}),
    ("a change of type takes the patch's value", {"value": ["x"], "other": 1},
     {"value": {"k": "v", "gone": None}, "other": "1"}, {"value": {"k": "v"}, "other": "1"}),
    ("a replace-strategy field takes the patch as it is", {"replaced": {"a": 1, "b": 2}},
     {"replaced": {"c": 3, "d": None}}, {"replaced": {"c": 3, "d": None}}),
    # ----- merging lists of objects
    ("patch items merge into the item with their key",
     {"items": [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]},
     {"items": [{"name": "b", "value": "3", "other": "o"}]},
     {"items": [{"name": "a", "value": "1"}, {"name": "b", "value": "3", "other": "o"}]}),
    ("new items go first without $setElementOrder",
     {"items": [{"name": "a"}, {"name": "b"}]}, {"items": [{"name": "c"}]},
     {"items": [{"name": "c"}, {"name": "a"}, {"name": "b"}]}),
    ("$setElementOrder places new items",
     {"items": [{"name": "a"}, {"name": "b"}]},
     {"$setElementOrder/items": [{"name": "a"}, {"name": "c"}, {"name": "b"}], "items": [{"name": "c"}]},
     {"items": [{"name": "a"}, {"name": "c"}, {"name": "b"}]}),
    ("$setElementOrder alone reorders",
     {"items": [{"name": "a", "value": "1"}, {"name": "b"}, {"name": "c"}]},
     {"$setElementOrder/items": [{"name": "c"}, {"name": "a"}, {"name": "b"}]},
     {"items": [{"name": "c"}, {"name": "a", "value": "1"}, {"name": "b"}]}),
    ("server-only items keep their place next to the patch's",
     {"items": [{"name": "a"}, {"name": "b"}, {"name": "s"}, {"name": "c"}, {"name": "d"}]},
     {"$setElementOrder/items": [{"name": "b"}, {"name": "a"}, {"name": "d"}, {"name": "c"}]},
     {"items": [{"name": "b"}, {"name": "a"}, {"name": "s"}, {"name": "d"}, {"name": "c"}]}),
    ("server-only items go before the first patch item the server has after them",
     {"items": [{"name": "a"}, {"name": "s1"}, {"name": "s2"}, {"name": "b"}]},
     {"$setElementOrder/items": [{"name": "b"}, {"name": "a"}]},
     {"items": [{"name": "s1"}, {"name": "s2"}, {"name": "b"}, {"name": "a"}]}),
    ("$patch: delete removes items by key, all of them",
     {"items": [{"name": "a"}, {"name": "b", "value": "1"}, {"name": "a"}, {"name": "c"}]},
     {"items": [{"name": "a", "$patch": "delete"}, {"name": "x", "$patch": "delete"}]},
     {"items": [{"name": "b", "value": "1"}, {"name": "c"}]}),
    ("deleting and adding with a server-only item (kube's in-place list edits)",
     {"items": [{"name": "a"}, {"name": "b", "other": "x"}, {"name": "s", "other": "y"}]},
     {"$setElementOrder/items": [{"name": "b"}, {"name": "c"}],
      "items": [{"name": "c"}, {"name": "a", "$patch": "delete"}]},
     {"items": [{"name": "b", "other": "x"}, {"name": "s", "other": "y"}, {"name": "c"}]}),
    ("merge keys of another JSON type are other keys", {"items": [{"name": "1", "value": "a"}]},
     {"items": [{"name": 1, "value": "b"}]}, {"items": [{"name": 1, "value": "b"}, {"name": "1", "value": "a"}]}),
    ("$patch: replace in a list replaces it",
     {"items": [{"name": "a"}, {"name": "b"}]}, {"items": [{"name": "c"}, {"$patch": "replace"}]},
     {"items": [{"name": "c"}]}),
    ("$patch: replace alone empties a list", {"items": [{"name": "a"}]}, {"items": [{"$patch": "replace"}]},
     {"items": []}),
    ("empty merging lists stay empty", {"items": []}, {"items": []}, {"items": []}),
    ("merging lists nest",
     {"items": [{"name": "a", "items": [{"name": "x", "value": "1"}, {"name": "y"}]}]},
     {"items": [{"name": "a", "items": [{"name": "x", "value": "2"}]}]},
     {"items": [{"name": "a", "items": [{"name": "x", "value": "2"}, {"name": "y"}]}]}),
    ("a list without strategy inside a merging list is replaced",
     {"items": [{"name": "a", "plain": [{"name": "x"}, {"name": "y"}]}]},
     {"items": [{"name": "a", "plain": [{"name": "z"}]}]},
     {"items": [{"name": "a", "plain": [{"name": "z"}]}]}),
    ("a list without strategy is replaced", {"plain": [{"name": "a"}, {"name": "b"}]},
     {"plain": [{"name": "b", "value": None}]}, {"plain": [{"name": "b", "value": None}]}),
    ("repeated keys in $setElementOrder keep repeated items together",
     {"items": [{"name": "a"}, {"name": "b", "value": "1"}, {"name": "c"}, {"name": "b", "value": "2"}]},
     {"$setElementOrder/items": [{"name": "b"}, {"name": "c"}, {"name": "a"}, {"name": "b"}]},
     {"items": [{"name": "b", "value": "1"}, {"name": "b", "value": "2"}, {"name": "c"}, {"name": "a"}]}),
    ("$setElementOrder with a list the original lacks drops directive items", {},
     {"$setElementOrder/items": [{"name": "b"}, {"name": "a"}],
      "items": [{"name": "b", "value": None}, {"name": "a"}, {"name": "z", "$patch": "delete"}]},
     {"items": [{"name": "b", "value": None}, {"name": "a"}]}),
    ("$setElementOrder of a list absent on both sides does nothing", {"name": "a"},
     {"$setElementOrder/items": [{"name": "a"}]}, {"name": "a"}),
    # ----- merging lists of scalars
    ("scalars are united", {"numbers": [1, 2]}, {"numbers": [2, 3]}, {"numbers": [1, 2, 3]}),
    ("new scalars go first without $setElementOrder", {"numbers": [1, 2]}, {"numbers": [3]},
     {"numbers": [3, 1, 2]}),
    ("$setElementOrder orders scalars", {"numbers": [1, 2]}, {"$setElementOrder/numbers": [1, 3, 2], "numbers": [3]},
     {"numbers": [1, 3, 2]}),
    ("server-only scalars keep their place", {"numbers": [1, 2, 7, 8, 3, 4]},
     {"$setElementOrder/numbers": [2, 1, 4, 3]}, {"numbers": [2, 1, 7, 8, 4, 3]}),
    ("$deleteFromPrimitiveList removes values", {"numbers": [1, 2, 3, 2]},
     {"$deleteFromPrimitiveList/numbers": [2, 9]}, {"numbers": [1, 3]}),
    ("$deleteFromPrimitiveList works on lists without strategy too", {"plainNumbers": [1, 2, 3]},
     {"$deleteFromPrimitiveList/plainNumbers": [2]}, {"plainNumbers": [1, 3]}),
    ("$deleteFromPrimitiveList does not create a list", {"name": "a"},
     {"$deleteFromPrimitiveList/numbers": [1]}, {"name": "a"}),
    ("$deleteFromPrimitiveList leaves a null list alone", {"numbers": None},
     {"$deleteFromPrimitiveList/numbers": [1]}, {"numbers": None}),
    ("adding and deleting scalars with their order", {"numbers": [1, 2, 3]},
     {"$setElementOrder/numbers": [4, 1, 3], "numbers": [4], "$deleteFromPrimitiveList/numbers": [2]},
     {"numbers": [4, 1, 3]}),
    # ----- $retainKeys
    ("$retainKeys clears the keys it does not list", {"retained": {"name": "a", "value": "v", "other": "o"}},
     {"retained": {"$retainKeys": ["name", "other"], "other": "p"}}, {"retained": {"name": "a", "other": "p"}}),
    ("$retainKeys lets nulls and directives through",
     {"retained": {"name": "a", "value": "v", "numbers": [1, 2]}},
     {"retained": {"$retainKeys": ["numbers"], "value": None, "$deleteFromPrimitiveList/numbers": [1],
                   "$setElementOrder/numbers": [2]}},
     {"retained": {"numbers": [2]}}),
    ("a retainKeys field merges as usual without the directive", {"retained": {"name": "a", "value": "v"}},
     {"retained": {"value": "w"}}, {"retained": {"name": "a", "value": "w"}}),
    ("$retainKeys in list items", {"retainedItems": [{"name": "a", "value": "v"}, {"name": "b", "other": "o"}]},
     {"retainedItems": [{"name": "a", "other": "p", "$retainKeys": ["name", "other"]}]},
     {"retainedItems": [{"name": "a", "other": "p"}, {"name": "b", "other": "o"}]}),
]


@pytest.mark.parametrize(("original", "patch", "expected"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_strategic_merge_patch(original: dict[str, Any], patch: dict[str, Any], expected: dict[str, Any]) -> None:
    assert patched(original, patch) == expected


ERRORS: list[tuple[str, dict[str, Any], dict[str, Any], str, int]] = [
    ("an item without its merge key", {"items": [{"name": "a"}]}, {"items": [{"value": "b"}]},
     "map: map[value:b] does not contain declared merge key: name", 500),
    ("a delete item without its merge key", {"items": [{"name": "a"}]}, {"items": [{"$patch": "delete"}]},
     "map: map[$patch:delete] does not contain declared merge key: name", 500),
    ("an unknown $patch on a map", {"labels": {}}, {"labels": {"$patch": "remove", "k": 1}},
     "unknown patch type: remove in map: map[$patch:remove k:1]", 500),
    ("$patch: merge on a map", {}, {"$patch": "merge"}, "unknown patch type: merge in map: map[$patch:merge]", 500),
    ("$patch: merge in a list", {"items": [{"name": "a"}]}, {"items": [{"$patch": "merge"}]},
     "merging lists cannot yet be specified in the patch", 500),
    ("an unknown $patch in a list", {"items": [{"name": "a"}]}, {"items": [{"name": "a", "$patch": "keep"}]},
     "unknown patch type: keep in map: map[$patch:keep name:a]", 500),
    ("a patch list out of $setElementOrder's order",
     {"items": [{"name": "a"}, {"name": "b"}]},
     {"$setElementOrder/items": [{"name": "a"}, {"name": "b"}], "items": [{"name": "b"}, {"name": "a"}]},
     "doesn't match $setElementOrder list", 500),
    ("scalars out of $setElementOrder's order", {"numbers": [1, 2, 3]},
     {"$setElementOrder/numbers": [1, 2, 3], "numbers": [3, 1]}, "doesn't match $setElementOrder list", 500),
    ("a $setElementOrder that is not a list", {"items": []}, {"$setElementOrder/items": {"name": "a"}},
     "expected a []interface {}, but received a map[string]interface {}", 500),
    ("a $setElementOrder of a field that is not a list", {"name": "a"}, {"$setElementOrder/name": ["a"]},
     "expected a []interface {}, but received a string", 500),
    ("a malformed $setElementOrder key", {}, {"$setElementOrderitems": []},
     "invalid patch format of setElementOrder list", 400),
    ("a malformed $deleteFromPrimitiveList key", {}, {"$deleteFromPrimitiveList": [1]},
     "invalid patch format of primitive list", 400),
    ("$retainKeys that is not a list", {"retained": {}}, {"retained": {"$retainKeys": "name"}},
     "invalid patch format of retainKeys", 400),
    ("a patch key missing from $retainKeys", {"retained": {"name": "a"}},
     {"retained": {"$retainKeys": ["name"], "value": "v"}}, "invalid patch format of retainKeys", 400),
    ("a list of lists", {"numbers": [[1]]}, {"numbers": [[2]]}, "lists of lists are not supported", 422),
    ("objects and scalars in one merging list", {"items": [{"name": "a"}]}, {"items": ["a"]},
     "list element types are not identical: [[map[name:a]] [a]]", 500),
    ("null in a merging list", {"numbers": [1]}, {"numbers": [None]}, "list element types are not identical", 500),
    ("scalars of two JSON types in a merging list", {"numbers": ["1"]}, {"numbers": [1]},
     "list element types are not identical: [[1] [1]]", 500),
    ("objects in a merging list without merge key", {"numbers": []}, {"numbers": [{"n": 1}]},
     "cannot merge lists without merge key for numbers", 500),
    ("a merge key value that is an object", {"items": [{"name": "a"}]}, {"items": [{"name": {"x": 1}}]},
     "cannot compare map[string]interface {} values: map[x:1]", 500),
]


@pytest.mark.parametrize(("original", "patch", "message", "code"), [case[1:] for case in ERRORS],
                         ids=[case[0] for case in ERRORS])
def test_strategic_merge_patch_errors(original: dict[str, Any], patch: dict[str, Any], message: str,
                                      code: int) -> None:
    with pytest.raises(StrategicPatchError) as caught:
        patched(original, patch)
    assert message in str(caught.value)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


def test_inputs_are_left_untouched() -> None:
    original: dict[str, Any] = {"items": [{"name": "a", "value": "1"}, {"name": "b"}], "numbers": [1, 2],
                                "labels": {"k": "v"}}
    patch: dict[str, Any] = {"$setElementOrder/items": [{"name": "b"}, {"name": "c"}],
                             "items": [{"name": "c", "labels": {"x": None}}, {"name": "a", "$patch": "delete"}],
                             "$deleteFromPrimitiveList/numbers": [1], "labels": {"k": None}}
    original_before = repr(original)
    patch_before = repr(patch)
    result = patched(original, patch)
    assert result == {"items": [{"name": "b"}, {"name": "c", "labels": {"x": None}}], "numbers": [2], "labels": {}}
    assert repr(original) == original_before
    assert repr(patch) == patch_before
    result["items"][0]["name"] = "changed"
    assert original["items"][1]["name"] == "b"
