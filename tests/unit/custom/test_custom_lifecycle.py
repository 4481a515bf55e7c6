"""The naming and establishing rules of CRDs, the start of their deletion, and the
recording of storage versions."""

from __future__ import annotations

from typing import Any

from corral.registry.custom.definitions import CLEANUP_FINALIZER, condition
from corral.registry.custom.lifecycle import begin_deletion, record_storage_version, set_condition, settle
from tests.unit.custom.crds import crontab_crd, established


def new(crd: dict[str, Any]) -> dict[str, Any]:
    """A CRD as the store first keeps it: no names accepted yet."""
    crd["spec"]["names"].setdefault("singular", crd["spec"]["names"]["kind"].lower())
    crd["spec"]["names"].setdefault("listKind", crd["spec"]["names"]["kind"] + "List")
    crd["status"] = {"acceptedNames": {"kind": "", "plural": ""}, "storedVersions": ["v1"]}
    return crd


def conditions(status: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["reason"]) for c in status["conditions"]}


def test_a_crd_without_rivals_gets_its_names_and_is_established() -> None:
    crd = new(crontab_crd())
    status = settle(crd, [crd])
    assert status is not None
    assert status["acceptedNames"] == crd["spec"]["names"]
    assert conditions(status) == {"NamesAccepted": ("True", "NoConflicts"),
                                  "Established": ("True", "InitialNamesAccepted")}
    assert status["storedVersions"] == ["v1"]
    assert settle({**crd, "status": status}, [crd]) is None  # nothing left to do


def test_a_kind_another_crd_of_the_group_holds_is_refused() -> None:
    first = established(crontab_crd())
    rival = new(crontab_crd(plural="crontables", short_names=()))
    status = settle(rival, [first, rival])
    assert status is not None
    assert conditions(status) == {"NamesAccepted": ("False", "ListKindConflict"),
                                  "Established": ("False", "NotAccepted")}
    nc = next(c for c in status["conditions"] if c["type"] == "NamesAccepted")
    assert nc["message"] == '"CronTabList" is already in use'
    assert status["acceptedNames"]["plural"] == "crontables" and status["acceptedNames"]["kind"] == ""


def test_a_short_name_another_crd_holds_is_refused() -> None:
    first = established(crontab_crd())
    rival = new(crontab_crd(plural="cronjobs", kind="CronJob", short_names=("ct", "crontabs")))
    status = settle(rival, [first, rival])
    assert status is not None
    nc = next(c for c in status["conditions"] if c["type"] == "NamesAccepted")
    assert (nc["status"], nc["reason"]) == ("False", "ShortNamesConflict")
    assert nc["message"] == '["ct" is already in use, "crontabs" is already in use]'
    assert "shortNames" not in status["acceptedNames"]


def test_conditions_keep_their_transition_time_while_their_status_holds() -> None:
    crd: dict[str, Any] = {"status": {"conditions": []}}
    set_condition(crd, "Established", "True", "A", "first")
    crd["status"]["conditions"][0]["lastTransitionTime"] = "2020-01-01T00:00:00Z"
    set_condition(crd, "Established", "True", "B", "second")
    assert condition(crd, "Established") == {"type": "Established", "status": "True",
                                             "lastTransitionTime": "2020-01-01T00:00:00Z", "reason": "B",
                                             "message": "second"}
    set_condition(crd, "Established", "False", "C", "third")
    assert condition(crd, "Established")["lastTransitionTime"] != "2020-01-01T00:00:00Z"  # type: ignore[index]


def test_deleting_holds_the_crd_with_the_cleanup_finalizer() -> None:
    crd = established(crontab_crd())
    begin_deletion(crd)
    assert crd["metadata"]["finalizers"] == [CLEANUP_FINALIZER]
    terminating = condition(crd, "Terminating")
    assert terminating is not None and (terminating["status"], terminating["reason"]) == \
        ("True", "InstanceDeletionPending")
    begin_deletion(crd)
    assert crd["metadata"]["finalizers"] == [CLEANUP_FINALIZER]


def test_a_new_storage_version_is_recorded() -> None:
    crd = established(crontab_crd(versions=("v1", "v2"), storage="v1"))
    for version in crd["spec"]["versions"]:
        version["storage"] = version["name"] == "v2"
    record_storage_version(crd)
    assert crd["status"]["storedVersions"] == ["v1", "v2"]
