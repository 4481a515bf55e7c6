"""Strategic merge patch (``application/strategic-merge-patch+json``), as kube-apiserver 1.33
applies it to built-in kinds: a JSON merge patch whose lists may merge item by item.

The kind's :class:`~corral.schema.patchmeta.PatchMeta` tells which lists merge, and on
which key. On top of merging, a patch may carry directives:

- ``$patch: replace`` (an object or a list is replaced whole), ``$patch: delete`` (an
  object is emptied, a list item removed by its merge key);
- ``$deleteFromPrimitiveList/<field>``: values to remove from a list of scalars;
- ``$setElementOrder/<field>``: the order of a list's items, which kubectl sends whenever
  a merging list changes;
- ``$retainKeys``: the keys an object keeps, the others are cleared (kubectl sends it for
  fields with the ``retainKeys`` strategy, such as a Deployment's strategy).

Items a patch adds to a merging list without ``$setElementOrder`` go first, as in kube.
Malformed patches raise :class:`StrategicPatchError` worded as kube words them, with the
HTTP status kube answers.
"""

from __future__ import annotations

import copy
from typing import Any

from corral.patch.gofmt import go_type, go_value
from corral.schema.patchmeta import MERGE, PLAIN, REPLACE, Field, PatchMeta

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"


class StrategicPatchError(ValueError):
    """A strategic merge patch that cannot be applied; ``code`` is the HTTP status kube
    answers with: 400 for a malformed directive, 422 for lists of lists, 500 for the rest
    (kube-apiserver passes those through as they are)."""

    def __init__(self, message: str, code: int = 500) -> None:
        super().__init__(message)
        self.code = code


def strategic_merge_patch(original: dict[str, Any], patch: dict[str, Any], meta: PatchMeta) -> dict[str, Any]:
    """``original`` patched with ``patch``; neither is modified."""
    return _merge_map(copy.deepcopy(original), copy.deepcopy(patch), meta)


# ----- objects ---------------------------------------------------------------------


def _merge_map(original: dict[str, Any], patch: dict[str, Any], meta: PatchMeta | None) -> dict[str, Any]:
    """Merge ``patch`` into ``original`` in place (both are private copies) and return it."""
    if DIRECTIVE in patch:
        directive = patch.pop(DIRECTIVE)
        if directive == "replace":
            return patch
        if directive == "delete":
            return {}
        patch[DIRECTIVE] = directive
        raise StrategicPatchError(f"unknown patch type: {go_value(directive)} in map: {go_value(patch)}")
    _retain_keys(original, patch)
    _set_element_orders(original, patch, meta)
    deletions: list[tuple[str, Any]] = []
    for key, value in patch.items():
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            # applied last: with $setElementOrder, kube merges the list first too
            deletions.append((_directive_target(key, DELETE_FROM_PRIMITIVE_LIST) or key, value))
        else:
            _merge_key(original, key, value, meta, delete_list=False)
    for key, value in deletions:
        _merge_key(original, key, value, meta, delete_list=True)
    return original


def _merge_key(original: dict[str, Any], key: str, value: Any, meta: PatchMeta | None, *, delete_list: bool) -> None:
    if value is None:
        original.pop(key, None)
        return
    if key not in original or type(original[key]) is not type(value):
        # a value of its own: the patch's, without nulls and directives
        if not delete_list:
            stripped, keep = _strip(value, drop_nulls=True)
            if keep:
                original[key] = stripped
            else:
                original.pop(key, None)
        return
    field = meta.field(key) if meta is not None else PLAIN
    if isinstance(value, dict):
        original[key] = value if field.strategy == REPLACE else _merge_map(original[key], value, field.meta)
    elif isinstance(value, list):
        original[key] = _merge_list_field(original[key], value, field, key, delete_list=delete_list)
    else:
        original[key] = value


def _strip(value: Any, *, drop_nulls: bool) -> tuple[Any, bool]:
    """``value`` without objects carrying ``$patch`` (and, with ``drop_nulls``, without
    null members of objects); False when ``value`` itself goes."""
    if isinstance(value, dict):
        if drop_nulls:
            for key in [k for k, v in value.items() if v is None]:
                del value[key]
        if DIRECTIVE in value:
            return None, False
        for key in list(value):
            value[key], keep = _strip(value[key], drop_nulls=drop_nulls)
            if not keep:
                del value[key]
        return value, True
    if isinstance(value, list):
        kept = []
        for item in value:
            item, keep = _strip(item, drop_nulls=drop_nulls)
            if keep:
                kept.append(item)
        return kept, True
    return value, True


def _directive_target(key: str, prefix: str) -> str:
    """The field a ``<prefix>/<field>`` directive applies to."""
    head, slash, field = key.partition("/")
    if not slash or head != prefix:
        kind = "primitive list" if prefix == DELETE_FROM_PRIMITIVE_LIST else "setElementOrder list"
        raise StrategicPatchError(f"invalid patch format of {kind}", 400)
    return field


