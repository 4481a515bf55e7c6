"""Table rows of the workload controllers: deployments, replicasets, daemonsets,
statefulsets (apps/v1) and jobs, cronjobs (batch/v1), as printers.go prints them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.machinery.labels import selector_from_label_selector
from corral.machinery.timeutil import human_duration
from corral.registry.printers.cells import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    NONE,
    UNSET,
    Obj,
    Printer,
    age,
    column,
    condition_true,
    container_cells,
    doc,
    format_label_selector,
    format_labels,
    integer,
    meta,
    name,
    since,
    spec,
    status,
    template_spec,
    text,
    timestamp,
)

_READY = column("Ready", "string", "Number of the pod with ready state")


def _deployment_selector(selector: dict[str, Any] | None) -> str:
    """printDeployment writes the selector itself: "" when empty, "<invalid>" when bad."""
    try:
        return str(selector_from_label_selector(selector))
    except ValueError:
        return "<invalid>"


def _deployment(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    return [name(obj), f"{integer(st.get('readyReplicas'))}/{integer(s.get('replicas'))}",
            integer(st.get("updatedReplicas")), integer(st.get("availableReplicas")), age(obj, now),
            *container_cells(template_spec(s)), _deployment_selector(s.get("selector"))]


def _replica_set(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    return [name(obj), integer(s.get("replicas")), integer(st.get("replicas")),
            integer(st.get("readyReplicas")), age(obj, now), *container_cells(template_spec(s)),
            format_label_selector(s.get("selector"))]


def _daemon_set(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    counts = ("desiredNumberScheduled", "currentNumberScheduled", "numberReady", "updatedNumberScheduled",
              "numberAvailable")
    pod_spec = template_spec(s)
    return [name(obj), *(integer(st.get(c)) for c in counts), format_labels(pod_spec.get("nodeSelector")),
            age(obj, now), *container_cells(pod_spec), format_label_selector(s.get("selector"))]


def _stateful_set(obj: Obj, now: datetime) -> list[Any]:
    s = spec(obj)
    return [name(obj), f"{integer(status(obj).get('readyReplicas'))}/{integer(s.get('replicas'))}",
            age(obj, now), *container_cells(template_spec(s))]


def _job_status(obj: Obj) -> str:
    st = status(obj)
    if condition_true(st, "Complete"):
        return "Complete"
    if condition_true(st, "Failed"):
        return "Failed"
    if meta(obj).get("deletionTimestamp") is not None:
        return "Terminating"
    if condition_true(st, "Suspended"):
        return "Suspended"
    if condition_true(st, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _job(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    succeeded = integer(st.get("succeeded"))
    if s.get("completions") is not None:
        completions = f"{succeeded}/{integer(s.get('completions'))}"
    elif integer(s.get("parallelism")) > 1:
        completions = f"{succeeded}/1 of {integer(s.get('parallelism'))}"
    else:
        completions = f"{succeeded}/1"
    started, completed = timestamp(st.get("startTime")), timestamp(st.get("completionTime"))
    duration = "" if started is None else human_duration(((completed or now) - started).total_seconds())
    return [name(obj), _job_status(obj), completions, duration, age(obj, now),
            *container_cells(template_spec(s)), format_label_selector(s.get("selector"))]


def _bool_pointer(value: Any) -> str:
    """printBoolPtr."""
    if value is None:
        return UNSET
    return "True" if value else "False"


def _cron_job(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    job_spec = (s.get("jobTemplate") or {}).get("spec") or {}
    last = since(st.get("lastScheduleTime"), now) if st.get("lastScheduleTime") is not None else NONE
    time_zone = s.get("timeZone")
    return [name(obj), text(s.get("schedule")), NONE if time_zone is None else text(time_zone),
            _bool_pointer(s.get("suspend")), len(st.get("active") or []), last, age(obj, now),
            *container_cells(template_spec(job_spec)), format_label_selector(job_spec.get("selector"))]


def _int_column(title: str, key: str) -> dict[str, Any]:
    return column(title, "integer", doc(key))


PRINTERS = {
    ("apps", "deployments"): Printer((
        NAME, _READY,
        column("Up-to-date", "string", doc("DeploymentStatus.updatedReplicas")),
        column("Available", "string", doc("DeploymentStatus.availableReplicas")),
        AGE, CONTAINERS, IMAGES,
        column("Selector", "string", doc("DeploymentSpec.selector"), priority=1),
    ), _deployment),
    ("apps", "replicasets"): Printer((
        NAME,
        _int_column("Desired", "ReplicaSetSpec.replicas"),
        _int_column("Current", "ReplicaSetStatus.replicas"),
        _int_column("Ready", "ReplicaSetStatus.readyReplicas"),
        AGE, CONTAINERS, IMAGES,
        column("Selector", "string", doc("ReplicaSetSpec.selector"), priority=1),
    ), _replica_set),
    ("apps", "daemonsets"): Printer((
        NAME,
        _int_column("Desired", "DaemonSetStatus.desiredNumberScheduled"),
        _int_column("Current", "DaemonSetStatus.currentNumberScheduled"),
        _int_column("Ready", "DaemonSetStatus.numberReady"),
        _int_column("Up-to-date", "DaemonSetStatus.updatedNumberScheduled"),
        _int_column("Available", "DaemonSetStatus.numberAvailable"),
        column("Node Selector", "string", doc("PodSpec.nodeSelector")),
        AGE, CONTAINERS, IMAGES,
        column("Selector", "string", doc("DaemonSetSpec.selector"), priority=1),
    ), _daemon_set),
    ("apps", "statefulsets"): Printer((NAME, _READY, AGE, CONTAINERS, IMAGES), _stateful_set),
    ("batch", "jobs"): Printer((
        NAME,
        column("Status", "string", "Status of the job."),
        column("Completions", "string", doc("JobStatus.succeeded")),
        column("Duration", "string", "Time required to complete the job."),
        AGE, CONTAINERS, IMAGES,
        column("Selector", "string", doc("JobSpec.selector"), priority=1),
    ), _job),
    ("batch", "cronjobs"): Printer((
        NAME,
        column("Schedule", "string", doc("CronJobSpec.schedule")),
        column("Timezone", "string", doc("CronJobSpec.timeZone")),
        column("Suspend", "boolean", doc("CronJobSpec.suspend")),
        _int_column("Active", "CronJobStatus.active"),
        column("Last Schedule", "string", doc("CronJobStatus.lastScheduleTime")),
        AGE, CONTAINERS, IMAGES,
        column("Selector", "string", doc("JobSpec.selector"), priority=1),
    ), _cron_job),
}
