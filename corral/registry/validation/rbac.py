"""Validation of RBAC objects (pkg/apis/rbac/validation): names only need to be safe
path segments, rules need verbs and targets, bindings need a role reference they cannot
change later and well-formed subjects."""

from __future__ import annotations

from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import dns1123_subdomain_name, path_segment_name
from corral.registry.validation.fielderrors import (
    GoRepr,
    child,
    each_invalid,
    go_slice,
    index,
    invalid,
    not_supported,
    required,
)
from corral.registry.validation.meta import (
    validate_label_selector,
    validate_meta,
)
from corral.registry.validation.shapes import section

RBAC_GROUP = "rbac.authorization.k8s.io"


def _rule(rule: dict[str, Any], namespaced: bool, path: str) -> list[Cause]:
    causes = [] if rule.get("verbs") else [required(child(path, "verbs"), "verbs must contain at least one value")]
    urls = rule.get("nonResourceURLs") or []
    if urls:
        if namespaced:
            causes.append(
                invalid(
                    child(path, "nonResourceURLs"),
                    go_slice(urls),
                    "namespaced rules cannot apply to non-resource URLs",
                )
            )
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            causes.append(
                invalid(
                    child(path, "nonResourceURLs"),
                    go_slice(urls),
                    "rules cannot apply to both regular resources and non-resource URLs",
                )
            )
        return causes
    if not rule.get("apiGroups"):
        causes.append(required(child(path, "apiGroups"), "resource rules must supply at least one api group"))
    if not rule.get("resources"):
        causes.append(required(child(path, "resources"), "resource rules must supply at least one resource"))
    return causes


def _rules(obj: dict[str, Any], namespaced: bool) -> list[Cause]:
    causes: list[Cause] = []
    for i, rule in enumerate(obj.get("rules") or []):
        causes += _rule(rule if isinstance(rule, dict) else {}, namespaced, index("rules", i))
    return causes


def validate_role(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    return validate_meta(obj, old, True, path_segment_name) + _rules(obj, True)


def validate_cluster_role(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, False, path_segment_name) + _rules(obj, False)
    aggregation = obj.get("aggregationRule")
    if isinstance(aggregation, dict):
        selectors = aggregation.get("clusterRoleSelectors") or []
        if not selectors:
            causes.append(
                required(
                    "aggregationRule.clusterRoleSelectors",
                    "at least one clusterRoleSelector required if aggregationRule is non-nil",
                )
            )
        for i, selector in enumerate(selectors):
            causes += validate_label_selector(selector, index("aggregationRule.clusterRoleSelectors", i))
    return causes


def _subject(subject: dict[str, Any], namespaced: bool, path: str) -> list[Cause]:
    name, kind, group = (
        str(subject.get("name") or ""),
        subject.get("kind") or "",
        subject.get("apiGroup") or "",
    )
    causes = [] if name else [required(child(path, "name"))]
    if kind == "ServiceAccount":
        if name:
            causes += each_invalid(child(path, "name"), name, dns1123_subdomain_name(name, False))
        if group:
            causes.append(not_supported(child(path, "apiGroup"), group, ("",)))
        if not namespaced and not subject.get("namespace"):
            causes.append(required(child(path, "namespace")))
    elif kind in ("User", "Group"):
        if group != RBAC_GROUP:
            causes.append(not_supported(child(path, "apiGroup"), group, (RBAC_GROUP,)))
    else:
        causes.append(not_supported(child(path, "kind"), kind, ("ServiceAccount", "User", "Group")))
    return causes


def _go_role_ref(ref: dict[str, Any]) -> GoRepr:
    return GoRepr(
        f'rbac.RoleRef{{APIGroup:"{ref.get("apiGroup") or ""}", Kind:"{ref.get("kind") or ""}", '
        f'Name:"{ref.get("name") or ""}"}}'
    )


def _binding(obj: dict[str, Any], old: dict[str, Any] | None, namespaced: bool) -> list[Cause]:
    causes = validate_meta(obj, old, namespaced, path_segment_name)
    ref = section(obj, "roleRef")
    if ref.get("apiGroup") != RBAC_GROUP:
        causes.append(not_supported("roleRef.apiGroup", ref.get("apiGroup") or "", (RBAC_GROUP,)))
    kinds = ("Role", "ClusterRole") if namespaced else ("ClusterRole",)
    if ref.get("kind") not in kinds:
        causes.append(not_supported("roleRef.kind", ref.get("kind") or "", kinds))
    ref_name = str(ref.get("name") or "")
    if not ref_name:
        causes.append(required("roleRef.name"))
    else:
        causes += each_invalid("roleRef.name", ref_name, path_segment_name(ref_name, False))
    for i, subject in enumerate(obj.get("subjects") or []):
        causes += _subject(subject if isinstance(subject, dict) else {}, namespaced, index("subjects", i))
    if old is not None:
        old_ref = section(old, "roleRef")
        fields = ("apiGroup", "kind", "name")
        if any(ref.get(f) != old_ref.get(f) for f in fields):
            causes.append(invalid("roleRef", _go_role_ref(ref), "cannot change roleRef"))
    return causes


def validate_role_binding(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    return _binding(obj, old, True)


def validate_cluster_role_binding(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    return _binding(obj, old, False)
