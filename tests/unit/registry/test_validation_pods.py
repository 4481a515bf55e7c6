"""Pod validation: the causes kube-apiserver 1.33 gives for the mistakes people make."""

from __future__ import annotations

import copy
from typing import Any

from corral.machinery.errors import invalid
from tests.unit.registry.test_validation_support import check, messages, meta, stored

SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    r"validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def pod(**spec: Any) -> dict[str, Any]:
    spec.setdefault("containers", [{"name": "web", "image": "nginx"}])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta("web"), "spec": spec}


def pod_messages(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[str]:
    return messages("", "Pod", obj, old)


def test_kubectl_run_pod_is_valid() -> None:
    assert check("", "Pod", pod()) == []


def test_pod_without_containers() -> None:
    causes = check("", "Pod", pod(containers=[]))
    assert [(c.reason, c.field, c.message) for c in causes] == [
        ("FieldValueRequired", "spec.containers", "Required value")
    ]
    assert str(invalid("Pod", "", "web", causes)) == 'Pod "web" is invalid: spec.containers: Required value'


def test_container_names_images_and_duplicates() -> None:
    assert pod_messages(pod(containers=[{"name": "Web_1", "image": "nginx"}, {"name": "Web_1"}])) == [
        f'spec.containers[0].name: Invalid value: "Web_1": {LABEL}',
        f'spec.containers[1].name: Invalid value: "Web_1": {LABEL}',
        "spec.containers[1].image: Required value",
        'spec.containers[1].name: Duplicate value: "Web_1"',
    ]


def test_enumerations() -> None:
    assert pod_messages(pod(restartPolicy="Sometimes", dnsPolicy="Google")) == [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", '
        '"ClusterFirst", "Default", "None"',
    ]
    assert pod_messages(pod(containers=[{"name": "c", "image": "i", "imagePullPolicy": "Sometimes"}])) == [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"IfNotPresent", "Never"'
    ]


def test_ports() -> None:
    container = {
        "name": "c",
        "image": "i",
        "ports": [{"containerPort": 70000}, {"containerPort": 80, "protocol": "HTTP", "name": "Web"}],
    }
    assert pod_messages(pod(containers=[container])) == [
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'spec.containers[0].ports[1].name: Invalid value: "Web": must contain only alpha-numeric characters '
        "(a-z, 0-9), and hyphens (-)",
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]


def test_requests_may_not_exceed_limits() -> None:
    container = {
        "name": "c",
        "image": "i",
        "resources": {"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": 1, "memory": "2Gi"}},
    }
    assert pod_messages(pod(containers=[container])) == [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'
    ]


def test_bad_quantities_and_resource_names() -> None:
    container = {"name": "c", "image": "i", "resources": {"limits": {"cpu": "lots", "gpu": "1"}}}
    assert pod_messages(pod(containers=[container])) == [
        'spec.containers[0].resources.limits[cpu]: Invalid value: "lots": quantities must match the regular '
        "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or '
        "fully qualified",
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        'spec.containers[0].resources.requests[cpu]: Invalid value: "lots": quantities must match the regular '
        "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or '
        "fully qualified",
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]


def test_volumes_and_mounts() -> None:
    obj = pod(
        containers=[
            {
                "name": "c",
                "image": "i",
                "volumeMounts": [
                    {"name": "data", "mountPath": "/data"},
                    {"name": "conf", "mountPath": "/data"},
                ],
            }
        ],
        volumes=[
            {"name": "conf", "configMap": {"name": "c"}},
            {"name": "conf", "secret": {"secretName": "s"}},
            {"name": "both", "emptyDir": {}, "hostPath": {"path": "/x"}},
        ],
    )
    assert pod_messages(obj) == [
        'spec.volumes[1].name: Duplicate value: "conf"',
        "spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type",
        'spec.containers[0].volumeMounts[0].name: Not found: "data"',
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
    ]


def test_probes() -> None:
    container = {
        "name": "c",
        "image": "i",
        "livenessProbe": {"successThreshold": 2},
        "readinessProbe": {"tcpSocket": {"port": 0}, "exec": {"command": ["true"]}},
    }
    assert pod_messages(pod(containers=[container])) == [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
    ]


def test_metadata() -> None:
    obj = pod()
    obj["metadata"] = meta(
        "Web",
        labels={"bad key": "x", "app": "-web"},
        annotations={"note": "x" * (256 * 1024)},
        finalizers=["custom"],
    )
    assert pod_messages(obj) == [
        f'metadata.name: Invalid value: "Web": {SUBDOMAIN}',
        'metadata.labels: Invalid value: "-web": a valid label must be an empty string or consist of '
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        "(e.g. "
        "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', "
        "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
        "'my.name',  or "
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "metadata.annotations: Too long: may not be more than 262144 bytes",
        'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it '
        "fully qualified",
    ]


def test_namespace_is_required_for_pods() -> None:
    obj = pod()
    del obj["metadata"]["namespace"]
    assert pod_messages(obj) == ["metadata.namespace: Required value"]


def test_update_may_change_images_only() -> None:
    old = stored("", "Pod", pod())
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.27"
    new["spec"]["activeDeadlineSeconds"] = 60
    assert pod_messages(new, old) == []
    new["spec"]["dnsPolicy"] = "Default"
    [message] = pod_messages(new, old)
    assert message.startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
        "previously negative)\n"
    )
    assert 'spec.dnsPolicy: "ClusterFirst" -> "Default"' in message


def test_update_may_not_add_containers_or_drop_tolerations() -> None:
    old = stored("", "Pod", pod(tolerations=[{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}]))
    added = copy.deepcopy(old)
    added["spec"]["containers"].append({"name": "sidecar", "image": "busybox"})
    assert pod_messages(added, old)[-1] == "spec.containers: Forbidden: pod updates may not add or remove containers"
    changed = copy.deepcopy(old)
    changed["spec"]["tolerations"][0]["effect"] = "NoExecute"
    assert "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds" in (
        pod_messages(changed, old)
    )


def test_pod_spec_fields() -> None:
    obj = pod(
        activeDeadlineSeconds=0,
        hostname="Host",
        nodeName="node_1",
        tolerations=[{"operator": "Equal", "value": "x"}],
        securityContext={"runAsUser": -1},
    )
    assert pod_messages(obj) == [
        "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
        f'spec.nodeName: Invalid value: "node_1": {SUBDOMAIN}',
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
        f'spec.hostname: Invalid value: "Host": {LABEL}',
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, '
        'which means "match all values and all keys"',
    ]


def test_ephemeral_containers_are_refused_on_create() -> None:
    obj = pod(ephemeralContainers=[{"name": "debug", "image": "busybox"}])
    assert pod_messages(obj)[-1] == "spec.ephemeralContainers: Forbidden: cannot be set on create"
