"""The list rules of strategic merge patch that need no recursion: which items are the
same, which come from the patch, and the order of a merged list.

kube orders a merged list by the patch (or its ``$setElementOrder``) and slips the items
only the server has in where the server's own order puts them next to the patch's; items
a patch adds without saying where go first. Items are the same when their merge key (or,
in lists of scalars, their value) is equal and of the same JSON type, as Go compares them.
"""

from __future__ import annotations

from typing import Any

from corral.patch.gofmt import go_type, go_value

DIRECTIVE = "$patch"
SET_ELEMENT_ORDER = "$setElementOrder"

Ident = tuple[type, Any]


class StrategicPatchError(ValueError):
    """A strategic merge patch that cannot be applied; ``code`` is the HTTP status kube
    answers with: 400 for a malformed directive, 422 for lists of lists, 500 for the rest
    (kube-apiserver passes those through as they are)."""

    def __init__(self, message: str, code: int = 500) -> None:
        super().__init__(message)
        self.code = code


def ident(value: Any) -> Ident:
    """What tells list items (or merge key values) apart: equal values of one JSON type."""
    if isinstance(value, (dict, list)):
        raise StrategicPatchError(f"cannot compare {go_type(value)} values: {go_value(value)}")
    return type(value), value


def bad_type(expected: str, value: Any) -> StrategicPatchError:
    return StrategicPatchError(f"expected a {expected}, but received a {go_type(value)}")


def no_merge_key(item: dict[str, Any], key: str) -> StrategicPatchError:
    return StrategicPatchError(f"map: {go_value(item)} does not contain declared merge key: {key}")


def item_ident(item: Any, key: str, maps: bool) -> Ident:
    """The identity of a list item: its merge key's value in lists of objects."""
    if not maps:
        return ident(item)
    if not isinstance(item, dict):
        raise bad_type("map[string]interface {}", item)
    if key not in item:
        raise no_merge_key(item, key)
    return ident(item[key])


def items_are_maps(*lists: list[Any]) -> bool:
    """Whether the items of these lists are objects (else scalars); all must be of one type."""
    kind: type | None = None
    for items in lists:
        for item in items:
            if kind is None:
                kind = type(item)
                if kind is list:
                    raise StrategicPatchError("lists of lists are not supported", 422)
            if type(item) is not kind or item is None:
                raise StrategicPatchError(f"list element types are not identical: {go_value(list(lists))}")
    if kind is None:
        raise StrategicPatchError("no elements in any of the given slices")
    return kind is dict


def unique(values: list[Any]) -> list[Any]:
    """``values`` without repeats."""
    seen: set[Ident] = set()
    out = []
    for value in values:
        found = ident(value)
        if found not in seen:
            seen.add(found)
            out.append(value)
    return out


def check_order(patch: list[Any], order: list[Any], key: str) -> None:
    """The items of a patch list must come in the order its ``$setElementOrder`` gives."""
    if not patch or not order:
        return
    items = patch
    if key:
        for item in patch:
            if not isinstance(item, dict):
                raise bad_type("map[string]interface {}", item)
        items = [item for item in patch if item.get(DIRECTIVE) != "delete"]
    at = seen = 0
    while at < len(items) and seen < len(order):
        if isinstance(items[at], dict) and DIRECTIVE in items[at]:
            at += 1
            continue
        if item_ident(items[at], key, bool(key)) == item_ident(order[seen], key, bool(key)):
            at += 1
        seen += 1
    if at < len(items):
        raise StrategicPatchError(f"The order in patch list:\n{go_value(patch)}\n doesn't match "
                                  f"{SET_ELEMENT_ORDER} list:\n{go_value(order)}\n")


def partition(items: list[Any], by: list[Any], key: str, maps: bool) -> tuple[list[Any], list[Any]]:
    """``items`` split into those ``by`` holds too and the others (the server-only ones)."""
    wanted = {item_ident(item, key, maps) for item in by}
    inside: list[Any] = []
    outside: list[Any] = []
    for item in items:
        (inside if item_ident(item, key, maps) in wanted else outside).append(item)
    return inside, outside


def order(in_patch: list[Any], server_only: list[Any], patch_order: list[Any], server_order: list[Any],
          key: str, maps: bool) -> list[Any]:
    """The merged list: the patch's items in the patch's order, with the server-only items
    slipped in before the first patch item that the server's order puts after them."""
    in_patch = _sorted_by(in_patch, _positions(patch_order, key, maps), key, maps)
    server_position = _positions(server_order, key, maps)
    server_only = _sorted_by(server_only, server_position, key, maps)

    def server_first(left: Any, right: Any) -> bool:
        before = server_position.get(item_ident(left, key, maps))
        after = server_position.get(item_ident(right, key, maps))
        return before is not None and after is not None and before < after

    out = []
    i = j = 0
    while i < len(server_only) or j < len(in_patch):
        if j == len(in_patch) or (i < len(server_only) and server_first(server_only[i], in_patch[j])):
            out.append(server_only[i])
            i += 1
        else:
            out.append(in_patch[j])
            j += 1
    return out


def _positions(items: list[Any], key: str, maps: bool) -> dict[Ident, int]:
    """Where each item first appears in ``items``."""
    position: dict[Ident, int] = {}
    for index, item in enumerate(items):
        position.setdefault(item_ident(item, key, maps), index)
    return position


def _sorted_by(items: list[Any], position: dict[Ident, int], key: str, maps: bool) -> list[Any]:
    """``items`` in the order ``position`` gives, ``$patch: delete`` items last."""
    doomed: list[Any] = []
    if maps:
        for item in items:
            item_ident(item, key, maps)
        doomed = [item for item in items if item.get(DIRECTIVE) == "delete"]
        items = [item for item in items if item.get(DIRECTIVE) != "delete"]
    return sorted(items, key=lambda item: position.get(item_ident(item, key, maps), -1)) + doomed
