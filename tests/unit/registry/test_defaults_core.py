"""Defaults of Services, Namespaces, Secrets, storage, endpoints, nodes, RBAC bindings and
the other built-in kinds, compared with what kube-apiserver 1.33 returns."""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest

from corral.registry.defaults import apply_defaults

RBAC = "rbac.authorization.k8s.io"
META = {
    "name": "x",
    "namespace": "default",
    "uid": "1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    "creationTimestamp": "2025-05-01T10:00:00Z",
}


def defaulted(group: str, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    apply_defaults(group, kind, obj)
    return obj


def service(spec: dict[str, Any]) -> dict[str, Any]:
    return defaulted("", "Service", {"metadata": dict(META), "spec": spec})


def test_kubectl_create_service_clusterip() -> None:
    # kubectl create service clusterip my-svc --tcp=5678:8080 (cluster IPs are allocated elsewhere)
    sent = {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": {**META, "labels": {"app": "my-svc"}},
        "spec": {
            "ports": [{"name": "5678-8080", "protocol": "TCP", "port": 5678, "targetPort": 8080}],
            "selector": {"app": "my-svc"},
            "type": "ClusterIP",
        },
    }
    assert defaulted("", "Service", sent) == {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": {**META, "labels": {"app": "my-svc"}},
        "spec": {
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "5678-8080", "port": 5678, "protocol": "TCP", "targetPort": 8080}],
            "selector": {"app": "my-svc"},
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
        "status": {"loadBalancer": {}},
    }


def test_target_port_defaults_to_port() -> None:
    spec = service({"ports": [{"port": 80}, {"port": 443, "targetPort": "https"}]})["spec"]
    assert spec["ports"] == [
        {"port": 80, "protocol": "TCP", "targetPort": 80},
        {"port": 443, "protocol": "TCP", "targetPort": "https"},
    ]
    assert spec["type"] == "ClusterIP"
    assert "externalTrafficPolicy" not in spec


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("NodePort", {"externalTrafficPolicy": "Cluster"}),
        ("LoadBalancer", {"externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True}),
    ],
)
def test_externally_accessible_services(kind: str, extra: dict[str, Any]) -> None:
    spec = service({"type": kind, "ports": [{"port": 80}]})["spec"]
    for name, value in extra.items():
        assert spec[name] == value


def test_external_name_service_gets_no_ip_fields() -> None:
    spec = service({"type": "ExternalName", "externalName": "db.example.com"})["spec"]
    assert spec == {"type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None"}


def test_headless_service_without_selector_requires_dual_stack() -> None:
    assert service({"clusterIP": "None"})["spec"]["ipFamilyPolicy"] == "RequireDualStack"
    assert service({"clusterIP": "None", "selector": {"a": "b"}})["spec"]["ipFamilyPolicy"] == "SingleStack"


def test_client_ip_affinity_gets_a_timeout_and_none_drops_the_config() -> None:
    assert service({"sessionAffinity": "ClientIP"})["spec"]["sessionAffinityConfig"] == {
        "clientIP": {"timeoutSeconds": 10800}
    }
    dropped = service({"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 5}}})["spec"]
    assert "sessionAffinityConfig" not in dropped


def test_new_namespace() -> None:
    ns = defaulted(
        "", "Namespace", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a", "uid": "u"}}
    )
    assert ns == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "team-a", "uid": "u", "labels": {"kubernetes.io/metadata.name": "team-a"}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def test_finalized_namespace_keeps_its_finalizers_removed() -> None:
    ns = {"metadata": {"name": "team-a"}, "spec": {"finalizers": []}, "status": {"phase": "Terminating"}}
    assert defaulted("", "Namespace", ns)["spec"] == {"finalizers": []}
    assert ns["status"] == {"phase": "Terminating"}


def test_secret_type_and_string_data() -> None:
    secret = defaulted(
        "",
        "Secret",
        {
            "metadata": dict(META),
            "data": {"a": base64.b64encode(b"1").decode()},
            "stringData": {"b": "two", "a": "one"},
        },
    )
    assert secret == {
        "metadata": META,
        "type": "Opaque",
        "data": {"a": base64.b64encode(b"one").decode(), "b": base64.b64encode(b"two").decode()},
    }


def test_claims_and_volumes() -> None:
    pvc = defaulted(
        "",
        "PersistentVolumeClaim",
        {
            "metadata": dict(META),
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "0.5Gi"}}},
        },
    )
    assert pvc["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "512Mi"}},
        "volumeMode": "Filesystem",
    }
    assert pvc["status"] == {"phase": "Pending"}
    pv = defaulted(
        "",
        "PersistentVolume",
        {
            "metadata": {"name": "pv1"},
            "spec": {
                "capacity": {"storage": "10Gi"},
                "accessModes": ["ReadWriteOnce"],
                "hostPath": {"path": "/data"},
            },
        },
    )
    assert pv["spec"] == {
        "capacity": {"storage": "10Gi"},
        "accessModes": ["ReadWriteOnce"],
        "hostPath": {"path": "/data", "type": ""},
        "persistentVolumeReclaimPolicy": "Retain",
        "volumeMode": "Filesystem",
    }
    assert pv["status"] == {"phase": "Pending"}


