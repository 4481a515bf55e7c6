"""Table rows of the policy and networking kinds kubectl users list often: ingresses,
ingress classes, network policies, pod disruption budgets, priority classes, storage
classes, horizontal pod autoscalers and replication controllers, with printers.go's
columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.registry.printers.cells import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    NONE,
    Obj,
    Printer,
    age,
    column,
    format_label_selector,
    format_labels,
    integer,
    name,
    spec,
    status,
    text,
)

_SHOWN = 4  # hosts listed before ", + N more..."


def _ingress(obj: Obj, now: datetime) -> list[Any]:
    s = spec(obj)
    hosts = [text(r.get("host")) for r in s.get("rules") or [] if r.get("host")]
    shown = ",".join(hosts[:_SHOWN]) + (f" + {len(hosts) - _SHOWN} more..." if len(hosts) > _SHOWN else "")
    balancer = (status(obj).get("loadBalancer") or {}).get("ingress") or []
    addresses = ",".join(text(i.get("ip")) or text(i.get("hostname")) for i in balancer)
    ports = "80, 443" if s.get("tls") else "80"
    return [name(obj), text(s.get("ingressClassName")) or NONE, shown or "*", addresses, ports, age(obj, now)]


def _ingress_class(obj: Obj, now: datetime) -> list[Any]:
    s = spec(obj)
    params = s.get("parameters") or {}
    shown = f"{text(params.get('kind'))}/{text(params.get('name'))}" if params else NONE
    if params.get("apiGroup"):
        shown = f"{text(params.get('kind'))}.{text(params.get('apiGroup'))}/{text(params.get('name'))}"
    return [name(obj), text(s.get("controller")), shown, age(obj, now)]


def _network_policy(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), format_label_selector(spec(obj).get("podSelector")), age(obj, now)]


def _pdb(obj: Obj, now: datetime) -> list[Any]:
    s = spec(obj)
    least = "N/A" if s.get("minAvailable") is None else str(s["minAvailable"])  # an int or a percentage
    most = "N/A" if s.get("maxUnavailable") is None else str(s["maxUnavailable"])
    return [name(obj), least, most, integer(status(obj).get("disruptionsAllowed")), age(obj, now)]


def _priority_class(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), integer(obj.get("value")), bool(obj.get("globalDefault")), age(obj, now),
            text(obj.get("preemptionPolicy")) or "PreemptLowerPriority"]


def _storage_class(obj: Obj, now: datetime) -> list[Any]:
    annotations = obj["metadata"].get("annotations") or {}
    shown = name(obj)
    if annotations.get("storageclass.kubernetes.io/is-default-class") == "true":
        shown += " (default)"
    return [shown, text(obj.get("provisioner")), text(obj.get("reclaimPolicy")) or "Delete",
            text(obj.get("volumeBindingMode")) or "Immediate", bool(obj.get("allowVolumeExpansion")),
            age(obj, now)]


def _hpa(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    ref = s.get("scaleTargetRef") or {}
    minimum = s.get("minReplicas")
    metrics = s.get("metrics") or []
    return [name(obj), f"{text(ref.get('kind'))}/{text(ref.get('name'))}",
            "<unknown>" if metrics else NONE, NONE if minimum is None else str(integer(minimum)),
            integer(s.get("maxReplicas")), integer(st.get("currentReplicas")), age(obj, now)]


def _replication_controller(obj: Obj, now: datetime) -> list[Any]:
    s, st = spec(obj), status(obj)
    containers = ((s.get("template") or {}).get("spec") or {}).get("containers") or []
    return [name(obj), integer(s.get("replicas", 1)), integer(st.get("replicas")), integer(st.get("readyReplicas")),
            age(obj, now), ",".join(text(c.get("name")) for c in containers),
            ",".join(text(c.get("image")) for c in containers), format_labels(s.get("selector"))]


def _plain(title: str, kind: str, description: str, priority: int = 0) -> dict[str, Any]:
    return column(title, kind, description, priority=priority)


PRINTERS = {
    ("networking.k8s.io", "ingresses"): Printer((
        NAME,
        _plain("Class", "string", "The name of the IngressClass resource that should be used for ingress."),
        _plain("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
        _plain("Address", "string", "Address is a list containing ingress points for the load-balancer"),
        _plain("Ports", "string", "Ports of TLS configurations that open"),
        AGE,
    ), _ingress),
    ("networking.k8s.io", "ingressclasses"): Printer((
        NAME,
        _plain("Controller", "string", "Controller that is responsible for handling this class"),
        _plain("Parameters", "string", "A reference to a resource with additional parameters"),
        AGE,
    ), _ingress_class),
    ("networking.k8s.io", "networkpolicies"): Printer((
        NAME,
        _plain("Pod-Selector", "string", "Selects the pods to which this NetworkPolicy object applies."),
        AGE,
    ), _network_policy),
    ("policy", "poddisruptionbudgets"): Printer((
        NAME,
        _plain("Min Available", "string", "The minimum number of pods that must be available simultaneously."),
        _plain("Max Unavailable", "string", "The maximum number of pods that may be unavailable simultaneously."),
        _plain("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
        AGE,
    ), _pdb),
    ("scheduling.k8s.io", "priorityclasses"): Printer((
        NAME,
        _plain("Value", "integer", "The integer value of this priority class."),
        _plain("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be "
                                            "considered as the default priority."),
        AGE,
        _plain("PreemptionPolicy", "string", "PreemptionPolicy is the Policy for preempting pods with lower "
                                             "priority."),
    ), _priority_class),
    ("storage.k8s.io", "storageclasses"): Printer((
        NAME,
        _plain("Provisioner", "string", "Indicates the type of the provisioner."),
        _plain("ReclaimPolicy", "string", "Indicates the type of the reclaim policy."),
        _plain("VolumeBindingMode", "string", "Indicates how PersistentVolumeClaims should be bound."),
        _plain("AllowVolumeExpansion", "string", "Indicates whether the storage class allows volume expand."),
        AGE,
    ), _storage_class),
    ("autoscaling", "horizontalpodautoscalers"): Printer((
        NAME,
        _plain("Reference", "string", "Reference to the scaled target."),
        _plain("Targets", "string", "Current and target metric values."),
        _plain("MinPods", "string", "Lower limit for the number of pods."),
        _plain("MaxPods", "integer", "Upper limit for the number of pods."),
        _plain("Replicas", "integer", "Current number of replicas of pods managed by this autoscaler."),
        AGE,
    ), _hpa),
    ("", "replicationcontrollers"): Printer((
        NAME,
        _plain("Desired", "integer", "Number of desired pods."),
        _plain("Current", "integer", "Number of actual pods."),
        _plain("Ready", "integer", "Number of pods with a Ready condition."),
        AGE,
        CONTAINERS,
        IMAGES,
        _plain("Selector", "string", "Label keys and values that pods must match to be counted.", priority=1),
    ), _replication_controller),
}
