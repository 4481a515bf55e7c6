"""Defaults of RBAC objects: the API group of a binding's role reference and of its user
and group subjects (pkg/apis/rbac/v1/defaults.go), and the ``rules: null`` Go prints for
a role without rules."""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import fill, struct
from corral.registry.validation.shapes import entries

RBAC_GROUP = "rbac.authorization.k8s.io"


def default_binding(obj: dict[str, Any]) -> None:
    """RoleBinding and ClusterRoleBinding."""
    fill(struct(obj, "roleRef"), "apiGroup", RBAC_GROUP)
    for subject in entries(obj, "subjects"):
        # a ServiceAccount subject's group is "", which kube does not print
        if not subject.get("apiGroup") and subject.get("kind") in ("User", "Group"):
            subject["apiGroup"] = RBAC_GROUP


def default_role(obj: dict[str, Any]) -> None:
    """Role and ClusterRole: ``rules`` has no omitempty, so a missing list prints as null."""
    obj.setdefault("rules", None)
