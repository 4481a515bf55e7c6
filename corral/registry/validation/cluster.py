"""Validation of the cluster-level and bookkeeping kinds: Namespace, Node, ServiceAccount,
LimitRange, ResourceQuota, Event (core/v1 and events.k8s.io/v1) and Lease."""

from __future__ import annotations

from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import (
    dns1123_label_name,
    dns1123_subdomain_name,
    is_qualified_name,
    is_valid_label_value,
)
from corral.machinery.quantity import canonical, parse_quantity
from corral.registry.validation.fielderrors import (
    IMMUTABLE,
    GoRepr,
    duplicate,
    each_invalid,
    forbidden,
    go_slice,
    index,
    invalid,
    key,
    not_supported,
    required,
)
from corral.registry.validation.meta import validate_finalizer_name, validate_meta
from corral.registry.validation.resources import (
    ResourceNameCheck,
    validate_container_resource_name,
    validate_resource_list,
    validate_resource_name,
)
from corral.registry.validation.scheduling import TAINT_EFFECTS
from corral.registry.validation.shapes import section

LIMIT_TYPES = ("Container", "Pod", "PersistentVolumeClaim")
REPORTING_INSTANCE_LIMIT = 128
ACTION_LIMIT = 128
NOTE_LIMIT = 1024


def validate_namespace(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, False, dns1123_label_name)
    for finalizer in section(obj, "spec").get("finalizers") or []:
        causes += validate_finalizer_name(str(finalizer), "spec.finalizers", "spec.finalizers")
    return causes