def _retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
    """Apply ``$retainKeys``: clear the keys of ``original`` it does not list."""
    if RETAIN_KEYS not in patch:
        return
    retained = patch.pop(RETAIN_KEYS)
    if not isinstance(retained, list):
        raise StrategicPatchError("invalid patch format of retainKeys", 400)
    keep = {key for key in retained if isinstance(key, str)}
    for key, value in patch.items():
        if value is not None and key not in keep and not key.startswith((DELETE_FROM_PRIMITIVE_LIST,
                                                                          SET_ELEMENT_ORDER)):
            raise StrategicPatchError("invalid patch format of retainKeys", 400)
    for key in [k for k in original if k not in keep]:
        del original[key]


# ----- lists -----------------------------------------------------------------------


def _merge_list_field(original: list[Any], patch: list[Any], field: Field, name: str, *,
                      delete_list: bool) -> list[Any]:
    if field.strategy != MERGE and not delete_list:
        return patch
    if not original and not patch:
        return original
    maps = _items_are_maps(original, patch)
    if not maps:
        if delete_list:
            doomed = {_ident(v) for v in patch}
            return [v for v in original if _ident(v) not in doomed]
        merged = _unique(original + patch)
    else:
        key = field.merge_key
        if not key:
            raise StrategicPatchError(f"cannot merge lists without merge key for {name}")
        original, patch = _special_items(original, patch, key)
        merged = _merge_items(original, patch, key, field.meta)
    in_patch, server_only = _partition(merged, patch, field.merge_key, maps)
    return _order(in_patch, server_only, patch, original, field.merge_key, maps)


def _items_are_maps(*lists: list[Any]) -> bool:
    """Whether the items of these lists are objects (else scalars); they must be of one type."""
    kind: type | None = None
    for items in lists:
        for item in items:
            if kind is None:
                kind = type(item)
                if kind is list:
                    raise StrategicPatchError("lists of lists are not supported", 422)
            elif type(item) is not kind or kind is type(None):
                raise StrategicPatchError(f"list element types are not identical: {go_value(list(lists))}")
    if kind is None:
        raise StrategicPatchError("no elements in any of the given slices")
    if kind is type(None):
        raise StrategicPatchError(f"list element types are not identical: {go_value(list(lists))}")
    return kind is dict


def _unique(values: list[Any]) -> list[Any]:
    seen: set[tuple[type, Any]] = set()
    out = []
    for value in values:
        ident = _ident(value)
        if ident not in seen:
            seen.add(ident)
            out.append(value)
    return out


def _ident(value: Any) -> tuple[type, Any]:
    """What tells list items (or merge key values) apart: equal values of one JSON type."""
    if isinstance(value, (dict, list)):
        raise StrategicPatchError(f"cannot compare {go_type(value)} values: {go_value(value)}")
    return type(value), value


def _no_merge_key(item: dict[str, Any], key: str) -> StrategicPatchError:
    return StrategicPatchError(f"map: {go_value(item)} does not contain declared merge key: {key}")


def _special_items(original: list[Any], patch: list[Any], key: str) -> tuple[list[Any], list[Any]]:
    """Apply the ``$patch`` items of a merging list: deletions from ``original``, or a
    replacement of the whole list; return the original and the patch items left to merge."""
    rest = []
    replace = False
    for item in patch:
        if DIRECTIVE not in item:
            rest.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == "delete":
            if key not in item:
                raise _no_merge_key(item, key)
            doomed = _ident(item[key])
            original = [o for o in original if key not in o or _ident(o[key]) != doomed]
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise StrategicPatchError("merging lists cannot yet be specified in the patch")
        else:
            raise StrategicPatchError(f"unknown patch type: {go_value(directive)} in map: {go_value(item)}")
    return (rest, []) if replace else (original, rest)


def _merge_items(original: list[Any], patch: list[Any], key: str, meta: PatchMeta | None) -> list[Any]:
    merged = list(original)
    positions = {_ident(item[key]): i for i, item in reversed(list(enumerate(merged))) if key in item}
    for item in patch:
        if key not in item:
            raise _no_merge_key(item, key)
        ident = _ident(item[key])
        position = positions.get(ident)
        if position is None:
            positions[ident] = len(merged)
            merged.append(item)
        else:
            merged[position] = _merge_map(merged[position], item, meta)
    return merged


# ----- order -----------------------------------------------------------------------


