"""The pod row of ``kubectl get pods``: READY, the STATUS kubectl users read (Init:0/1,
CrashLoopBackOff, Completed, Terminating, ...), RESTARTS with the time of the last one,
and the wide columns. Follows printPod of kube 1.33, sidecar (restartable init)
containers included."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.registry.fields import pod_ip
from corral.registry.printers.cells import (
    AGE,
    NAME,
    NONE,
    Obj,
    Printer,
    age,
    column,
    condition_true,
    doc,
    elapsed,
    integer,
    meta,
    name,
    spec,
    status,
    text,
    timestamp,
)

_COLUMNS = (
    NAME,
    column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "string", "The aggregate status of the containers in this pod."),
    column("Restarts", "string", "The number of times the containers in this pod have been restarted and "
                                 "when the last container in this pod has restarted."),
    AGE,
    column("IP", "string", doc("PodStatus.podIP"), priority=1),
    column("Node", "string", doc("PodSpec.nodeName"), priority=1),
    column("Nominated Node", "string", doc("PodStatus.nominatedNodeName"), priority=1),
    column("Readiness Gates", "string", doc("PodSpec.readinessGates"), priority=1),
)


class _Restarts:
    """A restart count with the finish time of the latest restarted container."""

    def __init__(self) -> None:
        self.count = 0
        self.last: datetime | None = None

    def add(self, container_status: dict[str, Any]) -> None:
        self.count += integer(container_status.get("restartCount"))
        terminated = (container_status.get("lastState") or {}).get("terminated")
        finished = timestamp(terminated.get("finishedAt")) if terminated is not None else None
        if finished is not None and (self.last is None or finished > self.last):
            self.last = finished

    def cell(self, now: datetime) -> str:
        if self.count and self.last is not None:
            return f"{self.count} ({elapsed(self.last, now)} ago)"
        return str(self.count)


def _exit_reason(prefix: str, terminated: dict[str, Any]) -> str:
    signal = integer(terminated.get("signal"))
    if signal:
        return f"{prefix}Signal:{signal}"
    return f"{prefix}ExitCode:{integer(terminated.get('exitCode'))}"


def _readiness_gates(pod_spec: dict[str, Any], pod_status: dict[str, Any]) -> str:
    gates = pod_spec.get("readinessGates") or []
    if not gates:
        return NONE
    conditions = pod_status.get("conditions") or []
    passed = 0
    for gate in gates:
        for condition in conditions:
            if condition.get("type") == gate.get("conditionType"):
                passed += condition.get("status") == "True"
                break
    return f"{passed}/{len(gates)}"


def _row(pod: Obj, now: datetime) -> list[Any]:
    pod_spec, pod_status = spec(pod), status(pod)
    init_specs = pod_spec.get("initContainers") or []
    sidecars = {c.get("name") for c in init_specs if c.get("restartPolicy") == "Always"}
    total = len(pod_spec.get("containers") or []) + len(sidecars)
    ready = 0
    restarts, sidecar_restarts = _Restarts(), _Restarts()
    phase = text(pod_status.get("phase"))
    reason = text(pod_status.get("reason")) or phase
    for condition in pod_status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    initializing = False
    for i, container in enumerate(pod_status.get("initContainerStatuses") or []):
        restarts.add(container)
        is_sidecar = container.get("name") in sidecars
        if is_sidecar:
            sidecar_restarts.add(container)
        state = container.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and integer(terminated.get("exitCode")) == 0:
            continue
        if is_sidecar and container.get("started") is True:
            ready += bool(container.get("ready"))
            continue
        initializing = True
        if terminated is not None:
            why = text(terminated.get("reason"))
            reason = "Init:" + why if why else _exit_reason("Init:", terminated)
        elif waiting is not None and text(waiting.get("reason")) not in ("", "PodInitializing"):
            reason = "Init:" + text(waiting.get("reason"))
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        break

    if not initializing or condition_true(pod_status, "Initialized"):
        restarts = sidecar_restarts
        running = False
        for container in reversed(pod_status.get("containerStatuses") or []):
            restarts.add(container)
            state = container.get("state") or {}
            terminated, waiting = state.get("terminated"), state.get("waiting")
            if waiting is not None and text(waiting.get("reason")):
                reason = text(waiting.get("reason"))
            elif terminated is not None:
                reason = text(terminated.get("reason")) or _exit_reason("", terminated)
            elif container.get("ready") and state.get("running") is not None:
                running = True
                ready += 1
        # a pod whose last container completed still runs while another one does
        if reason == "Completed" and running:
            reason = "Running" if condition_true(pod_status, "Ready") else "NotReady"

    if meta(pod).get("deletionTimestamp") is not None:
        if pod_status.get("reason") == "NodeLost":
            reason = "Unknown"
        elif phase not in ("Failed", "Succeeded"):
            reason = "Terminating"

    return [
        name(pod), f"{ready}/{total}", reason, restarts.cell(now), age(pod, now),
        pod_ip(pod_status) or NONE,
        text(pod_spec.get("nodeName")) or NONE,
        text(pod_status.get("nominatedNodeName")) or NONE,
        _readiness_gates(pod_spec, pod_status),
    ]


PRINTERS = {("", "pods"): Printer(_COLUMNS, _row)}
