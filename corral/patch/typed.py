"""Walks of JSON-shaped objects guided by their kind's patch metadata, as structured-merge-
diff walks typed values for server-side apply: the field set a value sets, the
comparison of two values, the merge of an applied configuration into a live object, and
the removal of a field set from a value.

What the metadata says about one position (:mod:`corral.schema.patchmeta`): a ``Field``
(its ``meta`` describes the object or the list items there, its ``list_type`` whether a
list is associative), whether the value is atomic, and whether the name is a field the
parent struct declares. Where it says nothing (custom resources, fields without
metadata) the value is read as structured-merge-diff reads values without a schema:
objects are granular maps, lists are atomic, everything else is a leaf. An atomic value,
a scalar and an empty object or list are leaves: owned, compared and replaced whole.

Values missing on one side are :data:`ABSENT` (a ``null`` is a value). Lists whose
items cannot be told apart are leaves here; in an applied configuration they are errors
(:class:`TypedError`), as kube rejects them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from corral.patch.fieldset import (
    EMPTY,
    FIELD,
    KEY,
    VALUE,
    FieldSet,
    Path,
    PathElement,
    Trie,
    element_string,
    freeze,
    path_string,
    trie,
)
from corral.schema.patchmeta import MAP, Field, PatchMeta


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()

_LEAF, _MAP, _LIST = 0, 1, 2


class TypedError(ValueError):
    """An applied configuration that does not fit its schema, worded as kube words it."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed from one value to another, path by path."""

    added: FieldSet = EMPTY
    modified: FieldSet = EMPTY
    removed: FieldSet = EMPTY


def _child(meta: PatchMeta | None, name: str) -> tuple[Field | None, bool, bool]:
    """The field ``name`` of an object described by ``meta``: its metadata, whether its
    value is atomic, whether the object declares it."""
    if meta is None:
        return None, False, False
    if meta.values is not None:
        return meta.values, False, False
    return meta.fields.get(name), name in meta.atomic, name in meta.names


def _root(meta: PatchMeta | None) -> Field:
    return Field(meta=meta)


def _shape(lhs: Any, rhs: Any, fld: Field | None, atomic: bool) -> int:
    """How two values at one position walk: as a leaf, a granular map or an associative
    list. A missing value or a null takes the shape of the other side; two empty sides
    are a leaf."""
    if atomic:
        return _LEAF
    present = [v for v in (lhs, rhs) if v is not ABSENT and v is not None]
    kinds = {type(v) for v in present}
    if kinds == {dict}:
        return _MAP if any(present) else _LEAF
    if kinds == {list} and fld is not None and fld.list_type:
        return _LIST if any(present) else _LEAF
    return _LEAF


def _items(value: Any, fld: Field, at: Path, strict: bool) -> list[PathElement] | None:
    """The path elements of a list's items; None (or, with ``strict``, an error) when an
    item cannot be named."""
    out = []
    for index, item in enumerate(value):
        try:
            out.append(_item_element(item, fld))
        except TypedError as exc:
            if strict:
                raise TypedError(f"{path_string(at)}: element {index}: {exc}") from None
            return None
    return out


def _item_element(item: Any, fld: Field) -> PathElement:
    if fld.list_type == MAP:
        if item is None:
            raise TypedError("associative list with keys may not have a null element")
        if not isinstance(item, dict):
            raise TypedError("associative list with keys may not have non-map elements")
        parts = []
        for name in fld.keys:
            if name in item:
                parts.append((name, freeze(item[name])))
            elif name in fld.key_defaults:
                parts.append((name, freeze(fld.key_defaults[name])))
            else:
                raise TypedError(f'associative list with keys has an element that omits key field "{name}" '
                                 "(and doesn't have default value)")
        return KEY, tuple(sorted(parts))
    if isinstance(item, dict):
        raise TypedError("associative list without keys has an element that's a map type")
    if isinstance(item, list):
        raise TypedError("not supported: associative list with lists as elements")
    if item is None:
        raise TypedError("associative list without keys has an element that's an explicit null")
    return VALUE, freeze(item)


def _indexed(value: Any, fld: Field) -> dict[PathElement, Any] | None:
    """A list's items by path element (the first of duplicates); None if unnamed."""
    if not isinstance(value, list):
        return {}
    elements = _items(value, fld, (), False)
    if elements is None:
        return None
    out: dict[PathElement, Any] = {}
    for element, item in zip(elements, value, strict=True):
        out.setdefault(element, item)
    return out


# ----- the field set of a value ----------------------------------------------------

def field_set(obj: dict[str, Any], meta: PatchMeta | None, *, strict: bool = False) -> FieldSet:
    """The paths ``obj`` sets: its leaves, the items of its associative lists, the keys of
    its maps that are no declared fields, and declared fields set to null or ``{}``.
    With ``strict`` (an applied configuration), unnamed or duplicate list items are
    errors."""
    out: set[Path] = set()
    _fields(obj, _root(meta), False, (), out, strict)
    return frozenset(out)


