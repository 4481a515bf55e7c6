"""The generic REST store: what create, get, list, update, delete and watch mean for any
resource, on top of the revisioned key-value storage.

It owns the object metadata the server manages (uid, creationTimestamp, generation,
resourceVersion, deletionTimestamp), the status-subresource split, optimistic
concurrency, no-op update detection and finalizers, and calls the per-kind strategy
functions (defaults, validation) in the order kube-apiserver does: prepare, default,
validate, store. It knows nothing about HTTP.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

from corral.machinery import errors, timeutil
from corral.machinery.errors import Cause, StatusError
from corral.machinery.fields import FieldSelector
from corral.machinery.labels import Selector
from corral.patch.managed import FieldManager
from corral.registry import encoding
from corral.registry.custom import objects as custom_objects
from corral.registry.custom.definitions import is_crd
from corral.registry.custom.lifecycle import begin_deletion
from corral.registry.defaults import default_object
from corral.registry.fields import selectable_fields
from corral.registry.hooks import StoreHooks
from corral.registry.resources import ResourceDef
from corral.registry.validation import validate
from corral.storage.interface import (
    CompactedError,
    ConflictError,
    KeyExistsError,
    KeyNotFoundError,
    KeyValue,
    Storage,
)

# kube-apiserver's alphabet for generateName suffixes (no vowels, no look-alikes)
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_UPDATE_RETRIES = 16
PROTECTED_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})

Patcher = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Filter:
    """Label and field selectors of a list or watch; empty selectors match everything."""

    labels: Selector | None = None
    fields: FieldSelector | None = None

    def __bool__(self) -> bool:
        return bool((self.labels and not self.labels.empty) or (self.fields and self.fields.requirements))

    def matches(self, rd: ResourceDef, obj: dict[str, Any]) -> bool:
        if self.labels is not None and not self.labels.matches(obj["metadata"].get("labels") or {}):
            return False
        return self.fields is None or self.fields.matches(selectable_fields(rd, obj))


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: stored values with their revisions, ready to splice."""

    items: list[KeyValue]
    revision: int
    continue_key: str  # the last key returned when more remain, else ""
    remaining: int | None


@dataclass(frozen=True, slots=True)
class WatchEvent:
    type: str  # ADDED, MODIFIED, DELETED
    value: bytes  # stored value
    revision: int  # resourceVersion the object carries in the event


def _suffix() -> str:
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(5))


def _name_of(obj: dict[str, Any]) -> str:
    return str(obj.get("metadata", {}).get("name") or "")


