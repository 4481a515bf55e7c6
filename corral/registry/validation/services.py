"""Validation of Service, Endpoints and EndpointSlice (ValidateService*, ValidateEndpoints*
in pkg/apis/core/validation and pkg/apis/discovery/validation). Cluster IP allocation and
node port ranges are the allocator's business, not checked here."""

from __future__ import annotations

import ipaddress
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import (
    dns1035_label_name,
    dns1123_subdomain_name,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
)
from corral.registry.validation.fielderrors import (
    GoRepr,
    child,
    duplicate,
    each_invalid,
    forbidden,
    go_slice,
    immutable,
    index,
    invalid,
    not_supported,
    required,
    too_many,
)
from corral.registry.validation.meta import validate_labels, validate_meta
from corral.registry.validation.network import (
    validate_ip,
    validate_port_num_or_name,
    validate_port_number,
    validate_protocol,
)
from corral.registry.validation.shapes import entries, section

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
MAX_CLIENT_IP_TIMEOUT = 86400


def is_headless(spec: dict[str, Any]) -> bool:
    ips = spec.get("clusterIPs")
    return spec.get("clusterIP") == "None" if not isinstance(ips, list) or not ips else ips == ["None"]


def _port(port: dict[str, Any], require_name: bool, names: set[str], path: str) -> list[Cause]:
    causes: list[Cause] = []
    name = port.get("name") or ""
    if require_name and not name:
        causes.append(required(child(path, "name")))
    elif name:
        causes += each_invalid(child(path, "name"), name, is_dns1123_label(str(name)))
        if name in names:
            causes.append(duplicate(child(path, "name"), name))
        names.add(name)
    number = port.get("port", 0)
    causes += validate_port_number(number, child(path, "port"))
    causes += validate_protocol(port.get("protocol"), child(path, "protocol"))
    causes += validate_port_num_or_name(port.get("targetPort", 0), child(path, "targetPort"))
    app_protocol = port.get("appProtocol")
    if app_protocol is not None:
        causes += each_invalid(child(path, "appProtocol"), app_protocol, is_qualified_name(str(app_protocol)))
    return causes


def _session_affinity(spec: dict[str, Any]) -> list[Cause]:
    affinity = spec.get("sessionAffinity") or ""
    config = spec.get("sessionAffinityConfig")
    path = "spec.sessionAffinityConfig"
    if not affinity:
        return [required("spec.sessionAffinity")]
    if affinity not in ("ClientIP", "None"):
        return [not_supported("spec.sessionAffinity", affinity, ("ClientIP", "None"))]
    if affinity == "None":
        return [forbidden(path, "must not be set when session affinity is None")] if config is not None else []
    client_ip = config.get("clientIP") if isinstance(config, dict) else None
    when = "when session affinity type is ClientIP"
    if not isinstance(config, dict):
        return [required(path, when)]
    if not isinstance(client_ip, dict):
        return [required(child(path, "clientIP"), when)]
    timeout = client_ip.get("timeoutSeconds")
    if timeout is None:
        return [required(child(path, "clientIP", "timeoutSeconds"), when)]
    if not isinstance(timeout, int) or not 0 < timeout <= MAX_CLIENT_IP_TIMEOUT:
        return [
            invalid(
                child(path, "clientIP", "timeoutSeconds"),
                timeout,
                f"must be greater than 0 and less than {MAX_CLIENT_IP_TIMEOUT}",
            )
        ]
    return []