def _set_element_orders(original: dict[str, Any], patch: dict[str, Any], meta: PatchMeta | None) -> None:
    """Merge the lists that a ``$setElementOrder/<field>`` orders, in that order."""
    for directive in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(directive)
        if not isinstance(order, list):
            raise StrategicPatchError(f"expected a []interface {{}}, but received a {go_type(order)}")
        name = _directive_target(directive, SET_ELEMENT_ORDER)
        field = meta.field(name) if meta is not None else PLAIN
        current = _list_or_absent(original, name)
        patched = _list_or_absent(patch, name)
        _check_order(patched or [], order, field.merge_key)
        if current is None and patched is None:
            continue
        if patched is None:
            merged: list[Any] = current or []
        elif current is None:
            merged = _strip(patched, drop_nulls=False)[0]
        else:
            merged = _merge_list_field(current, patched, field, name, delete_list=False)
        maps = _items_are_maps(current or [], patched or [])
        in_order, server_only = _partition(merged, order, field.merge_key, maps)
        original[name] = _order(in_order, server_only, order, current or [], field.merge_key, maps)
        patch.pop(name, None)


def _list_or_absent(parent: dict[str, Any], name: str) -> list[Any] | None:
    if name not in parent:
        return None
    value = parent[name]
    if not isinstance(value, list):
        raise StrategicPatchError(f"expected a []interface {{}}, but received a {go_type(value)}")
    return value


def _check_order(patch: list[Any], order: list[Any], key: str) -> None:
    """The patch's items must come in the order ``$setElementOrder`` lists them."""
    if not patch or not order:
        return
    items = patch
    if key:
        for item in patch:
            if not isinstance(item, dict):
                raise StrategicPatchError(f"expected a map[string]interface {{}}, but received a {go_type(item)}")
        items = [item for item in patch if item.get(DIRECTIVE) != "delete"]
    at = 0
    for wanted in order:
        while at < len(items) and isinstance(items[at], dict) and DIRECTIVE in items[at]:
            at += 1
        if at == len(items):
            return
        if _same_item(items[at], wanted, key):
            at += 1
    while at < len(items) and isinstance(items[at], dict) and DIRECTIVE in items[at]:
        at += 1
    if at < len(items):
        raise StrategicPatchError(f"The order in patch list:\n{go_value(patch)}\n doesn't match "
                                  f"{SET_ELEMENT_ORDER} list:\n{go_value(order)}\n")


def _same_item(left: Any, right: Any, key: str) -> bool:
    if not key:
        return bool(_ident(left) == _ident(right))
    for item in (left, right):
        if not isinstance(item, dict):
            raise StrategicPatchError(f"expected a map[string]interface {{}}, but received a {go_type(item)}")
        if key not in item:
            raise _no_merge_key(item, key)
    return bool(_ident(left[key]) == _ident(right[key]))


def _item_ident(item: Any, key: str, maps: bool) -> tuple[type, Any]:
    if not maps:
        return _ident(item)
    if not isinstance(item, dict):
        raise StrategicPatchError(f"expected a map[string]interface {{}}, but received a {go_type(item)}")
    if key not in item:
        raise _no_merge_key(item, key)
    return _ident(item[key])


def _partition(items: list[Any], by: list[Any], key: str, maps: bool) -> tuple[list[Any], list[Any]]:
    """``items`` split into those ``by`` holds too and the others (the server-only ones)."""
    wanted = {_item_ident(item, key, maps) for item in by}
    inside: list[Any] = []
    outside: list[Any] = []
    for item in items:
        (inside if _item_ident(item, key, maps) in wanted else outside).append(item)
    return inside, outside


def _order(in_patch: list[Any], server_only: list[Any], patch_order: list[Any], server_order: list[Any],
           key: str, maps: bool) -> list[Any]:
    """The merged list: the patch's items in the patch's order, with the server-only items
    slipped in where the server's order puts them relative to the patch's."""
    in_patch = _sorted_by(in_patch, patch_order, key, maps)
    server_only = _sorted_by(server_only, server_order, key, maps)
    position = _positions(server_order, key, maps)
    out = []
    i = j = 0
    while i < len(server_only) or j < len(in_patch):
        if j == len(in_patch):
            out.append(server_only[i])
            i += 1
            continue
        if i < len(server_only):
            left = position.get(_item_ident(server_only[i], key, maps))
            right = position.get(_item_ident(in_patch[j], key, maps))
            if left is not None and right is not None and left < right:
                out.append(server_only[i])
                i += 1
                continue
        out.append(in_patch[j])
        j += 1
    return out


def _positions(order: list[Any], key: str, maps: bool) -> dict[tuple[type, Any], int]:
    """Where each item first appears in ``order``."""
    position: dict[tuple[type, Any], int] = {}
    for index, item in enumerate(order):
        position.setdefault(_item_ident(item, key, maps), index)
    return position


def _sorted_by(items: list[Any], order: list[Any], key: str, maps: bool) -> list[Any]:
    """``items`` in the order ``order`` gives them; ``$patch: delete`` items last."""
    doomed: list[Any] = []
    if maps:
        for item in items:
            _item_ident(item, key, maps)
        doomed = [item for item in items if item.get(DIRECTIVE) == "delete"]
        items = [item for item in items if item.get(DIRECTIVE) != "delete"]
    position = _positions(order, key, maps)
    return sorted(items, key=lambda item: position.get(_item_ident(item, key, maps), -1)) + doomed