class ObjectStore:
    def __init__(self, storage: Storage, hooks: dict[tuple[str, str], StoreHooks] | None = None) -> None:
        self.storage = storage
        self.hooks = hooks or {}
        self._no_hooks = StoreHooks()

    def _hooks(self, rd: ResourceDef) -> StoreHooks:
        return self.hooks.get((rd.group, rd.resource), self._no_hooks)

    # ----- reads -------------------------------------------------------------

    async def get(self, rd: ResourceDef, namespace: str, name: str) -> dict[str, Any]:
        kv = await self.storage.get(rd.key(namespace, name))
        if kv is None:
            raise errors.not_found(rd.resource, rd.group, name)
        return _decode(rd, kv.value, kv.mod_revision)

    async def list(
        self,
        rd: ResourceDef,
        namespace: str,
        flt: Filter,
        *,
        limit: int = 0,
        start_after: str = "",
        revision: int = 0,
    ) -> Page:
        """Objects under ``namespace`` ("" = all) matching ``flt``, at ``revision``
        (0 = newest), after key ``start_after``, at most ``limit`` (0 = all)."""
        prefix = rd.key_prefix(namespace)
        try:
            if not flt:
                res = await self.storage.list(prefix, revision, start_after, limit)
                cont = res.items[-1].key if res.more and res.items else ""
                return Page(_served(rd, res.items), res.revision, cont, res.remaining if res.more else None)
            return await self._list_filtered(rd, prefix, flt, limit, start_after, revision)
        except CompactedError as exc:
            raise errors.gone(
                "The provided continue parameter is too old to display a consistent list result. "
                "You can start a new list without the continue parameter."
                if start_after else str(exc)) from exc

    async def _list_filtered(
        self, rd: ResourceDef, prefix: str, flt: Filter, limit: int, start_after: str, revision: int
    ) -> Page:
        # Read in chunks at one revision until the page is full: a selective filter
        # must not turn into one page of nothing.
        items: list[KeyValue] = []
        chunk = max(limit, 500) if limit else 0
        cursor = start_after
        while True:
            res = await self.storage.list(prefix, revision, cursor, chunk)
            revision = res.revision
            for i, kv in enumerate(res.items):
                if flt.matches(rd, _decode(rd, kv.value, kv.mod_revision)):
                    items.append(kv)
                    if limit and len(items) == limit:
                        more = res.more or i < len(res.items) - 1
                        return Page(_served(rd, items), revision, kv.key if more else "", None)
            if not res.more or not res.items:
                return Page(_served(rd, items), revision, "", None)
            cursor = res.items[-1].key

    async def watch(
        self, rd: ResourceDef, namespace: str, name: str, flt: Filter, from_revision: int
    ) -> AsyncIterator[WatchEvent]:
        """Changes after ``from_revision``, as the watch cache delivers them, filtered
        the way kube's cacher filters: an object leaving the selection is DELETED, one
        entering it is ADDED."""
        prefix = rd.key(namespace, name) if name else rd.key_prefix(namespace)
        try:
            async for ev in self.storage.watch(prefix, from_revision):
                if name and ev.kv.key != prefix:
                    continue
                if not flt:
                    yield WatchEvent(ev.type, _wire(rd, ev.kv.value), ev.revision)
                    continue
                now = flt.matches(rd, _decode(rd, ev.kv.value, ev.kv.mod_revision))
                before = ev.prev is not None and flt.matches(
                    rd, _decode(rd, ev.prev.value, ev.prev.mod_revision))
                if ev.type == "MODIFIED" and now != before:
                    yield WatchEvent("ADDED" if now else "DELETED",
                                     _wire(rd, ev.kv.value if now else ev.prev.value),  # type: ignore[union-attr]
                                     ev.revision)
                elif now:
                    yield WatchEvent(ev.type, _wire(rd, ev.kv.value), ev.revision)
        except CompactedError as exc:
            raise errors.gone(f"too old resource version: {exc.requested} ({exc.compacted + 1})") from exc

    # ----- writes ------------------------------------------------------------

    async def create(
        self, rd: ResourceDef, namespace: str, obj: dict[str, Any], *, dry_run: bool = False,
        manager: str | None = "",
    ) -> dict[str, Any]:
        """Create an object, recording its fields in managedFields as ``manager``'s (None:
        ``obj`` carries the managedFields of an apply already)."""
        if rd.custom is not None and rd.custom.terminating:
            raise errors.method_not_allowed("create not allowed while custom resource definition is terminating")
        meta = obj.setdefault("metadata", {})
        if rd.namespaced:
            await self._check_namespace_open(namespace)
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        if not meta.get("name"):
            if not meta.get("generateName"):
                raise errors.invalid(rd.kind, rd.group, "", [
                    Cause("FieldValueRequired", "Required value: name or generateName is required",
                          "metadata.name")])
            meta["name"] = meta["generateName"] + _suffix()
        requested = meta.get("managedFields")
        for managed in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"):
            meta.pop(managed, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = timeutil.format_time(timeutil.now())
        if rd.generation:
            meta["generation"] = 1
        else:
            meta.pop("generation", None)
        if rd.has_status and rd.kind != "Node":
            obj.pop("status", None)
        default_object(rd, obj)
        _track(rd, None, obj, requested, manager, "")
        self._validate(rd, obj, None)
        if dry_run:
            return obj
        hooks = self._hooks(rd)
        await hooks.before_create(obj)
        try:
            rev = await self.storage.create(rd.key(namespace, meta["name"]), _encode(rd, obj))
        except KeyExistsError as exc:
            await hooks.create_failed(obj)
            raise errors.already_exists(rd.resource, rd.group, meta["name"]) from exc
        except BaseException:
            await hooks.create_failed(obj)
            raise
        meta["resourceVersion"] = str(rev)
        return obj

    async def update(
        self,
        rd: ResourceDef,
        namespace: str,
        name: str,
        new: dict[str, Any],
        *,
        subresource: str = "",
        dry_run: bool = False,
        manager: str = "",
    ) -> dict[str, Any]:
        """Replace an object (PUT). A resourceVersion in ``new`` is a precondition."""
        if _name_of(new) and _name_of(new) != name:
            raise errors.bad_request(
                f"the name of the object ({_name_of(new)}) does not match the name on the URL ({name})")
        return await self._update(rd, namespace, name, lambda _cur: new, subresource, dry_run, manager)

    async def patch(
        self,
        rd: ResourceDef,
        namespace: str,
        name: str,
        patcher: Patcher,
        *,
        subresource: str = "",
        dry_run: bool = False,
        manager: str = "",
    ) -> dict[str, Any]:
        """Apply ``patcher`` to the current object and store the result; retried on
        conflicts unless the patch itself carries a resourceVersion."""
        return await self._update(rd, namespace, name, patcher, subresource, dry_run, manager)

    async def apply(
        self,
        rd: ResourceDef,
        namespace: str,
        name: str,
        config: dict[str, Any],
        *,
        manager: str,
        force: bool = False,
        subresource: str = "",
        dry_run: bool = False,
    ) -> tuple[dict[str, Any], bool]:
        """Server-side apply ``config`` as ``manager``: merge it into the object, or create
        the object from it when there is none (not through a subresource). Returns the
        object and whether it was created."""
        fields = FieldManager(rd.group, rd.version, rd.kind, subresource=subresource, has_status=rd.has_status)
        for _ in range(_UPDATE_RETRIES):
            if not subresource and await self.storage.get(rd.key(namespace, name)) is None:
                obj = fields.apply(None, config, manager, force=force)
                try:
                    return await self.create(rd, namespace, obj, dry_run=dry_run, manager=None), True
                except StatusError as exc:
                    if exc.reason != "AlreadyExists":
                        raise
                    continue
            try:
                return await self._update(rd, namespace, name,
                                          lambda current: fields.apply(current, config, manager, force=force),
                                          subresource, dry_run, None), False
            except StatusError as exc:
                if exc.code != 404 or subresource:
                    raise
        raise errors.conflict(rd.resource, rd.group, name, "too many concurrent updates, try again")

    async def _update(
        self,
        rd: ResourceDef,
        namespace: str,
        name: str,
        make: Patcher,
        subresource: str,
        dry_run: bool,
        manager: str | None,
    ) -> dict[str, Any]:
        key = rd.key(namespace, name)
        for _ in range(_UPDATE_RETRIES):
            kv = await self.storage.get(key)
            if kv is None:
                raise errors.not_found(rd.resource, rd.group, name)
            old = _decode(rd, kv.value, kv.mod_revision)
            current = _decode(rd, kv.value, kv.mod_revision)  # with its resourceVersion, as patches see it
            new = make(current)
            # a resourceVersion in a PUT body, or one a patch sets or keeps, is a precondition: a
            # kept one holds until another write comes first, then the patch is applied again
            wanted_rv = str(new.get("metadata", {}).get("resourceVersion") or "")
            if wanted_rv and wanted_rv != old["metadata"]["resourceVersion"]:
                raise errors.conflict(rd.resource, rd.group, name,
                                      "the object has been modified; please apply your changes to the "
                                      "latest version and try again")
            requested = (new.get("metadata") or {}).get("managedFields")
            obj = self._prepare_update(rd, old, new, subresource)
            _track(rd, old, obj, requested, manager, subresource)
            if obj["metadata"].get("deletionTimestamp") and not _held(rd, obj):
                if dry_run:
                    return obj
                try:
                    rev, _ = await self.storage.delete(key, kv.mod_revision)
                except (ConflictError, KeyNotFoundError):
                    continue
                await self._hooks(rd).after_delete(obj)
                obj["metadata"]["resourceVersion"] = str(rev)
                return obj
            value = _encode(rd, obj)
            if value == kv.value:
                return old
            if dry_run:  # what the update would store, at the revision it would replace
                obj["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"]
                return obj
            try:
                rev = await self.storage.update(key, value, kv.mod_revision)
            except ConflictError:
                continue  # the next attempt finds a stale precondition, or patches the newer object
            except KeyNotFoundError:
                raise errors.not_found(rd.resource, rd.group, name) from None
            obj["metadata"]["resourceVersion"] = str(rev)
            return obj
        raise errors.conflict(rd.resource, rd.group, name, "too many concurrent updates, try again")

    def _prepare_update(
        self, rd: ResourceDef, old: dict[str, Any], new: dict[str, Any], subresource: str
    ) -> dict[str, Any]:
        if subresource == "status":
            obj = dict(old)
            obj["status"] = new.get("status")
            if obj["status"] is None:
                obj.pop("status")
            meta = dict(old["metadata"])
        elif subresource == "binding":  # pods: the node assignment and its condition
            obj = dict(old)
            obj["spec"] = {**old.get("spec", {}), "nodeName": (new.get("spec") or {}).get("nodeName")}
            obj["status"] = new.get("status") or old.get("status") or {}
            meta = dict(old["metadata"])
        elif subresource == "finalize":  # namespaces: only spec.finalizers changes
            obj = dict(old)
            obj["spec"] = {**old.get("spec", {}), "finalizers": (new.get("spec") or {}).get("finalizers") or []}
            meta = dict(old["metadata"])
        else:
            obj = dict(new)
            if rd.has_status:
                if "status" in old:
                    obj["status"] = old["status"]
                else:
                    obj.pop("status", None)
            meta = dict(new.get("metadata") or {})
            for fixed in ("name", "uid", "creationTimestamp", "deletionTimestamp",
                          "deletionGracePeriodSeconds", "generation"):
                if fixed in old["metadata"]:
                    meta[fixed] = old["metadata"][fixed]
                else:
                    meta.pop(fixed, None)
            if rd.namespaced:
                meta["namespace"] = old["metadata"]["namespace"]
            self._hooks(rd).before_update(old, obj)
        meta.pop("resourceVersion", None)
        obj["metadata"] = meta
        obj["apiVersion"] = rd.group_version
        obj["kind"] = rd.kind
        default_object(rd, obj)
        if rd.generation and subresource != "status" and _spec_of(rd, obj) != _spec_of(rd, old):
            meta["generation"] = int(old["metadata"].get("generation") or 0) + 1
        if subresource != "binding":  # a binding only sets what pod updates may not change
            self._validate(rd, obj, old)
        return obj

    async def delete(
        self,
        rd: ResourceDef,
        namespace: str,
        name: str,
        *,
        uid: str = "",
        resource_version: str = "",
        dry_run: bool = False,
    ) -> tuple[dict[str, Any], bool]:
        """Delete an object, or start its deletion when finalizers hold it. Returns the
        object and whether it is gone."""
        if rd.kind == "Namespace" and not rd.group and name in PROTECTED_NAMESPACES:
            raise errors.forbidden(f'namespaces "{name}" is forbidden: this namespace may not be deleted')
        key = rd.key(namespace, name)
        for _ in range(_UPDATE_RETRIES):
            kv = await self.storage.get(key)
            if kv is None:
                raise errors.not_found(rd.resource, rd.group, name)
            obj = _decode(rd, kv.value, kv.mod_revision)
            meta = obj["metadata"]
            if uid and uid != meta.get("uid"):
                raise errors.conflict(rd.resource, rd.group, name,
                                      f"Precondition failed: UID in precondition: {uid}, "
                                      f"UID in object meta: {meta.get('uid')}")
            if resource_version and resource_version != meta["resourceVersion"]:
                raise errors.conflict(rd.resource, rd.group, name,
                                      "the ResourceVersion in the precondition does not match "
                                      "the ResourceVersion in record. The object might have been "
                                      "modified")
            if is_crd(rd) and not meta.get("deletionTimestamp"):
                begin_deletion(obj)  # its custom objects go first
            if _held(rd, obj):
                if meta.get("deletionTimestamp"):
                    return obj, False
                meta["deletionTimestamp"] = timeutil.format_time(timeutil.now())
                meta["deletionGracePeriodSeconds"] = 0
                if rd.kind == "Namespace":
                    obj.setdefault("status", {})["phase"] = "Terminating"
                if dry_run:
                    return obj, False
                try:
                    rev = await self.storage.update(key, _encode(rd, obj), kv.mod_revision)
                except (ConflictError, KeyNotFoundError):
                    continue
                meta["resourceVersion"] = str(rev)
                return obj, False
            if dry_run:
                return obj, True
            try:
                rev, _ = await self.storage.delete(key, kv.mod_revision)
            except (ConflictError, KeyNotFoundError):
                continue
            await self._hooks(rd).after_delete(obj)
            meta["resourceVersion"] = str(rev)
            return obj, True
        raise errors.conflict(rd.resource, rd.group, name, "too many concurrent updates, try again")

    # ----- helpers -----------------------------------------------------------

    async def _check_namespace_open(self, namespace: str) -> None:
        kv = await self.storage.get(f"/registry/core/namespaces/{namespace}")
        if kv is None:
            raise errors.not_found("namespaces", "", namespace)
        ns = encoding.decode(kv.value, kv.mod_revision)
        if ns["metadata"].get("deletionTimestamp"):
            raise StatusError(403, "Forbidden",
                              f"unable to create new content in namespace {namespace} "
                              "because it is being terminated")

    @staticmethod
    def _validate(rd: ResourceDef, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
        causes = validate(rd, obj, old)
        if causes:
            raise errors.invalid(rd.kind, rd.group, _name_of(obj), causes)


def _decode(rd: ResourceDef, value: bytes, revision: int) -> dict[str, Any]:
    """A stored value as a client of ``rd``'s version reads it (custom objects are stored
    at their CRD's storage version, and get its defaults as they are read)."""
    obj = encoding.decode(value, revision)
    if rd.custom is not None:
        custom_objects.served(rd, obj)
    return obj


def _encode(rd: ResourceDef, obj: dict[str, Any]) -> bytes:
    return encoding.encode(custom_objects.stored(rd, obj) if rd.custom is not None else obj)


def _wire(rd: ResourceDef, value: bytes) -> bytes:
    """Stored bytes in the form clients of ``rd`` read (the same bytes for built-ins)."""
    return value if rd.custom is None else encoding.encode(_decode(rd, value, 0))


def _served(rd: ResourceDef, items: list[KeyValue]) -> list[KeyValue]:
    if rd.custom is None:
        return items
    return [replace(kv, value=_wire(rd, kv.value)) for kv in items]


def _track(rd: ResourceDef, old: dict[str, Any] | None, obj: dict[str, Any], requested: Any, manager: str | None,
           subresource: str) -> None:
    """Record in ``obj``'s managedFields what ``manager`` changed from ``old``; with no
    manager, keep the managedFields an apply computed (``requested``)."""
    if manager is not None:
        fields = FieldManager(rd.group, rd.version, rd.kind, subresource=subresource, has_status=rd.has_status)
        fields.update(old, obj, requested, manager)
    elif requested:
        obj["metadata"]["managedFields"] = requested
    else:
        obj["metadata"].pop("managedFields", None)


def _held(rd: ResourceDef, obj: dict[str, Any]) -> bool:
    """Whether finalizers keep ``obj`` from going away (a namespace also has its own,
    in spec.finalizers)."""
    if obj["metadata"].get("finalizers"):
        return True
    return rd.kind == "Namespace" and not rd.group and bool((obj.get("spec") or {}).get("finalizers"))


def _spec_of(rd: ResourceDef, obj: dict[str, Any]) -> dict[str, Any]:
    """Everything but metadata, and status when it has a subresource of its own: what
    generation tracks."""
    return {k: v for k, v in obj.items()
            if k not in ("metadata", "apiVersion", "kind") and (k != "status" or not rd.has_status)}
