"""Defaults of Service, Endpoints and EndpointSlice.

Besides SetDefaults_Service, a Service gets the IP family fields kube's service REST
storage fills in on a single-stack IPv4 cluster (the cluster IP itself is allocated
elsewhere) and the load-balancer status every Service prints.
"""

from __future__ import annotations

from typing import Any

from corral.registry.defaults.common import fill, sub
from corral.registry.validation.services import is_headless
from corral.registry.validation.shapes import entries

CLIENT_IP_TIMEOUT = 10800


def default_service(obj: dict[str, Any]) -> None:
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = sub(spec, "sessionAffinityConfig")
        client_ip = sub(config, "clientIP") if config is not None else None
        if client_ip is None or client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": CLIENT_IP_TIMEOUT}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    kind = spec["type"]
    for port in entries(spec, "ports"):
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port", 0)
    externally_accessible = kind in ("NodePort", "LoadBalancer") or (kind == "ClusterIP" and spec.get("externalIPs"))
    if externally_accessible and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
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
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        load_balancer = status.setdefault("loadBalancer", {})
        if kind == "LoadBalancer" and isinstance(load_balancer, dict):
            for ingress in entries(load_balancer, "ingress"):
                if ingress.get("ip") and ingress.get("ipMode") is None:
                    ingress["ipMode"] = "VIP"


def default_endpoints(obj: dict[str, Any]) -> None:
    for subset in entries(obj, "subsets"):
        for port in entries(subset, "ports"):
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def default_endpoint_slice(obj: dict[str, Any]) -> None:
    # neither list has omitempty: kube prints a missing one as null
    obj.setdefault("endpoints", None)
    obj.setdefault("ports", None)
    for port in entries(obj, "ports"):
        fill(port, "name", "")
        fill(port, "protocol", "TCP")
    for endpoint in entries(obj, "endpoints"):
        endpoint.setdefault("conditions", {})  # a struct kube always prints