def _fields(value: Any, fld: Field | None, atomic: bool, at: Path, out: set[Path], strict: bool) -> None:
    kind = type(value)
    if kind is dict and not atomic:
        meta = fld.meta if fld is not None else None
        for name, sub in value.items():
            child, child_atomic, declared = _child(meta, name)
            p = (*at, (FIELD, name))
            _fields(sub, child, child_atomic, p, out, strict)
            if sub is None or (type(sub) is dict and not sub) or not declared:
                out.add(p)
        return
    if kind is list and not atomic and fld is not None and fld.list_type:
        elements = _items(value, fld, at, strict)
        if elements is not None:
            _list_fields(value, elements, fld, at, out, strict)
            return
    if at:
        out.add(at)


def _list_fields(value: list[Any], elements: list[PathElement], fld: Field, at: Path, out: set[Path],
                 strict: bool) -> None:
    seen: set[PathElement] = set()
    repeated: set[PathElement] = set()
    for element in elements:
        if element in seen:
            if strict:
                raise TypedError(f"{path_string(at)}: duplicate entries for key {element_string(element)}")
            repeated.add(element)
        seen.add(element)
    for element, item in zip(elements, value, strict=True):
        p = (*at, element)
        if element not in repeated:
            _fields(item, fld, type(item) is list, p, out, strict)
        out.add(p)


# ----- comparison ------------------------------------------------------------------

def compare(old: dict[str, Any], new: dict[str, Any], meta: PatchMeta | None) -> Comparison:
    """The paths ``new`` adds, modifies and removes relative to ``old``: leaves that
    appear, change or go, and the map keys and list items that appear or go."""
    added: set[Path] = set()
    modified: set[Path] = set()
    removed: set[Path] = set()
    _compare(old, new, _root(meta), False, (), (added, modified, removed))
    return Comparison(frozenset(added), frozenset(modified), frozenset(removed))


def _compare(lhs: Any, rhs: Any, fld: Field | None, atomic: bool, at: Path,
             out: tuple[set[Path], set[Path], set[Path]]) -> None:
    if lhs is not ABSENT and rhs is not ABSENT and lhs == rhs:
        return
    added, modified, removed = out
    shape = _shape(lhs, rhs, fld, atomic)
    if shape == _MAP:
        meta = fld.meta if fld is not None else None
        left = lhs if isinstance(lhs, dict) else {}
        right = rhs if isinstance(rhs, dict) else {}
        for name in _union(left, right):
            child, child_atomic, _ = _child(meta, name)
            _compare(left.get(name, ABSENT), right.get(name, ABSENT), child, child_atomic, (*at, (FIELD, name)),
                     out)
    elif shape == _LIST:
        assert fld is not None
        left_items = _indexed(lhs, fld)
        right_items = _indexed(rhs, fld)
        if left_items is None or right_items is None:
            shape = _LEAF
        else:
            for element in _union(left_items, right_items):
                l_item, r_item = left_items.get(element, ABSENT), right_items.get(element, ABSENT)
                _compare(l_item, r_item, fld, type(l_item) is list or type(r_item) is list, (*at, element), out)
    if not at:
        return
    if lhs is ABSENT:
        added.add(at)
    elif rhs is ABSENT:
        removed.add(at)
    elif shape == _LEAF:
        modified.add(at)


def _union(left: dict[Any, Any], right: dict[Any, Any]) -> Iterator[Any]:
    yield from left
    yield from (k for k in right if k not in left)


# ----- merge -----------------------------------------------------------------------

def merge(live: dict[str, Any], config: dict[str, Any], meta: PatchMeta | None) -> dict[str, Any]:
    """``config`` merged into ``live``: the configuration's leaves win, maps merge key by
    key, associative lists item by item (kept in the configuration's order, with the
    live items it lacks where they were)."""
    merged = _merge(live, config, _root(meta), False, ())
    return merged if isinstance(merged, dict) else {}


def _merge(lhs: Any, rhs: Any, fld: Field | None, atomic: bool, at: Path) -> Any:
    if rhs is ABSENT:
        return lhs
    if lhs is ABSENT:
        return rhs
    shape = _shape(lhs, rhs, fld, atomic)
    if shape == _MAP:
        meta = fld.meta if fld is not None else None
        left = lhs if isinstance(lhs, dict) else {}
        right = rhs if isinstance(rhs, dict) else {}
        out = {}
        for name in _union(left, right):
            child, child_atomic, _ = _child(meta, name)
            out[name] = _merge(left.get(name, ABSENT), right.get(name, ABSENT), child, child_atomic,
                               (*at, (FIELD, name)))
        return out
    if shape == _LIST:
        assert fld is not None
        merged = _merge_list(lhs if isinstance(lhs, list) else [], rhs if isinstance(rhs, list) else [], fld, at)
        if merged is not None:
            return merged
    return rhs


