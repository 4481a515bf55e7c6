"""Defaulting of built-in objects: the fields kube-apiserver 1.33 fills in on create and
update, so that what clients read back (``kubectl get -o yaml``) is what a real cluster
returns.

:func:`apply_defaults` mutates an object in place. It runs on every write, after the
store has set the object's metadata (``uid`` included) and before validation; it must
therefore be idempotent, and it treats an object without ``status`` as a new one (the
store drops the status of new objects that have a status subresource).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corral.registry.custom.lifecycle import record_storage_version
from corral.registry.custom.objects import default_object as default_custom_object
from corral.registry.defaults import apiextensions, core, pods, rbac, services, storage, workloads
from corral.registry.resources import ResourceDef

Defaulter = Callable[[dict[str, Any]], None]


def _default_crd(crd: dict[str, Any]) -> None:
    apiextensions.default_crd(crd)
    record_storage_version(crd)


_DEFAULTERS: dict[tuple[str, str], Defaulter] = {
    ("", "Namespace"): core.default_namespace,
    ("", "Pod"): pods.default_pod,
    ("", "Service"): services.default_service,
    ("", "Endpoints"): services.default_endpoints,
    ("", "Secret"): core.default_secret,
    ("", "Event"): core.default_core_event,
    ("", "Node"): core.default_node,
    ("", "PersistentVolume"): storage.default_pv,
    ("", "PersistentVolumeClaim"): storage.default_pvc,
    ("", "LimitRange"): core.default_limit_range,
    ("", "ResourceQuota"): core.default_resource_quota,
    ("apps", "Deployment"): workloads.default_deployment,
    ("apps", "ReplicaSet"): workloads.default_replica_set,
    ("apps", "DaemonSet"): workloads.default_daemon_set,
    ("apps", "StatefulSet"): workloads.default_stateful_set,
    ("batch", "Job"): workloads.default_job,
    ("batch", "CronJob"): workloads.default_cron_job,
    ("coordination.k8s.io", "Lease"): core.default_lease,
    ("discovery.k8s.io", "EndpointSlice"): services.default_endpoint_slice,
    ("events.k8s.io", "Event"): core.default_event,
    ("rbac.authorization.k8s.io", "Role"): rbac.default_role,
    ("rbac.authorization.k8s.io", "ClusterRole"): rbac.default_role,
    ("rbac.authorization.k8s.io", "RoleBinding"): rbac.default_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): rbac.default_binding,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): _default_crd,
}


# ObjectMeta collections declared omitempty: kube never prints them empty
_OMITTED_WHEN_EMPTY = ("labels", "annotations", "finalizers", "ownerReferences", "managedFields")


def apply_defaults(group: str, kind: str, obj: dict[str, Any]) -> None:
    """Fill in ``obj`` (a built-in ``kind`` of API ``group``) the way kube-apiserver does."""
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        for name in _OMITTED_WHEN_EMPTY:
            if name in meta and not meta[name]:
                del meta[name]
    defaulter = _DEFAULTERS.get((group, kind))
    if defaulter is not None:
        defaulter(obj)


def default_object(rd: ResourceDef, obj: dict[str, Any]) -> None:
    """:func:`apply_defaults` for any served resource: custom objects also get the defaults
    of their CRD version's schema."""
    apply_defaults(rd.group, rd.kind, obj)
    if rd.custom is not None:
        default_custom_object(rd.custom.structural, obj)
