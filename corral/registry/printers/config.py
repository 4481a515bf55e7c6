"""Table rows of configuration and policy objects: configmaps, secrets, serviceaccounts,
resourcequotas and role bindings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.machinery.quantity import canonical_text
from corral.registry.printers.cells import AGE, NAME, Obj, Printer, age, column, doc, name, status, text


def _config_map(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), len(obj.get("data") or {}) + len(obj.get("binaryData") or {}), age(obj, now)]


def _secret(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), text(obj.get("type")), len(obj.get("data") or {}), age(obj, now)]


def _service_account(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), len(obj.get("secrets") or []), age(obj, now)]


def _resource_quota(obj: Obj, now: datetime) -> list[Any]:
    """Used/hard per resource in canonical quantity form; ``limits.*`` resources go to the
    Limit column."""
    hard = status(obj).get("hard") or {}
    used = status(obj).get("used") or {}
    requests: list[str] = []
    limits: list[str] = []
    for resource in sorted(hard):
        pieces = resource.split(".")
        target = limits if len(pieces) > 1 and pieces[0] == "limits" else requests
        target.append(f"{resource}: {canonical_text(used.get(resource, '0'))}/{canonical_text(hard[resource])}")
    return [name(obj), ", ".join(requests), ", ".join(limits), age(obj, now)]


def _binding(obj: Obj, now: datetime) -> list[Any]:
    """rbac.SubjectsStrings: users and groups by name, service accounts as namespace/name."""
    ref = obj.get("roleRef") or {}
    users, groups, service_accounts = [], [], []
    for subject in obj.get("subjects") or []:
        kind, subject_name = subject.get("kind"), text(subject.get("name"))
        if kind == "ServiceAccount":
            service_accounts.append(f"{text(subject.get('namespace'))}/{subject_name}")
        elif kind == "User":
            users.append(subject_name)
        elif kind == "Group":
            groups.append(subject_name)
    return [name(obj), f"{text(ref.get('kind'))}/{text(ref.get('name'))}", age(obj, now),
            ", ".join(users), ", ".join(groups), ", ".join(service_accounts)]


def _binding_columns(kind: str, noun: str) -> tuple[dict[str, Any], ...]:
    return (NAME, column("Role", "string", doc(f"{kind}.roleRef")), AGE,
            *(column(title, "string", f"{title} in the {noun}", priority=1)
              for title in ("Users", "Groups", "ServiceAccounts")))


PRINTERS = {
    ("", "configmaps"): Printer((NAME, column("Data", "string", doc("ConfigMap.data")), AGE), _config_map),
    ("", "secrets"): Printer((NAME, column("Type", "string", doc("Secret.type")),
                              column("Data", "string", doc("Secret.data")), AGE), _secret),
    ("", "serviceaccounts"): Printer((NAME, column("Secrets", "string", doc("ServiceAccount.secrets")), AGE),
                                     _service_account),
    ("", "resourcequotas"): Printer((
        NAME,
        column("Request", "string", "Request represents a minimum amount of cpu/memory that a container may "
                                    "consume."),
        column("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use "
                                  "independent of contention on the node."),
        AGE,
    ), _resource_quota),
    ("rbac.authorization.k8s.io", "rolebindings"): Printer(_binding_columns("RoleBinding", "roleBinding"),
                                                           _binding),
    ("rbac.authorization.k8s.io", "clusterrolebindings"): Printer(
        _binding_columns("ClusterRoleBinding", "clusterRoleBinding"), _binding),
}
