"""Validation of the containers of a pod spec: names, images, ports, environment, volume
mounts, probes, lifecycle hooks, resources and security context (validateContainers,
validateInitContainers and their helpers in pkg/apis/core/validation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import (
    dns1123_subdomain_name,
    inclusive_range_error,
    is_config_map_key,
    is_dns1123_label,
)
from corral.registry.validation.fielderrors import (
    child,
    duplicate,
    each_invalid,
    forbidden,
    index,
    invalid,
    nonnegative,
    not_found,
    not_supported,
    required,
)
from corral.registry.validation.network import port_name_errors, validate_port_num_or_name, validate_protocol
from corral.registry.validation.resources import validate_requirements
from corral.registry.validation.volumes import validate_local_descending_path, validate_object_field_selector

MAX_INT32 = 2**31 - 1
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
ENV_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)
RESOURCE_FIELD_PATHS = (
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
)
_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")


def _handler(handler: Mapping[str, Any], kinds: tuple[str, ...], grace: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    count = 0
    for kind in kinds:
        action = handler.get(kind)
        if not isinstance(action, dict):
            continue
        kind_path = child(path, kind)
        if count:
            causes.append(forbidden(kind_path, "may not specify more than 1 handler type"))
            continue
        count += 1
        if kind == "exec" and not action.get("command"):
            causes.append(required(child(kind_path, "command")))
        elif kind == "httpGet":
            if not action.get("path"):
                causes.append(required(child(kind_path, "path")))
            causes += validate_port_num_or_name(action.get("port", 0), child(kind_path, "port"))
            if action.get("scheme") not in ("HTTP", "HTTPS"):
                causes.append(not_supported(child(kind_path, "scheme"), action.get("scheme", ""), ("HTTP", "HTTPS")))
            for header in action.get("httpHeaders") or []:
                name = str(header.get("name", ""))
                if not name or not all(c.isascii() and (c.isalnum() or c == "-") for c in name):
                    causes.append(
                        invalid(
                            child(kind_path, "httpHeaders"),
                            name,
                            "a valid HTTP header must consist of alphanumeric characters or '-' "
                            "(e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
                        )
                    )
        elif kind in ("tcpSocket", "grpc"):
            causes += validate_port_num_or_name(action.get("port", 0), child(kind_path, "port"))
        elif kind == "sleep" and isinstance(grace, int):
            seconds = action.get("seconds", 0)
            if not isinstance(seconds, int) or seconds < 0 or seconds > grace:
                causes.append(
                    invalid(
                        kind_path,
                        seconds,
                        f"must be non-negative and less than terminationGracePeriodSeconds ({grace})",
                    )
                )
    if not count:
        causes.append(required(path, "must specify a handler type"))
    return causes


def _probe(probe: Any, name: str, grace: Any, path: str) -> list[Cause]:
    if not isinstance(probe, dict):
        return []
    causes = _handler(probe, _PROBE_HANDLERS, grace, path)
    for field in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        causes += nonnegative(child(path, field), probe.get(field))
    probe_grace = probe.get("terminationGracePeriodSeconds")
    if isinstance(probe_grace, int) and probe_grace <= 0:
        causes.append(invalid(child(path, "terminationGracePeriodSeconds"), probe_grace, "must be greater than 0"))
    if name in ("livenessProbe", "startupProbe") and probe.get("successThreshold", 1) != 1:
        causes.append(invalid(child(path, "successThreshold"), probe.get("successThreshold"), "must be 1"))
    if name == "readinessProbe" and probe_grace is not None:
        causes.append(
            invalid(
                child(path, "terminationGracePeriodSeconds"),
                probe_grace,
                "must not be set for readinessProbes",
            )
        )
    return causes


def _lifecycle_and_probes(container: Mapping[str, Any], grace: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                causes += _handler(lifecycle[hook], _LIFECYCLE_HANDLERS, grace, child(path, "lifecycle", hook))
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        causes += _probe(container.get(name), name, grace, child(path, name))
    return causes


def _ports(ports: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    names: set[str] = set()
    for i, port in enumerate(ports if isinstance(ports, list) else []):
        idx = index(path, i)
        name = port.get("name")
        if name:
            errors = port_name_errors(str(name))
            if errors:
                causes += each_invalid(child(idx, "name"), name, errors)
            elif name in names:
                causes.append(duplicate(child(idx, "name"), name))
            else:
                names.add(name)
        container_port = port.get("containerPort")
        if not container_port:
            causes.append(required(child(idx, "containerPort")))
        else:
            causes += validate_port_num_or_name(container_port, child(idx, "containerPort"))
        if port.get("hostPort"):
            causes += validate_port_num_or_name(port["hostPort"], child(idx, "hostPort"))
        causes += validate_protocol(port.get("protocol"), child(idx, "protocol"))
    return causes


def _key_selector(selector: Mapping[str, Any], path: str) -> list[Cause]:
    name, key = str(selector.get("name") or ""), selector.get("key")
    causes = each_invalid(child(path, "name"), name, dns1123_subdomain_name(name, False))
    if not key:
        causes.append(required(child(path, "key")))
    else:
        causes += each_invalid(child(path, "key"), key, is_config_map_key(str(key)))
    return causes


def _env(env: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    for i, var in enumerate(env if isinstance(env, list) else []):
        idx = index(path, i)
        name = str(var.get("name") or "")
        if not name:
            causes.append(required(child(idx, "name")))
        elif any(not (c.isascii() and c.isprintable()) or c == "=" for c in name):
            causes.append(
                invalid(
                    child(idx, "name"),
                    name,
                    "a valid environment variable name must consist only of printable ASCII characters other than '='",
                )
            )
        value_from = var.get("valueFrom")
        if not isinstance(value_from, dict):
            continue
        from_path = child(idx, "valueFrom")
        sources = [
            k
            for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
            if isinstance(value_from.get(k), dict)
        ]
        for source in sources:
            ref, ref_path = value_from[source], child(from_path, source)
            if source == "fieldRef":
                causes += validate_object_field_selector(ref, ENV_FIELD_PATHS, ref_path)
            elif source == "resourceFieldRef":
                resource = str(ref.get("resource") or "")
                if not resource:
                    causes.append(required(child(ref_path, "resource")))
                elif resource not in RESOURCE_FIELD_PATHS and not resource.startswith(
                    ("requests.hugepages-", "limits.hugepages-")
                ):
                    causes.append(not_supported(child(ref_path, "resource"), resource, RESOURCE_FIELD_PATHS))
            else:
                causes += _key_selector(ref, ref_path)
        if not sources:
            causes.append(
                invalid(
                    from_path,
                    "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                )
            )
        elif var.get("value"):
            causes.append(invalid(from_path, "", "may not be specified when `value` is not empty"))
        elif len(sources) > 1:
            causes.append(invalid(from_path, "", "may not have more than one field specified at a time"))
    return causes


def _env_from(env_from: Any, path: str) -> list[Cause]:
    causes: list[Cause] = []
    for i, source in enumerate(env_from if isinstance(env_from, list) else []):
        idx = index(path, i)
        refs = [k for k in ("configMapRef", "secretRef") if isinstance(source.get(k), dict)]
        for ref in refs:
            name = str(source[ref].get("name") or "")
            if not name:
                causes.append(required(child(idx, ref, "name")))
            else:
                causes += each_invalid(child(idx, ref, "name"), name, dns1123_subdomain_name(name, True))
        if not refs:
            causes.append(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif len(refs) > 1:
            causes.append(invalid(path, "", "may not have more than one field specified at a time"))
    return causes


def _mounts(container: Mapping[str, Any], volumes: Mapping[str, Any], container_path: str) -> list[Cause]:
    causes: list[Cause] = []
    path = child(container_path, "volumeMounts")
    mount_paths: set[str] = set()
    devices = {d.get("name"): d.get("devicePath") for d in container.get("volumeDevices") or []}
    for i, mount in enumerate(container.get("volumeMounts") or []):
        idx = index(path, i)
        name, mount_path = str(mount.get("name") or ""), str(mount.get("mountPath") or "")
        if not name:
            causes.append(required(child(idx, "name")))
        if name not in volumes:
            causes.append(not_found(child(idx, "name"), name))
        if not mount_path:
            causes.append(required(child(idx, "mountPath")))
        if mount_path in mount_paths:
            causes.append(invalid(child(idx, "mountPath"), mount_path, "must be unique"))
        mount_paths.add(mount_path)
        if name in devices:
            causes.append(invalid(child(idx, "name"), name, "must not already exist in volumeDevices"))
        if mount_path in devices.values():
            causes.append(
                invalid(child(idx, "mountPath"), mount_path, "must not already exist as a path in volumeDevices")
            )
        if mount.get("subPath"):
            causes += validate_local_descending_path(str(mount["subPath"]), child(path, "subPath"))
        if mount.get("subPathExpr"):
            if mount.get("subPath"):
                causes.append(
                    invalid(
                        child(idx, "subPathExpr"),
                        mount["subPathExpr"],
                        "subPathExpr and subPath are mutually exclusive",
                    )
                )
            causes += validate_local_descending_path(str(mount["subPathExpr"]), child(path, "subPathExpr"))
        propagation = mount.get("mountPropagation")
        if propagation is not None:
            supported = ("Bidirectional", "HostToContainer", "None")
            if propagation not in supported:
                causes.append(not_supported(child(path, "mountPropagation"), propagation, supported))
            privileged = (container.get("securityContext") or {}).get("privileged") is True
            if propagation == "Bidirectional" and not privileged:
                causes.append(
                    forbidden(
                        child(path, "mountPropagation"),
                        "Bidirectional mount propagation is available only to privileged containers",
                    )
                )
    for i, device in enumerate(container.get("volumeDevices") or []):
        name = str(device.get("name") or "")
        if name not in volumes:
            causes.append(not_found(child(index(child(container_path, "volumeDevices"), i), "name"), name))
    return causes


def validate_security_context(context: Any, path: str) -> list[Cause]:
    if not isinstance(context, dict):
        return []
    causes: list[Cause] = []
    for field in ("runAsUser", "runAsGroup", "fsGroup"):
        value = context.get(field)
        if isinstance(value, int) and not 0 <= value <= MAX_INT32:
            causes.append(invalid(child(path, field), value, inclusive_range_error(0, MAX_INT32)))
    for i, gid in enumerate(context.get("supplementalGroups") or []):
        if isinstance(gid, int) and not 0 <= gid <= MAX_INT32:
            causes.append(
                invalid(index(child(path, "supplementalGroups"), i), gid, inclusive_range_error(0, MAX_INT32))
            )
    profile = context.get("seccompProfile")
    if isinstance(profile, dict):
        kinds = ("Localhost", "RuntimeDefault", "Unconfined")
        kind = profile.get("type") or ""
        if not kind:
            causes.append(
                required(child(path, "seccompProfile", "type"), "type is required when seccompProfile is set")
            )
        elif kind not in kinds:
            causes.append(not_supported(child(path, "seccompProfile", "type"), kind, kinds))
        elif kind == "Localhost" and profile.get("localhostProfile") is None:
            causes.append(
                required(
                    child(path, "seccompProfile", "localhostProfile"),
                    "must be set when seccomp type is Localhost",
                )
            )
    return causes


def _container_common(container: Mapping[str, Any], volumes: Mapping[str, Any], path: str) -> list[Cause]:
    causes: list[Cause] = []
    name = str(container.get("name") or "")
    if not name:
        causes.append(required(child(path, "name")))
    else:
        causes += each_invalid(child(path, "name"), name, is_dns1123_label(name))
    if not container.get("image"):
        causes.append(required(child(path, "image")))
    policy = container.get("terminationMessagePolicy") or ""
    if not policy:
        causes.append(required(child(path, "terminationMessagePolicy")))
    elif policy not in TERMINATION_MESSAGE_POLICIES:
        causes.append(not_supported(child(path, "terminationMessagePolicy"), policy, TERMINATION_MESSAGE_POLICIES))
    causes += _ports(container.get("ports"), child(path, "ports"))
    causes += _env(container.get("env"), child(path, "env"))
    causes += _env_from(container.get("envFrom"), child(path, "envFrom"))
    causes += _mounts(container, volumes, path)
    pull = container.get("imagePullPolicy") or ""
    if not pull:
        causes.append(required(child(path, "imagePullPolicy")))
    elif pull not in PULL_POLICIES:
        causes.append(not_supported(child(path, "imagePullPolicy"), pull, PULL_POLICIES))
    causes += validate_requirements(container.get("resources"), child(path, "resources"))
    causes += validate_security_context(container.get("securityContext"), child(path, "securityContext"))
    return causes


def validate_containers(spec: Mapping[str, Any], volumes: Mapping[str, Any], path: str, is_pod: bool) -> list[Cause]:
    containers = spec.get("containers")
    grace = spec.get("terminationGracePeriodSeconds")
    list_path = child(path, "containers")
    if not isinstance(containers, list) or not containers:
        return [required(list_path)]
    causes: list[Cause] = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        idx = index(list_path, i)
        causes += _container_common(container, volumes, idx)
        if container.get("name") in names:
            causes.append(duplicate(child(idx, "name"), container.get("name")))
        names.add(container.get("name"))
        causes += _lifecycle_and_probes(container, grace, idx)
        if container.get("restartPolicy") is not None:
            causes.append(forbidden(child(idx, "restartPolicy"), "may not be set for non-init containers"))
        if is_pod:
            causes += _image_whitespace(container, idx)
    causes += _host_port_conflicts(containers, list_path)
    init_path = child(path, "initContainers")
    for i, container in enumerate(spec.get("initContainers") or []):
        idx = index(init_path, i)
        causes += _container_common(container, volumes, idx)
        policy = container.get("restartPolicy")
        if policy is not None and policy != "Always":
            causes.append(not_supported(child(idx, "restartPolicy"), policy, ("Always",)))
        if container.get("name") in names:
            causes.append(duplicate(child(idx, "name"), container.get("name")))
        elif container.get("name"):
            names.add(container.get("name"))
        causes += _host_port_conflicts([container], init_path)
        if policy == "Always":
            causes += _lifecycle_and_probes(container, grace, idx)
        else:
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(field) is not None:
                    causes.append(
                        forbidden(
                            child(idx, field),
                            "may not be set for init containers without restartPolicy=Always",
                        )
                    )
        if is_pod:
            causes += _image_whitespace(container, idx)
    return causes


def _image_whitespace(container: Mapping[str, Any], path: str) -> list[Cause]:
    image = str(container.get("image") or "")
    if image != image.strip():
        return [invalid(child(path, "image"), image, "must not have leading or trailing whitespace")]
    return []


def _host_port_conflicts(containers: list[Any], path: str) -> list[Cause]:
    causes: list[Cause] = []
    seen: set[str] = set()
    for ci, container in enumerate(containers):
        for pi, port in enumerate(container.get("ports") or []):
            if not port.get("hostPort"):
                continue
            triple = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{port['hostPort']}"
            if triple in seen:
                causes.append(duplicate(child(index(child(index(path, ci), "ports"), pi), "hostPort"), triple))
            seen.add(triple)
    return causes