def validate_service_account(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    return validate_meta(obj, old, True, dns1123_subdomain_name)


def validate_node(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, False, dns1123_subdomain_name)
    spec = section(obj, "spec")
    unique: set[tuple[str, str]] = set()
    for i, taint in enumerate(spec.get("taints") or []):
        path = index("metadata.taints", i)  # sic: kube reports node taints under metadata
        taint_key, effect = str(taint.get("key") or ""), taint.get("effect") or ""
        value = str(taint.get("value") or "")
        causes += each_invalid(path + ".key", taint_key, is_qualified_name(taint_key))
        value_errors = is_valid_label_value(value)
        if value_errors:
            causes.append(invalid(path + ".value", value, ";".join(value_errors)))
        if not effect:
            causes.append(required(path + ".effect"))
        elif effect not in TAINT_EFFECTS:
            causes.append(not_supported(path + ".effect", effect, TAINT_EFFECTS))
        if (effect, taint_key) in unique:
            shown = GoRepr(f'core.Taint{{Key:"{taint_key}", Value:"{value}", Effect:"{effect}", TimeAdded:<nil>}}')
            causes.append(duplicate(path, shown, "taints must be unique by key and effect pair"))
        unique.add((effect, taint_key))
    status = section(obj, "status")
    for field in ("capacity", "allocatable"):
        causes += validate_resource_list(status.get(field), f"status.{field}", lambda _n, _p: [])
    if old is not None:
        old_spec = old.get("spec") or {}
        old_cidrs = old_spec.get("podCIDRs") or []
        if old_cidrs and old_cidrs != (spec.get("podCIDRs") or []):
            causes.append(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'))
        if old_spec.get("providerID") and old_spec["providerID"] != spec.get("providerID"):
            causes.append(
                forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid')
            )
    return causes


def _limit_range_item(limit: dict[str, Any], path: str) -> list[Cause]:
    kind = str(limit.get("type") or "")
    causes = each_invalid(path + ".type", kind, is_qualified_name(kind))
    if not causes and "/" not in kind and kind not in LIMIT_TYPES:
        causes.append(invalid(path + ".type", kind, "must be a standard limit type or fully qualified"))
    name_check: ResourceNameCheck = (
        validate_container_resource_name if kind in ("Pod", "Container") else validate_resource_name
    )
    values: dict[str, dict[str, Any]] = {}
    for field in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
        resources = limit.get(field) or {}
        if kind == "Pod" and field in ("default", "defaultRequest"):
            if resources:
                causes.append(forbidden(f"{path}.{field}", "may not be specified when `type` is 'Pod'"))
            continue
        causes += validate_resource_list(resources, f"{path}.{field}", name_check)
        values[field] = {}
        for name, raw in resources.items():
            try:
                values[field][name] = parse_quantity(raw)
            except ValueError:
                continue
    if (
        kind == "PersistentVolumeClaim"
        and "storage" not in values.get("min", {})
        and "storage" not in values.get("max", {})
    ):
        causes.append(
            required(
                path + ".limits",
                "either minimum or maximum storage value is required, but neither was provided",
            )
        )
    low, high = values.get("min", {}), values.get("max", {})
    default, request = values.get("default", {}), values.get("defaultRequest", {})
    for name in sorted(set().union(*values.values()) if values else set()):
        lo, hi, dflt, req = low.get(name), high.get(name), default.get(name), request.get(name)
        if lo and hi and lo.value > hi.value:
            causes.append(
                invalid(
                    key(path + ".min", name),
                    canonical(lo),
                    f"min value {canonical(lo)} is greater than max value {canonical(hi)}",
                )
            )
        if req and lo and lo.value > req.value:
            causes.append(
                invalid(
                    key(path + ".defaultRequest", name),
                    canonical(req),
                    f"min value {canonical(lo)} is greater than default request value {canonical(req)}",
                )
            )
        if req and hi and req.value > hi.value:
            causes.append(
                invalid(
                    key(path + ".defaultRequest", name),
                    canonical(req),
                    f"default request value {canonical(req)} is greater than max value {canonical(hi)}",
                )
            )
        if req and dflt and req.value > dflt.value:
            causes.append(
                invalid(
                    key(path + ".defaultRequest", name),
                    canonical(req),
                    f"default request value {canonical(req)} is greater than default limit value {canonical(dflt)}",
                )
            )
        if dflt and lo and lo.value > dflt.value:
            causes.append(
                invalid(
                    key(path + ".default", name),
                    canonical(lo),
                    f"min value {canonical(lo)} is greater than default value {canonical(dflt)}",
                )
            )
        if dflt and hi and dflt.value > hi.value:
            causes.append(
                invalid(
                    key(path + ".default", name),
                    canonical(hi),
                    f"default value {canonical(dflt)} is greater than max value {canonical(hi)}",
                )
            )
    return causes


def validate_limit_range(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    seen: set[str] = set()
    for i, limit in enumerate((obj.get("spec") or {}).get("limits") or []):
        path = index("spec.limits", i)
        causes += _limit_range_item(limit, path)
        if limit.get("type") in seen:
            causes.append(duplicate(path + ".type", limit.get("type")))
        seen.add(limit.get("type"))
    return causes


def validate_resource_quota(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    spec = section(obj, "spec")
    causes += validate_resource_list(spec.get("hard"), "spec.hard", _quota_resource_name)
    status = section(obj, "status")
    for field in ("hard", "used"):
        causes += validate_resource_list(status.get(field), f"status.{field}", _quota_resource_name)
    if old is not None and set(spec.get("scopes") or []) != set((old.get("spec") or {}).get("scopes") or []):
        causes.append(invalid("spec.scopes", go_slice(spec.get("scopes"), "core.ResourceQuotaScope"), IMMUTABLE))
    return causes


def _quota_resource_name(name: str, path: str) -> list[Cause]:
    causes = validate_resource_name(name, path)
    quota_standard = name.startswith(("requests.", "limits.", "count/", "hugepages-")) or name in (
        "pods",
        "services",
        "replicationcontrollers",
        "resourcequotas",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "services.nodeports",
        "services.loadbalancers",
        "cpu",
        "memory",
        "ephemeral-storage",
        "storage",
    )
    if not causes and "/" not in name and not quota_standard:
        causes.append(invalid(path, name, "must be a standard resource for quota"))
    return causes


def validate_core_event(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    """The legacy rules core/v1 Events are held to."""
    namespace = str((obj.get("metadata") or {}).get("namespace") or "")
    involved = section(obj, "involvedObject")
    involved_ns = str(involved.get("namespace") or "")
    causes: list[Cause] = []
    mismatch = invalid("involvedObject.namespace", involved_ns, "does not match event.namespace")
    if not obj.get("eventTime"):
        if (not involved_ns and namespace not in ("", "default")) or (involved_ns and involved_ns != namespace):
            causes.append(mismatch)
    else:
        if not involved_ns and namespace not in ("default", "kube-system"):
            causes.append(mismatch)
        causes += _reporting(obj, "reportingComponent", str(obj.get("reportingComponent") or ""))
    return causes + each_invalid("namespace", namespace, dns1123_subdomain_name(namespace, False))


def _reporting(obj: dict[str, Any], controller_field: str, controller: str) -> list[Cause]:
    causes = [] if controller else [required(controller_field)]
    causes += each_invalid(controller_field, controller, is_qualified_name(controller))
    instance = str(obj.get("reportingInstance") or "")
    if not instance:
        causes.append(required("reportingInstance"))
    if len(instance) > REPORTING_INSTANCE_LIMIT:
        causes.append(invalid("reportingInstance", "", f"can have at most {REPORTING_INSTANCE_LIMIT} characters"))
    action = str(obj.get("action") or "")
    if not action:
        causes.append(required("action"))
    if len(action) > ACTION_LIMIT:
        causes.append(invalid("action", "", f"can have at most {ACTION_LIMIT} characters"))
    return causes


def validate_event(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    """events.k8s.io/v1 Events: the strict rules of the new API."""
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    if not obj.get("eventTime"):
        causes.append(required("eventTime"))
    if obj.get("type") not in ("Normal", "Warning"):
        causes.append(invalid("type", "", f"has invalid value: {obj.get('type') or ''}"))
    causes += _reporting(obj, "reportingController", str(obj.get("reportingController") or ""))
    reason = str(obj.get("reason") or "")
    if not reason:
        causes.append(required("reason"))
    if len(str(obj.get("note") or "")) > NOTE_LIMIT:
        causes.append(invalid("note", "", f"can have at most {NOTE_LIMIT} characters"))
    return causes


def validate_lease(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    spec = section(obj, "spec")
    duration = spec.get("leaseDurationSeconds")
    if isinstance(duration, int) and duration <= 0:
        causes.append(invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if isinstance(transitions, int) and transitions < 0:
        causes.append(invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0"))
    if spec.get("preferredHolder") and not spec.get("strategy"):
        causes.append(forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"))
    return causes
