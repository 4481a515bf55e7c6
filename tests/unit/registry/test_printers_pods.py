"""The pod Table row, case for case after printers_test.go (TestPrintPod,
TestPrintPodWithRestartableInitContainer, TestPrintPodwide)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from corral.machinery.timeutil import format_time
from corral.registry.builtins import BUILTINS
from corral.registry.printers import table_columns, table_row

PODS = next(rd for rd in BUILTINS if rd.resource == "pods" and rd.group == "")
NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
WIDE_NONE = ["<none>"] * 4


def ago(seconds: float) -> str:
    return format_time(NOW - timedelta(seconds=seconds))


def pod(name: str, containers: int = 1, *, init: list[dict[str, Any]] | None = None,
        deleted: bool = False, **status: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "default"}
    if deleted:
        meta["deletionTimestamp"] = ago(10)
    return {"metadata": meta,
            "spec": {"containers": [{"name": f"c{i}"} for i in range(containers)],
                     "initContainers": init or []},
            "status": status}


RUNNING: dict[str, Any] = {"running": {}}


def restarted(count: int, seconds_ago: float, **fields: Any) -> dict[str, Any]:
    return {"restartCount": count, "lastState": {"terminated": {"finishedAt": ago(seconds_ago)}}, **fields}


def cells(obj: dict[str, Any]) -> list[Any]:
    return table_row(PODS, obj, NOW)[:5]


@pytest.mark.parametrize(("obj", "expected"), [
    # ready count, restarts summed, phase shown
    (pod("test1", 2, phase="podPhase", containerStatuses=[
        {"ready": True, "restartCount": 3, "state": RUNNING}, {"restartCount": 3}]),
     ["test1", "1/2", "podPhase", "6", "<unknown>"]),
    # a waiting reason overrides the phase
    (pod("test2", 2, phase="podPhase", containerStatuses=[
        {"ready": True, "restartCount": 3, "state": RUNNING},
        {"restartCount": 3, "state": {"waiting": {"reason": "ContainerWaitingReason"}}}]),
     ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"]),
    # the first container's reason wins over later ones
    (pod("test3", 2, phase="podPhase", containerStatuses=[
        {"restartCount": 3, "state": {"waiting": {"reason": "ContainerWaitingReason"}}},
        {"restartCount": 3, "state": {"terminated": {"reason": "ContainerTerminatedReason"}}}]),
     ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"]),
    # ready without running does not count
    (pod("test4", 2, phase="podPhase", containerStatuses=[
        {"ready": True, "restartCount": 3, "state": RUNNING}, {"ready": True, "restartCount": 3}]),
     ["test4", "1/2", "podPhase", "6", "<unknown>"]),
    (pod("test5", 2, phase="podPhase", reason="podReason", containerStatuses=[
        {"ready": True, "restartCount": 3, "state": RUNNING}, {"ready": True, "restartCount": 3}]),
     ["test5", "1/2", "podReason", "6", "<unknown>"]),
    # one container completed, one running: NotReady without the Ready condition
    (pod("test6", 2, phase="Running", containerStatuses=[
        {"ready": True, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
        {"ready": True, "restartCount": 3, "state": RUNNING}]),
     ["test6", "1/2", "NotReady", "6", "<unknown>"]),
    (pod("test6", 2, phase="Running", conditions=[{"type": "Ready", "status": "True"}], containerStatuses=[
        {"ready": True, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}},
        {"ready": True, "restartCount": 3, "state": RUNNING}]),
     ["test6", "1/2", "Running", "6", "<unknown>"]),
    # init containers
    (pod("test7", 1, init=[{"name": "i0"}], phase="podPhase",
         initContainerStatuses=[restarted(3, 10, state=RUNNING)],
         containerStatuses=[{"state": {"waiting": {}}}]),
     ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"]),
    (pod("test8", 1, init=[{"name": "i0"}, {"name": "i1"}], phase="podPhase",
         initContainerStatuses=[restarted(3, 10, state=RUNNING), {"state": {"waiting": {}}}],
         containerStatuses=[{"state": {"waiting": {}}}]),
     ["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"]),
    (pod("test9", 1, init=[{"name": "i0"}, {"name": "i1"}], phase="podPhase",
         initContainerStatuses=[{"state": {"terminated": {}}}, restarted(3, 10, state=RUNNING)],
         containerStatuses=[{"state": {"waiting": {}}}]),
     ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"]),
    (pod("test10", 1, init=[{"name": "i0"}, {"name": "i1"}], phase="podPhase",
         initContainerStatuses=[restarted(2, 120, state={"terminated": {}}), restarted(3, 10, state=RUNNING)],
         containerStatuses=[{"state": {"waiting": {}}}]),
     ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"]),
    # once initialized, restarts of finished init containers no longer count
    (pod("test11", 1, init=[{"name": "i0"}], phase="Running",
         initContainerStatuses=[restarted(2, 120, state={"terminated": {}})],
         containerStatuses=[restarted(4, 20, state=RUNNING)]),
     ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"]),
    (pod("test12", phase="Running", containerStatuses=[restarted(3, 5 * 86400, ready=True, state=RUNNING)]),
     ["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"]),
    (pod("test13", 2, phase="Running", containerStatuses=[
        {"ready": True, "state": RUNNING}, restarted(3, 10 * 86400, ready=True, state=RUNNING)]),
     ["test13", "2/2", "Running", "3 (10d ago)", "<unknown>"]),
    (pod("test14", 2, phase="Running", containerStatuses=[
        restarted(6, 5 * 86400, ready=True, state=RUNNING),
        restarted(3, 20 * 86400, ready=True, state=RUNNING)]),
     ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"]),
    (pod("test15", 2, phase="podPhase",
         conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]),
     ["test15", "0/2", "SchedulingGated", "0", "<unknown>"]),
    (pod("test16", phase="Succeeded", containerStatuses=[
        {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}]),
     ["test16", "0/1", "Completed", "0", "<unknown>"]),
    (pod("test17", phase="Failed", containerStatuses=[
        {"state": {"terminated": {"reason": "Error", "exitCode": 1}}}]),
     ["test17", "0/1", "Error", "0", "<unknown>"]),
    # deletion: terminal pods keep their status, others show Terminating
    (pod("test18", deleted=True, phase="Succeeded", containerStatuses=[
        {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}]),
     ["test18", "0/1", "Completed", "0", "<unknown>"]),
    (pod("test19", deleted=True, phase="Running", containerStatuses=[{"state": RUNNING}]),
     ["test19", "0/1", "Terminating", "0", "<unknown>"]),
    (pod("test20", deleted=True, phase="Pending"), ["test20", "0/1", "Terminating", "0", "<unknown>"]),
    (pod("lost", deleted=True, phase="Running", reason="NodeLost"),
     ["lost", "0/1", "Unknown", "0", "<unknown>"]),
    # kubectl's everyday reasons
    (pod("crash", phase="Running", containerStatuses=[
        restarted(5, 30, state={"waiting": {"reason": "CrashLoopBackOff"}})]),
     ["crash", "0/1", "CrashLoopBackOff", "5 (30s ago)", "<unknown>"]),
    (pod("exit", phase="Running", containerStatuses=[{"state": {"terminated": {"exitCode": 2}}}]),
     ["exit", "0/1", "ExitCode:2", "0", "<unknown>"]),
    (pod("signal", phase="Running",
         containerStatuses=[{"state": {"terminated": {"exitCode": 137, "signal": 9}}}]),
     ["signal", "0/1", "Signal:9", "0", "<unknown>"]),
    (pod("initfail", 1, init=[{"name": "i0"}], phase="Pending",
         initContainerStatuses=[{"state": {"terminated": {"exitCode": 1}}}]),
     ["initfail", "0/1", "Init:ExitCode:1", "0", "<unknown>"]),
    (pod("initsig", 1, init=[{"name": "i0"}], phase="Pending",
         initContainerStatuses=[{"state": {"terminated": {"exitCode": 1, "signal": 15}}}]),
     ["initsig", "0/1", "Init:Signal:15", "0", "<unknown>"]),
    (pod("initerr", 1, init=[{"name": "i0"}], phase="Pending",
         initContainerStatuses=[{"state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]),
     ["initerr", "0/1", "Init:Error", "0", "<unknown>"]),
    (pod("initpull", 1, init=[{"name": "i0"}], phase="Pending",
         initContainerStatuses=[{"state": {"waiting": {"reason": "ImagePullBackOff"}}}]),
     ["initpull", "0/1", "Init:ImagePullBackOff", "0", "<unknown>"]),
    (pod("initializing", 1, init=[{"name": "i0"}], phase="Pending",
         initContainerStatuses=[{"state": {"waiting": {"reason": "PodInitializing"}}}]),
     ["initializing", "0/1", "Init:0/1", "0", "<unknown>"]),
])
def test_pod_status(obj: dict[str, Any], expected: list[Any]) -> None:
    assert cells(obj) == expected


_SIDECARS = [{"name": "restartable-init-1", "restartPolicy": "Always"},
             {"name": "restartable-init-2", "restartPolicy": "Always"}]


@pytest.mark.parametrize(("obj", "expected"), [
    # the first sidecar runs but has not started
    (pod("test1", 1, init=_SIDECARS, phase="Pending", conditions=[{"type": "Initialized", "status": "False"}],
         initContainerStatuses=[
             restarted(3, 10, name="restartable-init-1", state=RUNNING, started=False),
             {"name": "restartable-init-2", "state": {"waiting": {}}, "started": False}],
         containerStatuses=[{"state": {"waiting": {}}}]),
     ["test1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"]),
    (pod("test1", 1, init=_SIDECARS, phase="Pending", conditions=[{"type": "Initialized", "status": "False"}],
         initContainerStatuses=[
             restarted(3, 10, name="restartable-init-1", state=RUNNING, started=True),
             {"name": "restartable-init-2", "state": RUNNING, "started": False}],
         containerStatuses=[{"state": {"waiting": {}}}]),
     ["test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"]),
    # both sidecars started: their restarts join the containers'
    (pod("test2", 1, init=_SIDECARS, phase="Running", conditions=[{"type": "Initialized", "status": "True"}],
         initContainerStatuses=[
             restarted(3, 10, name="restartable-init-1", state=RUNNING, started=True),
             {"name": "restartable-init-2", "state": RUNNING, "started": True}],
         containerStatuses=[restarted(4, 20, ready=True, state=RUNNING)]),
     ["test2", "1/3", "Running", "7 (10s ago)", "<unknown>"]),
    (pod("test3", 1, init=_SIDECARS, phase="Succeeded",
         conditions=[{"type": "Initialized", "status": "True"}],
         initContainerStatuses=[
             restarted(3, 10, name="restartable-init-1", started=False,
                       state={"terminated": {"reason": "Error", "exitCode": 137}}),
             {"name": "restartable-init-2", "started": False,
              "state": {"terminated": {"reason": "Error", "exitCode": 137}}}],
         containerStatuses=[restarted(4, 20, state={"terminated": {"reason": "Completed", "exitCode": 0}})]),
     ["test3", "0/3", "Completed", "7 (10s ago)", "<unknown>"]),
    # statuses of containers the spec does not name
    (pod("test4", 1, phase="Running",
         init=[{"name": "init1"}, {"name": "sidecar1", "restartPolicy": "Always"}],
         initContainerStatuses=[{"name": "initinvalid"}, {"name": "init1"}, {"name": "sidecar1"}],
         containerStatuses=[{"name": "containerinvalid"}, {"name": "container1"}]),
     ["test4", "0/2", "Init:0/2", "0", "<unknown>"]),
    # a ready started sidecar counts as ready
    (pod("ready", 1, init=[_SIDECARS[0]], phase="Running",
         initContainerStatuses=[
             {"name": "restartable-init-1", "state": RUNNING, "started": True, "ready": True}],
         containerStatuses=[{"ready": True, "state": RUNNING}]),
     ["ready", "2/2", "Running", "0", "<unknown>"]),
])
def test_pod_status_with_sidecars(obj: dict[str, Any], expected: list[Any]) -> None:
    assert cells(obj) == expected


def test_wide_columns() -> None:
    obj = pod("test1", 2, phase="podPhase", podIPs=[{"ip": "1.1.1.1"}], nominatedNodeName="node1",
              conditions=[{"type": "condition1", "status": "False"},
                          {"type": "condition2", "status": "True"}],
              containerStatuses=[{"ready": True, "restartCount": 3, "state": RUNNING}, {"restartCount": 3}])
    obj["spec"]["nodeName"] = "test1"
    obj["spec"]["readinessGates"] = [{"conditionType": f"condition{i}"} for i in (1, 2, 3)]
    assert table_row(PODS, obj, NOW) == [
        "test1", "1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"]
    assert table_row(PODS, pod("bare"), NOW)[5:] == WIDE_NONE
    legacy = pod("legacy", podIP="10.0.0.9")
    assert table_row(PODS, legacy, NOW)[5] == "10.0.0.9"


def test_age_counts_from_creation() -> None:
    obj = pod("aged")
    obj["metadata"]["creationTimestamp"] = ago(3 * 3600 + 5 * 60)
    assert table_row(PODS, obj, NOW)[4] == "3h5m"


def test_columns() -> None:
    columns = table_columns(PODS)
    assert [(c["name"], c["type"], c["priority"]) for c in columns] == [
        ("Name", "string", 0), ("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0),
        ("Age", "string", 0), ("IP", "string", 1), ("Node", "string", 1), ("Nominated Node", "string", 1),
        ("Readiness Gates", "string", 1)]
    assert columns[0]["format"] == "name" and all(c["format"] == "" for c in columns[1:])
    assert columns[0]["description"].startswith("Name must be unique within a namespace.")
    assert columns[5]["description"].startswith("podIP address allocated to the pod.")
    columns[0]["name"] = "changed"
    assert table_columns(PODS)[0]["name"] == "Name"  # callers get their own copies
