"""Unknown-field detection names the paths kube-apiserver names, and nothing in valid
objects."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import kubernetes.client as k8s
import pytest
import yaml

from corral.schema.fields import set_custom_schema, unknown_fields

DEPLOYMENT = yaml.safe_load("""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: frontend}
  annotations: {deployment.kubernetes.io/revision: "3"}
  creationTimestamp: "2025-01-01T00:00:00Z"
  managedFields:
  - manager: kubectl
    operation: Update
    apiVersion: apps/v1
    time: "2025-01-01T00:00:00Z"
    fieldsType: FieldsV1
    fieldsV1: {"f:spec": {"f:replicas": {}}, "f:anything": {".": {}}}
spec:
  replicas: 3
  revisionHistoryLimit: 5
  selector:
    matchLabels: {app: web}
    matchExpressions:
    - {key: tier, operator: In, values: [frontend]}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      serviceAccountName: web
      securityContext: {runAsNonRoot: true, fsGroup: 2000}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector: {matchLabels: {app: web}}
      tolerations:
      - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}
      initContainers:
      - name: migrate
        image: shop/migrate:1.2
        command: [/bin/migrate, --up]
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        args: [--port, "8080"]
        ports:
        - {name: http, containerPort: 8080, protocol: TCP}
        env:
        - {name: MODE, value: production}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
        - name: POD_IP
          valueFrom: {fieldRef: {fieldPath: status.podIP}}
        - name: CPU_LIMIT
          valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}
        envFrom:
        - configMapRef: {name: web-config}
        resources:
          limits: {cpu: 500m, memory: 256Mi}
          requests: {cpu: 0.1, memory: 64Mi}
        livenessProbe:
          httpGet: {path: /healthz, port: http, httpHeaders: [{name: X-Probe, value: "1"}]}
          initialDelaySeconds: 5
          periodSeconds: 10
        readinessProbe:
          tcpSocket: {port: 8080}
        startupProbe:
          exec: {command: [cat, /tmp/ready]}
          failureThreshold: 30
        lifecycle:
          preStop: {sleep: {seconds: 5}}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        volumeMounts:
        - {name: data, mountPath: /data}
        - {name: config, mountPath: /etc/web, readOnly: true}
      volumes:
      - name: data
        emptyDir: {sizeLimit: 1Gi}
      - name: config
        configMap:
          name: web-config
          items: [{key: nginx.conf, path: nginx.conf}]
      - name: token
        projected:
          sources:
          - serviceAccountToken: {path: token, expirationSeconds: 3600}
status:
  replicas: 3
  conditions:
  - {type: Available, status: "True", lastUpdateTime: "2025-01-01T00:00:00Z"}
""")

SERVICE = yaml.safe_load("""
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, protocol: TCP}
  - {name: metrics, port: 9090, targetPort: 9090, nodePort: 30090}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
status:
  loadBalancer: {ingress: [{ip: 10.0.0.1, ports: [{port: 80, protocol: TCP}]}]}
""")

CONFIG_MAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config"},
              "data": {"nginx.conf": "events {}", "anything.goes": "x"}, "binaryData": {"blob": "AAEC"},
              "immutable": False}

POD = yaml.safe_load("""
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: default, ownerReferences: [{apiVersion: v1, kind: Node, name: n1, uid: u}]}
spec:
  nodeSelector: {kubernetes.io/os: linux}
  restartPolicy: Never
  containers:
  - name: shell
    image: busybox
    stdin: true
    tty: true
    resources: {limits: {nvidia.com/gpu: 1}}
  overhead: {cpu: 250m}
status:
  phase: Running
  podIPs: [{ip: 10.1.0.4}]
  containerStatuses:
  - name: shell
    ready: true
    restartCount: 0
    image: busybox
    imageID: sha256:abc
    state: {running: {startedAt: "2025-01-01T00:00:00Z"}}
