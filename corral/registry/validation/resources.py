"""Validation of resource names and quantities: container requests and limits, and the
resource lists of nodes, limit ranges, quotas and volumes (pkg/apis/core/validation and
the resource-name helpers of pkg/apis/core/helper)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import is_qualified_name
from corral.machinery.quantity import Quantity, canonical, parse_quantity
from corral.registry.validation.fielderrors import child, each_invalid, forbidden, invalid, key, required
from corral.registry.validation.shapes import section

_STANDARD = frozenset(
    {
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "storage",
        "requests.storage",
        "services.nodeports",
        "services.loadbalancers",
    }
)
_STANDARD_CONTAINER = frozenset({"cpu", "memory", "ephemeral-storage"})
_INTEGER = frozenset(
    {
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "services.nodeports",
        "services.loadbalancers",
    }
)
HUGEPAGES = "hugepages-"

ResourceNameCheck = Callable[[str, str], list[Cause]]


def is_hugepages(name: str) -> bool:
    return name.startswith(HUGEPAGES)


def is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def is_extended(name: str) -> bool:
    if is_native(name) or name.startswith("requests."):
        return False
    return not is_qualified_name("requests." + name)


def overcommit_allowed(name: str) -> bool:
    return is_native(name) and not is_hugepages(name)


def validate_resource_name(name: str, path: str) -> list[Cause]:
    causes = each_invalid(path, name, is_qualified_name(name))
    if causes:
        return causes
    standard = name in _STANDARD or is_hugepages(name) or name.startswith("requests." + HUGEPAGES)
    if "/" not in name and not standard:
        return [invalid(path, name, "must be a standard resource type or fully qualified")]
    return []


def validate_container_resource_name(name: str, path: str) -> list[Cause]:
    causes = validate_resource_name(name, path)
    if "/" not in name:
        if name not in _STANDARD_CONTAINER and not is_hugepages(name):
            causes.append(invalid(path, name, "must be a standard resource for containers"))
    elif not is_native(name) and not is_extended(name):
        causes.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return causes


def quantity_at(raw: Any, path: str, causes: list[Cause]) -> Quantity | None:
    """The parsed quantity, or None with the parse error added to ``causes``."""
    try:
        return parse_quantity(raw)
    except ValueError as exc:
        causes.append(invalid(path, str(raw), str(exc)))
        return None


def validate_quantity_value(name: str, q: Quantity, path: str) -> list[Cause]:
    """ValidateResourceQuantityValue: non-negative, whole for integer resources."""
    causes = []
    if q.value < 0:
        causes.append(invalid(path, canonical(q), "must be greater than or equal to 0"))
    if (name in _INTEGER or is_extended(name)) and q.value.denominator != 1:
        causes.append(invalid(path, canonical(q), "must be an integer"))
    return causes


def validate_resource_list(resources: Any, path: str, name_check: ResourceNameCheck) -> list[Cause]:
    """Names and values of a resource list: ``{name: quantity}``."""
    causes: list[Cause] = []
    if not isinstance(resources, dict):
        return causes
    for name in sorted(resources):
        name_path = key(path, name)
        causes += name_check(name, name_path)
        q = quantity_at(resources[name], name_path, causes)
        if q is not None:
            causes += validate_quantity_value(name, q, name_path)
    return causes


def validate_requirements(requirements: Any, path: str) -> list[Cause]:
    """ValidateContainerResourceRequirements: requests never above limits, extended and
    huge page resources requested exactly as limited."""
    if not isinstance(requirements, dict):
        return []
    limits_path, requests_path = child(path, "limits"), child(path, "requests")
    causes = validate_resource_list(requirements.get("limits"), limits_path, validate_container_resource_name)
    causes += validate_resource_list(requirements.get("requests"), requests_path, validate_container_resource_name)
    limits = section(requirements, "limits")
    requests = section(requirements, "requests")
    for name in sorted(requests):
        try:
            request = parse_quantity(requests[name])
            limit = parse_quantity(limits[name]) if name in limits else None
        except ValueError:
            continue
        if limit is not None:
            if request.value != limit.value and not overcommit_allowed(name):
                causes.append(
                    invalid(
                        requests_path,
                        canonical(request),
                        f"must be equal to {name} limit of {canonical(limit)}",
                    )
                )
            elif request.value > limit.value:
                causes.append(
                    invalid(
                        requests_path,
                        canonical(request),
                        f"must be less than or equal to {name} limit of {canonical(limit)}",
                    )
                )
        elif not overcommit_allowed(name):
            causes.append(required(limits_path, "Limit must be set for non overcommitable resources"))
    names = set(limits) | set(requests)
    if not names & {"cpu", "memory"} and any(is_hugepages(n) for n in names):
        causes.append(forbidden(path, "HugePages require cpu or memory"))
    return causes
