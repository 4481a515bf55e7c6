"""Patch metadata of the built-in kinds: what strategic merge patch and server-side apply
need to know about their fields.

Strategic merge patch: which lists merge item by item (and on which key), which fields
are replaced whole, which carry ``retainKeys``. kube-apiserver reads it from the
``patchStrategy`` and ``patchMergeKey`` tags of its Go types; the definitions publish the
same as ``x-kubernetes-patch-strategy`` and ``x-kubernetes-patch-merge-key``.

Server-side apply (as kube-openapi converts the definitions for structured-merge-diff):
which lists are associative (``x-kubernetes-list-type: set`` or ``map`` with its
``x-kubernetes-list-map-keys``, or, without a list type, a ``merge`` patch strategy), which
maps and structs are atomic (``x-kubernetes-map-type: atomic`` on the field or on the type
it refers to), and which names an object type declares.

On first use every built-in kind is compiled into a small tree that keeps only the paths
leading to a field with such metadata: everything else patches the default way (objects
merge key by key, lists are replaced) and applies the way values without a schema do
(objects are granular maps, lists are atomic), so it needs no entry. To keep that true for
apply, an object type also gets a node when one of its fields holds an object (a declared
field is not owned as a whole, a map key is) or an atomic value. Types shared between
kinds (PodSpec, ObjectMeta) share one node.

Custom resources have no such metadata: kube answers 415 to a strategic merge patch on
them, so :func:`patch_meta` gives None for any kind it does not know; :func:`apply_meta`
gives them a root whose ``metadata`` is an ObjectMeta and whose other fields are deduced
from their values, as kube treats custom resources without a schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.schema import definitions as d
from corral.schema.definitions import GVK, Schema

MERGE = "merge"
REPLACE = "replace"
RETAIN_KEYS = "retainKeys"
SET = "set"  # list types of associative lists (any other list is atomic)
MAP = "map"

_RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension"  # an atomic value, whatever it holds
# Defaults of list map keys that kube's OpenAPI carries (``+default`` markers) and the
# definitions file does not: apply names such items with the default filled in.
_KEY_DEFAULTS: dict[tuple[str, str], Any] = {
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): "TCP",
    ("io.k8s.api.core.v1.ServicePort", "protocol"): "TCP",
    ("io.k8s.api.core.v1.LocalObjectReference", "name"): "",
}


class Field:
    """How one field patches: ``strategy`` is ``merge``, ``replace`` or "" (the default),
    ``merge_key`` names the key identifying the items of a merging list of objects,
    ``retain_keys`` marks fields whose patches may clear keys absent from ``$retainKeys``,
    and ``meta`` describes the value (a list's items, a map's values) when anything below
    has metadata of its own.

    For apply, ``list_type`` is ``set`` or ``map`` for associative lists ("" for atomic
    ones and for values that are no list); the items of a ``map`` list are told apart by
    their ``keys``, taking ``key_defaults`` for the keys they leave out."""

    __slots__ = ("key_defaults", "keys", "list_type", "merge_key", "meta", "retain_keys", "strategy")

    def __init__(self, strategy: str = "", merge_key: str = "", *, retain_keys: bool = False,
                 meta: PatchMeta | None = None, list_type: str = "", keys: tuple[str, ...] = (),
                 key_defaults: Mapping[str, Any] | None = None) -> None:
        self.strategy = strategy
        self.merge_key = merge_key
        self.retain_keys = retain_keys
        self.meta = meta
        self.list_type = list_type
        self.keys = keys
        self.key_defaults: Mapping[str, Any] = key_defaults or {}

    def __repr__(self) -> str:
        return (f"Field(strategy={self.strategy!r}, merge_key={self.merge_key!r}, "
                f"retain_keys={self.retain_keys}, meta={self.meta!r}, list_type={self.list_type!r}, "
                f"keys={self.keys!r})")


PLAIN = Field()  # a field without metadata: objects merge, lists are replaced


class PatchMeta:
    """The patch metadata of one object type: ``fields`` by name, and for map types the
    ``values`` metadata every key shares. A struct type also lists the ``names`` it
    declares, and which of them hold ``atomic`` values (maps and structs that apply
    replaces whole and owns as one)."""

    __slots__ = ("atomic", "fields", "names", "values")

    def __init__(self, fields: dict[str, Field] | None = None, *, values: Field | None = None,
                 names: frozenset[str] = frozenset(), atomic: frozenset[str] = frozenset()) -> None:
        self.fields: dict[str, Field] = fields if fields is not None else {}
        self.values = values
        self.names = names
        self.atomic = atomic

    def field(self, name: str) -> Field:
        """The metadata of field ``name`` (of any key, for a map type); :data:`PLAIN` when
        it has none."""
        found = self.fields.get(name)
        if found is not None:
            return found
        return self.values if self.values is not None else PLAIN

    def __repr__(self) -> str:
        return f"PatchMeta({sorted(self.fields)}{', values' if self.values is not None else ''})"


class _Compiler:
    def __init__(self, definitions: Mapping[str, Schema]) -> None:
        self.definitions = definitions
        self.done: dict[str, PatchMeta | None] = {}
        self.structs: dict[str, PatchMeta] = {}  # every object type compiled, node or not

    def kind(self, name: str) -> PatchMeta:
        """The root node of a kind: it always has one, to declare its names."""
        self.definition(name)
        return self.structs.get(name) or PatchMeta()

    def definition(self, name: str) -> PatchMeta | None:
        if name in self.done:
            return self.done[name]
        properties = (self.definitions.get(name) or {}).get("properties")
        if not properties:
            self.done[name] = None
            return None
        # before the fields: types can nest themselves
        meta = self.done[name] = self.structs[name] = PatchMeta(names=frozenset(properties))
        atomic = set()
        holds_objects = False
        for field_name, schema in properties.items():
            found = self.field(schema)
            if found is not None:
                meta.fields[field_name] = found
            if self._atomic(schema):
                atomic.add(field_name)
            elif self._is_object(schema):
                holds_objects = True
        meta.atomic = frozenset(atomic)
        if not (meta.fields or meta.atomic or holds_objects):
            self.done[name] = None
        return self.done[name]

    def field(self, schema: Schema) -> Field | None:
        strategies = schema.get("x-kubernetes-patch-strategy", "").split(",")
        strategy = MERGE if MERGE in strategies else REPLACE if REPLACE in strategies else ""
        merge_key = schema.get("x-kubernetes-patch-merge-key", "")
        retain_keys = RETAIN_KEYS in strategies
        meta = None if self._atomic(schema) else self.value(schema)
        list_type, keys = self._list_type(schema, strategy, merge_key)
        if not (strategy or merge_key or retain_keys or meta is not None or list_type):
            return None
        return Field(strategy, merge_key, retain_keys=retain_keys, meta=meta, list_type=list_type, keys=keys,
                     key_defaults=self._key_defaults(schema, keys))

    @staticmethod
    def _list_type(schema: Schema, strategy: str, merge_key: str) -> tuple[str, tuple[str, ...]]:
        """How apply treats a list: as kube-openapi reads ``x-kubernetes-list-type``, or
        without one, a ``merge`` patch strategy."""
        if schema.get("type") != "array":
            return "", ()
        list_type = schema.get("x-kubernetes-list-type")
        if list_type == SET:
            return SET, ()
        if list_type == MAP:
            return MAP, tuple(schema.get("x-kubernetes-list-map-keys") or ())
        if list_type is None and strategy == MERGE:
            return (MAP, (merge_key,)) if merge_key else (SET, ())
        return "", ()

    def _key_defaults(self, schema: Schema, keys: tuple[str, ...]) -> dict[str, Any]:
        item = d.ref_name((schema.get("items") or {}).get("$ref", ""))
        properties = (self.definitions.get(item) or {}).get("properties") or {}
        defaults = {}
        for key in keys:
            if "default" in properties.get(key, {}):
                defaults[key] = properties[key]["default"]
            elif (item, key) in _KEY_DEFAULTS:
                defaults[key] = _KEY_DEFAULTS[(item, key)]
        return defaults

    def _atomic(self, schema: Schema) -> bool:
        """Whether apply treats the value as one: an atomic map or struct, or a raw extension."""
        map_type = schema.get("x-kubernetes-map-type")
        ref = schema.get("$ref")
        if ref is None:
            return map_type == "atomic"
        name = d.ref_name(ref)
        if map_type is None:
            map_type = (self.definitions.get(name) or {}).get("x-kubernetes-map-type")
        return map_type == "atomic" or name == _RAW_EXTENSION

    def _is_object(self, schema: Schema) -> bool:
        ref = schema.get("$ref")
        if ref is not None:
            schema = self.definitions.get(d.ref_name(ref)) or {}
        return schema.get("type") == "object"

    def value(self, schema: Schema) -> PatchMeta | None:
        ref = schema.get("$ref")
        if ref is not None:
            return self.definition(d.ref_name(ref))
        items = schema.get("items")
        if schema.get("type") == "array" and isinstance(items, dict):
            return self.value(items)
        extra = schema.get("additionalProperties")
        if schema.get("type") == "object" and isinstance(extra, dict):
            values = self.field(extra)
            return PatchMeta(values=values) if values is not None else None
        return None


class _Catalog:
    """Compiled metadata of every built-in kind, built on first use."""

    def __init__(self) -> None:
        self.kinds: dict[GVK, PatchMeta] = {}
        self.custom = PatchMeta()

    def get(self, gvk: GVK) -> PatchMeta | None:
        if not self.kinds:
            definitions = d.load()
            compiler = _Compiler(definitions)
            self.kinds = {key: compiler.kind(name) for key, name in d.gvk_index(definitions).items()}
            self.custom = PatchMeta({"metadata": Field(meta=compiler.definition(d.OBJECT_META))},
                                    names=frozenset({"apiVersion", "kind", "metadata"}))
        return self.kinds.get(gvk)


_catalog = _Catalog()


def patch_meta(group: str, version: str, kind: str) -> PatchMeta | None:
    """The strategic merge patch metadata of a built-in kind; None for any other kind
    (custom resources take no strategic merge patch)."""
    return _catalog.get((group, version, kind))


def apply_meta(group: str, version: str, kind: str) -> PatchMeta:
    """The metadata server-side apply works with: a built-in kind's, or for any other kind
    (a custom resource) a root that only knows its ``metadata``."""
    return _catalog.get((group, version, kind)) or _catalog.custom
