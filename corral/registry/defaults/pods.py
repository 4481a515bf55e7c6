"""Defaults of pods and of the pod templates workloads embed.

Pod templates get what SetDefaults_PodSpec and the per-container, per-volume and
per-probe defaulters of pkg/apis/core/v1 give them. Pods additionally get
SetDefaults_Pod, the status kube's pod strategy sets on create (phase Pending, the QoS
class, the SchedulingGated condition) and what the admission plugins every cluster runs
add on create: the ``default`` service account (ServiceAccount), priority and preemption
policy (Priority) and the not-ready/unreachable tolerations (DefaultTolerationSeconds).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from corral.machinery.quantity import parse_quantity
from corral.registry.defaults.common import canonical_quantity, embedded_meta, fill, round_resources, struct, sub
from corral.registry.defaults.storage import SHARED_SOURCES, default_claim_template
from corral.registry.validation.shapes import entries

FILE_MODE = 0o644  # 420: defaultMode of secret, configMap, downwardAPI and projected volumes
TOKEN_EXPIRATION = 3600
TOLERATION_SECONDS = 300
SYSTEM_PRIORITIES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}

# every field of v1.VolumeSource: a volume naming none of them is an emptyDir
VOLUME_SOURCES = (
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
)

# distribution/reference grammar, enough to find an image's tag the way kubelet does
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"(?P<name>(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?\Z"
)


def image_tag(image: str) -> str:
    """The tag kube reads from an image reference: "latest" when neither tag nor digest
    is given, "" when the reference does not parse or only has a digest."""
    match = _REFERENCE.match(image)
    if not match or len(match["name"]) > 255:
        return ""
    if match["tag"]:
        return match["tag"]
    return "" if match["digest"] else "latest"


def _default_http_get(handler: dict[str, Any] | None) -> None:
    action = sub(handler, "httpGet")
    if action is not None:
        fill(action, "path", "/")
        fill(action, "scheme", "HTTP")


def _default_probe(probe: dict[str, Any]) -> None:
    for name, value in (
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ):
        if not probe.get(name):
            probe[name] = value
    _default_http_get(probe)
    grpc = sub(probe, "grpc")
    if grpc is not None and grpc.get("service") is None:
        grpc["service"] = ""


def _default_field_ref(holder: dict[str, Any]) -> None:
    field_ref = sub(holder, "fieldRef")
    if field_ref is not None and not field_ref.get("apiVersion"):
        field_ref["apiVersion"] = "v1"
    resource_ref = sub(holder, "resourceFieldRef")
    if resource_ref is not None:
        fill(resource_ref, "divisor", "0")  # a zero Quantity still serializes
        canonical_quantity(resource_ref, "divisor")


def _default_container(container: dict[str, Any]) -> None:
    if not container.get("imagePullPolicy"):
        tag = image_tag(str(container.get("image") or ""))
        container["imagePullPolicy"] = "Always" if tag == "latest" else "IfNotPresent"
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = "/dev/termination-log"
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    for port in entries(container, "ports"):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for env in entries(container, "env"):
        value_from = sub(env, "valueFrom")
        if value_from is not None:
            _default_field_ref(value_from)
    round_resources(struct(container, "resources"), "limits", "requests")
    for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = sub(container, probe_name)
        if probe is not None:
            _default_probe(probe)
    lifecycle = sub(container, "lifecycle")
    if lifecycle is not None:
        _default_http_get(sub(lifecycle, "postStart"))
        _default_http_get(sub(lifecycle, "preStop"))


def _default_projected(source: dict[str, Any]) -> None:
    fill(source, "defaultMode", FILE_MODE)
    for projection in entries(source, "sources"):
        downward = sub(projection, "downwardAPI")
        if downward is not None:
            for item in entries(downward, "items"):
                _default_field_ref(item)
        token = sub(projection, "serviceAccountToken")
        if token is not None:
            fill(token, "expirationSeconds", TOKEN_EXPIRATION)


def _default_downward_api(source: dict[str, Any]) -> None:
    fill(source, "defaultMode", FILE_MODE)
    for item in entries(source, "items"):
        _default_field_ref(item)


def _default_empty_dir(source: dict[str, Any]) -> None:
    canonical_quantity(source, "sizeLimit")


def _default_ephemeral(source: dict[str, Any]) -> None:
    template = sub(source, "volumeClaimTemplate")
    if template is not None:
        default_claim_template(template)


_VOLUME_DEFAULTERS = {
    **SHARED_SOURCES,
    "secret": lambda s: fill(s, "defaultMode", FILE_MODE),
    "configMap": lambda s: fill(s, "defaultMode", FILE_MODE),
    "downwardAPI": _default_downward_api,
    "projected": _default_projected,
    "emptyDir": _default_empty_dir,
    "ephemeral": _default_ephemeral,
}


def _default_volume(volume: dict[str, Any]) -> None:
    if all(volume.get(source) is None for source in VOLUME_SOURCES):
        volume["emptyDir"] = {}
    for source_name, defaulter in _VOLUME_DEFAULTERS.items():
        source = sub(volume, source_name)
        if source is not None:
            defaulter(source)


def default_pod_spec(spec: dict[str, Any]) -> None:
    """SetDefaults_PodSpec and everything nested in a pod spec."""
    for name, value in (
        ("dnsPolicy", "ClusterFirst"),
        ("restartPolicy", "Always"),
        ("schedulerName", "default-scheduler"),
    ):
        if not spec.get(name):
            spec[name] = value
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    # v1 conversion: serviceAccount is the deprecated alias of serviceAccountName
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    for volume in entries(spec, "volumes"):
        _default_volume(volume)
    for list_name in ("initContainers", "containers", "ephemeralContainers"):
        for container in entries(spec, list_name):
            _default_container(container)
    round_resources(spec, "overhead")


def default_template(template: dict[str, Any]) -> None:
    """A PodTemplateSpec: embedded metadata and pod spec defaults."""
    embedded_meta(template)
    default_pod_spec(struct(template, "spec"))


def _requests_from_limits(spec: dict[str, Any]) -> None:
    for list_name in ("containers", "initContainers"):
        for container in entries(spec, list_name):
            resources = struct(container, "resources")
            limits = sub(resources, "limits")
            if limits is not None:
                requests = struct(resources, "requests")
                for name, value in limits.items():
                    requests.setdefault(name, value)


def _tolerates(tolerations: list[dict[str, Any]], taint_key: str) -> bool:
    return any(
        t.get("key") in (taint_key, None, "") and t.get("effect") in ("NoExecute", None, "") for t in tolerations
    )


def _admit(spec: dict[str, Any]) -> None:
    """What the ServiceAccount, Priority and DefaultTolerationSeconds admission plugins add."""
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec["serviceAccount"] = "default"
    class_name = spec.get("priorityClassName") or ""
    if not class_name or class_name in SYSTEM_PRIORITIES:
        fill(spec, "priority", SYSTEM_PRIORITIES.get(class_name, 0))
        fill(spec, "preemptionPolicy", "PreemptLowerPriority")
    if spec.get("tolerations") is None:
        spec["tolerations"] = []
    tolerations = spec["tolerations"]
    if isinstance(tolerations, list):
        for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
            if not _tolerates(entries(spec, "tolerations"), key):
                tolerations.append(
                    {
                        "key": key,
                        "operator": "Exists",
                        "effect": "NoExecute",
                        "tolerationSeconds": TOLERATION_SECONDS,
                    }
                )


def _positive(resources: dict[str, Any] | None, name: str) -> Fraction | None:
    try:
        value = parse_quantity(resources[name]).value if resources and name in resources else None
    except ValueError:
        return None
    return value if value is not None and value > 0 else None


def qos_class(spec: dict[str, Any]) -> str:
    """ComputePodQOS: from the cpu and memory requests and limits of all containers."""
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for container in entries(spec, "containers") + entries(spec, "initContainers"):
        resources = sub(container, "resources") or {}
        limits_found = set()
        for name in ("cpu", "memory"):
            request = _positive(sub(resources, "requests"), name)
            if request is not None:
                requests[name] = requests.get(name, Fraction(0)) + request
            limit = _positive(sub(resources, "limits"), name)
            if limit is not None:
                limits_found.add(name)
                limits[name] = limits.get(name, Fraction(0)) + limit
        if limits_found != {"cpu", "memory"}:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(n) == v for n, v in requests.items()) and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def default_pod(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    _requests_from_limits(spec)
    fill(spec, "enableServiceLinks", True)
    if spec.get("hostNetwork"):
        for list_name in ("containers", "initContainers"):
            for container in entries(spec, list_name):
                for port in entries(container, "ports"):
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort")
    default_pod_spec(spec)
    _admit(spec)
    if "status" not in obj:  # a new pod: the status kube's pod strategy gives it
        status: dict[str, Any] = {"phase": "Pending", "qosClass": qos_class(spec)}
        if spec.get("schedulingGates"):
            status["conditions"] = [
                {
                    "type": "PodScheduled",
                    "status": "False",
                    "reason": "SchedulingGated",
                    "message": "Scheduling is blocked due to non-empty scheduling gates",
                    "lastProbeTime": None,
                    "lastTransitionTime": None,
                }
            ]
        obj["status"] = status