def test_endpoints_and_endpoint_slices() -> None:
    ep = defaulted(
        "",
        "Endpoints",
        {"metadata": dict(META), "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]},
    )
    assert ep["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
    slice_ = defaulted(
        "discovery.k8s.io",
        "EndpointSlice",
        {
            "metadata": dict(META),
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1"]}],
            "ports": [{"port": 80}],
        },
    )
    assert slice_["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]
    assert slice_["endpoints"] == [{"addresses": ["10.0.0.1"], "conditions": {}}]


def test_node_status() -> None:
    node = defaulted("", "Node", {"metadata": {"name": "n1"}, "status": {"capacity": {"cpu": "4", "memory": "8Gi"}}})
    assert node["spec"] == {}
    assert node["status"]["allocatable"] == {"cpu": "4", "memory": "8Gi"}
    assert node["status"]["daemonEndpoints"] == {"kubeletEndpoint": {"Port": 0}}
    assert node["status"]["nodeInfo"] == {
        field: ""
        for field in (
            "architecture",
            "bootID",
            "containerRuntimeVersion",
            "kernelVersion",
            "kubeProxyVersion",
            "kubeletVersion",
            "machineID",
            "operatingSystem",
            "osImage",
            "systemUUID",
        )
    }


def test_role_binding_groups() -> None:
    binding = defaulted(
        "rbac.authorization.k8s.io",
        "RoleBinding",
        {
            "metadata": dict(META),
            "roleRef": {"kind": "Role", "name": "reader"},
            "subjects": [
                {"kind": "User", "name": "jane"},
                {"kind": "ServiceAccount", "name": "ci", "namespace": "x"},
            ],
        },
    )
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}
    assert binding["subjects"] == [
        {"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"},
        {"kind": "ServiceAccount", "name": "ci", "namespace": "x"},
    ]


def test_limit_range_container_defaults() -> None:
    lr = defaulted(
        "",
        "LimitRange",
        {
            "metadata": dict(META),
            "spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "0.5Gi"}}]},
        },
    )
    assert lr["spec"]["limits"] == [
        {
            "type": "Container",
            "max": {"cpu": "2"},
            "min": {"memory": "512Mi"},
            "default": {"cpu": "2"},
            "defaultRequest": {"cpu": "2", "memory": "512Mi"},
        }
    ]


def test_custom_resource_definition() -> None:
    crd = defaulted(
        "apiextensions.k8s.io",
        "CustomResourceDefinition",
        {
            "metadata": {"name": "widgets.example.com"},
            "spec": {
                "group": "example.com",
                "scope": "Namespaced",
                "names": {"kind": "Widget", "plural": "widgets"},
                "versions": [{"name": "v1", "served": True, "storage": True}],
            },
        },
    )
    assert crd["spec"]["names"] == {
        "kind": "Widget",
        "plural": "widgets",
        "singular": "widget",
        "listKind": "WidgetList",
    }
    assert crd["spec"]["conversion"] == {"strategy": "None"}
    assert crd["status"] == {"acceptedNames": {"kind": "", "plural": ""}, "storedVersions": ["v1"]}


def test_structs_kube_always_prints() -> None:
    assert defaulted("coordination.k8s.io", "Lease", {"metadata": dict(META)})["spec"] == {}
    event = defaulted("", "Event", {"metadata": dict(META), "reason": "Started"})
    assert {
        k: event[k]
        for k in (
            "eventTime",
            "firstTimestamp",
            "lastTimestamp",
            "reportingComponent",
            "reportingInstance",
            "source",
            "involvedObject",
        )
    } == {
        "eventTime": None,
        "firstTimestamp": None,
        "lastTimestamp": None,
        "reportingComponent": "",
        "reportingInstance": "",
        "source": {},
        "involvedObject": {},
    }


def test_lists_go_prints_as_null_and_empty_metadata_maps() -> None:
    role = defaulted(RBAC, "ClusterRole", {"metadata": {"name": "aggregate", "labels": {}, "annotations": {}}})
    assert role == {"metadata": {"name": "aggregate"}, "rules": None}
    slice_ = defaulted("discovery.k8s.io", "EndpointSlice", {"metadata": dict(META), "addressType": "IPv4"})
    assert (slice_["endpoints"], slice_["ports"]) == (None, None)


def test_kinds_without_defaults_are_left_alone() -> None:
    cm = {"metadata": dict(META), "data": {"k": "v"}}
    assert defaulted("", "ConfigMap", copy.deepcopy(cm)) == cm
    role = {"metadata": dict(META), "rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]}
    assert defaulted(RBAC, "Role", copy.deepcopy(role)) == role
