"""Workload validation: selectors against templates, template rules, strategies, Jobs,
CronJob schedules, and what updates may not change."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.unit.registry.test_validation_support import check, messages, meta, stored

MISMATCH = (
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: '
    "`selector` does not match template `labels`"
)


def deployment(**spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "nginx"}},
        "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
        },
    }
    body.update(spec)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("nginx"), "spec": body}


def job(**spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "template": {"spec": {"containers": [{"name": "pi", "image": "perl"}], "restartPolicy": "Never"}}
    }
    body.update(spec)
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta("pi"), "spec": body}


def cron_job(schedule: str, **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schedule": schedule,
        "jobTemplate": {
            "spec": {
                "template": {
                    "spec": {
                        "containers": [{"name": "tick", "image": "busybox"}],
                        "restartPolicy": "OnFailure",
                    }
                }
            }
        },
    }
    body.update(spec)
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("tick"), "spec": body}


def test_valid_deployment() -> None:
    assert check("apps", "Deployment", deployment()) == []


def test_selector_must_match_template_labels() -> None:
    obj = deployment(selector={"matchLabels": {"app": "web"}})
    assert messages("apps", "Deployment", obj) == [MISMATCH]


def test_missing_selector_gives_both_errors() -> None:
    obj = deployment()
    del obj["spec"]["selector"]
    assert messages("apps", "Deployment", obj) == ["spec.selector: Required value", MISMATCH]


def test_empty_selector() -> None:
    assert messages("apps", "Deployment", deployment(selector={})) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
    ]


def test_deployment_spec_rules() -> None:
    obj = deployment(
        replicas=-1,
        strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}},
    )
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    obj["spec"]["template"]["spec"]["containers"][0]["image"] = ""
    assert messages("apps", "Deployment", obj) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.template.spec.containers[0].image: Required value",
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
    ]


def test_selector_is_immutable() -> None:
    old = stored("apps", "Deployment", deployment())
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "nginx", "tier": "web"}}
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "web"
    assert messages("apps", "Deployment", new, old) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx", '
        '"tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'
    ]
    scaled = copy.deepcopy(old)
    scaled["spec"]["replicas"] = 5
    assert check("apps", "Deployment", scaled, old) == []


def test_replica_set_and_daemon_set() -> None:
    rs = deployment()
    rs["kind"] = "ReplicaSet"
    rs["spec"].pop("replicas")
    rs["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    assert messages("apps", "ReplicaSet", rs) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: '
        "`selector` does not match template `labels`"
    ]
    ds = deployment()
    ds["spec"].pop("replicas")
    ds["spec"]["updateStrategy"] = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0},
    }
    assert messages("apps", "DaemonSet", ds) == [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
    ]


def test_stateful_set_name_is_a_label_and_spec_mostly_fixed() -> None:
    sts = deployment(serviceName="db")
    sts["metadata"]["name"] = "db.primary"
    assert messages("apps", "StatefulSet", sts) == ['metadata.name: Invalid value: "db.primary": must not contain dots']
    sts["metadata"]["name"] = "db"
    old = stored("apps", "StatefulSet", sts)
    new = copy.deepcopy(old)
    new["spec"]["serviceName"] = "other"
    assert messages("apps", "StatefulSet", new, old) == [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
        "'template', "
        "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    ]


def test_valid_job_and_its_generated_selector() -> None:
    assert check("batch", "Job", job()) == []


def test_job_restart_policy_and_counts() -> None:
    obj = job(completions=-1)
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert messages("batch", "Job", obj) == [
        "spec.completions: Invalid value: -1: must be greater than or equal to 0",
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]


def test_job_template_and_selector_are_immutable() -> None:
    old = stored("batch", "Job", job())
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:5.40"
    assert messages("batch", "Job", new, old) == [
        "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"
    ]
    scaled = copy.deepcopy(old)
    scaled["spec"]["parallelism"] = 3
    assert check("batch", "Job", scaled, old) == []


def test_manual_selector_must_match() -> None:
    obj = job(manualSelector=True, selector={"matchLabels": {"app": "pi"}})
    assert messages("batch", "Job", obj) == [
        "spec.template.metadata.labels: Invalid value: map[string]string(nil): "
        "`selector` does not match template `labels`"
    ]


@pytest.mark.parametrize(
    "schedule", ["*/5 * * * *", "0 0 * * SUN", "@hourly", "@every 1h30m", "0 9-17/2 * jan-jun 1-5"]
)
def test_valid_schedules(schedule: str) -> None:
    assert check("batch", "CronJob", cron_job(schedule)) == []


@pytest.mark.parametrize(
    ("schedule", "error"),
    [
        ("* * *", "expected exactly 5 fields, found 3: [* * *]"),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every 1d", 'failed to parse duration @every 1d: time: unknown unit "d" in duration "1d"'),
    ],
)
def test_invalid_schedules(schedule: str, error: str) -> None:
    assert messages("batch", "CronJob", cron_job(schedule)) == [f'spec.schedule: Invalid value: "{schedule}": {error}']


def test_cron_job_time_zones_and_names() -> None:
    assert check("batch", "CronJob", cron_job("0 * * * *", timeZone="Europe/Paris")) == []
    assert messages("batch", "CronJob", cron_job("0 * * * *", timeZone="Mars/Olympus")) == [
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'
    ]
    assert messages("batch", "CronJob", cron_job("TZ=UTC 0 * * * *")) == [
        'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone '
        "field instead"
    ]
    long_name = cron_job("@daily")
    long_name["metadata"]["name"] = "n" * 53
    assert messages("batch", "CronJob", long_name) == [
        f'metadata.name: Invalid value: "{"n" * 53}": must be no more than 52 characters'
    ]


def test_cron_job_template_rules() -> None:
    obj = cron_job("@daily")
    obj["spec"]["jobTemplate"]["spec"]["selector"] = {"matchLabels": {"a": "b"}}
    obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert messages("batch", "CronJob", obj) == [
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        "spec.jobTemplate.spec.selector: Invalid value: "
        'v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated",
    ]
