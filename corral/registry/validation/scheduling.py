"""Validation of where a pod may run: tolerations, node and pod affinity, topology
spread constraints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import (
    is_dns1123_label,
    is_qualified_name,
    is_valid_label_value,
)
from corral.registry.validation.fielderrors import (
    child,
    each_invalid,
    forbidden,
    index,
    invalid,
    not_supported,
    required,
)
from corral.registry.validation.meta import (
    validate_label_selector,
)

TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def validate_tolerations(tolerations: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    for i, toleration in enumerate(tolerations if isinstance(tolerations, list) else []):
        idx = index(path, i)
        key, operator = str(toleration.get("key") or ""), toleration.get("operator") or ""
        effect, value = toleration.get("effect") or "", str(toleration.get("value") or "")
        if key:
            causes += each_invalid(child(idx, "key"), key, is_qualified_name(key))
        if not key and operator != "Exists":
            causes.append(
                invalid(
                    child(idx, "operator"),
                    operator,
                    'operator must be Exists when `key` is empty, which means "match all values and all keys"',
                )
            )
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            causes.append(
                invalid(child(idx, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set")
            )
        if operator in ("Equal", ""):
            errors = is_valid_label_value(value)
            if errors:
                causes.append(invalid(child(idx, "operator"), value, ";".join(errors)))
        elif operator == "Exists":
            if value:
                causes.append(invalid(child(idx, "operator"), value, "value must be empty when `operator` is 'Exists'"))
        else:
            causes.append(not_supported(child(idx, "operator"), operator, ("Equal", "Exists")))
        if effect and effect not in TAINT_EFFECTS:
            causes.append(not_supported(child(idx, "effect"), effect, TAINT_EFFECTS))
    return causes


def _node_selector_requirement(req: Mapping[str, Any], path: str) -> list[Cause]:
    causes: list[Cause] = []
    operator, values = req.get("operator"), req.get("values") or []
    if operator in ("In", "NotIn"):
        if not values:
            causes.append(required(child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'"))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            causes.append(
                forbidden(
                    child(path, "values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
            )
    elif operator in ("Gt", "Lt"):
        if len(values) != 1:
            causes.append(
                required(child(path, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'")
            )
    else:
        causes.append(invalid(child(path, "operator"), operator or "", "not a valid selector operator"))
    key = str(req.get("key") or "")
    causes += each_invalid(child(path, "key"), key, is_qualified_name(key))
    return causes


def validate_affinity(affinity: Any, path: str) -> list[Cause]:
    if not isinstance(affinity, dict):
        return []
    causes: list[Cause] = []
    node = affinity.get("nodeAffinity")
    if isinstance(node, dict):
        node_path = child(path, "nodeAffinity")
        hard = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(hard, dict):
            terms_path = child(node_path, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
            terms = hard.get("nodeSelectorTerms") or []
            if not terms:
                causes.append(required(terms_path, "must have at least one node selector term"))
            for i, term in enumerate(terms):
                for j, req in enumerate(term.get("matchExpressions") or []):
                    causes += _node_selector_requirement(req, index(child(index(terms_path, i), "matchExpressions"), j))
        soft_path = child(node_path, "preferredDuringSchedulingIgnoredDuringExecution")
        for i, term in enumerate(node.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
            weight = term.get("weight", 0)
            if not isinstance(weight, int) or not 0 < weight <= 100:
                causes.append(invalid(child(index(soft_path, i), "weight"), weight, "must be in the range 1-100"))
    for kind in ("podAffinity", "podAntiAffinity"):
        pod_affinity = affinity.get(kind)
        if not isinstance(pod_affinity, dict):
            continue
        kind_path = child(path, kind)
        hard_path = child(kind_path, "requiredDuringSchedulingIgnoredDuringExecution")
        for i, term in enumerate(pod_affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or []):
            causes += _pod_affinity_term(term, index(hard_path, i))
        soft_path = child(kind_path, "preferredDuringSchedulingIgnoredDuringExecution")
        for i, weighted in enumerate(pod_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
            weight = weighted.get("weight", 0)
            if not isinstance(weight, int) or not 0 < weight <= 100:
                causes.append(invalid(child(index(soft_path, i), "weight"), weight, "must be in the range 1-100"))
            causes += _pod_affinity_term(
                weighted.get("podAffinityTerm") or {}, child(index(soft_path, i), "podAffinityTerm")
            )
    return causes


def _pod_affinity_term(term: Mapping[str, Any], path: str) -> list[Cause]:
    causes = validate_label_selector(term.get("labelSelector"), child(path, "labelSelector"))
    causes += validate_label_selector(term.get("namespaceSelector"), child(path, "namespaceSelector"))
    for name in term.get("namespaces") or []:
        causes += each_invalid(child(path, "namespace"), name, is_dns1123_label(str(name)))
    key = str(term.get("topologyKey") or "")
    if not key:
        causes.append(required(child(path, "topologyKey"), "can not be empty"))
    return causes + each_invalid(child(path, "topologyKey"), key, is_qualified_name(key))


def validate_topology_spread(constraints: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    for i, constraint in enumerate(constraints if isinstance(constraints, list) else []):
        idx = index(path, i)
        skew = constraint.get("maxSkew", 0)
        if not isinstance(skew, int) or skew <= 0:
            causes.append(invalid(child(idx, "maxSkew"), skew, "must be greater than zero"))
        if not constraint.get("topologyKey"):
            causes.append(required(child(idx, "topologyKey"), "can not be empty"))
        action = constraint.get("whenUnsatisfiable", "")
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            causes.append(not_supported(child(idx, "whenUnsatisfiable"), action, ("DoNotSchedule", "ScheduleAnyway")))
        causes += validate_label_selector(constraint.get("labelSelector"), child(idx, "labelSelector"))
    return causes
