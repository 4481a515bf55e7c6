"""Defaults of the workload controllers: Deployment, ReplicaSet, DaemonSet, StatefulSet
(pkg/apis/apps/v1/defaults.go), Job and CronJob (pkg/apis/batch/v1/defaults.go), each
with its pod template defaulted as a pod spec.

A Job also gets the selector and pod labels kube's job strategy generates on create
(from ``metadata.uid``, which the store sets first), and then the object labels
SetDefaults_Job copies from the template when kube decodes the stored Job.
"""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import embedded_meta, fill, struct, sub
from corral.registry.defaults.pods import default_template
from corral.registry.defaults.storage import default_claim_template
from corral.registry.validation.shapes import entries

CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID = "controller-uid"
LEGACY_JOB_NAME = "job-name"


def _template(spec: dict[str, Any]) -> None:
    default_template(struct(spec, "template"))


def _rolling_update(strategy: dict[str, Any], **defaults: Any) -> None:
    """A RollingUpdate strategy (the default type) and its rollingUpdate parameters."""
    fill(strategy, "type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = struct(strategy, "rollingUpdate")
        for name, value in defaults.items():
            fill(rolling, name, value)


def default_deployment(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    fill(spec, "replicas", 1)
    _rolling_update(struct(spec, "strategy"), maxUnavailable="25%", maxSurge="25%")
    fill(spec, "revisionHistoryLimit", 10)
    fill(spec, "progressDeadlineSeconds", 600)
    _template(spec)
    struct(obj, "status")  # a non-pointer struct: kube always prints it


def default_replica_set(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    fill(spec, "replicas", 1)
    _template(spec)
    struct(obj, "status")


def default_daemon_set(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    _rolling_update(struct(spec, "updateStrategy"), maxUnavailable=1, maxSurge=0)
    fill(spec, "revisionHistoryLimit", 10)
    _template(spec)
    struct(obj, "status")


def default_stateful_set(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    fill(spec, "podManagementPolicy", "OrderedReady")
    strategy = struct(spec, "updateStrategy")
    if not strategy.get("type"):
        # only a defaulted type brings a rollingUpdate along
        strategy["type"] = "RollingUpdate"
        struct(strategy, "rollingUpdate")
    rolling = sub(strategy, "rollingUpdate")
    if strategy["type"] == "RollingUpdate" and rolling is not None:
        fill(rolling, "partition", 0)
    retention = struct(spec, "persistentVolumeClaimRetentionPolicy")
    fill(retention, "whenDeleted", "Retain")
    fill(retention, "whenScaled", "Retain")
    fill(spec, "replicas", 1)
    fill(spec, "revisionHistoryLimit", 10)
    _template(spec)
    for claim in entries(spec, "volumeClaimTemplates"):
        default_claim_template(claim)
        fill(struct(claim, "status"), "phase", "Pending")
    struct(obj, "status")


def _default_job_spec(spec: dict[str, Any]) -> None:
    """SetDefaults_Job's spec part."""
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    fill(spec, "parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2**31 - 1 if spec.get("backoffLimitPerIndex") is not None else 6
    fill(spec, "completionMode", "NonIndexed")
    fill(spec, "suspend", False)
    failure_policy = sub(spec, "podFailurePolicy")
    if failure_policy is not None:
        for rule in entries(failure_policy, "rules"):
            for pattern in entries(rule, "onPodConditions"):
                fill(pattern, "status", "True")
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if failure_policy is not None else "TerminatingOrFailed"
    fill(spec, "manualSelector", False)


def _generate_selector(obj: dict[str, Any], spec: dict[str, Any]) -> None:
    """generateSelector of kube's job strategy: uid and name labels on the pods, a
    selector on the uid."""
    meta = struct(obj, "metadata")
    uid, name = str(meta.get("uid") or ""), str(meta.get("name") or "")
    labels = struct(embedded_meta(struct(spec, "template")), "labels")
    for label, value in (
        (LEGACY_JOB_NAME, name),
        (JOB_NAME, name),
        (LEGACY_CONTROLLER_UID, uid),
        (CONTROLLER_UID, uid),
    ):
        labels.setdefault(label, value)
    struct(struct(spec, "selector"), "matchLabels").setdefault(CONTROLLER_UID, uid)


def default_job(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    _default_job_spec(spec)
    if spec.get("manualSelector") is not True:
        _generate_selector(obj, spec)
    _template(spec)
    # SetDefaults_Job, run again as kube decodes the stored Job: an unlabelled Job takes
    # the labels of its pods
    template_labels = sub(struct(struct(spec, "template"), "metadata"), "labels")
    meta = struct(obj, "metadata")
    if template_labels is not None and not meta.get("labels"):
        meta["labels"] = dict(template_labels)
    struct(obj, "status")


def default_cron_job(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    fill(spec, "concurrencyPolicy", "Allow")
    fill(spec, "suspend", False)
    fill(spec, "successfulJobsHistoryLimit", 3)
    fill(spec, "failedJobsHistoryLimit", 1)
    job_template = struct(spec, "jobTemplate")
    embedded_meta(job_template)
    _template(struct(job_template, "spec"))
    struct(obj, "status")