def _merge_list(lhs: list[Any], rhs: list[Any], fld: Field, at: Path) -> list[Any] | None:
    """Merge two associative lists in structured-merge-diff's order: the configuration's
    items in its order, each live item it lacks where it stood relative to the shared
    ones. None when the live list's items cannot be named."""
    left = _items(lhs, fld, at, False)
    right = _items(rhs, fld, at, True)
    if left is None or right is None:
        return None
    left_items: dict[PathElement, Any] = {}
    for element, item in zip(left, lhs, strict=True):
        left_items.setdefault(element, item)
    right_items = dict(zip(right, rhs, strict=True))
    shared = iter([e for e in right if e in left_items])
    next_shared = next(shared, None)
    done: set[PathElement] = set()
    out = []

    def take(element: PathElement, l_item: Any) -> None:
        r_item = right_items.get(element, ABSENT)
        out.append(_merge(l_item, r_item, fld, type(l_item) is list or type(r_item) is list, (*at, element)))

    i = j = 0
    while i < len(left) or j < len(right):
        if i < len(left) and j < len(right):
            if left[i] == right[j]:
                done.add(left[i])
                take(left[i], left_items[left[i]])
                i += 1
                j += 1
                next_shared = next(shared, None)
                continue
            if left[i] in right_items and next_shared is not None and next_shared != left[i]:
                i += 1  # shared, but not the next one the configuration orders
                continue
        if i < len(left):
            if left[i] not in right_items:
                take(left[i], lhs[i])
                i += 1
                continue
            if left[i] in done:
                i += 1
                continue
        if j < len(right):
            element = right[j]
            done.add(element)
            take(element, left_items.get(element, ABSENT))
            j += 1
            if next_shared is not None and next_shared == element:
                next_shared = next(shared, None)
    return out


def drop_applied_nulls(merged: dict[str, Any], config: dict[str, Any], meta: PatchMeta | None) -> None:
    """Remove from ``merged`` (in place) the fields ``config`` set to null: what the object
    keeps of them once decoded into kube's types (they stay owned)."""
    _drop_nulls(merged, config, _root(meta), False)


def _drop_nulls(merged: Any, config: Any, fld: Field | None, atomic: bool) -> None:
    if atomic:
        return
    if type(merged) is dict and type(config) is dict:
        meta = fld.meta if fld is not None else None
        for name, sub in config.items():
            if sub is None:
                if merged.get(name, ABSENT) is None:
                    del merged[name]
            elif name in merged:
                child, child_atomic, _ = _child(meta, name)
                _drop_nulls(merged[name], sub, child, child_atomic)
    elif type(merged) is list and type(config) is list and fld is not None and fld.list_type:
        configured = _indexed(config, fld)
        present = _indexed(merged, fld)
        if configured and present:
            for element, sub in configured.items():
                if element in present:
                    _drop_nulls(present[element], sub, fld, type(sub) is list)


# ----- removal ---------------------------------------------------------------------

def remove_items(obj: dict[str, Any], paths: FieldSet, meta: PatchMeta | None) -> dict[str, Any]:
    """``obj`` without the fields, map keys and list items in ``paths`` (each with all it
    holds); objects and lists left empty by that go too."""
    if not paths:
        return obj
    result = _remove(obj, _root(meta), False, trie(paths))
    return result if isinstance(result, dict) else {}


def _remove(value: Any, fld: Field | None, atomic: bool, node: Trie) -> Any:
    if atomic:
        return value
    if type(value) is dict:
        meta = fld.meta if fld is not None else None
        out = {}
        for name, sub in value.items():
            entry = node.get((FIELD, name))
            if entry is None:
                out[name] = sub
                continue
            member, children = entry
            if member:
                continue
            child, child_atomic, _ = _child(meta, name)
            kept = _remove(sub, child, child_atomic, children)
            if kept is not ABSENT:
                out[name] = kept
        return out if out else ABSENT
    if type(value) is list and fld is not None and fld.list_type:
        elements = _items(value, fld, (), False)
        if elements is None:
            return value
        items = []
        for element, item in zip(elements, value, strict=True):
            entry = node.get(element)
            if entry is None:
                items.append(item)
                continue
            member, children = entry
            if member:
                continue
            kept = _remove(item, fld, type(item) is list, children)
            if kept is not ABSENT:
                items.append(kept)
        return items if items else ABSENT
    return value


# ----- named fields ----------------------------------------------------------------

def ensure_named(paths: FieldSet, meta: PatchMeta | None) -> FieldSet:
    """``paths`` and every declared struct field above one of them: owning a field of a
    struct means owning the struct field that holds it (not so for map keys)."""
    if not paths:
        return paths
    out = set(paths)
    _named(trie(paths), _root(meta), False, (), out)
    return frozenset(out)


def _named(node: Trie, fld: Field | None, atomic: bool, at: Path, out: set[Path]) -> None:
    meta = fld.meta if fld is not None and not atomic else None
    for element, (_, children) in node.items():
        if not children:
            continue
        p = (*at, element)
        if element[0] == FIELD:
            child, child_atomic, declared = _child(meta, element[1])
            if declared:
                out.add(p)
            _named(children, child, child_atomic, p, out)
        else:  # a list item: its fields are the item type's
            _named(children, fld if not atomic else None, False, p, out)
