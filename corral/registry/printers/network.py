"""Table rows of services, endpoints and endpointslices: addresses and ports the way
printers.go shortens them (first three entries, then "+ N more...")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.registry.printers.cells import (
    AGE,
    NAME,
    NONE,
    Obj,
    Printer,
    age,
    column,
    doc,
    format_labels,
    integer,
    name,
    spec,
    status,
    text,
)

_SHOWN = 3  # addresses and ports listed before "+ N more..."


def _external_ip(svc_spec: dict[str, Any], svc_status: dict[str, Any]) -> str:
    """getServiceExternalIP, as generated for the server-side (always wide) table."""
    kind = svc_spec.get("type")
    external = [text(ip) for ip in svc_spec.get("externalIPs") or []]
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) or NONE
    if kind == "LoadBalancer":
        ingress = (svc_status.get("loadBalancer") or {}).get("ingress") or []
        balancer = sorted({text(i.get("ip")) or text(i.get("hostname")) for i in ingress} - {""})
        return ",".join(balancer + external) or "<pending>"
    if kind == "ExternalName":
        return text(svc_spec.get("externalName"))
    return "<unknown>"


def _ports(ports: list[dict[str, Any]]) -> str:
    pieces = []
    for port in ports:
        number, node_port = integer(port.get("port")), integer(port.get("nodePort"))
        shown = f"{number}:{node_port}" if node_port > 0 else str(number)
        pieces.append(f"{shown}/{text(port.get('protocol'))}")
    return ",".join(pieces)


def _service(obj: Obj, now: datetime) -> list[Any]:
    s = spec(obj)
    cluster_ips = s.get("clusterIPs") or ([s["clusterIP"]] if s.get("clusterIP") else [])
    return [name(obj), text(s.get("type")), cluster_ips[0] if cluster_ips else NONE,
            _external_ip(s, status(obj)), _ports(s.get("ports") or []) or NONE, age(obj, now),
            format_labels(s.get("selector"))]


def _host_port(ip: str, port: int) -> str:
    """net.JoinHostPort."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _endpoints_cell(subsets: list[dict[str, Any]]) -> str:
    """formatEndpoints: up to three ip:port pairs over all subsets."""
    if not subsets:
        return NONE
    shown: list[str] = []
    count = 0
    for subset in subsets:
        ips = [text(a.get("ip")) for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        # headless services may have no ports: their addresses alone
        pairs = [ips] if not ports else [
            [_host_port(ip, integer(p.get("port"))) for ip in ips] for p in ports]
        for group in pairs:
            count += len(group)
            shown.extend(group[:_SHOWN - len(shown)])
    listed = ",".join(shown)
    return f"{listed} + {count - _SHOWN} more..." if count > _SHOWN else listed


def _endpoints(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), _endpoints_cell(obj.get("subsets") or []), age(obj, now)]


def _more(values: list[str]) -> str:
    """listWithMoreString over all values: the first three, "<unset>" for none."""
    listed = ",".join(values[:_SHOWN])
    if len(values) > _SHOWN:
        return f"{listed} + {len(values) - _SHOWN} more..."
    return listed or "<unset>"


def _endpoint_slice(obj: Obj, now: datetime) -> list[Any]:
    ports = []
    for port in obj.get("ports") or []:
        if port.get("port") is not None:
            ports.append(str(integer(port.get("port"))))
        elif port.get("name") is not None:
            ports.append(text(port.get("name")))
        else:
            ports.append("*")
    addresses = [text(a) for e in obj.get("endpoints") or [] for a in e.get("addresses") or []]
    return [name(obj), text(obj.get("addressType")), _more(ports), _more(addresses), age(obj, now)]


PRINTERS = {
    ("", "services"): Printer((
        NAME,
        column("Type", "string", doc("ServiceSpec.type")),
        column("Cluster-IP", "string", doc("ServiceSpec.clusterIP")),
        column("External-IP", "string", doc("ServiceSpec.externalIPs")),
        column("Port(s)", "string", doc("ServiceSpec.ports")),
        AGE,
        column("Selector", "string", doc("ServiceSpec.selector"), priority=1),
    ), _service),
    ("", "endpoints"): Printer((NAME, column("Endpoints", "string", doc("Endpoints.subsets")), AGE),
                               _endpoints),
    ("discovery.k8s.io", "endpointslices"): Printer((
        NAME,
        column("AddressType", "string", doc("EndpointSlice.addressType")),
        column("Ports", "string", doc("EndpointSlice.ports")),
        column("Endpoints", "string", doc("EndpointSlice.endpoints")),
        AGE,
    ), _endpoint_slice),
}
