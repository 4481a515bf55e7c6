"""Strategic merge patch metadata of the built-in kinds: which lists merge item by item (and
on which key), which fields are replaced whole, which carry ``retainKeys``.

kube-apiserver reads it from the ``patchStrategy`` and ``patchMergeKey`` tags of its Go
types; the definitions publish the same as ``x-kubernetes-patch-strategy`` and
``x-kubernetes-patch-merge-key``. On first use every built-in kind is compiled into a small
tree that keeps only the paths leading to such a field: everything else patches the
default way (objects merge key by key, lists are replaced), so it needs no entry. Types
shared between kinds (PodSpec, ObjectMeta) share one node.

Custom resources have no such metadata: kube answers 415 to a strategic merge patch on
them, so :func:`patch_meta` gives None for any kind it does not know.
"""

from __future__ import annotations

from collections.abc import Mapping

from corral.schema import definitions as d
from corral.schema.definitions import GVK, Schema

MERGE = "merge"
REPLACE = "replace"
RETAIN_KEYS = "retainKeys"


class Field:
    """How one field patches: ``strategy`` is ``merge``, ``replace`` or "" (the default),
    ``merge_key`` names the key identifying the items of a merging list of objects,
    ``retain_keys`` marks fields whose patches may clear keys absent from ``$retainKeys``,
    and ``meta`` describes the value (a list's items, a map's values) when anything below
    has metadata of its own."""

    __slots__ = ("merge_key", "meta", "retain_keys", "strategy")

    def __init__(self, strategy: str = "", merge_key: str = "", *, retain_keys: bool = False,
                 meta: PatchMeta | None = None) -> None:
        self.strategy = strategy
        self.merge_key = merge_key
        self.retain_keys = retain_keys
        self.meta = meta

    def __repr__(self) -> str:
        return (f"Field(strategy={self.strategy!r}, merge_key={self.merge_key!r}, "
                f"retain_keys={self.retain_keys}, meta={self.meta!r})")


PLAIN = Field()  # a field without metadata: objects merge, lists are replaced


class PatchMeta:
    """The patch metadata of one object type: ``fields`` by name, and for map types the
    ``values`` metadata every key shares."""

    __slots__ = ("fields", "values")

    def __init__(self, fields: dict[str, Field] | None = None, *, values: Field | None = None) -> None:
        self.fields: dict[str, Field] = fields if fields is not None else {}
        self.values = values

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

    def definition(self, name: str) -> PatchMeta | None:
        if name in self.done:
            return self.done[name]
        properties = (self.definitions.get(name) or {}).get("properties")
        if not properties:
            self.done[name] = None
            return None
        meta = self.done[name] = PatchMeta()  # before the fields: types can nest themselves
        for field_name, schema in properties.items():
            found = self.field(schema)
            if found is not None:
                meta.fields[field_name] = found
        if not meta.fields:
            self.done[name] = None
        return self.done[name]

    def field(self, schema: Schema) -> Field | None:
        strategies = schema.get("x-kubernetes-patch-strategy", "").split(",")
        strategy = MERGE if MERGE in strategies else REPLACE if REPLACE in strategies else ""
        merge_key = schema.get("x-kubernetes-patch-merge-key", "")
        retain_keys = RETAIN_KEYS in strategies
        meta = self.value(schema)
        if not (strategy or merge_key or retain_keys or meta is not None):
            return None
        return Field(strategy, merge_key, retain_keys=retain_keys, meta=meta)

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
        self.kinds: dict[GVK, PatchMeta] | None = None

    def get(self, gvk: GVK) -> PatchMeta | None:
        if self.kinds is None:
            definitions = d.load()
            compiler = _Compiler(definitions)
            empty = PatchMeta()
            self.kinds = {key: compiler.definition(name) or empty
                          for key, name in d.gvk_index(definitions).items()}
        return self.kinds.get(gvk)


_catalog = _Catalog()


def patch_meta(group: str, version: str, kind: str) -> PatchMeta | None:
    """The strategic merge patch metadata of a built-in kind; None for any other kind
    (custom resources take no strategic merge patch)."""
    return _catalog.get((group, version, kind))
