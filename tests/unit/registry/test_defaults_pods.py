"""Pod defaults: what kube-apiserver 1.33 returns for pods as kubectl and manifests send
them (minus the service account token volume, which Corral does not mount)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from corral.registry.defaults import apply_defaults
from corral.registry.defaults.pods import image_tag, qos_class

META = {
    "name": "nginx",
    "namespace": "default",
    "uid": "6d3f8a52-1c1e-4a5b-9d1e-0f2b3c4d5e6f",
    "creationTimestamp": "2025-05-01T10:00:00Z",
}
TOLERATIONS = [
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
]


def defaulted(obj: dict[str, Any]) -> dict[str, Any]:
    apply_defaults("", "Pod", obj)
    return obj


def pod(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": dict(META), "spec": spec}


def test_kubectl_run_pod() -> None:
    # kubectl run nginx --image=nginx (the body kubectl 1.33 posts; the store removed status)
    sent = {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {**META, "labels": {"run": "nginx"}},
        "spec": {
            "containers": [{"name": "nginx", "image": "nginx", "resources": {}}],
            "restartPolicy": "Always",
            "dnsPolicy": "ClusterFirst",
        },
    }
    assert defaulted(sent) == {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {**META, "labels": {"run": "nginx"}},
        "spec": {
            "containers": [
                {
                    "name": "nginx",
                    "image": "nginx",
                    "imagePullPolicy": "Always",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }
            ],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": TOLERATIONS,
        },
        "status": {"phase": "Pending", "qosClass": "BestEffort"},
    }


def test_limits_become_requests_and_quantities_print_canonically() -> None:
    obj = defaulted(
        pod(
            {
                "containers": [
                    {
                        "name": "app",
                        "image": "app:1.0",
                        "resources": {"limits": {"cpu": "0.5", "memory": "1024Mi"}},
                        "ports": [{"containerPort": 8080}],
                    }
                ]
            }
        )
    )
    container = obj["spec"]["containers"][0]
    assert container["resources"] == {
        "limits": {"cpu": "500m", "memory": "1Gi"},
        "requests": {"cpu": "500m", "memory": "1Gi"},
    }
    assert container["ports"] == [{"containerPort": 8080, "protocol": "TCP"}]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert obj["status"]["qosClass"] == "Guaranteed"


@pytest.mark.parametrize(
    ("resources", "qos"),
    [
        ({}, "BestEffort"),
        ({"requests": {"cpu": "100m"}}, "Burstable"),
        ({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}, "Burstable"),
        ({"limits": {"cpu": "1", "memory": "1Gi"}}, "Guaranteed"),
        ({"limits": {"cpu": "0", "memory": "0"}}, "BestEffort"),
        ({"requests": {"nvidia.com/gpu": "1"}, "limits": {"nvidia.com/gpu": "1"}}, "BestEffort"),
    ],
)
def test_qos_class(resources: dict[str, Any], qos: str) -> None:
    obj = defaulted(pod({"containers": [{"name": "c", "image": "i", "resources": resources}]}))
    assert obj["status"]["qosClass"] == qos == qos_class(obj["spec"])


def test_init_containers_count_towards_qos() -> None:
    spec = {
        "containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}],
        "initContainers": [{"name": "init", "image": "i"}],
    }
    assert defaulted(pod(spec))["status"]["qosClass"] == "Burstable"


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("registry.example.com:5000/team/app", "Always"),
        ("registry.example.com:5000/team/app:v2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("NotAValid/Reference", "IfNotPresent"),
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    obj = defaulted(pod({"containers": [{"name": "c", "image": image}]}))
    assert obj["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_image_tag_parsing() -> None:
    assert image_tag("localhost:5000/app") == "latest"
    assert image_tag("app:v1@sha256:" + "b" * 64) == "v1"
    assert image_tag("") == ""


def test_volume_sources() -> None:
    obj = defaulted(
        pod(
            {
                "containers": [{"name": "c", "image": "i"}],
                "volumes": [
                    {"name": "scratch"},
                    {"name": "config", "configMap": {"name": "cfg"}},
                    {"name": "creds", "secret": {"secretName": "s", "defaultMode": 256}},
                    {"name": "host", "hostPath": {"path": "/var/log"}},
                    {
                        "name": "info",
                        "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]},
                    },
                    {"name": "all", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
                    {"name": "tmp", "emptyDir": {"sizeLimit": "1024Mi"}},
                ],
            }
        )
    )
    assert obj["spec"]["volumes"] == [
        {"name": "scratch", "emptyDir": {}},
        {"name": "config", "configMap": {"name": "cfg", "defaultMode": 420}},
        {"name": "creds", "secret": {"secretName": "s", "defaultMode": 256}},
        {"name": "host", "hostPath": {"path": "/var/log", "type": ""}},
        {
            "name": "info",
            "downwardAPI": {
                "defaultMode": 420,
                "items": [{"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}}],
            },
        },
        {
            "name": "all",
            "projected": {
                "defaultMode": 420,
                "sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}],
            },
        },
        {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}},
    ]


def test_probes_lifecycle_and_env() -> None:
    obj = defaulted(
        pod(
            {
                "containers": [
                    {
                        "name": "c",
                        "image": "i",
                        "livenessProbe": {"httpGet": {"port": 8080}},
                        "readinessProbe": {"grpc": {"port": 9090}, "periodSeconds": 5},
                        "lifecycle": {"preStop": {"httpGet": {"port": "http", "path": "/stop"}}},
                        "env": [
                            {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                            {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}},
                        ],
                    }
                ]
            }
        )
    )
    container = obj["spec"]["containers"][0]
    assert container["livenessProbe"] == {
        "httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert container["readinessProbe"] == {
        "grpc": {"port": 9090, "service": ""},
        "timeoutSeconds": 1,
        "periodSeconds": 5,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert container["lifecycle"] == {"preStop": {"httpGet": {"port": "http", "path": "/stop", "scheme": "HTTP"}}}
    assert container["env"] == [
        {"name": "NODE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
        {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "0"}}},
    ]


def test_existing_wildcard_toleration_suppresses_the_defaults() -> None:
    obj = defaulted(pod({"containers": [{"name": "c", "image": "i"}], "tolerations": [{"operator": "Exists"}]}))
    assert obj["spec"]["tolerations"] == [{"operator": "Exists"}]


def test_host_network_ports_and_system_priority() -> None:
    obj = defaulted(
        pod(
            {
                "hostNetwork": True,
                "priorityClassName": "system-node-critical",
                "containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 53}]}],
            }
        )
    )
    assert obj["spec"]["containers"][0]["ports"] == [{"containerPort": 53, "hostPort": 53, "protocol": "TCP"}]
    assert obj["spec"]["priority"] == 2000001000


def test_scheduling_gates_give_a_gated_condition() -> None:
    obj = defaulted(
        pod({"containers": [{"name": "c", "image": "i"}], "schedulingGates": [{"name": "example.com/wait"}]})
    )
    assert obj["status"]["conditions"] == [
        {
            "type": "PodScheduled",
            "status": "False",
            "reason": "SchedulingGated",
            "message": "Scheduling is blocked due to non-empty scheduling gates",
            "lastProbeTime": None,
            "lastTransitionTime": None,
        }
    ]


def test_deprecated_service_account_field_follows_the_name() -> None:
    obj = defaulted(pod({"containers": [{"name": "c", "image": "i"}], "serviceAccount": "builder"}))
    assert (obj["spec"]["serviceAccountName"], obj["spec"]["serviceAccount"]) == ("builder", "builder")


def test_defaults_are_idempotent_and_keep_an_existing_status() -> None:
    obj = defaulted(pod({"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": "1"}}}]}))
    obj["status"] = {"phase": "Running", "qosClass": "Burstable"}
    again = copy.deepcopy(obj)
    apply_defaults("", "Pod", again)
    assert again == obj
