"""Defaults of Service, Endpoints and EndpointSlice.

Besides SetDefaults_Service, a Service gets the IP family fields kube's service REST
storage fills in on a single-stack IPv4 cluster (the cluster IP itself is allocated
elsewhere) and the load-balancer status every Service prints.
"""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import fill, struct, sub
from corral.registry.validation.services import is_headless
from corral.registry.validation.shapes import entries

CLIENT_IP_TIMEOUT = 10800


def default_service(obj: dict[str, Any]) -> None:
    spec = struct(obj, "spec")
    fill(spec, "sessionAffinity", "None")
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = sub(spec, "sessionAffinityConfig")
        client_ip = sub(config, "clientIP")
        if client_ip is None or client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": CLIENT_IP_TIMEOUT}}
    fill(spec, "type", "ClusterIP")
    kind = spec["type"]
    for port in entries(spec, "ports"):
        fill(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port", 0)
    externally_accessible = kind in ("NodePort", "LoadBalancer") or (kind == "ClusterIP" and spec.get("externalIPs"))
    if externally_accessible:
        fill(spec, "externalTrafficPolicy", "Cluster")
    if kind in ("NodePort", "LoadBalancer", "ClusterIP"):
        fill(spec, "internalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        fill(spec, "allocateLoadBalancerNodePorts", True)
    if kind != "ExternalName":
        # headless without a selector may take any family: kube asks for dual stack
        dual = is_headless(spec) and not spec.get("selector")
        fill(spec, "ipFamilyPolicy", "RequireDualStack" if dual else "SingleStack")
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4"]
    load_balancer = struct(struct(obj, "status"), "loadBalancer")
    if kind == "LoadBalancer":
        for ingress in entries(load_balancer, "ingress"):
            if ingress.get("ip"):
                fill(ingress, "ipMode", "VIP")


def default_endpoints(obj: dict[str, Any]) -> None:
    for subset in entries(obj, "subsets"):
        for port in entries(subset, "ports"):
            fill(port, "protocol", "TCP")


def default_endpoint_slice(obj: dict[str, Any]) -> None:
    # neither list has omitempty: kube prints a missing one as null
    obj.setdefault("endpoints", None)
    obj.setdefault("ports", None)
    for port in entries(obj, "ports"):
        fill(port, "name", "")
        fill(port, "protocol", "TCP")
    for endpoint in entries(obj, "endpoints"):
        struct(endpoint, "conditions")  # a struct kube always prints
