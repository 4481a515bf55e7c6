"""Validation of pods, pod specs and pod templates (ValidatePodCreate, ValidatePodSpec,
ValidatePodTemplateSpec and ValidatePodUpdate in pkg/apis/core/validation).

``is_pod`` distinguishes a real pod from a template embedded in a workload: a few rules
(whitespace around images, host ports under host networking) apply to pods only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import (
    dns1123_subdomain_name,
    inclusive_range_error,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_dns1123_subdomain_with_underscore,
    is_qualified_name,
)
from corral.registry.validation.containers import MAX_INT32, validate_containers, validate_security_context
from corral.registry.validation.fielderrors import (
    child,
    duplicate,
    each_invalid,
    forbidden,
    index,
    invalid,
    not_supported,
    required,
)
from corral.registry.validation.meta import (
    validate_annotations,
    validate_labels,
    validate_meta,
)
from corral.registry.validation.network import validate_ip
from corral.registry.validation.resources import validate_container_resource_name
from corral.registry.validation.resources import validate_resource_list as _resource_list
from corral.registry.validation.scheduling import (
    validate_affinity,
    validate_tolerations,
    validate_topology_spread,
)
from corral.registry.validation.volumes import (
    validate_volumes,
)

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
UPDATABLE_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def _dns_config(spec: Mapping[str, Any], path: str) -> list[Cause]:
    config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None":
        if not isinstance(config, dict):
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not config.get("nameservers"):
            return [
                required(
                    child(path, "nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                )
            ]
    if not isinstance(config, dict):
        return []
    causes: list[Cause] = []
    nameservers = config.get("nameservers") or []
    if len(nameservers) > 3:
        causes.append(invalid(child(path, "nameservers"), nameservers, "must not have more than 3 nameservers"))
    for i, server in enumerate(nameservers):
        causes += validate_ip(server, index(child(path, "nameservers"), i))
    for i, search in enumerate(config.get("searches") or []):
        search = str(search)
        if search != ".":
            search = search.removesuffix(".")
            causes += each_invalid(
                index(child(path, "searches"), i), search, is_dns1123_subdomain_with_underscore(search)
            )
    for i, option in enumerate(config.get("options") or []):
        if not option.get("name"):
            causes.append(required(index(child(path, "options"), i), "must not be empty"))
    return causes


def _host_network_ports(spec: Mapping[str, Any], path: str, is_pod: bool) -> list[Cause]:
    if not spec.get("hostNetwork"):
        return []
    causes: list[Cause] = []
    for i, container in enumerate(spec.get("containers") or []):
        for j, port in enumerate(container.get("ports") or []):
            host, container_port = port.get("hostPort") or 0, port.get("containerPort")
            if (is_pod or host != 0) and host != container_port:
                causes.append(
                    invalid(
                        child(index(child(index(child(path, "containers"), i), "ports"), j), "hostPort"),
                        host,
                        "must match `containerPort` when `hostNetwork` is true",
                    )
                )
    return causes


def validate_pod_spec(spec: Any, path: str, *, is_pod: bool) -> list[Cause]:
    if not isinstance(spec, dict):
        return [required(path)]
    causes: list[Cause] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        causes.append(required(child(path, "terminationGracePeriodSeconds")))
    volumes, volume_errors = validate_volumes(spec.get("volumes"), child(path, "volumes"))
    causes += volume_errors
    causes += validate_containers(spec, volumes, path, is_pod)
    causes += _host_network_ports(spec, path, is_pod)
    restart = spec.get("restartPolicy") or ""
    if not restart:
        causes.append(required(child(path, "restartPolicy")))
    elif restart not in RESTART_POLICIES:
        causes.append(not_supported(child(path, "restartPolicy"), restart, RESTART_POLICIES))
    dns = spec.get("dnsPolicy") or ""
    if not dns:
        causes.append(required(child(path, "dnsPolicy")))
    elif dns not in DNS_POLICIES:
        causes.append(not_supported(child(path, "dnsPolicy"), dns, DNS_POLICIES))
    causes += validate_labels(spec.get("nodeSelector"), child(path, "nodeSelector"))
    causes += validate_security_context(spec.get("securityContext"), child(path, "securityContext"))
    for i, secret in enumerate(spec.get("imagePullSecrets") or []):
        if isinstance(secret, dict) and set(secret) - {"name"}:
            causes.append(invalid(index(child(path, "imagePullSecrets"), i), secret, "only name may be set"))
    causes += validate_affinity(spec.get("affinity"), child(path, "affinity"))
    causes += _dns_config(spec, child(path, "dnsConfig"))
    for i, gate in enumerate(spec.get("readinessGates") or []):
        condition = str(gate.get("conditionType") or "")
        causes += each_invalid(
            child(index(child(path, "readinessGates"), i), "conditionType"),
            condition,
            is_qualified_name(condition),
        )
    gates_seen: set[str] = set()
    for i, gate in enumerate(spec.get("schedulingGates") or []):
        gate_name = str(gate.get("name") or "")
        gate_path = index(child(path, "schedulingGates"), i)
        causes += each_invalid(gate_path, gate_name, is_qualified_name(gate_name))
        if gate_name in gates_seen:
            causes.append(duplicate(gate_path, gate_name))
        gates_seen.add(gate_name)
    causes += validate_topology_spread(spec.get("topologySpreadConstraints"), child(path, "topologySpreadConstraints"))
    for field in ("serviceAccountName", "nodeName", "priorityClassName"):
        value = spec.get(field)
        if value:
            causes += each_invalid(child(path, field), value, dns1123_subdomain_name(str(value), False))
    deadline = spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int) and not 1 <= deadline <= MAX_INT32:
        causes.append(invalid(child(path, "activeDeadlineSeconds"), deadline, inclusive_range_error(1, MAX_INT32)))
    for field in ("hostname", "subdomain"):
        value = spec.get(field)
        if value:
            causes += each_invalid(child(path, field), value, is_dns1123_label(str(value)))
    causes += validate_tolerations(spec.get("tolerations"), child(path, "tolerations"))
    for i, alias in enumerate(spec.get("hostAliases") or []):
        alias_path = index(child(path, "hostAliases"), i)
        causes += validate_ip(alias.get("ip", ""), child(alias_path, "ip"))
        for j, hostname in enumerate(alias.get("hostnames") or []):
            causes += each_invalid(
                index(child(alias_path, "hostnames"), j), hostname, is_dns1123_subdomain(str(hostname))
            )
    runtime_class = spec.get("runtimeClassName")
    if runtime_class is not None:
        causes += each_invalid(
            child(path, "runtimeClassName"), runtime_class, dns1123_subdomain_name(str(runtime_class), False)
        )
    preemption = spec.get("preemptionPolicy")
    if preemption is not None and preemption not in ("PreemptLowerPriority", "Never"):
        causes.append(not_supported(child(path, "preemptionPolicy"), preemption, ("PreemptLowerPriority", "Never")))
    causes += _resource_list(spec.get("overhead"), child(path, "overhead"), validate_container_resource_name)
    pod_os = spec.get("os")
    if isinstance(pod_os, dict):
        if not pod_os.get("name"):
            causes.append(required(child(path, "os", "name"), "cannot be empty"))
        elif pod_os["name"] not in ("linux", "windows"):
            causes.append(not_supported(child(path, "os"), pod_os["name"], ("linux", "windows")))
    return causes


def validate_pod_template(template: Any, path: str) -> list[Cause]:
    """ValidatePodTemplateSpec: the template of a workload, at ``path``."""
    if not isinstance(template, dict):
        return [required(path)]
    meta = template.get("metadata") or {}
    causes = validate_labels(meta.get("labels"), child(path, "labels"))
    causes += validate_annotations(meta.get("annotations"), child(path, "annotations"))
    spec = template.get("spec")
    causes += validate_pod_spec(spec, child(path, "spec"), is_pod=False)
    if isinstance(spec, dict) and spec.get("ephemeralContainers"):
        causes.append(
            forbidden(child(path, "spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template")
        )
    return causes


def _pod_spec_diff(new: Any, old: Any, path: str = "spec") -> list[str]:
    """Where two pod specs differ, one line per changed leaf (kube prints a cmp.Diff)."""
    if isinstance(new, dict) and isinstance(old, dict):
        return [
            line for k in sorted(set(new) | set(old)) for line in _pod_spec_diff(new.get(k), old.get(k), child(path, k))
        ]
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [
            line for i, (n, o) in enumerate(zip(new, old, strict=True)) for line in _pod_spec_diff(n, o, index(path, i))
        ]
    return [] if new == old else [f"  {path}: {json.dumps(old)} -> {json.dumps(new)}"]


def _tolerations_only_added(new: list[Any], old: list[Any], path: str) -> list[Cause]:
    def without_seconds(t: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in t.items() if k != "tolerationSeconds"}

    new_bare = [without_seconds(t) for t in new if isinstance(t, Mapping)]
    for toleration in old:
        if isinstance(toleration, Mapping) and without_seconds(toleration) not in new_bare:
            return [forbidden(path, "existing toleration can not be modified except its tolerationSeconds")]
    return []


def _validate_pod_update(spec: dict[str, Any], old_spec: dict[str, Any]) -> list[Cause]:
    causes: list[Cause] = []
    for name in ("containers", "initContainers"):
        new_list, old_list = spec.get(name) or [], old_spec.get(name) or []
        if len(new_list) != len(old_list):
            return [*causes, forbidden(child("spec", name), "pod updates may not add or remove containers")]
        for i, container in enumerate(new_list):
            if not container.get("image"):
                causes.append(required(child(index(child("spec", name), i), "image")))
    deadline, old_deadline = spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    deadline_path = "spec.activeDeadlineSeconds"
    if deadline is not None:
        if not isinstance(deadline, int) or not 0 <= deadline <= MAX_INT32:
            return [*causes, invalid(deadline_path, deadline, inclusive_range_error(0, MAX_INT32))]
        if old_deadline is not None and old_deadline < deadline:
            return [*causes, invalid(deadline_path, deadline, "must be less than or equal to previous value")]
    elif old_deadline is not None:
        causes.append(invalid(deadline_path, None, "must not update from a positive integer to nil value"))
    causes += _tolerations_only_added(
        spec.get("tolerations") or [], old_spec.get("tolerations") or [], "spec.tolerations"
    )
    added_gates = [
        g.get("name")
        for g in spec.get("schedulingGates") or []
        if g.get("name") not in {o.get("name") for o in old_spec.get("schedulingGates") or []}
    ]
    for i, gate in enumerate(spec.get("schedulingGates") or []):
        if gate.get("name") in added_gates:
            causes.append(
                forbidden(
                    child(index("spec.schedulingGates", i), "name"),
                    f"only deletion is allowed, but found new scheduling gate '{gate.get('name')}'",
                )
            )
    munged = dict(spec)
    for name in ("containers", "initContainers"):
        munged[name] = [
            {**c, "image": o.get("image")} for c, o in zip(spec.get(name) or [], old_spec.get(name) or [], strict=True)
        ] or spec.get(name)
    for name in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(name, None)
        if name in old_spec:
            munged[name] = old_spec[name]
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    diff = _pod_spec_diff(munged, old_spec)
    if diff:
        causes.append(
            forbidden(
                "spec",
                "pod updates may not change fields other than " + ",".join(UPDATABLE_FIELDS) + "\n" + "\n".join(diff),
            )
        )
    return causes


def validate_pod(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    meta_causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    spec = obj.get("spec")
    causes = meta_causes + validate_pod_spec(spec, "spec", is_pod=True)
    if not isinstance(spec, dict):
        return causes
    if old is None:
        if spec.get("ephemeralContainers"):
            causes.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
        if spec.get("nodeName") and spec.get("schedulingGates"):
            causes.append(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
        return causes
    old_spec = old.get("spec")
    if isinstance(old_spec, dict):
        causes += _validate_pod_update(spec, old_spec)
    return causes
