"""Workload defaults: what kube-apiserver 1.33 returns for Deployments, ReplicaSets,
DaemonSets, StatefulSets, Jobs and CronJobs right after they are created."""

from __future__ import annotations

import copy
from typing import Any

from corral.registry.defaults import apply_defaults

UID = "0b5a3d6e-8f2c-4e1a-b7d9-3c4e5f6a7b8c"
TIME = "2025-05-01T10:00:00Z"
TEMPLATE_POD_SPEC = {
    "dnsPolicy": "ClusterFirst",
    "restartPolicy": "Always",
    "schedulerName": "default-scheduler",
    "securityContext": {},
    "terminationGracePeriodSeconds": 30,
}


def meta(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "namespace": "default", "uid": UID, "creationTimestamp": TIME, **extra}


def container(name: str, image: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "image": image,
        "imagePullPolicy": "Always" if ":" not in image else "IfNotPresent",
        "resources": {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        **extra,
    }


def defaulted(group: str, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    apply_defaults(group, kind, obj)
    return obj


def test_kubectl_create_deployment() -> None:
    # kubectl create deployment nginx --image=nginx
    sent = {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": meta("nginx", labels={"app": "nginx"}),
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {}}]},
            },
            "strategy": {},
        },
    }
    assert defaulted("apps", "Deployment", sent) == {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": meta("nginx", labels={"app": "nginx"}),
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": 1,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "nginx"}},
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                "type": "RollingUpdate",
            },
            "template": {
                "metadata": {"creationTimestamp": None, "labels": {"app": "nginx"}},
                "spec": {"containers": [container("nginx", "nginx")], **TEMPLATE_POD_SPEC},
            },
        },
        "status": {},
    }


def test_full_deployment_manifest() -> None:
    manifest = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta("web", labels={"app": "web"}, annotations={"team": "payments"}),
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "Recreate"},
            "template": {
                "metadata": {"labels": {"app": "web", "tier": "frontend"}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "nginx:1.27",
                            "ports": [{"containerPort": 80, "name": "http"}],
                            "resources": {
                                "requests": {"cpu": "0.25", "memory": "64Mi"},
                                "limits": {"cpu": 1, "memory": "128Mi"},
                            },
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                            "volumeMounts": [{"name": "cache", "mountPath": "/cache"}],
                        }
                    ],
                    "volumes": [
                        {"name": "cache", "emptyDir": {}},
                        {"name": "conf", "configMap": {"name": "web-conf"}},
                    ],
                },
            },
        },
    }
    assert defaulted("apps", "Deployment", manifest)["spec"] == {
        "progressDeadlineSeconds": 600,
        "replicas": 3,
        "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {"type": "Recreate"},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "web", "tier": "frontend"}},
            "spec": {
                "containers": [
                    container(
                        "web",
                        "nginx:1.27",
                        ports=[{"containerPort": 80, "name": "http", "protocol": "TCP"}],
                        resources={
                            "requests": {"cpu": "250m", "memory": "64Mi"},
                            "limits": {"cpu": "1", "memory": "128Mi"},
                        },
                        readinessProbe={
                            "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                            "failureThreshold": 3,
                            "periodSeconds": 10,
                            "successThreshold": 1,
                            "timeoutSeconds": 1,
                        },
                        volumeMounts=[{"name": "cache", "mountPath": "/cache"}],
                    )
                ],
                "volumes": [
                    {"name": "cache", "emptyDir": {}},
                    {"name": "conf", "configMap": {"name": "web-conf", "defaultMode": 420}},
                ],
                **TEMPLATE_POD_SPEC,
            },
        },
    }


