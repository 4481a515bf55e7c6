"""The built-in resources Corral serves, with the names and short names kube-apiserver
1.33 publishes in discovery (``kubectl api-resources`` shows them)."""

from __future__ import annotations

from corral.registry.resources import ResourceDef

_STATUS = {"status": ""}  # "" = the resource's own kind
_STATUS_SCALE = {"status": "", "scale": "Scale"}

BUILTINS: tuple[ResourceDef, ...] = (
    # core/v1
    ResourceDef("", "v1", "namespaces", "Namespace", namespaced=False, short_names=("ns",),
                verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
                subresources={"status": "", "finalize": ""}),
    ResourceDef("", "v1", "pods", "Pod", short_names=("po",), categories=("all",),
                subresources={"status": "", "binding": "Binding", "log": "Pod", "exec": "PodExecOptions",
                              "attach": "PodAttachOptions", "portforward": "PodPortForwardOptions",
                              "eviction": "Eviction", "ephemeralcontainers": "", "resize": ""}),
    ResourceDef("", "v1", "services", "Service", short_names=("svc",), categories=("all",),
                subresources={"status": "", "proxy": "ServiceProxyOptions"}),
    ResourceDef("", "v1", "endpoints", "Endpoints", short_names=("ep",)),
    ResourceDef("", "v1", "configmaps", "ConfigMap", short_names=("cm",)),
    ResourceDef("", "v1", "secrets", "Secret"),
    ResourceDef("", "v1", "serviceaccounts", "ServiceAccount", short_names=("sa",),
                subresources={"token": "TokenRequest"}),
    ResourceDef("", "v1", "events", "Event", short_names=("ev",)),
    ResourceDef("", "v1", "nodes", "Node", namespaced=False, short_names=("no",),
                subresources={"status": "", "proxy": "NodeProxyOptions"}),
    ResourceDef("", "v1", "persistentvolumes", "PersistentVolume", namespaced=False, short_names=("pv",),
                subresources=_STATUS),
    ResourceDef("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", short_names=("pvc",),
                subresources=_STATUS),
    ResourceDef("", "v1", "limitranges", "LimitRange", short_names=("limits",)),
    ResourceDef("", "v1", "replicationcontrollers", "ReplicationController", short_names=("rc",),
                categories=("all",), subresources=_STATUS, generation=True),
    ResourceDef("", "v1", "resourcequotas", "ResourceQuota", short_names=("quota",), subresources=_STATUS),
    # apps/v1
    ResourceDef("apps", "v1", "deployments", "Deployment", short_names=("deploy",), categories=("all",),
                subresources=_STATUS_SCALE, generation=True),
    ResourceDef("apps", "v1", "replicasets", "ReplicaSet", short_names=("rs",), categories=("all",),
                subresources=_STATUS_SCALE, generation=True),
    ResourceDef("apps", "v1", "daemonsets", "DaemonSet", short_names=("ds",), categories=("all",),
                subresources=_STATUS, generation=True),
    ResourceDef("apps", "v1", "statefulsets", "StatefulSet", short_names=("sts",), categories=("all",),
                subresources=_STATUS_SCALE, generation=True),
    # batch/v1
    ResourceDef("batch", "v1", "jobs", "Job", categories=("all",), subresources=_STATUS, generation=True),
    ResourceDef("batch", "v1", "cronjobs", "CronJob", short_names=("cj",), categories=("all",),
                subresources=_STATUS, generation=True),
    # networking.k8s.io/v1
    ResourceDef("networking.k8s.io", "v1", "ingresses", "Ingress", short_names=("ing",), subresources=_STATUS,
                generation=True),
    ResourceDef("networking.k8s.io", "v1", "ingressclasses", "IngressClass", namespaced=False),
    ResourceDef("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", short_names=("netpol",),
                generation=True),
    # policy/v1
    ResourceDef("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short_names=("pdb",),
                subresources=_STATUS, generation=True),
    # autoscaling/v2
    ResourceDef("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short_names=("hpa",),
                categories=("all",), subresources=_STATUS),
    # scheduling.k8s.io/v1
    ResourceDef("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", namespaced=False,
                short_names=("pc",)),
    # storage.k8s.io/v1
    ResourceDef("storage.k8s.io", "v1", "storageclasses", "StorageClass", namespaced=False, short_names=("sc",)),
    # coordination.k8s.io/v1
    ResourceDef("coordination.k8s.io", "v1", "leases", "Lease"),
    # discovery.k8s.io/v1
    ResourceDef("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"),
    # events.k8s.io/v1 (stored apart from core events for now: no conversion between the two)
    ResourceDef("events.k8s.io", "v1", "events", "Event", short_names=("ev",)),
    # rbac.authorization.k8s.io/v1
    ResourceDef("rbac.authorization.k8s.io", "v1", "roles", "Role"),
    ResourceDef("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
    ResourceDef("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced=False),
    ResourceDef("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding",
                namespaced=False),
    # authentication.k8s.io/v1: a review of the caller's own identity, never stored
    ResourceDef("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", namespaced=False,
                verbs=("create",)),
    # apiextensions.k8s.io/v1
    ResourceDef("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
                namespaced=False, short_names=("crd", "crds"), categories=("api-extensions",),
                subresources=_STATUS, generation=True),
)

# Groups in the order discovery lists them (kube-apiserver puts the legacy group first,
# then apps, events, ..., in its own priority order).
GROUP_ORDER: tuple[str, ...] = (
    "",
    "apps",
    "events.k8s.io",
    "autoscaling",
    "batch",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "apiextensions.k8s.io",
    "authentication.k8s.io",
)
