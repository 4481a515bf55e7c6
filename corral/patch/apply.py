"""Server-side apply and field ownership, as structured-merge-diff's updater computes them:
which manager owns which fields after an update or an apply, the object an applied
configuration yields, and the conflicts that stop an apply.

- An *update* (create, replace, any other patch) gives its manager the fields it added
  or changed; the fields it changed are taken from whoever owned them, the fields it
  removed from everybody.
- An *apply* merges a configuration into the live object; its manager then owns exactly
  the fields of the configuration. Fields it applied last time and no longer applies
  are removed from the object, unless another manager owns them. Changing a field
  another manager owns is a conflict, unless the apply is forced: then the field
  changes hands.

Managers are opaque identifiers here (kube's JSON ones, see :mod:`corral.patch.managed`);
every manager's fields are at the one API version the server serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corral.patch.fieldset import EMPTY, FieldSet, recursive_difference
from corral.patch.typed import Comparison, compare, ensure_named, field_set, merge, remove_items
from corral.schema.patchmeta import PatchMeta


@dataclass(frozen=True, slots=True)
class Owned:
    """The fields one manager owns, at the API version it used; ``applied`` for appliers."""

    fields: FieldSet
    api_version: str
    applied: bool = False


Managers = dict[str, Owned]


class ApplyConflict(Exception):
    """An apply would change fields other managers own: the paths, by manager."""

    def __init__(self, conflicts: dict[str, FieldSet]) -> None:
        super().__init__(f"{sum(len(p) for p in conflicts.values())} conflicts")
        self.conflicts = conflicts


def update(live: dict[str, Any], new: dict[str, Any], meta: PatchMeta | None, managers: Managers, manager: str,
           api_version: str, *, ignored: FieldSet = EMPTY) -> Managers:
    """The owners after ``manager`` turned ``live`` into ``new`` (an update); fields under
    ``ignored`` (the ones the request cannot change) are nobody's gain."""
    managers, changes = _settle(live, new, meta, managers, manager, force=True, ignored=ignored)
    before = managers.get(manager)
    owned = (before.fields - changes.removed if before is not None else EMPTY) | changes.modified | changes.added
    owned = recursive_difference(owned, ignored)
    if owned:
        managers[manager] = Owned(owned, api_version)
    else:
        managers.pop(manager, None)
    return managers


def apply(live: dict[str, Any], config: dict[str, Any], meta: PatchMeta | None, managers: Managers, manager: str,
          api_version: str, *, force: bool = False, ignored: FieldSet = EMPTY) -> tuple[dict[str, Any], Managers]:
    """``config`` applied to ``live`` by ``manager``: the new object and its owners. Raises
    :class:`ApplyConflict` unless ``force``, and
    :class:`~corral.patch.typed.TypedError` for a configuration that fits no schema."""
    managers = dict(managers)
    applied = recursive_difference(field_set(config, meta, strict=True), ignored)
    merged = merge(live, config, meta)
    last = managers.get(manager)
    managers[manager] = Owned(applied, api_version, applied=True)
    if last is not None and last.fields:
        merged = _prune(merged, meta, managers, last.fields)
    managers, _ = _settle(live, merged, meta, managers, manager, force=force, ignored=ignored)
    return merged, managers


def _settle(live: dict[str, Any], new: dict[str, Any], meta: PatchMeta | None, managers: Managers, workflow: str,
            *, force: bool, ignored: FieldSet) -> tuple[Managers, Comparison]:
    """Take from every manager but ``workflow`` the fields the change removes, and those
    it adds or modifies (conflicts, an error unless ``force``)."""
    changes = compare(live, new, meta)
    if ignored:
        changes = Comparison(recursive_difference(changes.added, ignored),
                             recursive_difference(changes.modified, ignored),
                             recursive_difference(changes.removed, ignored))
    changed = changes.modified | changes.added
    conflicts = {name: owned.fields & changed for name, owned in managers.items()
                 if name != workflow and owned.fields & changed}
    if conflicts and not force:
        raise ApplyConflict(conflicts)
    out: Managers = {}
    for name, owned in managers.items():
        if name != workflow:
            owned = Owned(owned.fields - changed - changes.removed, owned.api_version, owned.applied)
        if owned.fields:
            out[name] = owned
    return out, changes


def _prune(merged: dict[str, Any], meta: PatchMeta | None, managers: Managers, last: FieldSet) -> dict[str, Any]:
    """Remove what the applier applied last time and not now, unless someone owns it:
    the fields, map keys and list items of ``last`` (with the struct fields above them)
    that no manager's fields lead to anymore."""
    last = ensure_named(last, meta)
    pruned = remove_items(merged, last, meta)
    owned = EMPTY.union(*(owned.fields for owned in managers.values()))
    everything = ensure_named(field_set(merged, meta), meta)
    kept = ensure_named(field_set(pruned, meta), meta) | ensure_named(owned, meta)
    pruned = remove_items(merged, everything - kept, meta)
    dangling = (everything - ensure_named(field_set(pruned, meta), meta)) & last
    return remove_items(merged, dangling, meta)
