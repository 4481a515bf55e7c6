"""Table rows of deployments, replicasets, daemonsets, statefulsets, jobs and cronjobs, as
printers.go of kube 1.33 prints them (server side, wide columns included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from corral.machinery.timeutil import format_time
from corral.registry.builtins import BUILTINS
from corral.registry.printers import table_columns, table_row
from corral.registry.resources import ResourceDef

RD = {rd.resource: rd for rd in BUILTINS if rd.group in ("apps", "batch")}
NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
TEMPLATE = {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"},
                                    {"name": "log", "image": "busybox"}],
                     "nodeSelector": {"zone": "b", "disk": "ssd"}}}
SELECTOR = {"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe"]}]}


def ago(seconds: float) -> str:
    return format_time(NOW - timedelta(seconds=seconds))


def obj(name: str, spec: dict[str, Any], status: dict[str, Any] | None = None,
        **meta: Any) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": "default", "creationTimestamp": ago(200), **meta},
            "spec": spec, "status": status or {}}


def row(resource: str, o: dict[str, Any]) -> list[Any]:
    return table_row(RD[resource], o, NOW)


def names(rd: ResourceDef) -> list[tuple[str, str, int]]:
    return [(c["name"], c["type"], c["priority"]) for c in table_columns(rd)]


def test_deployment() -> None:
    d = obj("web", {"replicas": 3, "selector": SELECTOR, "template": TEMPLATE},
            {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 1})
    assert row("deployments", d) == ["web", "2/3", 3, 1, "3m20s", "web,log", "nginx:1.27,busybox",
                                     "app=web,tier in (fe)"]
    assert names(RD["deployments"]) == [
        ("Name", "string", 0), ("Ready", "string", 0), ("Up-to-date", "string", 0),
        ("Available", "string", 0), ("Age", "string", 0), ("Containers", "string", 1),
        ("Images", "string", 1), ("Selector", "string", 1)]


def test_deployment_selector_text() -> None:
    # printDeployment writes the selector string itself: nothing for an empty one
    assert row("deployments", obj("a", {}))[-1] == ""
    bad = {"matchExpressions": [{"key": "k", "operator": "In", "values": []}]}
    assert row("deployments", obj("b", {"selector": bad}))[-1] == "<invalid>"
    assert row("deployments", obj("c", {}))[1:4] == ["0/0", 0, 0]


def test_replica_set() -> None:
    rs = obj("web-5d9", {"replicas": 3, "selector": SELECTOR, "template": TEMPLATE},
             {"replicas": 3, "readyReplicas": 1})
    assert row("replicasets", rs) == ["web-5d9", 3, 3, 1, "3m20s", "web,log", "nginx:1.27,busybox",
                                      "app=web,tier in (fe)"]
    assert row("replicasets", obj("bare", {}))[-1] == "<none>"
    assert [c[:2] for c in names(RD["replicasets"])][:4] == [
        ("Name", "string"), ("Desired", "integer"), ("Current", "integer"), ("Ready", "integer")]


def test_daemon_set() -> None:
    ds = obj("agent", {"selector": {"matchLabels": {"app": "agent"}}, "template": TEMPLATE},
             {"desiredNumberScheduled": 3, "currentNumberScheduled": 2, "numberReady": 1,
              "updatedNumberScheduled": 2, "numberAvailable": 1})
    assert row("daemonsets", ds) == ["agent", 3, 2, 1, 2, 1, "disk=ssd,zone=b", "3m20s", "web,log",
                                     "nginx:1.27,busybox", "app=agent"]
    assert row("daemonsets", obj("bare", {}))[6] == "<none>"
    assert [c[0] for c in names(RD["daemonsets"])] == [
        "Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age",
        "Containers", "Images", "Selector"]


def test_stateful_set() -> None:
    sts = obj("db", {"replicas": 3, "template": TEMPLATE}, {"readyReplicas": 2})
    assert row("statefulsets", sts) == ["db", "2/3", "3m20s", "web,log", "nginx:1.27,busybox"]
    assert [c[0] for c in names(RD["statefulsets"])] == ["Name", "Ready", "Age", "Containers", "Images"]


@pytest.mark.parametrize(("spec", "status", "meta", "expected"), [
    ({"completions": 3}, {"succeeded": 1, "startTime": ago(600)}, {}, ["Running", "1/3", "10m"]),
    ({"parallelism": 2}, {}, {}, ["Running", "0/1 of 2", ""]),
    ({"parallelism": 1}, {"succeeded": 1}, {}, ["Running", "1/1", ""]),
    ({"completions": 1}, {"succeeded": 1, "startTime": ago(500), "completionTime": ago(400),
                          "conditions": [{"type": "Complete", "status": "True"}]}, {},
     ["Complete", "1/1", "100s"]),
    ({}, {"conditions": [{"type": "Failed", "status": "True"}]}, {}, ["Failed", "0/1", ""]),
    ({}, {"conditions": [{"type": "Complete", "status": "False"}]}, {"deletionTimestamp": ago(1)},
     ["Terminating", "0/1", ""]),
    ({}, {"conditions": [{"type": "Suspended", "status": "True"}]}, {}, ["Suspended", "0/1", ""]),
    ({}, {"conditions": [{"type": "FailureTarget", "status": "True"}]}, {}, ["FailureTarget", "0/1", ""]),
    ({}, {"conditions": [{"type": "Failed", "status": "True"}, {"type": "Complete", "status": "True"}]}, {},
     ["Complete", "0/1", ""]),
])
def test_job(spec: dict[str, Any], status: dict[str, Any], meta: dict[str, Any],
             expected: list[str]) -> None:
    cells = row("jobs", obj("pi", {"template": TEMPLATE, **spec}, status, **meta))
    assert cells[0] == "pi" and cells[1:4] == expected and cells[4] == "3m20s"
    assert cells[5:] == ["web,log", "nginx:1.27,busybox", "<none>"]


def test_job_columns() -> None:
    assert [c[0] for c in names(RD["jobs"])] == [
        "Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"]


def test_cron_job() -> None:
    job_spec = {"template": TEMPLATE, "selector": {"matchLabels": {"a": "b"}}}
    cj = obj("backup", {"schedule": "*/5 * * * *", "timeZone": "Etc/UTC", "suspend": False,
                        "jobTemplate": {"spec": job_spec}},
             {"active": [{"name": "backup-1"}], "lastScheduleTime": ago(90)})
    assert row("cronjobs", cj) == ["backup", "*/5 * * * *", "Etc/UTC", "False", 1, "90s", "3m20s",
                                   "web,log", "nginx:1.27,busybox", "a=b"]
    bare = row("cronjobs", obj("bare", {"schedule": "@daily"}))
    assert bare == ["bare", "@daily", "<none>", "<unset>", 0, "<none>", "3m20s", "", "", "<none>"]
    assert row("cronjobs", obj("s", {"suspend": True}))[3] == "True"
    assert names(RD["cronjobs"])[:7] == [
        ("Name", "string", 0), ("Schedule", "string", 0), ("Timezone", "string", 0),
        ("Suspend", "boolean", 0), ("Active", "integer", 0), ("Last Schedule", "string", 0),
        ("Age", "string", 0)]
