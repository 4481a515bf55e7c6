"""The fields each resource offers to field selectors, as kube-apiserver 1.33 serves them.

Two tables in kube decide this: the field label conversions registered per kind (which
field names a request may use; anything else is a 400 whose text depends on the kind) and
each strategy's ``ToSelectableFields`` (the values matched). Kinds without a registered
conversion accept only ``metadata.name`` and ``metadata.namespace``; custom resources
``metadata.name``, when namespaced ``metadata.namespace``, and the ``selectableFields`` of
their CRD version. A field a kind accepts but does not fill (``status.podIPs`` of pods,
``status.successful`` of cronjobs) reads as the empty string, as in kube.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from corral.machinery.fields import FieldSelector
from corral.machinery.labels import go_quote
from corral.registry.builtins import BUILTINS
from corral.registry.resources import ResourceDef

Fields = dict[str, str]
_META = ("metadata.name", "metadata.namespace")


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _bool(value: Any) -> str:
    return "true" if value is True else "false"


def pod_ip(status: dict[str, Any]) -> str:
    """A pod's primary IP: the first of ``podIPs``, else ``podIP`` (kube converts the one
    into the other), "" before one is assigned."""
    pod_ips = status.get("podIPs") or []
    return _s(pod_ips[0].get("ip")) if pod_ips else _s(status.get("podIP"))


def _pod(obj: dict[str, Any]) -> Fields:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    node = _s(spec.get("nodeName"))
    return {
        "spec.nodeName": node,
        "spec.host": node,  # old clients' name for spec.nodeName, converted by kube
        "spec.restartPolicy": _s(spec.get("restartPolicy")),
        "spec.schedulerName": _s(spec.get("schedulerName")),
        "spec.serviceAccountName": _s(spec.get("serviceAccountName")),
        "spec.hostNetwork": _bool(spec.get("hostNetwork")),
        "status.phase": _s(status.get("phase")),
        "status.podIP": pod_ip(status),
        "status.nominatedNodeName": _s(status.get("nominatedNodeName")),
    }


def _node(obj: dict[str, Any]) -> Fields:
    return {"spec.unschedulable": _bool((obj.get("spec") or {}).get("unschedulable"))}


def _namespace(obj: dict[str, Any]) -> Fields:
    return {"status.phase": _s((obj.get("status") or {}).get("phase"))}


def _secret(obj: dict[str, Any]) -> Fields:
    return {"type": _s(obj.get("type"))}


def _service(obj: dict[str, Any]) -> Fields:
    spec = obj.get("spec") or {}
    return {"spec.clusterIP": _s(spec.get("clusterIP")), "spec.type": _s(spec.get("type"))}


_EVENT_REF = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")


def _event_fields(obj: dict[str, Any], ref: str, controller: str, source: str) -> Fields:
    """The fields of an event whose object reference, reporting controller and deprecated
    source sit under the given keys (core/v1 and events.k8s.io/v1 name them apart)."""
    reference = obj.get(ref) or {}
    fields = {f"{ref}.{f}": _s(reference.get(f)) for f in _EVENT_REF}
    reporting = _s(obj.get(controller))
    fields[controller] = reporting
    fields["source"] = _s((obj.get(source) or {}).get("component")) or reporting
    fields["reason"] = _s(obj.get("reason"))
    fields["type"] = _s(obj.get("type"))
    return fields


def _core_event(obj: dict[str, Any]) -> Fields:
    # core/v1 writes the reporting controller as "reportingComponent"
    return _event_fields(obj, "involvedObject", "reportingComponent", "source")


def _events_event(obj: dict[str, Any]) -> Fields:
    return _event_fields(obj, "regarding", "reportingController", "deprecatedSource")


def _job(obj: dict[str, Any]) -> Fields:
    succeeded = (obj.get("status") or {}).get("succeeded") or 0
    return {"status.successful": str(succeeded)}


def _unsupported(label: str) -> str:
    return f"field label not supported: {label}"


@dataclass(frozen=True, slots=True)
class _Kind:
    labels: frozenset[str]  # the field names requests may use
    error: Callable[[str], str]  # the message for any other name
    fields: Callable[[dict[str, Any]], Fields] | None = None  # beyond metadata


def _batch(kind: str) -> _Kind:
    return _Kind(frozenset((*_META, "status.successful")),
                 lambda label: f"field label {go_quote(label)} not supported for {go_quote(kind)}",
                 _job if kind == "Job" else None)


_KINDS: dict[tuple[str, str], _Kind] = {
    ("", "pods"): _Kind(frozenset((*_META, "spec.nodeName", "spec.host", "spec.restartPolicy",
                                   "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
                                   "status.phase", "status.podIP", "status.podIPs",
                                   "status.nominatedNodeName")), _unsupported, _pod),
    ("", "nodes"): _Kind(frozenset(("metadata.name", "spec.unschedulable")), _unsupported, _node),
    ("", "namespaces"): _Kind(frozenset(("metadata.name", "status.phase")), _unsupported, _namespace),
    ("", "secrets"): _Kind(frozenset((*_META, "type")), _unsupported, _secret),
    ("", "services"): _Kind(frozenset((*_META, "spec.clusterIP", "spec.type")), _unsupported, _service),
    ("", "events"): _Kind(frozenset((*_META, *(f"involvedObject.{f}" for f in _EVENT_REF), "reason",
                                     "reportingComponent", "source", "type")), _unsupported, _core_event),
    ("events.k8s.io", "events"): _Kind(frozenset((*_META, *(f"regarding.{f}" for f in _EVENT_REF), "reason",
                                                  "reportingController", "source", "type")),
                                       _unsupported, _events_event),
    ("batch", "jobs"): _batch("Job"),
    ("batch", "cronjobs"): _batch("CronJob"),
}

# built-in kinds without a registered conversion (runtime.DefaultMetaV1FieldSelectorConversion)
_DEFAULT = _Kind(frozenset(_META), lambda label: f'{go_quote(label)} is not a known field selector: only '
                                                 f'"metadata.name", "metadata.namespace"')
# custom resources (the apiextensions crConverter): metadata.namespace only when namespaced
_CUSTOM_NAMESPACED = _Kind(frozenset(_META), _unsupported)
_CUSTOM_CLUSTER = _Kind(frozenset(("metadata.name",)), _unsupported)
_BUILTIN = frozenset((rd.group, rd.resource) for rd in BUILTINS)


def is_builtin(rd: ResourceDef) -> bool:
    """Whether kube serves the resource itself (as opposed to a custom resource)."""
    return (rd.group, rd.resource) in _BUILTIN


def _kind(rd: ResourceDef) -> _Kind:
    key = (rd.group, rd.resource)
    if key in _KINDS:
        return _KINDS[key]
    if is_builtin(rd):
        return _DEFAULT
    base = _CUSTOM_NAMESPACED if rd.namespaced else _CUSTOM_CLUSTER
    if rd.custom is None or not rd.custom.selectable:
        return base
    # the CRD version's selectableFields
    return _Kind(base.labels | frozenset(rd.custom.selectable), _unsupported, rd.custom.field_values)


def selectable_fields(rd: ResourceDef, obj: dict[str, Any]) -> dict[str, str]:
    """The field set one object offers to field selectors."""
    meta = obj.get("metadata") or {}
    fields = {"metadata.name": _s(meta.get("name"))}
    if rd.namespaced:
        fields["metadata.namespace"] = _s(meta.get("namespace"))
    compute = _kind(rd).fields
    if compute is not None:
        fields.update(compute(obj))
    return fields


def check_field_selector(rd: ResourceDef, selector: FieldSelector) -> None:
    """Raise ValueError with kube's message (the API answers 400) when the selector uses a
    field the resource does not support."""
    kind = _kind(rd)
    for field, _, _ in selector.requirements:
        if field not in kind.labels:
            raise ValueError(kind.error(field))