""")


def _serialize(model: object) -> dict[str, Any]:
    out: dict[str, Any] = k8s.ApiClient().sanitize_for_serialization(model)  # type: ignore[no-untyped-call]
    return out


def _client_objects() -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Objects built with the kubernetes Python client's models, as it would send them."""
    pod_spec = k8s.V1PodSpec(containers=[k8s.V1Container(
        name="app", image="app:1", ports=[k8s.V1ContainerPort(container_port=80, name="http")],
        readiness_probe=k8s.V1Probe(http_get=k8s.V1HTTPGetAction(path="/", port="http")),
        resources=k8s.V1ResourceRequirements(limits={"cpu": "1"}),
        env=[k8s.V1EnvVar(name="A", value_from=k8s.V1EnvVarSource(
            config_map_key_ref=k8s.V1ConfigMapKeySelector(name="c", key="k")))])])
    template = k8s.V1PodTemplateSpec(metadata=k8s.V1ObjectMeta(labels={"app": "a"}), spec=pod_spec)
    yield "batch", "v1", "CronJob", _serialize(k8s.V1CronJob(
        api_version="batch/v1", kind="CronJob", metadata=k8s.V1ObjectMeta(name="nightly"),
        spec=k8s.V1CronJobSpec(schedule="0 0 * * *", job_template=k8s.V1JobTemplateSpec(
            spec=k8s.V1JobSpec(template=template, backoff_limit=2)))))
    yield "apps", "v1", "StatefulSet", _serialize(k8s.V1StatefulSet(
        api_version="apps/v1", kind="StatefulSet", metadata=k8s.V1ObjectMeta(name="db"),
        spec=k8s.V1StatefulSetSpec(
            selector=k8s.V1LabelSelector(match_labels={"app": "a"}), service_name="db", template=template,
            volume_claim_templates=[k8s.V1PersistentVolumeClaim(
                metadata=k8s.V1ObjectMeta(name="data"),
                spec=k8s.V1PersistentVolumeClaimSpec(access_modes=["ReadWriteOnce"],
                                                     resources=k8s.V1VolumeResourceRequirements(
                                                         requests={"storage": "1Gi"})))])))
    yield "rbac.authorization.k8s.io", "v1", "ClusterRole", _serialize(k8s.V1ClusterRole(
        api_version="rbac.authorization.k8s.io/v1", kind="ClusterRole", metadata=k8s.V1ObjectMeta(name="r"),
        rules=[k8s.V1PolicyRule(api_groups=[""], resources=["pods"], verbs=["get"])]))


@pytest.mark.parametrize(("group", "kind", "obj"), [
    ("apps", "Deployment", DEPLOYMENT), ("", "Service", SERVICE), ("", "ConfigMap", CONFIG_MAP),
    ("", "Pod", POD),
])
def test_valid_objects_have_no_unknown_fields(group: str, kind: str, obj: dict[str, Any]) -> None:
    assert unknown_fields(obj, group, "v1", kind) == []


def test_objects_from_the_python_client_have_no_unknown_fields() -> None:
    seen = 0
    for group, version, kind, obj in _client_objects():
        assert obj["kind"] == kind
        assert unknown_fields(obj, group, version, kind) == [], kind
        seen += 1
    assert seen == 3


def test_nested_unknown_fields_in_document_order() -> None:
    obj = copy.deepcopy(DEPLOYMENT)
    obj["spec"]["template"]["spec"]["containers"][0]["foo"] = 1
    obj["spec"]["template"]["spec"]["volumes"][1]["configMap"]["items"][0]["mode2"] = 1
    obj["metadata"]["labelz"] = {"a": "b"}
    obj["spec"]["strategy"]["rollingUpdate"]["maxSurges"] = 1
    obj["bogus"] = True
    obj["status"]["conditions"][0]["why"] = "x"
    assert unknown_fields(obj, "apps", "v1", "Deployment") == [
        "metadata.labelz",
        "spec.strategy.rollingUpdate.maxSurges",
        "spec.template.spec.containers[0].foo",
        "spec.template.spec.volumes[1].configMap.items[0].mode2",
        "status.conditions[0].why",
        "bogus",
    ]


def test_field_names_are_case_sensitive() -> None:
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"Name": "x"},
           "spec": {"containers": [{"name": "a", "Image": "b"}]}}
    assert unknown_fields(obj, "", "v1", "Pod") == ["metadata.Name", "spec.containers[0].Image"]


def test_opaque_values_are_not_looked_into() -> None:
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": {
        "name": "s", "creationTimestamp": {"not": "a time"},
        "managedFields": [{"fieldsV1": {"f:whatever": {"deep": {"x": 1}}}}]},
        "spec": {"ports": [{"port": 80, "targetPort": {"weird": 1}}], "selector": {"x.y/z": "1"}}}
    assert unknown_fields(obj, "", "v1", "Service") == []


def test_unknown_fields_with_null_values_are_reported_and_known_nulls_are_not() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": None, "data": None, "extra": None}
    assert unknown_fields(obj, "", "v1", "ConfigMap") == ["extra"]


def test_values_of_the_wrong_json_type_are_left_to_decoding() -> None:
    obj = {"kind": "Pod", "spec": {"containers": {"name": "not-a-list"}, "volumes": "nope"}, "metadata": []}
    assert unknown_fields(obj, "", "v1", "Pod") == []


