"""Validation of workload controllers: Deployment, ReplicaSet, DaemonSet, StatefulSet
(pkg/apis/apps/validation) and Job, CronJob (pkg/apis/batch/validation), including the
update rules of their strategies (immutable selectors, a Job's fixed template)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import (
    dns1123_label_name,
    dns1123_subdomain_name,
    is_dns1123_label,
)
from corral.registry.validation.claims import validate_claim_template
from corral.registry.validation.cron import schedule_error
from corral.registry.validation.fielderrors import (
    GoRepr,
    child,
    each_invalid,
    forbidden,
    go_string_map,
    immutable,
    invalid,
    nonnegative,
    not_supported,
    required,
)
from corral.registry.validation.meta import (
    selector_is_empty,
    selector_matches,
    show_selector,
    validate_label_selector,
    validate_meta,
    validate_template_meta,
)
from corral.registry.validation.pods import validate_pod_template
from corral.registry.validation.shapes import section

_PERCENT = re.compile(r"[0-9]+%\Z")
_TIME_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}\Z")
CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"


def _template_labels(spec: Mapping[str, Any]) -> Any:
    template = spec.get("template")
    meta = template.get("metadata") if isinstance(template, dict) else None
    return meta.get("labels") if isinstance(meta, dict) else None


def _selector_and_template(spec: Mapping[str, Any], path: str, kind: str) -> list[Cause]:
    """The selector rules Deployment, ReplicaSet and StatefulSet share."""
    selector = spec.get("selector")
    causes: list[Cause] = []
    if selector is None:
        causes.append(required(child(path, "selector")))
    else:
        causes += validate_label_selector(selector, child(path, "selector"))
        if isinstance(selector, dict) and selector_is_empty(selector):
            causes.append(
                invalid(child(path, "selector"), show_selector(selector), f"empty selector is invalid for {kind}")
            )
    matches = selector_matches(selector, _template_labels(spec))
    if matches is None:
        causes.append(invalid(child(path, "selector"), show_selector(selector), "invalid label selector"))
    elif not matches:
        causes.append(
            invalid(
                child(path, "template", "metadata", "labels"),
                go_string_map(_template_labels(spec)),
                "`selector` does not match template `labels`",
            )
        )
    return causes


def _restart_always(spec: Mapping[str, Any], path: str, kind: str) -> list[Cause]:
    template_spec = (spec.get("template") or {}).get("spec") or {}
    causes: list[Cause] = []
    restart = template_spec.get("restartPolicy")
    if restart != "Always":
        causes.append(not_supported(child(path, "template", "spec", "restartPolicy"), restart or "", ("Always",)))
    if template_spec.get("activeDeadlineSeconds") is not None:
        causes.append(
            forbidden(
                child(path, "template", "spec", "activeDeadlineSeconds"),
                f"activeDeadlineSeconds in {kind} is not Supported",
            )
        )
    return causes


def _int_or_percent(value: Any) -> int | None:
    """getIntOrPercentValue: the number of a valid int or percent, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _PERCENT.match(value):
        return int(value[:-1])
    return None


