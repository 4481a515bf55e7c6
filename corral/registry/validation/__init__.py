"""Validation of built-in objects: the checks kube-apiserver 1.33 makes before it stores
an object, with its field paths and messages.

:func:`validate` returns the causes of an Invalid answer (empty when the object is
fine). It runs after defaulting, on creates (``old`` is None) and updates, for every
write including status updates. The metadata the store owns (name, namespace, uid,
creation timestamp, resource version) is the store's concern, not checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import dns1123_subdomain_name
from corral.registry.custom.crdvalidation import validate_crd
from corral.registry.custom.objects import validate_object
from corral.registry.resources import ResourceDef
from corral.registry.validation import cluster, config, pods, rbac, services, storage, workloads
from corral.registry.validation.meta import validate_meta

Validator = Callable[[dict[str, Any], "dict[str, Any] | None"], list[Cause]]

_VALIDATORS: dict[tuple[str, str], Validator] = {
    ("", "Namespace"): cluster.validate_namespace,
    ("", "Pod"): pods.validate_pod,
    ("", "Service"): services.validate_service,
    ("", "Endpoints"): services.validate_endpoints,
    ("", "ConfigMap"): config.validate_config_map,
    ("", "Secret"): config.validate_secret,
    ("", "ServiceAccount"): cluster.validate_service_account,
    ("", "Event"): cluster.validate_core_event,
    ("", "Node"): cluster.validate_node,
    ("", "PersistentVolume"): storage.validate_pv,
    ("", "PersistentVolumeClaim"): storage.validate_pvc,
    ("", "LimitRange"): cluster.validate_limit_range,
    ("", "ResourceQuota"): cluster.validate_resource_quota,
    ("apps", "Deployment"): workloads.validate_deployment,
    ("apps", "ReplicaSet"): workloads.validate_replica_set,
    ("apps", "DaemonSet"): workloads.validate_daemon_set,
    ("apps", "StatefulSet"): workloads.validate_stateful_set,
    ("batch", "Job"): workloads.validate_job,
    ("batch", "CronJob"): workloads.validate_cron_job,
    ("coordination.k8s.io", "Lease"): cluster.validate_lease,
    ("discovery.k8s.io", "EndpointSlice"): services.validate_endpoint_slice,
    ("events.k8s.io", "Event"): cluster.validate_event,
    ("rbac.authorization.k8s.io", "Role"): rbac.validate_role,
    ("rbac.authorization.k8s.io", "RoleBinding"): rbac.validate_role_binding,
    ("rbac.authorization.k8s.io", "ClusterRole"): rbac.validate_cluster_role,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): rbac.validate_cluster_role_binding,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): validate_crd,
}


def validate(rd: ResourceDef, obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    """Why kube-apiserver would reject ``obj`` (replacing ``old`` on update), as causes."""
    if rd.custom is not None:
        return validate_object(rd, obj, old)
    validator = _VALIDATORS.get((rd.group, rd.kind))
    if validator is not None:
        return validator(obj, old)
    # kinds without rules of their own still need sound metadata
    return validate_meta(obj, old, rd.namespaced, dns1123_subdomain_name)
