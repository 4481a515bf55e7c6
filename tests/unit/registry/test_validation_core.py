"""Validation of Services, ConfigMaps, Secrets, Namespaces, RBAC, storage, endpoints and
the metadata rules every kind shares."""

from __future__ import annotations

import base64
import copy
from typing import Any

from tests.unit.registry.test_validation_support import check, messages, meta, stored

RBAC = "rbac.authorization.k8s.io"


def service(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta("web"), "spec": spec}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_kubectl_created_service_is_valid() -> None:
    obj = service(
        ports=[{"name": "5678-8080", "protocol": "TCP", "port": 5678, "targetPort": 8080}],
        selector={"app": "web"},
        type="ClusterIP",
    )
    assert check("", "Service", obj) == []


def test_service_ports() -> None:
    assert messages("", "Service", service(selector={"app": "web"})) == ["spec.ports: Required value"]
    assert messages(
        "",
        "Service",
        service(
            ports=[
                {"port": 0},
                {"port": 80, "name": "http"},
                {"port": 81, "name": "http", "protocol": "ICMP"},
            ]
        ),
    ) == [
        "spec.ports[0].name: Required value",
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
        'spec.ports[2].name: Duplicate value: "http"',
        'spec.ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]


def test_service_type_and_name() -> None:
    obj = service(type="Ingress", ports=[{"port": 80}])
    obj["metadata"]["name"] = "1web"
    assert messages("", "Service", obj) == [
        'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric '
        "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
        "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", '
        '"LoadBalancer", "NodePort"',
    ]


def test_headless_and_external_name_services_need_no_ports() -> None:
    assert check("", "Service", service(clusterIP="None", clusterIPs=["None"], selector={"a": "b"})) == []
    assert check("", "Service", service(type="ExternalName", externalName="db.example.com.")) == []
    assert messages("", "Service", service(type="ExternalName")) == ["spec.externalName: Required value"]


def test_service_cluster_ip_is_immutable() -> None:
    old = stored("", "Service", service(ports=[{"port": 80}], clusterIP="10.96.0.10", clusterIPs=["10.96.0.10"]))
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"], new["spec"]["clusterIPs"] = "10.96.0.11", ["10.96.0.11"]
    assert messages("", "Service", new, old) == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set'
    ]


def test_config_map_keys_and_immutability() -> None:
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": meta("conf"),
        "data": {"game.properties": "x", "bad key": "y"},
    }
    assert messages("", "ConfigMap", cm) == [
        'data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '
        "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')"
    ]
    old = stored("", "ConfigMap", {"metadata": meta("conf"), "data": {"a": "1"}, "immutable": True})
    changed = copy.deepcopy(old)
    changed["data"]["a"] = "2"
    assert messages("", "ConfigMap", changed, old) == ["data: Forbidden: field is immutable when `immutable` is set"]
    unlocked = copy.deepcopy(old)
    unlocked["immutable"] = False
    assert messages("", "ConfigMap", unlocked, old) == [
        "immutable: Forbidden: field is immutable when `immutable` is set"
    ]


def test_typed_secrets() -> None:
    tls = {"metadata": meta("cert"), "type": "kubernetes.io/tls", "data": {"ca.crt": b64("x")}}
    assert messages("", "Secret", tls) == ["data[tls.crt]: Required value", "data[tls.key]: Required value"]
    docker = {"metadata": meta("pull"), "type": "kubernetes.io/dockerconfigjson"}
    assert messages("", "Secret", docker) == ["data[.dockerconfigjson]: Required value"]
    token = {"metadata": meta("tok"), "type": "kubernetes.io/service-account-token"}
    assert messages("", "Secret", token) == ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]
    opaque = {"metadata": meta("plain"), "stringData": {"password": "s3cret"}}
    assert check("", "Secret", opaque) == []


def test_secret_type_is_immutable() -> None:
    old = stored("", "Secret", {"metadata": meta("s"), "data": {"tls.crt": b64("c"), "tls.key": b64("k")}})
    new = copy.deepcopy(old)
    new["type"] = "kubernetes.io/tls"
    assert messages("", "Secret", new, old) == ['type: Invalid value: "kubernetes.io/tls": field is immutable']


def test_namespace_names_are_labels() -> None:
    assert messages("", "Namespace", {"metadata": meta("team.a", namespace=None)}) == [
        'metadata.name: Invalid value: "team.a": must not contain dots'
    ]
    assert check("", "Namespace", {"metadata": meta("team-a", namespace=None)}) == []


def test_cluster_scoped_objects_take_no_namespace() -> None:
    assert messages("", "Node", {"metadata": meta("node-1", namespace="default")}) == [
        "metadata.namespace: Forbidden: not allowed on this type"
    ]


def test_rbac_rules_and_names() -> None:
    role = {
        "metadata": meta("team/reader"),
        "rules": [
            {"apiGroups": [""], "resources": ["pods"]},
            {"verbs": ["get"], "nonResourceURLs": ["/healthz"]},
        ],
    }
    assert messages(RBAC, "Role", role) == [
        "metadata.name: Invalid value: \"team/reader\": may not contain '/'",
        "rules[0].verbs: Required value: verbs must contain at least one value",
        'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to '
        "non-resource URLs",
    ]
    cluster_role = {
        "metadata": meta("system:reader", namespace=None),
        "rules": [{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}],
    }
    assert check(RBAC, "ClusterRole", cluster_role) == []


