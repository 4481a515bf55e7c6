"""Defaults of RBAC bindings (pkg/apis/rbac/v1/defaults.go): the API group of the role
reference and of user and group subjects."""

from __future__ import annotations

from typing import Any

from corral.registry.validation.shapes import entries

RBAC_GROUP = "rbac.authorization.k8s.io"


def default_binding(obj: dict[str, Any]) -> None:
    """RoleBinding and ClusterRoleBinding."""
    role_ref = obj.setdefault("roleRef", {})
    if isinstance(role_ref, dict) and not role_ref.get("apiGroup"):
        role_ref["apiGroup"] = RBAC_GROUP
    for subject in entries(obj, "subjects"):
        # a ServiceAccount subject's group is "", which kube does not print
        if not subject.get("apiGroup") and subject.get("kind") in ("User", "Group"):
            subject["apiGroup"] = RBAC_GROUP