def test_map_keys_are_path_segments() -> None:
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "crontabs.stable.example.com"},
           "spec": {"group": "stable.example.com", "scope": "Namespaced",
                    "names": {"plural": "crontabs", "kind": "CronTab"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "subresources": {"status": {"unexpected": 1}},
                                  "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                                      "spec": {"type": "object", "typo": 1,
                                               "items": {"anything": "goes"}, "default": {"free": 1}}}}}}]}}
    assert unknown_fields(crd, "apiextensions.k8s.io", "v1", "CustomResourceDefinition") == [
        "spec.versions[0].subresources.status.unexpected",
        "spec.versions[0].schema.openAPIV3Schema.properties.spec.typo",
    ]


def test_kinds_of_the_same_name_in_different_groups() -> None:
    event = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e"}, "note": "n",
             "regarding": {"kind": "Pod", "name": "p"}, "eventTime": "2025-01-01T00:00:00.000000Z"}
    assert unknown_fields(event, "events.k8s.io", "v1", "Event") == []
    assert unknown_fields(event, "", "v1", "Event") == ["note", "regarding"]


def test_unknown_kinds_pass() -> None:
    assert unknown_fields({"anything": 1}, "nothing.example.com", "v1", "Thing") == []


def test_at_most_one_hundred_paths() -> None:
    obj = {"kind": "ConfigMap", **{f"f{i}": i for i in range(150)}}
    found = unknown_fields(obj, "", "v1", "ConfigMap")
    assert len(found) == 100
    assert found[:2] == ["f0", "f1"]


def test_custom_resources_follow_pruning() -> None:
    schema = {"type": "object", "properties": {
        "spec": {"type": "object", "properties": {
            "cronSpec": {"type": "string"},
            "port": {"x-kubernetes-int-or-string": True},
            "template": {"type": "object", "x-kubernetes-embedded-resource": True, "properties": {
                "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}},
            "jobs": {"type": "array", "items": {"type": "object", "x-kubernetes-embedded-resource": True,
                                                "x-kubernetes-preserve-unknown-fields": True}},
            "selectors": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}}}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "opaque": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "partly": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                       "properties": {"fixed": {"type": "object", "properties": {"a": {"type": "string"}}}}},
            "closed": {"type": "object"},
        }},
    }}
    set_custom_schema("stable.example.com", "v1", "CronTab", schema)
    try:
        valid: dict[str, Any] = {
            "apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": "c"},
            "spec": {"cronSpec": "* * * * *", "port": "http",
                     "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "t"},
                                  "spec": {"any": {"thing": 1}}},
                     "jobs": [{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"labels": {"a": "b"}},
                               "spec": {"free": 1}}],
                     "selectors": [{"key": "a"}], "labels": {"a": "b"}, "opaque": {"x": {"y": 1}},
                     "partly": {"free": 1, "fixed": {"a": "b"}}}}
        assert unknown_fields(valid, "stable.example.com", "v1", "CronTab") == []
        invalid = copy.deepcopy(valid)
        invalid["spec"]["zzz"] = 1
        invalid["spec"]["selectors"][0]["value"] = 2
        invalid["spec"]["partly"]["fixed"]["b"] = 3
        invalid["spec"]["closed"] = {"x": 1}
        invalid["metadata"]["bogus"] = 1
        invalid["status"] = {"ready": True}
        invalid["spec"]["template"]["metadata"]["labelz"] = {}
        invalid["spec"]["jobs"][0]["metadata"]["x"] = 1
        # pruned paths sorted, then unknown fields in embedded metadata sorted, then the
        # object's own metadata
        assert unknown_fields(invalid, "stable.example.com", "v1", "CronTab") == [
            "spec.closed.x",
            "spec.partly.fixed.b",
            "spec.selectors[0].value",
            "spec.zzz",
            "status",
            "spec.jobs[0].metadata.x",
            "spec.template.metadata.labelz",
            "metadata.bogus",
        ]
        set_custom_schema("stable.example.com", "v1", "CronTab", None)
        assert unknown_fields(invalid, "stable.example.com", "v1", "CronTab") == []
    finally:
        set_custom_schema("stable.example.com", "v1", "CronTab", None)


def test_custom_resource_open_at_the_root() -> None:
    set_custom_schema("open.example.com", "v1", "Free", {"type": "object",
                                                         "x-kubernetes-preserve-unknown-fields": True})
    try:
        obj = {"apiVersion": "open.example.com/v1", "kind": "Free", "metadata": {"name": "f", "nope": 1},
               "spec": {"a": 1}, "other": [1]}
        assert unknown_fields(obj, "open.example.com", "v1", "Free") == ["metadata.nope"]
    finally:
        set_custom_schema("open.example.com", "v1", "Free", None)


def test_checking_a_deployment_is_fast() -> None:
    unknown_fields(DEPLOYMENT, "apps", "v1", "Deployment")  # compile outside the measurement
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        unknown_fields(DEPLOYMENT, "apps", "v1", "Deployment")
    per_call = (time.perf_counter() - start) / runs
    assert per_call < 0.0005, per_call
