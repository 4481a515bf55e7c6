"""The life of a CRD as its controllers and registry drive it in kube: names accepted or
refused (the naming controller), Established (the establishing controller), and deletion,
which first marks the CRD Terminating behind the ``customresourcecleanup`` finalizer so
its objects can be deleted before it goes (the CRD registry's Delete and the finalizer
controller)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from corral.machinery import timeutil
from corral.registry.custom.definitions import CLEANUP_FINALIZER, condition, spec, status

_NAME_FIELDS = ("plural", "singular", "shortNames", "kind", "listKind", "categories")


def set_condition(crd: dict[str, Any], kind: str, state: str, reason: str, message: str) -> None:
    """SetCRDCondition: replace the condition of that type, keeping its transition time
    when the status stays the same; new conditions go last."""
    conditions: list[dict[str, Any]] = crd.setdefault("status", {}).setdefault("conditions", [])
    now = timeutil.format_time(timeutil.now())
    new = {"type": kind, "status": state, "lastTransitionTime": now, "reason": reason, "message": message}
    for i, old in enumerate(conditions):
        if old.get("type") == kind:
            if old.get("status") == state:
                new["lastTransitionTime"] = old.get("lastTransitionTime", now)
            conditions[i] = new
            return
    conditions.append(new)


def begin_deletion(crd: dict[str, Any]) -> None:
    """What deleting a CRD does first: hold it with the cleanup finalizer and mark it
    Terminating, so its custom objects are deleted before it is."""
    finalizers = crd["metadata"].setdefault("finalizers", [])
    if CLEANUP_FINALIZER not in finalizers:
        finalizers.append(CLEANUP_FINALIZER)
    set_condition(crd, "Terminating", "True", "InstanceDeletionPending",
                  "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon")


def record_storage_version(crd: dict[str, Any]) -> None:
    """Add the storage version to ``status.storedVersions`` (kube's CRD strategy does on
    every create and update), so storage migrations know what may still be stored."""
    storage = next((v.get("name") for v in spec(crd).get("versions") or [] if v.get("storage") is True), None)
    stored = crd.setdefault("status", {}).setdefault("storedVersions", [])
    if storage is not None and storage not in stored:
        stored.append(storage)


def names_of(crd: Mapping[str, Any]) -> dict[str, Any]:
    names = spec(crd).get("names") or {}
    return {k: names[k] for k in _NAME_FIELDS if k in names}


def _accepted(crd: Mapping[str, Any]) -> dict[str, Any]:
    names = status(crd).get("acceptedNames") or {}
    return dict(names) if isinstance(names, Mapping) else {}


def _fresh(requested: str, accepted: str, used: set[str]) -> str:
    """equalToAcceptedOrFresh: "" when the name may be taken, else why not."""
    if requested == accepted or requested not in used:
        return ""
    return f'"{requested}" is already in use'


def accept_names(crd: Mapping[str, Any], group_crds: Iterable[Mapping[str, Any]]
                 ) -> tuple[dict[str, Any], tuple[str, str, str]]:
    """The names the CRD may have given the accepted names of every CRD of its group
    (itself included), and its NamesAccepted condition (status, reason, message)."""
    resources: set[str] = set()
    kinds: set[str] = set()
    for other in group_crds:
        names = _accepted(other)
        resources.update([str(names.get("plural", "")), str(names.get("singular", "")),
                          *map(str, names.get("shortNames") or [])])
        kinds.update([str(names.get("kind", "")), str(names.get("listKind", ""))])
    requested, accepted = names_of(crd), _accepted(crd)
    new = dict(accepted)
    refused: tuple[str, str, str] | None = None
    for field, used, reason in (("plural", resources, "PluralConflict"), ("singular", resources, "SingularConflict")):
        problem = _fresh(str(requested.get(field, "")), str(accepted.get(field, "")), used)
        if problem:
            refused = ("False", reason, problem)
        else:
            new[field] = requested.get(field, "")
    short = list(requested.get("shortNames") or [])
    if short != list(accepted.get("shortNames") or []):
        existing = set(accepted.get("shortNames") or [])
        problems = [p for p in (_fresh(s, "", resources) for s in short if s not in existing) if p]
        if problems:
            refused = ("False", "ShortNamesConflict", problems[0] if len(problems) == 1
                       else "[" + ", ".join(problems) + "]")
        elif short:
            new["shortNames"] = short
        else:
            new.pop("shortNames", None)
    for field, reason in (("kind", "KindConflict"), ("listKind", "ListKindConflict")):
        problem = _fresh(str(requested.get(field, "")), str(accepted.get(field, "")), kinds)
        if problem:
            refused = ("False", reason, problem)
        else:
            new[field] = requested.get(field, "")
    if requested.get("categories"):
        new["categories"] = list(requested["categories"])
    else:
        new.pop("categories", None)
    return new, refused or ("True", "NoConflicts", "no conflicts found")


def settle(crd: Mapping[str, Any], group_crds: Iterable[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The status the naming and establishing controllers would give the CRD, or None when
    its current status already stands."""
    if names_of(crd) == _accepted(crd) and condition(crd, "Established") is not None:
        return None
    names, (state, reason, message) = accept_names(crd, group_crds)
    out: dict[str, Any] = {"status": {**status(crd), "acceptedNames": names,
                                      "conditions": [dict(c) for c in status(crd).get("conditions") or []]}}
    set_condition(out, "NamesAccepted", state, reason, message)
    established = condition(crd, "Established")
    if state == "True":
        set_condition(out, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted")
    elif established is None:
        set_condition(out, "Established", "False", "NotAccepted", "not all names are accepted")
    new_status: dict[str, Any] = out["status"]
    return None if new_status == status(crd) else new_status
