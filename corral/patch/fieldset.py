"""Field sets: which fields of an object a manager owns, as structured-merge-diff tracks them
for server-side apply, and their ``FieldsV1`` form in ``metadata.managedFields``.

A path leads from an object's root to one field: each step (a path element) is a field
name (``f:spec``), the key fields of an item of an associative list
(``k:{"name":"nginx"}``), the value of an item of a set (``v:"example.com/x"``) or, in
old data, a list index (``i:0``). A field set is a frozen set of paths; the set algebra
is Python's (union, intersection, difference), plus :func:`recursive_difference`, which
also drops whatever lies below a path of the other set.

``FieldsV1`` is a tree of path elements in JSON: a node lists its children, and ``"."``
marks a node that is in the set itself while having children too; a node without
children is in the set. Elements sort as kube sorts them (field names first, then keys,
values, indexes; key and set values by type then value), so the JSON is the same text
kube writes.

Paths read in messages (conflicts, typed errors) as kube writes them:
``.spec.template.spec.containers[name="nginx"].image``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from corral.patch.gofmt import go_value

FIELD, KEY, VALUE, INDEX = 0, 1, 2, 3  # kinds of path elements, in kube's sort order
_PREFIX = {FIELD: "f:", KEY: "k:", VALUE: "v:", INDEX: "i:"}
_MEMBER = "."

# A value in a path element (a key field's value, a set item), in a form that hashes and
# sorts the way kube compares values: numbers, then strings, booleans, lists, maps, null.
Frozen = tuple[int, Any]
PathElement = tuple[int, Any]  # (FIELD, name) | (KEY, ((name, Frozen), ...)) | (VALUE, Frozen) | (INDEX, int)
Path = tuple[PathElement, ...]
FieldSet = frozenset[Path]
# A field set as a tree: each element maps to (whether that path is in the set, its children)
Trie = dict[PathElement, tuple[bool, "Trie"]]

EMPTY: FieldSet = frozenset()


class FieldsV1Error(ValueError):
    """A ``fieldsV1`` value that is not a field set."""


def freeze(value: Any) -> Frozen:
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, (int, float)):
        return 0, value
    if isinstance(value, str):
        return 1, value
    if isinstance(value, list):
        return 3, tuple(freeze(item) for item in value)
    if isinstance(value, dict):
        return 4, tuple(sorted((key, freeze(item)) for key, item in value.items()))
    return 5, None


def thaw(frozen: Frozen) -> Any:
    rank, payload = frozen
    if rank == 3:
        return [thaw(item) for item in payload]
    if rank == 4:
        return {key: thaw(item) for key, item in payload}
    return payload


def field(name: str) -> PathElement:
    return FIELD, name


def key(fields: Mapping[str, Any]) -> PathElement:
    return KEY, tuple(sorted((name, freeze(value)) for name, value in fields.items()))


def value(item: Any) -> PathElement:
    return VALUE, freeze(item)


def path(*elements: str | PathElement) -> Path:
    """A path from field names and path elements: ``path("spec", "replicas")``."""
    return tuple(field(e) if isinstance(e, str) else e for e in elements)


# ----- text ------------------------------------------------------------------------

def path_string(p: Path) -> str:
    """A path as kube writes it in messages: ``.spec.ports[port=80,protocol="TCP"]``."""
    return "".join(element_string(e) for e in p)


def element_string(e: PathElement) -> str:
    kind, payload = e
    if kind == FIELD:
        return f".{payload}"
    if kind == KEY:
        return "[" + ",".join(f"{name}={_value_string(v)}" for name, v in payload) + "]"
    if kind == VALUE:
        return f"[={_value_string(payload)}]"
    return f"[{payload}]"


def _value_string(frozen: Frozen) -> str:
    rank, payload = frozen
    if rank == 0:
        return go_value(payload)
    if rank == 1:
        return go_json(payload)
    if rank == 2:
        return "true" if payload else "false"
    if rank == 3:
        return "[" + ",".join(_value_string(item) for item in payload) + "]"
    if rank == 4:
        return "".join(f"{name}={_value_string(item)}" for name, item in payload)
    return "null"


def go_json(data: Any, *, sort_keys: bool = False) -> str:
    """Compact JSON as Go's encoding/json writes it: ``<``, ``>``, ``&`` and the two line
    separators escaped (and with ``sort_keys``, map keys sorted, as Go writes maps)."""
    text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode()
    if any(c in text for c in "<>&\u2028\u2029"):
        for c, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                           ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
            text = text.replace(c, escaped)
    return text


# ----- FieldsV1 --------------------------------------------------------------------

def to_fields_v1(paths: FieldSet) -> dict[str, Any]:
    """The ``fieldsV1`` object of a field set."""
    return _emit(trie(paths))


def _emit(node: Trie) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for element in sorted(node):
        member, children = node[element]
        text = _serialize(element)
        if not children:
            out[text] = {}
        else:
            sub = _emit(children)
            out[text] = {_MEMBER: {}, **sub} if member else sub
    return out


def _serialize(e: PathElement) -> str:
    kind, payload = e
    if kind == FIELD:
        return f"f:{payload}"
    if kind == KEY:
        return "k:" + go_json({name: thaw(v) for name, v in payload})
    if kind == VALUE:
        return "v:" + go_json(thaw(payload))
    return f"i:{payload}"


def from_fields_v1(data: Any) -> FieldSet:
    """The field set a ``fieldsV1`` object holds; elements of unknown kinds are skipped,
    as kube skips them."""
    if not isinstance(data, dict):
        raise FieldsV1Error("fieldsV1 must be an object")
    out: set[Path] = set()
    _read(data, (), out)
    return frozenset(out)


def _read(node: dict[str, Any], prefix: Path, out: set[Path]) -> bool:
    """Add the paths below ``prefix``; whether ``prefix`` itself is in the set."""
    member = False
    has_children = False
    for text, sub in node.items():
        if text == _MEMBER:
            member = True
            continue
        element = _deserialize(text)
        if element is None:
            continue
        if not isinstance(sub, dict):
            raise FieldsV1Error(f"the value of {text} must be an object")
        has_children = True
        child = (*prefix, element)
        if _read(sub, child, out):
            out.add(child)
    return member or not has_children


def _deserialize(text: str) -> PathElement | None:
    if len(text) < 2 or text[1] != ":":
        raise FieldsV1Error(f"invalid path element: {text!r}")
    kind, body = text[0], text[2:]
    if kind == "f":
        return FIELD, body
    if kind == "i":
        try:
            return INDEX, int(body)
        except ValueError:
            raise FieldsV1Error(f"invalid index: {text!r}") from None
    if kind not in "kv":
        return None
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise FieldsV1Error(f"invalid path element: {text!r}") from None
    if kind == "v":
        return value(parsed)
    if not isinstance(parsed, dict):
        raise FieldsV1Error(f"invalid key: {text!r}")
    return key(parsed)


# ----- algebra ---------------------------------------------------------------------

def trie(paths: Iterable[Path]) -> Trie:
    """A field set as a tree, for walks that follow a value and the set together."""
    root: Trie = {}
    for p in paths:
        node = root
        last = len(p) - 1
        for depth, element in enumerate(p):
            member, children = node.get(element, (False, {}))
            if depth == last and not member:
                node[element] = (True, children)
            elif element not in node:
                node[element] = (member, children)
            node = children
    return root


def recursive_difference(paths: FieldSet, other: FieldSet) -> FieldSet:
    """The paths of ``paths`` that neither are in ``other`` nor lie below one of its paths."""
    if not other or not paths:
        return paths
    return frozenset(p for p in paths if not any(p[:depth] in other for depth in range(1, len(p) + 1)))