def _positive_int_or_percent(value: Any, path: str) -> list[Cause]:
    if isinstance(value, str):
        if not _PERCENT.match(value):
            return [
                invalid(
                    path,
                    value,
                    "a valid percent string must be a numeric string followed by an ending "
                    "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                )
            ]
        return []
    return nonnegative(path, value)


def _not_more_than_100_percent(value: Any, path: str) -> list[Cause]:
    if isinstance(value, str) and _PERCENT.match(value) and int(value[:-1]) > 100:
        return [invalid(path, value, "must not be greater than 100%")]
    return []


def _deployment_strategy(strategy: Any, path: str) -> list[Cause]:
    strategy = strategy if isinstance(strategy, dict) else {}
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden(child(path, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind != "RollingUpdate":
        return [not_supported(path, kind or "", ("Recreate", "RollingUpdate"))]
    if not isinstance(rolling, dict):
        return [required(child(path, "rollingUpdate"), "this should be defaulted and never be nil")]
    rolling_path = child(path, "rollingUpdate")
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    causes = _positive_int_or_percent(unavailable, child(rolling_path, "maxUnavailable"))
    causes += _positive_int_or_percent(surge, child(rolling_path, "maxSurge"))
    if _int_or_percent(unavailable) == 0 and _int_or_percent(surge) == 0:
        causes.append(invalid(child(rolling_path, "maxUnavailable"), unavailable, "may not be 0 when `maxSurge` is 0"))
    return causes + _not_more_than_100_percent(unavailable, child(rolling_path, "maxUnavailable"))


def validate_deployment(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    causes += nonnegative("spec.replicas", spec.get("replicas"))
    causes += _selector_and_template(spec, "spec", "deployment")
    causes += validate_pod_template(spec.get("template"), "spec.template")
    causes += _restart_always(spec, "spec", "Deployment")
    causes += _deployment_strategy(spec.get("strategy"), "spec.strategy")
    causes += nonnegative("spec.minReadySeconds", spec.get("minReadySeconds"))
    causes += nonnegative("spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"))
    deadline = spec.get("progressDeadlineSeconds")
    if isinstance(deadline, int):
        causes += nonnegative("spec.progressDeadlineSeconds", deadline)
        if deadline <= (spec.get("minReadySeconds") or 0):
            causes.append(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return causes + _selector_immutable(spec, old)


def validate_replica_set(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    causes += nonnegative("spec.replicas", spec.get("replicas"))
    causes += nonnegative("spec.minReadySeconds", spec.get("minReadySeconds"))
    causes += _selector_and_template(spec, "spec", "deployment")  # sic: kube says "deployment"
    causes += validate_pod_template(spec.get("template"), "spec.template")
    causes += _restart_always(spec, "spec", "ReplicaSet")
    return causes + _selector_immutable(spec, old)


def _daemon_set_strategy(strategy: Any, path: str) -> list[Cause]:
    strategy = strategy if isinstance(strategy, dict) else {}
    kind = strategy.get("type")
    if kind == "OnDelete":
        return []
    if kind != "RollingUpdate":
        return [
            not_supported(
                path,
                GoRepr(f'apps.DaemonSetUpdateStrategy{{Type:"{kind or ""}"}}'),
                ("RollingUpdate", "OnDelete"),
            )
        ]
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict):
        return [required(child(path, "rollingUpdate"))]
    rolling_path = child(path, "rollingUpdate")
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    causes = _positive_int_or_percent(unavailable, child(rolling_path, "maxUnavailable"))
    causes += _positive_int_or_percent(surge, child(rolling_path, "maxSurge"))
    causes += _not_more_than_100_percent(unavailable, child(rolling_path, "maxUnavailable"))
    causes += _not_more_than_100_percent(surge, child(rolling_path, "maxSurge"))
    has_unavailable, has_surge = bool(_int_or_percent(unavailable)), bool(_int_or_percent(surge))
    if has_unavailable and has_surge:
        causes.append(invalid(child(rolling_path, "maxSurge"), surge, "may not be set when maxUnavailable is non-zero"))
    elif not has_unavailable and not has_surge:
        causes.append(required(child(rolling_path, "maxUnavailable"), "cannot be 0 when maxSurge is 0"))
    return causes


def validate_daemon_set(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    selector = spec.get("selector")
    causes += validate_label_selector(selector, "spec.selector")
    if selector_matches(selector, _template_labels(spec)) is False:
        causes.append(
            invalid(
                "spec.template.metadata.labels",
                go_string_map(_template_labels(spec)),
                "`selector` does not match template `labels`",
            )
        )
    if isinstance(selector, dict) and selector_is_empty(selector):
        causes.append(invalid("spec.selector", show_selector(selector), "empty selector is invalid for daemonset"))
    causes += validate_pod_template(spec.get("template"), "spec.template")
    causes += _restart_always(spec, "spec", "DaemonSet")
    causes += nonnegative("spec.minReadySeconds", spec.get("minReadySeconds"))
    causes += _daemon_set_strategy(spec.get("updateStrategy"), "spec.updateStrategy")
    causes += nonnegative("spec.revisionHistoryLimit", spec.get("revisionHistoryLimit"))
    return causes + _selector_immutable(spec, old)


def validate_stateful_set(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1123_label_name)
    policy = spec.get("podManagementPolicy")
    if not policy:
        causes.append(required("spec.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        causes.append(invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"))
    strategy = section(spec, "updateStrategy")
    kind, rolling = strategy.get("type"), strategy.get("rollingUpdate")
    if not kind:
        causes.append(required("spec.updateStrategy"))
    elif kind == "OnDelete":
        if rolling is not None:
            causes.append(
                invalid(
                    "spec.updateStrategy.rollingUpdate",
                    GoRepr("apps.RollingUpdateStatefulSetStrategy"),
                    "only allowed for updateStrategy 'RollingUpdate'",
                )
            )
    elif kind == "RollingUpdate":
        if isinstance(rolling, dict):
            causes += nonnegative("spec.updateStrategy.rollingUpdate.partition", rolling.get("partition"))
    else:
        causes.append(
            invalid(
                "spec.updateStrategy",
                GoRepr(f'apps.StatefulSetUpdateStrategy{{Type:"{kind}"}}'),
                "must be 'RollingUpdate' or 'OnDelete'",
            )
        )
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if isinstance(retention, dict):
        for when in ("whenDeleted", "whenScaled"):
            if retention.get(when) not in ("Retain", "Delete"):
                causes.append(
                    not_supported(
                        child("spec.persistentVolumeClaimRetentionPolicy", when),
                        retention.get(when) or "",
                        ("Retain", "Delete"),
                    )
                )
    causes += nonnegative("spec.replicas", spec.get("replicas"))
    causes += nonnegative("spec.minReadySeconds", spec.get("minReadySeconds"))
    service_name = spec.get("serviceName")
    if service_name:
        causes += each_invalid("spec.serviceName", service_name, is_dns1123_label(str(service_name)))
    causes += _selector_and_template(spec, "spec", "statefulset")
    template = spec.get("template")
    causes += validate_template_meta(
        (template or {}).get("metadata") if isinstance(template, dict) else None, "spec.template"
    )
    for i, claim in enumerate(spec.get("volumeClaimTemplates") or []):
        causes += validate_claim_template(claim, f"spec.volumeClaimTemplates[{i}]")
    causes += _restart_always(spec, "spec", "StatefulSet")
    if old is not None:
        old_spec = old.get("spec") or {}
        mutable = (
            "replicas",
            "ordinals",
            "template",
            "updateStrategy",
            "persistentVolumeClaimRetentionPolicy",
            "minReadySeconds",
        )
        if {k: v for k, v in spec.items() if k not in mutable} != {
            k: v for k, v in old_spec.items() if k not in mutable
        }:
            causes.append(
                forbidden(
                    "spec",
                    "updates to statefulset spec for fields other than 'replicas', "
                    "'ordinals', 'template', 'updateStrategy', "
                    "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are "
                    "forbidden",
                )
            )
    return causes


def _selector_immutable(spec: Mapping[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    if old is None:
        return []
    old_selector = (old.get("spec") or {}).get("selector")
    return immutable("spec.selector", spec.get("selector"), old_selector, show_selector(spec.get("selector")))


def _job_spec(spec: Mapping[str, Any], path: str) -> list[Cause]:
    """validateJobSpec: what a Job and a CronJob's job template share."""
    causes: list[Cause] = []
    for field in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
    ):
        causes += nonnegative(child(path, field), spec.get(field))
    max_failed = spec.get("maxFailedIndexes")
    if max_failed is not None:
        causes += nonnegative(child(path, "maxFailedIndexes"), max_failed)
        if spec.get("backoffLimitPerIndex") is None:
            causes.append(required(child(path, "backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
    mode = spec.get("completionMode")
    if mode is not None and mode not in ("NonIndexed", "Indexed"):
        causes.append(not_supported(child(path, "completionMode"), mode, ("NonIndexed", "Indexed")))
    if mode == "Indexed":
        if spec.get("completions") is None:
            causes.append(required(child(path, "completions"), "when completion mode is Indexed"))
        parallelism = spec.get("parallelism")
        if isinstance(parallelism, int) and parallelism > 100000:
            causes.append(
                invalid(
                    child(path, "parallelism"),
                    parallelism,
                    "must be less than or equal to 100000 when completion mode is Indexed",
                )
            )
    elif spec.get("backoffLimitPerIndex") is not None:
        causes.append(
            invalid(
                child(path, "backoffLimitPerIndex"),
                spec["backoffLimitPerIndex"],
                "requires indexed completion mode",
            )
        )
    failure_policy = spec.get("podFailurePolicy")
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        allowed = ("Failed",) if failure_policy is not None else ("Failed", "TerminatingOrFailed")
        if replacement not in allowed:
            causes.append(not_supported(child(path, "podReplacementPolicy"), replacement, allowed))
    causes += validate_pod_template(spec.get("template"), child(path, "template"))
    template_spec = (spec.get("template") or {}).get("spec") or {}
    restart = template_spec.get("restartPolicy") or ""
    restart_path = child(path, "template", "spec", "restartPolicy")
    if restart in ("Always", ""):
        causes.append(required(restart_path, 'valid values: "OnFailure", "Never"'))
    elif restart not in ("OnFailure", "Never"):
        causes.append(not_supported(restart_path, restart, ("OnFailure", "Never")))
    elif failure_policy is not None and restart != "Never":
        causes.append(invalid(restart_path, restart, 'only "Never" is supported when podFailurePolicy is specified'))
    return causes


def _has_label(labels: Mapping[str, Any], label: str, expected: str) -> list[Cause]:
    path = f"spec.template.metadata.labels[{label}]"
    if label not in labels:
        return [required(path, f"must be '{expected}'")]
    if labels[label] != expected:
        return [invalid(path, go_string_map(labels), f"must be '{expected}'")]
    return []


def _generated_selector(obj: dict[str, Any], spec: Mapping[str, Any]) -> list[Cause]:
    if spec.get("manualSelector") is True or spec.get("selector") is None:
        return []
    meta = obj.get("metadata") or {}
    uid, name = str(meta.get("uid") or ""), str(meta.get("name") or "")
    causes = [] if uid else [required("metadata.uid")]
    labels = _template_labels(spec)
    labels = labels if isinstance(labels, dict) else {}
    expected = {"controller-uid": uid, "job-name": name, CONTROLLER_UID: uid, JOB_NAME: name}
    for label in ("controller-uid", "job-name", CONTROLLER_UID, JOB_NAME):
        causes += _has_label(labels, label, expected[label])
    if selector_matches(spec.get("selector"), expected) is False:
        causes.append(invalid("spec.selector", show_selector(spec.get("selector")), "`selector` not auto-generated"))
    return causes


def validate_job(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1123_subdomain_name) + _generated_selector(obj, spec)
    causes += _job_spec(spec, "spec")
    selector = spec.get("selector")
    if selector is None:
        causes.append(required("spec.selector"))
    else:
        causes += validate_label_selector(selector, "spec.selector")
    if selector_matches(selector, _template_labels(spec)) is False:
        causes.append(
            invalid(
                "spec.template.metadata.labels",
                go_string_map(_template_labels(spec)),
                "`selector` does not match template `labels`",
            )
        )
    name, completions = str((obj.get("metadata") or {}).get("name") or ""), spec.get("completions")
    if spec.get("completionMode") == "Indexed" and isinstance(completions, int) and completions > 0:
        hostname = f"{name}-{completions - 1}"
        if is_dns1123_label(hostname):
            causes.append(
                invalid("metadata.name", name, f"will not able to create pod with invalid DNS label: {hostname}")
            )
    if old is not None:
        old_spec = old.get("spec") or {}
        if spec.get("completionMode") != "Indexed":
            causes += immutable("spec.completions", completions, old_spec.get("completions"))
        causes += immutable("spec.selector", selector, old_spec.get("selector"), show_selector(selector))
        causes += _job_template_immutable(spec, old)
        for field in ("completionMode", "podFailurePolicy", "backoffLimitPerIndex"):
            causes += immutable(child("spec", field), spec.get(field), old_spec.get(field))
    return causes


def _scheduling_fixed(template: Mapping[str, Any]) -> Any:
    """A pod template without the parts a suspended, never started Job may change."""
    spec = {
        k: v
        for k, v in (template.get("spec") or {}).items()
        if k not in ("nodeSelector", "tolerations", "schedulingGates")
    }
    affinity = {k: v for k, v in (spec.pop("affinity", None) or {}).items() if k != "nodeAffinity"}
    meta = {k: v for k, v in (template.get("metadata") or {}).items() if k not in ("labels", "annotations")}
    return spec, affinity, meta


def _job_template_immutable(spec: Mapping[str, Any], old: Mapping[str, Any]) -> list[Cause]:
    old_spec = old.get("spec") or {}
    template, old_template = spec.get("template") or {}, old_spec.get("template") or {}
    never_started = old_spec.get("suspend") is True and not (old.get("status") or {}).get("startTime")
    if never_started and _scheduling_fixed(template) == _scheduling_fixed(old_template):
        return []
    return immutable("spec.template", template, old_template, GoRepr("core.PodTemplateSpec{...}"))


def validate_cron_job(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    schedule = str(spec.get("schedule") or "")
    old_schedule = str(((old or {}).get("spec") or {}).get("schedule") or "")
    if not schedule:
        causes.append(required("spec.schedule"))
    else:
        error = schedule_error(schedule)
        if error:
            causes.append(invalid("spec.schedule", schedule, error))
        allow_tz = "TZ" in old_schedule
        if allow_tz and "TZ" in schedule and spec.get("timeZone") is not None:
            causes.append(
                invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule")
            )
        elif not allow_tz and "TZ" in schedule:
            causes.append(
                invalid(
                    "spec.schedule",
                    schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                )
            )
    causes += nonnegative("spec.startingDeadlineSeconds", spec.get("startingDeadlineSeconds"))
    if old is None or spec.get("timeZone") != (old.get("spec") or {}).get("timeZone"):
        causes += _time_zone(spec.get("timeZone"))
    policy = spec.get("concurrencyPolicy") or ""
    if not policy:
        causes.append(required("spec.concurrencyPolicy"))
    elif policy not in ("Allow", "Forbid", "Replace"):
        causes.append(not_supported("spec.concurrencyPolicy", policy, ("Allow", "Forbid", "Replace")))
    job_template = section(spec, "jobTemplate")
    job_spec = section(job_template, "spec")
    causes += _job_spec(job_spec, "spec.jobTemplate.spec")
    if job_spec.get("selector") is not None:
        causes.append(
            invalid(
                "spec.jobTemplate.spec.selector",
                show_selector(job_spec["selector"]),
                "`selector` will be auto-generated",
            )
        )
    if job_spec.get("manualSelector") is True:
        causes.append(not_supported("spec.jobTemplate.spec.manualSelector", True, ("nil", "false")))
    for field in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        causes += nonnegative(child("spec", field), spec.get(field))
    name = str((obj.get("metadata") or {}).get("name") or "")
    if old is None and len(name) > 52:
        causes.append(invalid("metadata.name", name, "must be no more than 52 characters"))
    return causes


def _time_zone(zone: Any) -> list[Cause]:
    if zone is None:
        return []
    text = str(zone)
    if not text:
        return [invalid("spec.timeZone", text, "timeZone must be nil or non-empty string")]
    for part in text.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TIME_ZONE_PART.match(part):
            return [invalid("spec.timeZone", text, f"unknown time zone {text}")]
    if text.lower() == "local":
        return [
            invalid(
                "spec.timeZone",
                text,
                "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            )
        ]
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [invalid("spec.timeZone", text, f"unknown time zone {text}")]
    return []
