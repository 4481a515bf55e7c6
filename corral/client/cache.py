"""The local cache an informer keeps: objects by key (``namespace/name``, or ``name``
for cluster-scoped objects, as client-go's MetaNamespaceKeyFunc makes them) plus any
number of indexes, each mapping index values to keys (client-go's Indexer).

Index functions take an object and return the values it is filed under: by namespace,
by the value of a label, by a field such as ``spec.nodeName``. Objects in the cache are
shared with every reader: treat them as read-only.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

Obj = dict[str, Any]
IndexFunc = Callable[[Obj], Iterable[str]]

NAMESPACE_INDEX = "namespace"


def object_key(obj: Mapping[str, Any]) -> str:
    meta = obj.get("metadata") or {}
    ns, name = meta.get("namespace") or "", meta.get("name") or ""
    return f"{ns}/{name}" if ns else str(name)


def split_key(key: str) -> tuple[str, str]:
    """``(namespace, name)`` of a cache key; namespace "" for cluster-scoped objects."""
    ns, _, name = key.rpartition("/")
    return ns, name


def by_namespace(obj: Obj) -> list[str]:
    ns = (obj.get("metadata") or {}).get("namespace")
    return [ns] if ns else []


def by_label(label: str) -> IndexFunc:
    """Index objects by the value of one label (objects without it are not indexed)."""
    def index(obj: Obj) -> list[str]:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return [labels[label]] if label in labels else []
    return index


def by_field(path: str) -> IndexFunc:
    """Index objects by a scalar field, named by a dotted path such as ``spec.nodeName``
    (objects where it is absent or empty are not indexed)."""
    steps = path.split(".")

    def index(obj: Obj) -> list[str]:
        value: Any = obj
        for step in steps:
            if not isinstance(value, dict):
                return []
            value = value.get(step)
        return [str(value)] if value not in (None, "") and not isinstance(value, dict | list) else []
    return index


class Indexer:
    def __init__(self, indexers: Mapping[str, IndexFunc] | None = None) -> None:
        self._items: dict[str, Obj] = {}
        self._funcs: dict[str, IndexFunc] = {}
        self._indices: dict[str, dict[str, set[str]]] = {}
        self.add_indexers(indexers or {})

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        """Add indexes (filled from the objects already cached); a name may not be reused."""
        for name, func in indexers.items():
            if name in self._funcs:
                raise ValueError(f"index {name!r} already exists")
            self._funcs[name] = func
            index: dict[str, set[str]] = {}
            self._indices[name] = index
            for key, obj in self._items.items():
                for value in func(obj):
                    index.setdefault(value, set()).add(key)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        """The keys, as they are now (the cache may change while they are iterated)."""
        return iter(list(self._items))

    def get(self, key: str) -> Obj | None:
        return self._items.get(key)

    def keys(self) -> builtins.list[str]:
        return list(self._items)

    def list(self) -> builtins.list[Obj]:
        return list(self._items.values())

    def index_keys(self, index: str, value: str) -> builtins.list[str]:
        try:
            return sorted(self._indices[index].get(value, ()))
        except KeyError:
            raise KeyError(f"no index named {index!r}") from None

    def by_index(self, index: str, value: str) -> builtins.list[Obj]:
        """The objects filed under ``value`` in ``index``, in key order."""
        return [self._items[k] for k in self.index_keys(index, value)]

    # ----- changes (made by the informer) ------------------------------------------------

    def upsert(self, obj: Obj) -> Obj | None:
        """Store ``obj``; returns the object it replaced."""
        key = object_key(obj)
        old = self._items.get(key)
        if old is not None:
            self._unindex(key, old)
        self._items[key] = obj
        for name, func in self._funcs.items():
            index = self._indices[name]
            for value in func(obj):
                index.setdefault(value, set()).add(key)
        return old

    def remove(self, key: str) -> Obj | None:
        old = self._items.pop(key, None)
        if old is not None:
            self._unindex(key, old)
        return old

    def _unindex(self, key: str, obj: Obj) -> None:
        for name, func in self._funcs.items():
            index = self._indices[name]
            for value in func(obj):
                keys = index.get(value)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del index[value]