def _cluster_ips(spec: dict[str, Any]) -> list[Cause]:
    ips: list[Any] = spec["clusterIPs"] if isinstance(spec.get("clusterIPs"), list) else []
    families = spec.get("ipFamilies") or []
    causes: list[Cause] = []
    cluster_ip = spec.get("clusterIP")
    if ips and cluster_ip and ips[0] != cluster_ip:
        causes.append(invalid("spec.clusterIPs", go_slice(ips), "first value must match `clusterIP`"))
    seen: set[str] = set()
    for i, family in enumerate(families):
        if family not in ("IPv4", "IPv6"):
            causes.append(not_supported(index("spec.ipFamilies", i), family, ("IPv4", "IPv6")))
        if family in seen:
            causes.append(duplicate(index("spec.ipFamilies", i), family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    policies = ("PreferDualStack", "RequireDualStack", "SingleStack")
    if policy is not None and policy not in policies:
        causes.append(not_supported("spec.ipFamilyPolicy", policy, policies))
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                causes.append(invalid("spec.clusterIPs", go_slice(ips), "'None' must be the first and only value"))
            continue
        causes += validate_ip(ip, index("spec.clusterIPs", i))
    if len(ips) > 2:
        causes.append(invalid("spec.clusterIPs", go_slice(ips), "may only hold up to 2 values"))
    return causes


def validate_service(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = section(obj, "spec")
    causes = validate_meta(obj, old, True, dns1035_label_name)
    kind = spec.get("type") or ""
    ports = entries(spec, "ports")
    if not ports and not is_headless(spec) and kind != "ExternalName":
        causes.append(required("spec.ports"))
    if kind in ("LoadBalancer", "NodePort") and is_headless(spec):
        causes.append(invalid("spec.clusterIPs[0]", "None", f"may not be set to 'None' for {kind} services"))
    if kind == "ExternalName":
        for field in ("clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if spec.get(field):
                causes.append(forbidden(child("spec", field), "may not be set for ExternalName services"))
        cname = str(spec.get("externalName") or "").removesuffix(".")
        if cname:
            causes += each_invalid("spec.externalName", cname, is_dns1123_subdomain(cname))
        else:
            causes.append(required("spec.externalName"))
    names: set[str] = set()
    for i, port in enumerate(ports):
        causes += _port(port, len(ports) > 1, names, index("spec.ports", i))
    causes += validate_labels(spec.get("selector"), "spec.selector")
    causes += _session_affinity(spec)
    if kind != "ExternalName":
        causes += _cluster_ips(spec)
    for i, ip in enumerate(spec.get("externalIPs") or []):
        causes += validate_ip(ip, index("spec.externalIPs", i))
    if not kind:
        causes.append(required("spec.type"))
    elif kind not in SERVICE_TYPES:
        causes.append(not_supported("spec.type", kind, SERVICE_TYPES))
    seen_node_ports: set[tuple[Any, Any]] = set()
    seen_ports: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        port_path = index("spec.ports", i)
        if kind == "ClusterIP" and port.get("nodePort"):
            causes.append(forbidden(child(port_path, "nodePort"), "may not be used when `type` is 'ClusterIP'"))
        if port.get("nodePort"):
            node_key = (port.get("protocol"), port.get("nodePort"))
            if node_key in seen_node_ports:
                causes.append(duplicate(child(port_path, "nodePort"), port.get("nodePort")))
            seen_node_ports.add(node_key)
        port_key = (port.get("protocol"), port.get("port"))
        if port_key in seen_ports:
            causes.append(
                duplicate(
                    port_path,
                    GoRepr(
                        f'core.ServicePort{{Name:"", Protocol:"{port_key[0]}", '
                        f"AppProtocol:(*string)(nil), Port:{port_key[1]}, "
                        'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, '
                        "NodePort:0}"
                    ),
                )
            )
        seen_ports.add(port_key)
    causes += _load_balancer_fields(spec, kind)
    causes += _traffic_policies(spec, kind)
    if old is not None:
        causes += _immutable_cluster_ips(spec, old.get("spec") or {})
    return causes


def _load_balancer_fields(spec: dict[str, Any], kind: str) -> list[Cause]:
    causes: list[Cause] = []
    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges and kind != "LoadBalancer":
        causes.append(forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"))
    for i, cidr in enumerate(ranges):
        try:
            ipaddress.ip_network(str(cidr).strip())
        except ValueError:
            causes.append(
                invalid(
                    index("spec.LoadBalancerSourceRanges", i),
                    str(cidr).strip(),
                    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                )
            )
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != "LoadBalancer":
        causes.append(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    lb_class = spec.get("loadBalancerClass")
    if lb_class is not None:
        if kind == "LoadBalancer":
            causes += each_invalid("spec.loadBalancerClass", lb_class, is_qualified_name(str(lb_class)))
        else:
            causes.append(forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'"))
    return causes


def _traffic_policies(spec: dict[str, Any], kind: str) -> list[Cause]:
    causes: list[Cause] = []
    external = spec.get("externalTrafficPolicy") or ""
    externally_accessible = kind in ("LoadBalancer", "NodePort") or (kind == "ClusterIP" and spec.get("externalIPs"))
    if not externally_accessible:
        if external:
            causes.append(
                invalid(
                    "spec.externalTrafficPolicy",
                    external,
                    "may only be set for externally-accessible services",
                )
            )
    elif not external:
        causes.append(required("spec.externalTrafficPolicy"))
    elif external not in ("Cluster", "Local"):
        causes.append(not_supported("spec.externalTrafficPolicy", external, ("Cluster", "Local")))
    health = spec.get("healthCheckNodePort")
    if health and not (kind == "LoadBalancer" and external == "Local"):
        causes.append(
            invalid(
                "spec.healthCheckNodePort",
                health,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            )
        )
    internal = spec.get("internalTrafficPolicy")
    if internal is None and kind in ("NodePort", "LoadBalancer", "ClusterIP"):
        causes.append(required("spec.internalTrafficPolicy"))
    elif internal is not None and internal not in ("Cluster", "Local"):
        causes.append(not_supported("spec.internalTrafficPolicy", internal, ("Cluster", "Local")))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution != "PreferClose":
        causes.append(not_supported("spec.trafficDistribution", distribution, ("PreferClose",)))
    return causes


def _immutable_cluster_ips(spec: dict[str, Any], old_spec: dict[str, Any]) -> list[Cause]:
    """A cluster IP, once set, stays (unless the Service becomes or was ExternalName)."""
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    if is_headless(spec) and is_headless(old_spec):
        return []
    new_ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    old_ips = old_spec.get("clusterIPs") or ([old_spec["clusterIP"]] if old_spec.get("clusterIP") else [])
    if len(new_ips) == len(old_ips):
        return [
            invalid(index("spec.clusterIPs", i), go_slice(new_ips), "may not change once set")
            for i, ip in enumerate(old_ips)
            if ip != new_ips[i]
        ]
    if not new_ips:
        return [invalid("spec.clusterIPs[0]", go_slice(new_ips), "primary clusterIP can not be unset")]
    if old_ips and new_ips[0] != old_ips[0]:
        return [invalid("spec.clusterIPs[0]", go_slice(new_ips), "may not change once set")]
    return []


def _non_special_ip(ip: str, path: str) -> list[Cause]:
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return [invalid(path, ip, "must be a valid IP address")]
    causes: list[Cause] = []
    if parsed.is_unspecified:
        causes.append(invalid(path, ip, f"may not be unspecified ({ip})"))
    if parsed.is_loopback:
        causes.append(invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if parsed.is_link_local:
        causes.append(invalid(path, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    if parsed.is_multicast and (
        parsed in ipaddress.ip_network("224.0.0.0/24") if parsed.version == 4 else str(parsed).startswith("ff02:")
    ):
        causes.append(invalid(path, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
    return causes


def validate_endpoints(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    for i, subset in enumerate(obj.get("subsets") or []):
        path = index("subsets", i)
        if not subset.get("addresses") and not subset.get("notReadyAddresses"):
            causes.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
        for field in ("addresses", "notReadyAddresses"):
            for j, address in enumerate(subset.get(field) or []):
                address_path = index(child(path, field), j)
                ip = str(address.get("ip") or "")
                ip_errors = validate_ip(ip, child(address_path, "ip"))
                causes += ip_errors
                if address.get("hostname"):
                    causes += each_invalid(
                        child(address_path, "hostname"),
                        address["hostname"],
                        is_dns1123_label(str(address["hostname"])),
                    )
                if address.get("nodeName") is not None:
                    causes += each_invalid(
                        child(address_path, "nodeName"),
                        address["nodeName"],
                        dns1123_subdomain_name(str(address["nodeName"]), False),
                    )
                if not ip_errors:
                    causes += _non_special_ip(ip, child(address_path, "ip"))
        ports = subset.get("ports") or []
        for j, port in enumerate(ports):
            port_path = index(child(path, "ports"), j)
            if len(ports) > 1 and not port.get("name"):
                causes.append(required(child(port_path, "name")))
            elif port.get("name"):
                causes += each_invalid(child(port_path, "name"), port["name"], is_dns1123_label(str(port["name"])))
            causes += validate_port_number(port.get("port", 0), child(port_path, "port"))
            causes += validate_protocol(port.get("protocol"), child(port_path, "protocol"))
    return causes


def _slice_address(address: Any, kind: str, path: str) -> list[Cause]:
    text = str(address)
    if kind in ("IPv4", "IPv6"):
        try:
            parsed = ipaddress.ip_address(text)
        except ValueError:
            parsed = None
        if parsed is None or parsed.version != int(kind[-1]):
            return [invalid(path, text, f"must be a valid {kind} address")]
        return _non_special_ip(text, path)
    if kind == "FQDN":
        name = text.removesuffix(".")
        if not name:
            return [required(path)]
        errors = is_dns1123_subdomain(name)
        if errors:
            return [invalid(path, name, ",".join(errors))]
        if len(name.split(".")) < 2:
            return [invalid(path, name, "should be a domain with at least two segments separated by dots")]
    return []


def validate_endpoint_slice(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    kind = obj.get("addressType") or ""
    if not kind:
        causes.append(required("addressType"))
    elif kind not in ADDRESS_TYPES:
        causes.append(not_supported("addressType", kind, ADDRESS_TYPES))
    endpoints = obj.get("endpoints") or []
    if len(endpoints) > 1000:
        causes.append(too_many("endpoints", len(endpoints), 1000))
        endpoints = []
    for i, endpoint in enumerate(endpoints):
        path = index("endpoints", i)
        addresses = endpoint.get("addresses") or []
        if not addresses:
            causes.append(required(child(path, "addresses"), "must contain at least 1 address"))
        elif len(addresses) > 100:
            causes.append(too_many(child(path, "addresses"), len(addresses), 100))
        for j, address in enumerate(addresses):
            causes += _slice_address(address, kind, index(child(path, "addresses"), j))
        if endpoint.get("nodeName") is not None:
            causes += each_invalid(
                child(path, "nodeName"),
                endpoint["nodeName"],
                dns1123_subdomain_name(str(endpoint["nodeName"]), False),
            )
        if endpoint.get("hostname") is not None:
            causes += each_invalid(
                child(path, "hostname"), endpoint["hostname"], is_dns1123_label(str(endpoint["hostname"]))
            )
    ports = obj.get("ports") or []
    names: set[str] = set()
    for i, port in enumerate(ports):
        path = index("ports", i)
        name = str(port.get("name") or "")
        if name:
            causes += each_invalid(child(path, "name"), name, is_dns1123_label(name))
        if name in names:
            causes.append(duplicate(child(path, "name"), name))
        names.add(name)
        causes += validate_protocol(port.get("protocol"), child(path, "protocol"))
        if port.get("appProtocol") is not None:
            causes += each_invalid(
                child(path, "appProtocol"), port["appProtocol"], is_qualified_name(str(port["appProtocol"]))
            )
    if old is not None:
        causes += immutable("addressType", kind, old.get("addressType"))
    return causes
