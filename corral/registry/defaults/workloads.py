"""Defaults of the workload controllers: Deployment, ReplicaSet, DaemonSet, StatefulSet
(pkg/apis/apps/v1/defaults.go), Job and CronJob (pkg/apis/batch/v1/defaults.go), each
with its pod template defaulted as a pod spec.

A Job also gets the selector and pod labels kube's job strategy generates on create
(from ``metadata.uid``, which the store sets first), and then the object labels
SetDefaults_Job copies from the template when kube decodes the stored Job.
"""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import fill, embedded_meta, sub
from corral.registry.defaults.pods import default_template
from corral.registry.defaults.storage import default_claim_template
from corral.registry.validation.shapes import entries

CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID = "controller-uid"
LEGACY_JOB_NAME = "job-name"


def _spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj.setdefault("spec", {})
    return spec if isinstance(spec, dict) else {}


def _template(spec: dict[str, Any]) -> None:
    template = spec.setdefault("template", {})
    if isinstance(template, dict):
        default_template(template)


def _status(obj: dict[str, Any]) -> None:
    obj.setdefault("status", {})  # a non-pointer struct: kube always prints it


def default_deployment(obj: dict[str, Any]) -> None:
    spec = _spec(obj)
    fill(spec, "replicas", 1)
    strategy = spec.setdefault("strategy", {})
    if isinstance(strategy, dict):
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.get("rollingUpdate")
            if not isinstance(rolling, dict):
                rolling = strategy["rollingUpdate"] = {}
            fill(rolling, "maxUnavailable", "25%")
            fill(rolling, "maxSurge", "25%")
    fill(spec, "revisionHistoryLimit", 10)
    fill(spec, "progressDeadlineSeconds", 600)
    _template(spec)
    _status(obj)


def default_replica_set(obj: dict[str, Any]) -> None:
    spec = _spec(obj)
    fill(spec, "replicas", 1)
    _template(spec)
    _status(obj)


def default_daemon_set(obj: dict[str, Any]) -> None:
    spec = _spec(obj)
    strategy = spec.setdefault("updateStrategy", {})
    if isinstance(strategy, dict):
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.get("rollingUpdate")
            if not isinstance(rolling, dict):
                rolling = strategy["rollingUpdate"] = {}
            fill(rolling, "maxUnavailable", 1)
            fill(rolling, "maxSurge", 0)
    fill(spec, "revisionHistoryLimit", 10)
    _template(spec)
    _status(obj)


def default_stateful_set(obj: dict[str, Any]) -> None:
    spec = _spec(obj)
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = spec.setdefault("updateStrategy", {})
    if isinstance(strategy, dict):
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
            if strategy.get("rollingUpdate") is None:
                strategy["rollingUpdate"] = {}
        rolling = sub(strategy, "rollingUpdate")
        if strategy["type"] == "RollingUpdate" and rolling is not None:
            fill(rolling, "partition", 0)
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if not isinstance(retention, dict):
        retention = spec["persistentVolumeClaimRetentionPolicy"] = {}
    for when in ("whenDeleted", "whenScaled"):
        if not retention.get(when):
            retention[when] = "Retain"
    fill(spec, "replicas", 1)
    fill(spec, "revisionHistoryLimit", 10)
    _template(spec)
    for claim in entries(spec, "volumeClaimTemplates"):
        default_claim_template(claim)
        claim.setdefault("status", {}).setdefault("phase", "Pending")
    _status(obj)


def _default_job_spec(spec: dict[str, Any]) -> None:
    """SetDefaults_Job's spec part."""
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    fill(spec, "parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2**31 - 1 if spec.get("backoffLimitPerIndex") is not None else 6
    if spec.get("completionMode") is None:
        spec["completionMode"] = "NonIndexed"
    fill(spec, "suspend", False)
    failure_policy = sub(spec, "podFailurePolicy")
    if failure_policy is not None:
        for rule in entries(failure_policy, "rules"):
            for pattern in entries(rule, "onPodConditions"):
                if not pattern.get("status"):
                    pattern["status"] = "True"
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if failure_policy is not None else "TerminatingOrFailed"
    fill(spec, "manualSelector", False)


def _generate_selector(obj: dict[str, Any], spec: dict[str, Any]) -> None:
    """generateSelector of kube's job strategy: uid and name labels on the pods, a
    selector on the uid."""
    meta = obj.get("metadata") or {}
    uid, name = str(meta.get("uid") or ""), str(meta.get("name") or "")
    template = spec.setdefault("template", {})
    if not isinstance(template, dict):
        return
    labels = embedded_meta(template).get("labels")
    if not isinstance(labels, dict):
        labels = template["metadata"]["labels"] = {}
    for label, value in (
        (LEGACY_JOB_NAME, name),
        (JOB_NAME, name),
        (LEGACY_CONTROLLER_UID, uid),
        (CONTROLLER_UID, uid),
    ):
        fill(labels, label, value)
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    match_labels = selector.get("matchLabels")
    if not isinstance(match_labels, dict):
        match_labels = selector["matchLabels"] = {}
    fill(match_labels, CONTROLLER_UID, uid)


def default_job(obj: dict[str, Any]) -> None:
    spec = _spec(obj)
    _default_job_spec(spec)
    if spec.get("manualSelector") is not True:
        _generate_selector(obj, spec)
    _template(spec)
    template_labels = (spec.get("template") or {}).get("metadata", {}).get("labels")
    meta = obj.setdefault("metadata", {})
    if isinstance(template_labels, dict) and not meta.get("labels"):
        meta["labels"] = dict(template_labels)
    _status(obj)


def default_cron_job(obj: dict[str, Any]) -> None:
    spec = _spec(obj)
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    fill(spec, "suspend", False)
    fill(spec, "successfulJobsHistoryLimit", 3)
    fill(spec, "failedJobsHistoryLimit", 1)
    job_template = spec.setdefault("jobTemplate", {})
    if isinstance(job_template, dict):
        embedded_meta(job_template)
        _template(job_template.setdefault("spec", {}))
    _status(obj)