def test_role_binding_subjects_and_role_ref() -> None:
    binding = {
        "metadata": meta("read"),
        "roleRef": {"kind": "Secret", "name": "reader"},
        "subjects": [{"kind": "Robot", "name": "r2"}, {"kind": "User"}],
    }
    assert messages(RBAC, "RoleBinding", binding) == [
        'roleRef.kind: Unsupported value: "Secret": supported values: "Role", "ClusterRole"',
        'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
        "subjects[1].name: Required value",
    ]
    old = stored(
        RBAC,
        "RoleBinding",
        {
            "metadata": meta("read"),
            "roleRef": {"kind": "Role", "name": "reader"},
            "subjects": [{"kind": "User", "name": "jane"}],
        },
    )
    new = copy.deepcopy(old)
    new["roleRef"]["name"] = "admin"
    assert messages(RBAC, "RoleBinding", new, old) == [
        'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", '
        'Name:"admin"}: cannot change roleRef'
    ]


def test_endpoint_slice_address_type() -> None:
    obj = {"metadata": meta("web-abc"), "addressType": "IPv5", "endpoints": [{"addresses": []}]}
    assert messages("discovery.k8s.io", "EndpointSlice", obj) == [
        'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
        "endpoints[0].addresses: Required value: must contain at least 1 address",
    ]
    valid = {
        "metadata": meta("web-abc"),
        "addressType": "IPv4",
        "endpoints": [{"addresses": ["10.1.2.3"]}],
        "ports": [{"port": 80, "name": "http"}],
    }
    assert check("discovery.k8s.io", "EndpointSlice", valid) == []


def test_claims() -> None:
    pvc = {"metadata": meta("data"), "spec": {"resources": {"requests": {}}}}
    assert messages("", "PersistentVolumeClaim", pvc) == [
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value",
    ]
    old = stored(
        "",
        "PersistentVolumeClaim",
        {
            "metadata": meta("data"),
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
        },
    )
    new = copy.deepcopy(old)
    new["spec"]["storageClassName"] = "fast"
    [message] = messages("", "PersistentVolumeClaim", new, old)
    assert message.startswith(
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims\n"
    )


def test_lease_and_limit_range() -> None:
    lease = {"metadata": meta("lock"), "spec": {"holderIdentity": "a", "leaseDurationSeconds": 0}}
    assert messages("coordination.k8s.io", "Lease", lease) == [
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"
    ]
    limits = {
        "metadata": meta("limits"),
        "spec": {"limits": [{"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}}]},
    }
    assert messages("", "LimitRange", limits)[0] == (
        'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1'
    )


def test_no_new_finalizers_while_deleting() -> None:
    old = stored("", "ConfigMap", {"metadata": meta("c"), "data": {}})
    old["metadata"]["deletionTimestamp"] = "2025-05-01T11:00:00Z"
    new = copy.deepcopy(old)
    new["metadata"]["finalizers"] = ["example.com/hold"]
    assert messages("", "ConfigMap", new, old) == [
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found "
        'new finalizers []string{"example.com/hold"}'
    ]


def test_kinds_without_rules_still_get_metadata_checks() -> None:
    crd = {"metadata": meta("Widgets.example.com", namespace=None), "spec": {}}
    assert messages("apiextensions.k8s.io", "CustomResourceDefinition", crd)[0].startswith(
        'metadata.name: Invalid value: "Widgets.example.com": a lowercase RFC 1123 subdomain'
    )


def test_node_taints_and_resources() -> None:
    node = {
        "metadata": meta("node-1", namespace=None),
        "spec": {
            "taints": [
                {"key": "gpu", "effect": "NoSchedule"},
                {"key": "gpu", "effect": "NoSchedule"},
                {"key": "x", "effect": "Sometimes"},
            ]
        },
        "status": {"capacity": {"cpu": "-1"}},
    }
    assert messages("", "Node", node) == [
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"gpu", Value:"", Effect:"NoSchedule", '
        "TimeAdded:<nil>}: taints must be unique by key and effect pair",
        'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", '
        '"PreferNoSchedule", "NoExecute"',
        'status.capacity[cpu]: Invalid value: "-1": must be greater than or equal to 0',
        'status.allocatable[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ]


def test_resource_quota_names() -> None:
    quota = {"metadata": meta("q"), "spec": {"hard": {"pods": "10", "widgets": "1", "count/deployments.apps": "2"}}}
    assert messages("", "ResourceQuota", quota) == [
        'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified'
    ]


def test_namespace_spec_finalizers() -> None:
    ns = {"metadata": meta("team-a", namespace=None), "spec": {"finalizers": ["kubernetes", "mine"]}}
    assert messages("", "Namespace", ns) == [
        'spec.finalizers: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified'
    ]


def test_events() -> None:
    core = {"metadata": meta("web.17a"), "involvedObject": {"kind": "Pod", "namespace": "other"}, "reason": "x"}
    assert messages("", "Event", core) == [
        'involvedObject.namespace: Invalid value: "other": does not match event.namespace'
    ]
    new = {"metadata": meta("web.17b"), "type": "Info", "eventTime": "2025-05-01T10:00:00.000000Z"}
    assert messages("events.k8s.io", "Event", new) == [
        'type: Invalid value: "": has invalid value: Info',
        "reportingController: Required value",
        'reportingController: Invalid value: "": name part must be non-empty',
        "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', "
        "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "reportingInstance: Required value",
        "action: Required value",
        "reason: Required value",
    ]