def test_replica_set_and_daemon_set() -> None:
    template = {"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "a", "image": "a:1"}]}}
    rs = defaulted(
        "apps",
        "ReplicaSet",
        {
            "metadata": meta("a"),
            "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": copy.deepcopy(template)},
        },
    )
    assert rs["spec"]["replicas"] == 1
    assert rs["spec"]["template"]["metadata"]["creationTimestamp"] is None
    ds = defaulted(
        "apps",
        "DaemonSet",
        {
            "metadata": meta("a"),
            "spec": {"selector": {"matchLabels": {"app": "a"}}, "template": copy.deepcopy(template)},
        },
    )
    assert ds["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert ds["spec"]["revisionHistoryLimit"] == 10
    assert "replicas" not in ds["spec"]
    assert ds["status"] == {}


def test_stateful_set_with_claim_templates() -> None:
    sts = defaulted(
        "apps",
        "StatefulSet",
        {
            "metadata": meta("db"),
            "spec": {
                "serviceName": "db",
                "selector": {"matchLabels": {"app": "db"}},
                "template": {
                    "metadata": {"labels": {"app": "db"}},
                    "spec": {"containers": [{"name": "db", "image": "pg:16"}]},
                },
                "volumeClaimTemplates": [
                    {
                        "metadata": {"name": "data"},
                        "spec": {
                            "accessModes": ["ReadWriteOnce"],
                            "resources": {"requests": {"storage": "1024Mi"}},
                        },
                    }
                ],
            },
        },
    )
    spec = sts["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert (spec["replicas"], spec["revisionHistoryLimit"]) == (1, 10)
    assert spec["volumeClaimTemplates"] == [
        {
            "metadata": {"name": "data", "creationTimestamp": None},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
                "volumeMode": "Filesystem",
            },
            "status": {"phase": "Pending"},
        }
    ]


def test_stateful_set_on_delete_gets_no_rolling_update() -> None:
    sts = defaulted("apps", "StatefulSet", {"metadata": meta("db"), "spec": {"updateStrategy": {"type": "OnDelete"}}})
    assert sts["spec"]["updateStrategy"] == {"type": "OnDelete"}


def test_kubectl_create_job() -> None:
    # kubectl create job pi --image=perl
    sent = {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": meta("pi"),
        "spec": {
            "template": {
                "metadata": {"creationTimestamp": None},
                "spec": {
                    "containers": [{"name": "pi", "image": "perl", "resources": {}}],
                    "restartPolicy": "Never",
                },
            }
        },
    }
    labels = {
        "batch.kubernetes.io/controller-uid": UID,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": UID,
        "job-name": "pi",
    }
    assert defaulted("batch", "Job", sent) == {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": meta("pi", labels=labels),
        "spec": {
            "backoffLimit": 6,
            "completionMode": "NonIndexed",
            "completions": 1,
            "manualSelector": False,
            "parallelism": 1,
            "podReplacementPolicy": "TerminatingOrFailed",
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": UID}},
            "suspend": False,
            "template": {
                "metadata": {"creationTimestamp": None, "labels": labels},
                "spec": {
                    "containers": [container("pi", "perl")],
                    **TEMPLATE_POD_SPEC,
                    "restartPolicy": "Never",
                },
            },
        },
        "status": {},
    }


def test_job_keeps_its_own_labels_and_manual_selector() -> None:
    job = defaulted(
        "batch",
        "Job",
        {
            "metadata": meta("work", labels={"team": "x"}),
            "spec": {
                "manualSelector": True,
                "parallelism": 4,
                "backoffLimitPerIndex": 1,
                "completionMode": "Indexed",
                "selector": {"matchLabels": {"app": "work"}},
                "podFailurePolicy": {
                    "rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]
                },
                "template": {
                    "metadata": {"labels": {"app": "work"}},
                    "spec": {"restartPolicy": "Never", "containers": []},
                },
            },
        },
    )
    spec = job["spec"]
    assert job["metadata"]["labels"] == {"team": "x"}
    assert spec["selector"] == {"matchLabels": {"app": "work"}}
    assert spec["template"]["metadata"]["labels"] == {"app": "work"}
    assert "completions" not in spec
    assert spec["backoffLimit"] == 2147483647
    assert spec["podReplacementPolicy"] == "Failed"
    assert spec["podFailurePolicy"]["rules"][0]["onPodConditions"] == [{"type": "DisruptionTarget", "status": "True"}]


def test_kubectl_create_cronjob() -> None:
    # kubectl create cronjob tick --image=busybox --schedule="*/1 * * * *"
    sent = {
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": meta("tick"),
        "spec": {
            "schedule": "*/1 * * * *",
            "jobTemplate": {
                "metadata": {"name": "tick", "creationTimestamp": None},
                "spec": {
                    "template": {
                        "metadata": {"creationTimestamp": None},
                        "spec": {
                            "containers": [{"name": "tick", "image": "busybox", "resources": {}}],
                            "restartPolicy": "OnFailure",
                        },
                    }
                },
            },
        },
    }
    assert defaulted("batch", "CronJob", sent)["spec"] == {
        "concurrencyPolicy": "Allow",
        "failedJobsHistoryLimit": 1,
        "jobTemplate": {
            "metadata": {"name": "tick", "creationTimestamp": None},
            "spec": {
                "template": {
                    "metadata": {"creationTimestamp": None},
                    "spec": {
                        "containers": [container("tick", "busybox")],
                        **TEMPLATE_POD_SPEC,
                        "restartPolicy": "OnFailure",
                    },
                }
            },
        },
        "schedule": "*/1 * * * *",
        "successfulJobsHistoryLimit": 3,
        "suspend": False,
    }


def test_workload_defaults_are_idempotent() -> None:
    for group, kind, obj in (
        ("apps", "Deployment", {"metadata": meta("d"), "spec": {"template": {"spec": {"containers": [{}]}}}}),
        ("batch", "Job", {"metadata": meta("j"), "spec": {"template": {"spec": {"containers": [{}]}}}}),
        ("apps", "StatefulSet", {"metadata": meta("s"), "spec": {"volumeClaimTemplates": [{}]}}),
    ):
        once = defaulted(group, kind, obj)
        assert defaulted(group, kind, copy.deepcopy(once)) == once


def test_null_and_empty_mean_unset() -> None:
    dep = defaulted(
        "apps",
        "Deployment",
        {
            "metadata": meta("d"),
            "spec": {
                "replicas": None,
                "strategy": None,
                "template": {"spec": {"dnsPolicy": "", "containers": [{"name": "c", "image": "i:1"}]}},
            },
        },
    )
    assert dep["spec"]["replicas"] == 1
    assert dep["spec"]["strategy"]["type"] == "RollingUpdate"
    assert dep["spec"]["template"]["spec"]["dnsPolicy"] == "ClusterFirst"
    scaled_to_zero = defaulted("apps", "Deployment", {"metadata": meta("z"), "spec": {"replicas": 0}})
    assert scaled_to_zero["spec"]["replicas"] == 0
