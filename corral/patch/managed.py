"""``metadata.managedFields``: kube-apiserver's field manager for one request.

Every write records who set what. A manager is identified by its name, its operation
(``Update`` for create, replace and patches; ``Apply`` for server-side apply), for
updates the API version it wrote, and the subresource it wrote through; each has one
entry ``{manager, operation, apiVersion, time, fieldsType: FieldsV1, fieldsV1,
subresource}``. Around the field ownership of :mod:`corral.patch.apply` this adds what
kube's field manager chain does:

- the fields every object has (``apiVersion``, ``kind``, ``metadata.name``, ``uid``...)
  are nobody's; fields a request cannot change (``status`` through the main resource,
  all but ``status`` through ``/status``) are nobody's gain;
- an entry's time moves when its manager changes the object;
- at most ten update entries are kept, the oldest merged into ``ancient-changes``;
- an update may set managedFields itself (``[]`` or ``[{}]`` clear them); when it sends
  none, or ones that do not decode, the live object's are kept;
- ``kubectl`` applying over an object it once applied client-side takes the fields of
  its last-applied annotation without conflicts, and keeps that annotation current.

Errors are the Status kube answers: 409 for conflicts, naming each field and manager; 400
for a configuration of another version or carrying managedFields; 500 for a
configuration its schema does not declare.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from corral.machinery import errors, timeutil
from corral.machinery.errors import Cause
from corral.patch import apply as ownership
from corral.patch.apply import ApplyConflict, Managers, Owned
from corral.patch.fieldset import (
    EMPTY,
    FieldSet,
    FieldsV1Error,
    Path,
    from_fields_v1,
    go_json,
    path,
    path_string,
    to_fields_v1,
)
from corral.patch.typed import TypedError, compare, drop_applied_nulls, field_set
from corral.schema.fields import unknown_fields
from corral.schema.patchmeta import apply_meta, patch_meta

APPLY, UPDATE = "Apply", "Update"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_KUBECTL = "kubectl"  # the only manager whose applies honour the last-applied annotation
_MAX_UPDATERS = 10
_ANCIENT = "ancient-changes"
_CURRENT = "current-operation"  # the request's own changes, before they join its manager's
_STRIPPED = frozenset({path("apiVersion"), path("kind"), path("metadata"), *(
    path("metadata", name) for name in ("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
                                        "generation", "managedFields", "resourceVersion"))})

Times = dict[str, str | None]


def manager_id(name: str, operation: str, api_version: str = "", subresource: str = "") -> str:
    """A manager's identity, as kube writes it: the JSON of its entry without fields and
    time, and for appliers without API version."""
    entry = {"manager": name, "operation": operation, "apiVersion": "" if operation == APPLY else api_version,
             "subresource": subresource}
    return go_json({k: v for k, v in entry.items() if v})


def describe(ident: str) -> str:
    """A manager as conflict messages name it: ``"kubectl-edit" using apps/v1``."""
    entry = orjson.loads(ident)
    text = go_json(entry.get("manager", ""))
    if entry.get("subresource"):
        text += f" with subresource {go_json(entry['subresource'])}"
    if entry.get("operation") == UPDATE:
        text += f" using {entry.get('apiVersion', '')}"
    return text


def decode(entries: Any) -> tuple[Managers, Times]:
    """The managers and times of ``metadata.managedFields``; ValueError if malformed."""
    if not isinstance(entries, list):
        raise ValueError("managedFields must be a list")
    managers: Managers = {}
    times: Times = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ValueError(f"managed fields entry {index} must be an object")
        operation = entry.get("operation")
        if operation not in (APPLY, UPDATE):
            raise ValueError("operation must be `Apply` or `Update`")
        api_version = entry.get("apiVersion")
        if not api_version or not isinstance(api_version, str):
            raise ValueError("apiVersion must not be empty")
        if entry.get("fieldsType") != "FieldsV1":
            raise ValueError(f"invalid fieldsType in managed fields entry {index}")
        ident = manager_id(str(entry.get("manager") or ""), operation, api_version,
                           str(entry.get("subresource") or ""))
        try:
            fields = from_fields_v1(entry.get("fieldsV1") or {})
        except FieldsV1Error as exc:
            raise ValueError(f"error decoding set: {exc}") from None
        managers[ident] = Owned(fields, api_version, operation == APPLY)
        time = entry.get("time")
        times[ident] = time if isinstance(time, str) else None
    return managers, times


def encode(managers: Managers, times: Times) -> list[dict[str, Any]]:
    """``metadata.managedFields`` for these managers, in kube's order: appliers first, then
    by time, manager, API version and subresource."""
    entries = []
    for ident, owned in managers.items():
        info = orjson.loads(ident)
        entry: dict[str, Any] = {}
        if info.get("manager"):
            entry["manager"] = info["manager"]
        entry["operation"] = APPLY if owned.applied else info.get("operation", UPDATE)
        entry["apiVersion"] = owned.api_version
        if times.get(ident):
            entry["time"] = times[ident]
        entry["fieldsType"] = "FieldsV1"
        entry["fieldsV1"] = to_fields_v1(owned.fields)
        if info.get("subresource"):
            entry["subresource"] = info["subresource"]
        entries.append(entry)
    entries.sort(key=lambda e: (e["operation"], _seconds(e.get("time")), e.get("manager", ""), e["apiVersion"],
                                e.get("subresource", "")))
    return entries


def _seconds(time: str | None) -> float:
    if not time:
        return 0
    try:
        return timeutil.parse_time(time).timestamp()
    except ValueError:
        return 0


class FieldManager:
    """The managed fields of one kind's objects, written through one subresource ("" for
    the resource itself)."""

    def __init__(self, group: str, version: str, kind: str, *, subresource: str = "", has_status: bool = False,
                 clock: Callable[[], datetime] = timeutil.now) -> None:
        self.group, self.version, self.kind = group, version, kind
        self.api_version = f"{group}/{version}" if group else version
        self.meta = apply_meta(group, version, kind)
        self.subresource = subresource
        self.clock = clock
        if subresource == "status":
            self.ignored: FieldSet = frozenset(path(name) for name in self.meta.names | {"spec", "metadata"}
                                               if name != "status")
        elif not subresource and has_status:
            self.ignored = frozenset({path("status")})
        else:
            self.ignored = EMPTY

    # ----- updates ---------------------------------------------------------------

    def update(self, live: dict[str, Any] | None, new: dict[str, Any], requested: Any, manager: str) -> None:
        """Set ``new``'s managedFields after ``manager`` wrote it over ``live`` (None for a
        create); ``requested`` is the managedFields the request carried (None if none)."""
        managers, times, source = self._base(live, requested)
        before = dict(managers)
        ident = manager_id(manager or "unknown", UPDATE, self.api_version, self.subresource)
        managers = ownership.update(_bare(live), _bare(new), self.meta, managers, _CURRENT, self.api_version,
                                    ignored=self.ignored)
        own = managers.pop(_CURRENT, None)
        if own is not None and own.fields - _STRIPPED:
            previous = managers.get(ident)
            fields = (own.fields - _STRIPPED) | (previous.fields if previous is not None else EMPTY)
            managers[ident] = Owned(fields, self.api_version)
            times[ident] = self._now()
        _cap(managers, times)
        unchanged = managers == before and source is not None
        _put_entries(new, source if unchanged else encode(managers, times), live)

    def _base(self, live: dict[str, Any] | None, requested: Any) -> tuple[Managers, Times, Any]:
        """The managers an update starts from, as kube picks them: the request's own (not
        through a subresource), none if it clears them, else the live object's; and the
        entries they came from."""
        if not self.subresource and requested is not None:
            if requested == [] or requested == [{}]:
                return {}, {}, None
            try:
                managers, times = decode(requested)
            except ValueError:
                managers = {}
            if managers:
                return managers, times, requested
        entries = ((live or {}).get("metadata") or {}).get("managedFields")
        if entries is None:
            return {}, {}, None
        try:
            managers, times = decode(entries)
        except ValueError:
            return {}, {}, None
        return managers, times, entries

    # ----- apply -----------------------------------------------------------------

    def apply(self, live: dict[str, Any] | None, config: dict[str, Any], manager: str, *,
              force: bool = False) -> dict[str, Any]:
        """The object ``manager``'s applied ``config`` makes of ``live`` (None: it creates
        it), with its managedFields."""
        self._check(config)
        entries = ((live or {}).get("metadata") or {}).get("managedFields") or []
        try:
            managers, times = decode(entries)
        except ValueError as exc:
            raise errors.internal(f"failed to decode managed fields: {exc}") from None
        ident = manager_id(manager, APPLY, subresource=self.subresource)
        base = live if live is not None else {}  # its managedFields ride along unchanged
        config = copy.deepcopy(config)
        try:
            merged, managers = self._apply(base, config, managers, ident, manager, force)
        except TypedError as exc:
            raise self._typed_error(config, str(exc)) from None
        except ApplyConflict as exc:
            raise conflict_error(exc.conflicts) from None
        owned = managers.pop(ident, None)
        if owned is not None and owned.fields - _STRIPPED:
            managers[ident] = Owned(owned.fields - _STRIPPED, self.api_version, applied=True)
        drop_applied_nulls(merged, config, self.meta)
        if merged != base:
            times[ident] = self._now()
            result = merged
        else:
            result = copy.deepcopy(base)
        if manager == _KUBECTL and _last_applied(live):
            result.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = _last_applied_of(config)
        _put_entries(result, encode(managers, times), live)
        return result

    def _apply(self, base: dict[str, Any], config: dict[str, Any], managers: Managers, ident: str, manager: str,
               force: bool) -> tuple[dict[str, Any], Managers]:
        try:
            return ownership.apply(base, config, self.meta, managers, ident, self.api_version, force=force,
                                   ignored=self.ignored)
        except ApplyConflict as exc:
            if manager != _KUBECTL:
                raise
            # kubectl moving from client-side apply: the fields of its last applied
            # configuration that the object still holds are its own already
            allowed = self._last_applied_fields(base)
            if allowed is None:
                raise
            rest = {m: paths - allowed for m, paths in exc.conflicts.items() if paths - allowed}
            if rest:
                raise ApplyConflict(rest) from None
            return ownership.apply(base, config, self.meta, managers, ident, self.api_version, force=True,
                                   ignored=self.ignored)

    def _last_applied_fields(self, live: dict[str, Any]) -> FieldSet | None:
        text = _last_applied(live)
        try:
            last = orjson.loads(text) if text else None
            if not isinstance(last, dict) or last.get("apiVersion") != self.api_version:
                return None
            fields = field_set(last, self.meta, strict=True)
        except (orjson.JSONDecodeError, TypedError):
            return None
        changes = compare(last, live, self.meta)
        return fields - changes.modified - changes.added - changes.removed

    def _check(self, config: dict[str, Any]) -> None:
        """Reject what kube rejects before merging: another version, managedFields, fields
        a built-in kind does not declare."""
        version = str(config.get("apiVersion") or "")
        if version != self.api_version:
            raise errors.bad_request(f"Incorrect version specified in apply patch. Specified patch version: "
                                     f"{version}, expected: {self.api_version}")
        if (config.get("metadata") or {}).get("managedFields") is not None:
            raise errors.bad_request("metadata.managedFields must be nil")
        if patch_meta(self.group, self.version, self.kind) is not None:
            unknown = unknown_fields(config, self.group, self.version, self.kind)
            if unknown:
                raise self._typed_error(config, "\n".join(f".{p}: field not declared in schema" for p in unknown))

    def _typed_error(self, config: dict[str, Any], message: str) -> errors.StatusError:
        meta = config.get("metadata") or {}
        group, _, version = str(config.get("apiVersion") or "").rpartition("/")
        return errors.StatusError(500, "", f"failed to create typed patch object ({meta.get('namespace') or ''}/"
                                  f"{meta.get('name') or ''}; {group}/{version}, Kind={config.get('kind') or ''}): "
                                  f"{message}")

    def _now(self) -> str:
        return timeutil.format_time(self.clock())


def conflict_error(conflicts: dict[str, FieldSet]) -> errors.StatusError:
    """The 409 kube answers an apply that conflicts, one cause per field."""
    found = [(ident, p) for ident in sorted(conflicts) for p in sorted(conflicts[ident], key=_iteration_order)]
    causes = [Cause("FieldManagerConflict", f"conflict with {describe(ident)}", path_string(p)) for ident, p in found]
    if len(found) == 1:
        ident, p = found[0]
        message = f"Apply failed with 1 conflict: conflict with {describe(ident)}: {path_string(p)}"
    else:
        lines = []
        for ident in sorted(conflicts):
            lines.append(f"conflicts with {describe(ident)}:")
            lines.extend(f"- {path_string(p)}" for i, p in found if i == ident)
        message = f"Apply failed with {len(found)} conflicts: " + "\n".join(lines)
    return errors.StatusError(409, "Conflict", message, causes=causes)


def _iteration_order(p: Path) -> tuple[tuple[int, Any], ...]:
    """The order kube lists a set's paths in: at each level its members, then the paths
    below, each by element."""
    return tuple((0 if depth == len(p) - 1 else 1, element) for depth, element in enumerate(p))


def _cap(managers: Managers, times: Times) -> None:
    """Merge the oldest update entries into ``ancient-changes`` (one per API version)
    until ten are left."""
    updaters = [ident for ident, owned in managers.items() if not owned.applied]
    if len(updaters) <= _MAX_UPDATERS:
        return
    updaters.sort(key=lambda ident: (_seconds(times.get(ident)), ident))
    first_of: dict[str, str] = {}
    left = len(updaters)
    for ident in updaters:
        if left <= _MAX_UPDATERS:
            break
        owned = managers[ident]
        if owned.api_version not in first_of:
            first_of[owned.api_version] = ident
            continue
        bucket = manager_id(_ANCIENT, UPDATE, owned.api_version)
        if bucket not in managers:
            managers[bucket] = managers.pop(first_of[owned.api_version])
        managers[bucket] = Owned(owned.fields | managers[bucket].fields, owned.api_version)
        del managers[ident]
        times[bucket] = times.get(ident)
        left -= 1


def _put_entries(obj: dict[str, Any], entries: list[dict[str, Any]], live: dict[str, Any] | None) -> None:
    """Set ``obj``'s managedFields (none if empty) where the live object has them among
    its metadata, so that an unchanged object stores the same bytes."""
    meta = obj.setdefault("metadata", {})
    if not entries:
        meta.pop("managedFields", None)
        return
    order = list((live or {}).get("metadata") or {})
    if "managedFields" in meta or "managedFields" not in order:
        meta["managedFields"] = entries
        return
    before = [key for key in order[:order.index("managedFields")] if key in meta]
    items = list(meta.items())
    at = [key for key, _ in items].index(before[-1]) + 1 if before else 0
    meta.clear()
    meta.update(items[:at])
    meta["managedFields"] = entries
    meta.update(items[at:])


def _bare(obj: dict[str, Any] | None) -> dict[str, Any]:
    """``obj`` without its managedFields (a shallow copy), or an empty object."""
    if obj is None:
        return {}
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or "managedFields" not in meta:
        return obj
    return {**obj, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}


def _last_applied(obj: dict[str, Any] | None) -> str:
    annotations = ((obj or {}).get("metadata") or {}).get("annotations") or {}
    text = annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None
    return text if isinstance(text, str) else ""


def _last_applied_of(config: dict[str, Any]) -> str:
    """The last-applied annotation for ``config``, as kube encodes it: sorted keys, a
    final newline, without the annotation itself."""
    config = copy.deepcopy(config)
    annotations = (config.get("metadata") or {}).get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
    return go_json(config, sort_keys=True) + "\n"
