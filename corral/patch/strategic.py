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

Values the original lacks are taken from the patch without their nulls and ``$patch``
objects; values of a field replaced whole are taken as they are, as kube does. Malformed
patches raise :class:`StrategicPatchError`, worded as kube words them.
"""

from __future__ import annotations

import copy
from typing import Any

from corral.patch import strategic_lists as lists
from corral.patch.gofmt import go_value
from corral.patch.strategic_lists import DIRECTIVE, SET_ELEMENT_ORDER, StrategicPatchError
from corral.schema.patchmeta import MERGE, PLAIN, REPLACE, Field, PatchMeta

__all__ = ["StrategicPatchError", "strategic_merge_patch"]

RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"


def strategic_merge_patch(original: dict[str, Any], patch: dict[str, Any], meta: PatchMeta) -> dict[str, Any]:
    """``original`` patched with ``patch``; neither is modified."""
    return _merge_map(copy.deepcopy(original), copy.deepcopy(patch), meta)


def _merge_map(original: dict[str, Any], patch: dict[str, Any], meta: PatchMeta | None) -> dict[str, Any]:
    """Merge ``patch`` into ``original`` in place (both are private copies) and return it."""
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == "replace":
            del patch[DIRECTIVE]
            return patch
        if directive == "delete":
            return {}
        raise StrategicPatchError(f"unknown patch type: {go_value(directive)} in map: {go_value(patch)}")
    _retain_keys(original, patch)
    _set_element_orders(original, patch, meta)
    deletions: list[tuple[str, Any]] = []
    for key, value in patch.items():
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            # after the other keys: with $setElementOrder, kube merges the list first too
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
        original[key] = _merge_list(original[key], value, field, key, delete_list=delete_list)[0]
    else:
        original[key] = value


def _strip(value: Any, *, drop_nulls: bool) -> tuple[Any, bool]:
    """``value`` without the objects that carry ``$patch`` (and with ``drop_nulls``, without
    the null members of objects); False when ``value`` itself goes."""
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


def _merge_list(original: list[Any], patch: list[Any], field: Field, name: str, *,
                delete_list: bool) -> tuple[list[Any], list[Any]]:
    """The merged list, and the original list as kube's ordering by ``$setElementOrder`` then
    sees it: kube edits the original's array in place, deletions shifting its items left
    and appended items taking the freed places."""
    if field.strategy != MERGE and not delete_list:
        return patch, original
    if not original and not patch:
        return original, original
    maps = lists.items_are_maps(original, patch)
    key = field.merge_key
    view = original
    if not maps:
        if delete_list:
            doomed = {lists.ident(value) for value in patch}
            return [value for value in original if lists.ident(value) not in doomed], original
        merged = lists.unique(original + patch)
    elif not key:
        raise StrategicPatchError(f"cannot merge lists without merge key for {name}")
    else:
        view = list(original)
        original, patch = _list_directives(view, patch, key)
        merged = _merge_items(original, patch, key, field.meta)
        added = merged[len(original):len(view)]
        view[len(original):len(original) + len(added)] = added
    in_patch, server_only = lists.partition(merged, patch, key, maps)
    return lists.order(in_patch, server_only, patch, original, key, maps), view


def _list_directives(view: list[Any], patch: list[Any], key: str) -> tuple[list[Any], list[Any]]:
    """Apply the ``$patch`` items of a merging list: deletions (shifting the items of
    ``view`` left, as Go does), or the replacement of the whole list; the original items
    left and the patch items to merge into them."""
    length = len(view)
    rest = []
    replace = False
    for item in patch:
        if DIRECTIVE not in item:
            rest.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == "delete":
            if key not in item:
                raise lists.no_merge_key(item, key)
            doomed = lists.ident(item[key])
            at = 0
            while at < length:
                if key in view[at] and lists.ident(view[at][key]) == doomed:
                    view[at:length - 1] = view[at + 1:length]
                    length -= 1
                else:
                    at += 1
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise StrategicPatchError("merging lists cannot yet be specified in the patch")
        else:
            raise StrategicPatchError(f"unknown patch type: {go_value(directive)} in map: {go_value(item)}")
    return (rest, []) if replace else (view[:length], rest)


def _merge_items(original: list[Any], patch: list[Any], key: str, meta: PatchMeta | None) -> list[Any]:
    """Merge each patch item into the item with its merge key, or append it."""
    merged = list(original)
    where: dict[lists.Ident, int] = {}
    for index, item in enumerate(merged):
        if key in item:
            where.setdefault(lists.ident(item[key]), index)
    for item in patch:
        if key not in item:
            raise lists.no_merge_key(item, key)
        found = lists.ident(item[key])
        if found in where:
            merged[where[found]] = _merge_map(merged[where[found]], item, meta)
        else:
            where[found] = len(merged)
            merged.append(item)
    return merged


def _set_element_orders(original: dict[str, Any], patch: dict[str, Any], meta: PatchMeta | None) -> None:
    """Merge each list a ``$setElementOrder/<field>`` orders, in that order."""
    for directive in [key for key in patch if key.startswith(SET_ELEMENT_ORDER)]:
        wanted = patch.pop(directive)
        if not isinstance(wanted, list):
            raise lists.bad_type("[]interface {}", wanted)
        name = _directive_target(directive, SET_ELEMENT_ORDER)
        field = meta.field(name) if meta is not None else PLAIN
        current = _list_or_absent(original, name)
        patched = _list_or_absent(patch, name)
        lists.check_order(patched or [], wanted, field.merge_key)
        if patched is None:
            if current is None:
                continue
            merged, view = current, current
        elif current is None:
            merged, view = _strip(patched, drop_nulls=False)[0], []
        else:
            merged, view = _merge_list(current, patched, field, name, delete_list=False)
        maps = lists.items_are_maps(current or [], patched or [])
        in_order, server_only = lists.partition(merged, wanted, field.merge_key, maps)
        original[name] = lists.order(in_order, server_only, wanted, view, field.merge_key, maps)
        patch.pop(name, None)


def _list_or_absent(parent: dict[str, Any], name: str) -> list[Any] | None:
    if name not in parent:
        return None
    value = parent[name]
    if not isinstance(value, list):
        raise lists.bad_type("[]interface {}", value)
    return value
