"""The Kubernetes 1.33 protobuf field table for every object kubectl sends as protobuf.

kubectl 1.33's typed clients (``create <kind>``, ``run``, ``expose``, ``create token``,
``auth can-i``, ``auth whoami``, ...) POST ``application/vnd.kubernetes.protobuf``. Decoding
that needs, per message, what the wire format itself does not say: the field numbers, the
JSON names, and how Go would print each field. This module holds that table and parses it
once into :class:`Field` records for :mod:`corral.api.codec.protobuf`.

The table covers every message reachable from the kinds in :data:`KINDS`. Field numbers and
types come from k8s.io/api and k8s.io/apimachinery ``generated.proto`` at v0.33.13; JSON
names, pointer-ness and ``omitempty`` from the Go struct tags of the same release.

Table format: a line naming a message (``<package>.<Message>``), then indented,
comma-separated fields ``<number> <jsonName> <type> [flags]``. A type is a proto scalar
(string, int32, int64, bool, bytes), a message (bare names are in the same package), or
``map:<value type>`` (keys are always strings). Flags: ``r`` repeated; ``p`` a Go pointer
(kept in JSON whenever sent, even when zero); ``o`` a non-pointer scalar with ``omitempty``
(dropped from JSON when zero); ``i`` a Go embedded struct whose fields JSON inlines into
the parent (the name is then the proto one). Scalars with neither ``p`` nor ``o`` always
appear in JSON. Fields are listed in Go struct order, the order of keys in Go's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

SCALARS: Final = frozenset({"string", "int32", "int64", "bool", "bytes"})

# Messages with a custom JSON form; the decoder knows their wire layout itself.
TIME: Final = "meta.v1.Time"
QUANTITY: Final = "resource.Quantity"
INT_OR_STRING: Final = "intstr.IntOrString"
FIELDS_V1: Final = "meta.v1.FieldsV1"
# Go ``type ExtraValue []string``: a message with ``repeated string items = 1`` on the wire,
# a plain array in JSON.
STRING_LISTS: Final = frozenset({"authentication.v1.ExtraValue", "certificates.v1.ExtraValue"})
SPECIAL: Final = frozenset({TIME, QUANTITY, INT_OR_STRING, FIELDS_V1}) | STRING_LISTS

# "<apiVersion>/<kind>" -> message
KINDS: Final[dict[str, str]] = {
    "v1/Pod": "core.v1.Pod",
    "v1/Service": "core.v1.Service",
    "v1/ConfigMap": "core.v1.ConfigMap",
    "v1/Secret": "core.v1.Secret",
    "v1/Namespace": "core.v1.Namespace",
    "v1/ServiceAccount": "core.v1.ServiceAccount",
    "v1/ResourceQuota": "core.v1.ResourceQuota",
    "apps/v1/Deployment": "apps.v1.Deployment",
    "batch/v1/Job": "batch.v1.Job",
    "batch/v1/CronJob": "batch.v1.CronJob",
    "rbac.authorization.k8s.io/v1/Role": "rbac.v1.Role",
    "rbac.authorization.k8s.io/v1/RoleBinding": "rbac.v1.RoleBinding",
    "rbac.authorization.k8s.io/v1/ClusterRole": "rbac.v1.ClusterRole",
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "rbac.v1.ClusterRoleBinding",
    "scheduling.k8s.io/v1/PriorityClass": "scheduling.v1.PriorityClass",
    "policy/v1/PodDisruptionBudget": "policy.v1.PodDisruptionBudget",
    "policy/v1/Eviction": "policy.v1.Eviction",
    "networking.k8s.io/v1/Ingress": "networking.v1.Ingress",
    "authentication.k8s.io/v1/TokenRequest": "authentication.v1.TokenRequest",
    "authentication.k8s.io/v1/SelfSubjectReview": "authentication.v1.SelfSubjectReview",
    "authorization.k8s.io/v1/SelfSubjectAccessReview": "authorization.v1.SelfSubjectAccessReview",
    "authorization.k8s.io/v1/SelfSubjectRulesReview": "authorization.v1.SelfSubjectRulesReview",
    "autoscaling/v1/HorizontalPodAutoscaler": "autoscaling.v1.HorizontalPodAutoscaler",
    "autoscaling/v2/HorizontalPodAutoscaler": "autoscaling.v2.HorizontalPodAutoscaler",
    "certificates.k8s.io/v1/CertificateSigningRequest": "certificates.v1.CertificateSigningRequest",
}

# kinds of meta/v1 that a body may carry under any group-version
META_OPTIONS: Final[dict[str, str]] = {"DeleteOptions": "meta.v1.DeleteOptions"}

_TABLE: Final = """\
apps.v1.Deployment
    1 metadata meta.v1.ObjectMeta, 2 spec DeploymentSpec, 3 status DeploymentStatus
apps.v1.DeploymentCondition
    1 type string, 2 status string, 6 lastUpdateTime meta.v1.Time, 7 lastTransitionTime meta.v1.Time
    4 reason string o, 5 message string o
apps.v1.DeploymentSpec
    1 replicas int32 p, 2 selector meta.v1.LabelSelector, 3 template core.v1.PodTemplateSpec
    4 strategy DeploymentStrategy, 5 minReadySeconds int32 o, 6 revisionHistoryLimit int32 p
    7 paused bool o, 9 progressDeadlineSeconds int32 p
apps.v1.DeploymentStatus
    1 observedGeneration int64 o, 2 replicas int32 o, 3 updatedReplicas int32 o
    7 readyReplicas int32 o, 4 availableReplicas int32 o, 5 unavailableReplicas int32 o
    9 terminatingReplicas int32 p, 6 conditions DeploymentCondition r, 8 collisionCount int32 p
apps.v1.DeploymentStrategy
    1 type string o, 2 rollingUpdate RollingUpdateDeployment
apps.v1.RollingUpdateDeployment
    1 maxUnavailable intstr.IntOrString, 2 maxSurge intstr.IntOrString
authentication.v1.BoundObjectReference
    1 kind string o, 2 apiVersion string o, 3 name string o, 4 uid string o
authentication.v1.SelfSubjectReview
    1 metadata meta.v1.ObjectMeta, 2 status SelfSubjectReviewStatus
authentication.v1.SelfSubjectReviewStatus
    1 userInfo UserInfo
authentication.v1.TokenRequest
    1 metadata meta.v1.ObjectMeta, 2 spec TokenRequestSpec, 3 status TokenRequestStatus
authentication.v1.TokenRequestSpec
    1 audiences string r, 4 expirationSeconds int64 p, 3 boundObjectRef BoundObjectReference
authentication.v1.TokenRequestStatus
    1 token string, 2 expirationTimestamp meta.v1.Time
authentication.v1.UserInfo
    1 username string o, 2 uid string o, 3 groups string r, 4 extra map:ExtraValue
authorization.v1.FieldSelectorAttributes
    1 rawSelector string o, 2 requirements meta.v1.FieldSelectorRequirement r
authorization.v1.LabelSelectorAttributes
    1 rawSelector string o, 2 requirements meta.v1.LabelSelectorRequirement r
authorization.v1.NonResourceAttributes
    1 path string o, 2 verb string o
authorization.v1.NonResourceRule
    1 verbs string r, 2 nonResourceURLs string r
authorization.v1.ResourceAttributes
    1 namespace string o, 2 verb string o, 3 group string o, 4 version string o, 5 resource string o
    6 subresource string o, 7 name string o, 8 fieldSelector FieldSelectorAttributes
    9 labelSelector LabelSelectorAttributes
authorization.v1.ResourceRule
    1 verbs string r, 2 apiGroups string r, 3 resources string r, 4 resourceNames string r
authorization.v1.SelfSubjectAccessReview
    1 metadata meta.v1.ObjectMeta, 2 spec SelfSubjectAccessReviewSpec
    3 status SubjectAccessReviewStatus
authorization.v1.SelfSubjectAccessReviewSpec
    1 resourceAttributes ResourceAttributes, 2 nonResourceAttributes NonResourceAttributes
authorization.v1.SelfSubjectRulesReview
    1 metadata meta.v1.ObjectMeta, 2 spec SelfSubjectRulesReviewSpec, 3 status SubjectRulesReviewStatus
authorization.v1.SelfSubjectRulesReviewSpec
    1 namespace string o
authorization.v1.SubjectAccessReviewStatus
    1 allowed bool, 4 denied bool o, 2 reason string o, 3 evaluationError string o
authorization.v1.SubjectRulesReviewStatus
    1 resourceRules ResourceRule r, 2 nonResourceRules NonResourceRule r, 3 incomplete bool
    4 evaluationError string o
autoscaling.v1.CrossVersionObjectReference
    1 kind string, 2 name string, 3 apiVersion string o
autoscaling.v1.HorizontalPodAutoscaler
    1 metadata meta.v1.ObjectMeta, 2 spec HorizontalPodAutoscalerSpec
    3 status HorizontalPodAutoscalerStatus
autoscaling.v1.HorizontalPodAutoscalerSpec
    1 scaleTargetRef CrossVersionObjectReference, 2 minReplicas int32 p, 3 maxReplicas int32
    4 targetCPUUtilizationPercentage int32 p
autoscaling.v1.HorizontalPodAutoscalerStatus
    1 observedGeneration int64 p, 2 lastScaleTime meta.v1.Time, 3 currentReplicas int32
    4 desiredReplicas int32, 5 currentCPUUtilizationPercentage int32 p
autoscaling.v2.ContainerResourceMetricSource
    1 name string, 2 target MetricTarget, 3 container string
autoscaling.v2.ContainerResourceMetricStatus
    1 name string, 2 current MetricValueStatus, 3 container string
autoscaling.v2.CrossVersionObjectReference
    1 kind string, 2 name string, 3 apiVersion string o
autoscaling.v2.ExternalMetricSource
    1 metric MetricIdentifier, 2 target MetricTarget
autoscaling.v2.ExternalMetricStatus
    1 metric MetricIdentifier, 2 current MetricValueStatus
autoscaling.v2.HPAScalingPolicy
    1 type string, 2 value int32, 3 periodSeconds int32
autoscaling.v2.HPAScalingRules
    3 stabilizationWindowSeconds int32 p, 1 selectPolicy string p, 2 policies HPAScalingPolicy r
    4 tolerance resource.Quantity
autoscaling.v2.HorizontalPodAutoscaler
    1 metadata meta.v1.ObjectMeta, 2 spec HorizontalPodAutoscalerSpec
    3 status HorizontalPodAutoscalerStatus
autoscaling.v2.HorizontalPodAutoscalerBehavior
    1 scaleUp HPAScalingRules, 2 scaleDown HPAScalingRules
autoscaling.v2.HorizontalPodAutoscalerCondition
    1 type string, 2 status string, 3 lastTransitionTime meta.v1.Time, 4 reason string o
    5 message string o
autoscaling.v2.HorizontalPodAutoscalerSpec
    1 scaleTargetRef CrossVersionObjectReference, 2 minReplicas int32 p, 3 maxReplicas int32
    4 metrics MetricSpec r, 5 behavior HorizontalPodAutoscalerBehavior
autoscaling.v2.HorizontalPodAutoscalerStatus
    1 observedGeneration int64 p, 2 lastScaleTime meta.v1.Time, 3 currentReplicas int32 o
    4 desiredReplicas int32, 5 currentMetrics MetricStatus r
    6 conditions HorizontalPodAutoscalerCondition r
autoscaling.v2.MetricIdentifier
    1 name string, 2 selector meta.v1.LabelSelector
autoscaling.v2.MetricSpec
    1 type string, 2 object ObjectMetricSource, 3 pods PodsMetricSource
    4 resource ResourceMetricSource, 7 containerResource ContainerResourceMetricSource
    5 external ExternalMetricSource
autoscaling.v2.MetricStatus
    1 type string, 2 object ObjectMetricStatus, 3 pods PodsMetricStatus
    4 resource ResourceMetricStatus, 7 containerResource ContainerResourceMetricStatus
    5 external ExternalMetricStatus
autoscaling.v2.MetricTarget
    1 type string, 2 value resource.Quantity, 3 averageValue resource.Quantity
    4 averageUtilization int32 p
autoscaling.v2.MetricValueStatus
    1 value resource.Quantity, 2 averageValue resource.Quantity, 3 averageUtilization int32 p
autoscaling.v2.ObjectMetricSource
    1 describedObject CrossVersionObjectReference, 2 target MetricTarget, 3 metric MetricIdentifier
autoscaling.v2.ObjectMetricStatus
    1 metric MetricIdentifier, 2 current MetricValueStatus
    3 describedObject CrossVersionObjectReference
autoscaling.v2.PodsMetricSource
    1 metric MetricIdentifier, 2 target MetricTarget
autoscaling.v2.PodsMetricStatus
    1 metric MetricIdentifier, 2 current MetricValueStatus
autoscaling.v2.ResourceMetricSource
    1 name string, 2 target MetricTarget
autoscaling.v2.ResourceMetricStatus
    1 name string, 2 current MetricValueStatus
batch.v1.CronJob
    1 metadata meta.v1.ObjectMeta, 2 spec CronJobSpec, 3 status CronJobStatus
batch.v1.CronJobSpec
    1 schedule string, 8 timeZone string p, 2 startingDeadlineSeconds int64 p
    3 concurrencyPolicy string o, 4 suspend bool p, 5 jobTemplate JobTemplateSpec
    6 successfulJobsHistoryLimit int32 p, 7 failedJobsHistoryLimit int32 p
batch.v1.CronJobStatus
    1 active core.v1.ObjectReference r, 4 lastScheduleTime meta.v1.Time
    5 lastSuccessfulTime meta.v1.Time
batch.v1.Job
    1 metadata meta.v1.ObjectMeta, 2 spec JobSpec, 3 status JobStatus
batch.v1.JobCondition
    1 type string, 2 status string, 3 lastProbeTime meta.v1.Time, 4 lastTransitionTime meta.v1.Time
    5 reason string o, 6 message string o
batch.v1.JobSpec
    1 parallelism int32 p, 2 completions int32 p, 3 activeDeadlineSeconds int64 p
    11 podFailurePolicy PodFailurePolicy, 16 successPolicy SuccessPolicy, 7 backoffLimit int32 p
    12 backoffLimitPerIndex int32 p, 13 maxFailedIndexes int32 p, 4 selector meta.v1.LabelSelector
    5 manualSelector bool p, 6 template core.v1.PodTemplateSpec, 8 ttlSecondsAfterFinished int32 p
    9 completionMode string p, 10 suspend bool p, 14 podReplacementPolicy string p
    15 managedBy string p
batch.v1.JobStatus
    1 conditions JobCondition r, 2 startTime meta.v1.Time, 3 completionTime meta.v1.Time
    4 active int32 o, 5 succeeded int32 o, 6 failed int32 o, 11 terminating int32 p
    7 completedIndexes string o, 10 failedIndexes string p
    8 uncountedTerminatedPods UncountedTerminatedPods, 9 ready int32 p
batch.v1.JobTemplateSpec
    1 metadata meta.v1.ObjectMeta, 2 spec JobSpec
batch.v1.PodFailurePolicy
    1 rules PodFailurePolicyRule r
batch.v1.PodFailurePolicyOnExitCodesRequirement
    1 containerName string p, 2 operator string, 3 values int32 r
batch.v1.PodFailurePolicyOnPodConditionsPattern
    1 type string, 2 status string
batch.v1.PodFailurePolicyRule
    1 action string, 2 onExitCodes PodFailurePolicyOnExitCodesRequirement
    3 onPodConditions PodFailurePolicyOnPodConditionsPattern r
batch.v1.SuccessPolicy
    1 rules SuccessPolicyRule r
batch.v1.SuccessPolicyRule
    1 succeededIndexes string p, 2 succeededCount int32 p
batch.v1.UncountedTerminatedPods
    1 succeeded string r, 2 failed string r
certificates.v1.CertificateSigningRequest
    1 metadata meta.v1.ObjectMeta, 2 spec CertificateSigningRequestSpec
    3 status CertificateSigningRequestStatus
certificates.v1.CertificateSigningRequestCondition
    1 type string, 6 status string, 2 reason string o, 3 message string o
    4 lastUpdateTime meta.v1.Time, 5 lastTransitionTime meta.v1.Time
certificates.v1.CertificateSigningRequestSpec
    1 request bytes, 7 signerName string, 8 expirationSeconds int32 p, 5 usages string r
    2 username string o, 3 uid string o, 4 groups string r, 6 extra map:ExtraValue
certificates.v1.CertificateSigningRequestStatus
    1 conditions CertificateSigningRequestCondition r, 2 certificate bytes o
core.v1.AWSElasticBlockStoreVolumeSource
    1 volumeID string, 2 fsType string o, 3 partition int32 o, 4 readOnly bool o
core.v1.Affinity
    1 nodeAffinity NodeAffinity, 2 podAffinity PodAffinity, 3 podAntiAffinity PodAntiAffinity
core.v1.AppArmorProfile
    1 type string, 2 localhostProfile string p
core.v1.AzureDiskVolumeSource
    1 diskName string, 2 diskURI string, 3 cachingMode string p, 4 fsType string p, 5 readOnly bool p
    6 kind string p
core.v1.AzureFileVolumeSource
    1 secretName string, 2 shareName string, 3 readOnly bool o
core.v1.CSIVolumeSource
    1 driver string, 2 readOnly bool p, 3 fsType string p, 4 volumeAttributes map:string
    5 nodePublishSecretRef LocalObjectReference
core.v1.Capabilities
    1 add string r, 2 drop string r
core.v1.CephFSVolumeSource
    1 monitors string r, 2 path string o, 3 user string o, 4 secretFile string o
    5 secretRef LocalObjectReference, 6 readOnly bool o
core.v1.CinderVolumeSource
    1 volumeID string, 2 fsType string o, 3 readOnly bool o, 4 secretRef LocalObjectReference
core.v1.ClientIPConfig
    1 timeoutSeconds int32 p
core.v1.ClusterTrustBundleProjection
    1 name string p, 2 signerName string p, 3 labelSelector meta.v1.LabelSelector, 5 optional bool p
    4 path string
core.v1.ConfigMap
    1 metadata meta.v1.ObjectMeta, 4 immutable bool p, 2 data map:string, 3 binaryData map:bytes
core.v1.ConfigMapEnvSource
    1 localObjectReference LocalObjectReference i, 2 optional bool p
core.v1.ConfigMapKeySelector
    1 localObjectReference LocalObjectReference i, 2 key string, 3 optional bool p
core.v1.ConfigMapProjection
    1 localObjectReference LocalObjectReference i, 2 items KeyToPath r, 4 optional bool p
core.v1.ConfigMapVolumeSource
    1 localObjectReference LocalObjectReference i, 2 items KeyToPath r, 3 defaultMode int32 p
    4 optional bool p
core.v1.Container
    1 name string, 2 image string o, 3 command string r, 4 args string r, 5 workingDir string o
    6 ports ContainerPort r, 19 envFrom EnvFromSource r, 7 env EnvVar r
    8 resources ResourceRequirements, 23 resizePolicy ContainerResizePolicy r
    24 restartPolicy string p, 9 volumeMounts VolumeMount r, 21 volumeDevices VolumeDevice r
    10 livenessProbe Probe, 11 readinessProbe Probe, 22 startupProbe Probe, 12 lifecycle Lifecycle
    13 terminationMessagePath string o, 20 terminationMessagePolicy string o
    14 imagePullPolicy string o, 15 securityContext SecurityContext, 16 stdin bool o
    17 stdinOnce bool o, 18 tty bool o
core.v1.ContainerPort
    1 name string o, 2 hostPort int32 o, 3 containerPort int32, 4 protocol string o, 5 hostIP string o
core.v1.ContainerResizePolicy
    1 resourceName string, 2 restartPolicy string
core.v1.ContainerState
    1 waiting ContainerStateWaiting, 2 running ContainerStateRunning
    3 terminated ContainerStateTerminated
core.v1.ContainerStateRunning
    1 startedAt meta.v1.Time
core.v1.ContainerStateTerminated
    1 exitCode int32, 2 signal int32 o, 3 reason string o, 4 message string o, 5 startedAt meta.v1.Time
    6 finishedAt meta.v1.Time, 7 containerID string o
core.v1.ContainerStateWaiting
    1 reason string o, 2 message string o
core.v1.ContainerStatus
    1 name string, 2 state ContainerState, 3 lastState ContainerState, 4 ready bool
    5 restartCount int32, 6 image string, 7 imageID string, 8 containerID string o, 9 started bool p
    10 allocatedResources map:resource.Quantity, 11 resources ResourceRequirements
    12 volumeMounts VolumeMountStatus r, 13 user ContainerUser
    14 allocatedResourcesStatus ResourceStatus r, 15 stopSignal string p
core.v1.ContainerUser
    1 linux LinuxContainerUser
core.v1.DownwardAPIProjection
    1 items DownwardAPIVolumeFile r
core.v1.DownwardAPIVolumeFile
    1 path string, 2 fieldRef ObjectFieldSelector, 3 resourceFieldRef ResourceFieldSelector
    4 mode int32 p
core.v1.DownwardAPIVolumeSource
    1 items DownwardAPIVolumeFile r, 2 defaultMode int32 p
core.v1.EmptyDirVolumeSource
    1 medium string o, 2 sizeLimit resource.Quantity
core.v1.EnvFromSource
    1 prefix string o, 2 configMapRef ConfigMapEnvSource, 3 secretRef SecretEnvSource
core.v1.EnvVar
    1 name string, 2 value string o, 3 valueFrom EnvVarSource
core.v1.EnvVarSource
    1 fieldRef ObjectFieldSelector, 2 resourceFieldRef ResourceFieldSelector
    3 configMapKeyRef ConfigMapKeySelector, 4 secretKeyRef SecretKeySelector
core.v1.EphemeralContainer
    1 ephemeralContainerCommon EphemeralContainerCommon i, 2 targetContainerName string o
core.v1.EphemeralContainerCommon
    1 name string, 2 image string o, 3 command string r, 4 args string r, 5 workingDir string o
    6 ports ContainerPort r, 19 envFrom EnvFromSource r, 7 env EnvVar r
    8 resources ResourceRequirements, 23 resizePolicy ContainerResizePolicy r
    24 restartPolicy string p, 9 volumeMounts VolumeMount r, 21 volumeDevices VolumeDevice r
    10 livenessProbe Probe, 11 readinessProbe Probe, 22 startupProbe Probe, 12 lifecycle Lifecycle
    13 terminationMessagePath string o, 20 terminationMessagePolicy string o
    14 imagePullPolicy string o, 15 securityContext SecurityContext, 16 stdin bool o
    17 stdinOnce bool o, 18 tty bool o
core.v1.EphemeralVolumeSource
    1 volumeClaimTemplate PersistentVolumeClaimTemplate
core.v1.ExecAction
    1 command string r
core.v1.FCVolumeSource
    1 targetWWNs string r, 2 lun int32 p, 3 fsType string o, 4 readOnly bool o, 5 wwids string r
core.v1.FlexVolumeSource
    1 driver string, 2 fsType string o, 3 secretRef LocalObjectReference, 4 readOnly bool o
    5 options map:string
core.v1.FlockerVolumeSource
    1 datasetName string o, 2 datasetUUID string o
core.v1.GCEPersistentDiskVolumeSource
    1 pdName string, 2 fsType string o, 3 partition int32 o, 4 readOnly bool o
core.v1.GRPCAction
    1 port int32, 2 service string p
core.v1.GitRepoVolumeSource
    1 repository string, 2 revision string o, 3 directory string o
core.v1.GlusterfsVolumeSource
    1 endpoints string, 2 path string, 3 readOnly bool o
core.v1.HTTPGetAction
    1 path string o, 2 port intstr.IntOrString, 3 host string o, 4 scheme string o
    5 httpHeaders HTTPHeader r
core.v1.HTTPHeader
    1 name string, 2 value string
core.v1.HostAlias
    1 ip string, 2 hostnames string r
core.v1.HostIP
    1 ip string
core.v1.HostPathVolumeSource
    1 path string, 2 type string p
core.v1.ISCSIVolumeSource
    1 targetPortal string, 2 iqn string, 3 lun int32, 4 iscsiInterface string o, 5 fsType string o
    6 readOnly bool o, 7 portals string r, 8 chapAuthDiscovery bool o, 11 chapAuthSession bool o
    10 secretRef LocalObjectReference, 12 initiatorName string p
core.v1.ImageVolumeSource
    1 reference string o, 2 pullPolicy string o
core.v1.KeyToPath
    1 key string, 2 path string, 3 mode int32 p
core.v1.Lifecycle
    1 postStart LifecycleHandler, 2 preStop LifecycleHandler, 3 stopSignal string p
core.v1.LifecycleHandler
    1 exec ExecAction, 2 httpGet HTTPGetAction, 3 tcpSocket TCPSocketAction, 4 sleep SleepAction
core.v1.LinuxContainerUser
    1 uid int64, 2 gid int64, 3 supplementalGroups int64 r
core.v1.LoadBalancerIngress
    1 ip string o, 2 hostname string o, 3 ipMode string p, 4 ports PortStatus r
core.v1.LoadBalancerStatus
    1 ingress LoadBalancerIngress r
core.v1.LocalObjectReference
    1 name string o
core.v1.NFSVolumeSource
    1 server string, 2 path string, 3 readOnly bool o
core.v1.Namespace
    1 metadata meta.v1.ObjectMeta, 2 spec NamespaceSpec, 3 status NamespaceStatus
core.v1.NamespaceCondition
    1 type string, 2 status string, 4 lastTransitionTime meta.v1.Time, 5 reason string o
    6 message string o
core.v1.NamespaceSpec
    1 finalizers string r
core.v1.NamespaceStatus
    1 phase string o, 2 conditions NamespaceCondition r
core.v1.NodeAffinity
    1 requiredDuringSchedulingIgnoredDuringExecution NodeSelector
    2 preferredDuringSchedulingIgnoredDuringExecution PreferredSchedulingTerm r
core.v1.NodeSelector
    1 nodeSelectorTerms NodeSelectorTerm r
core.v1.NodeSelectorRequirement
    1 key string, 2 operator string, 3 values string r
core.v1.NodeSelectorTerm
    1 matchExpressions NodeSelectorRequirement r, 2 matchFields NodeSelectorRequirement r
core.v1.ObjectFieldSelector
    1 apiVersion string o, 2 fieldPath string
core.v1.ObjectReference
    1 kind string o, 2 namespace string o, 3 name string o, 4 uid string o, 5 apiVersion string o
    6 resourceVersion string o, 7 fieldPath string o
core.v1.PersistentVolumeClaimSpec
    1 accessModes string r, 4 selector meta.v1.LabelSelector, 2 resources VolumeResourceRequirements
    3 volumeName string o, 5 storageClassName string p, 6 volumeMode string p
    7 dataSource TypedLocalObjectReference, 8 dataSourceRef TypedObjectReference
    9 volumeAttributesClassName string p
core.v1.PersistentVolumeClaimTemplate
    1 metadata meta.v1.ObjectMeta, 2 spec PersistentVolumeClaimSpec
core.v1.PersistentVolumeClaimVolumeSource
    1 claimName string, 2 readOnly bool o
core.v1.PhotonPersistentDiskVolumeSource
    1 pdID string, 2 fsType string o
core.v1.Pod
    1 metadata meta.v1.ObjectMeta, 2 spec PodSpec, 3 status PodStatus
core.v1.PodAffinity
    1 requiredDuringSchedulingIgnoredDuringExecution PodAffinityTerm r
    2 preferredDuringSchedulingIgnoredDuringExecution WeightedPodAffinityTerm r
core.v1.PodAffinityTerm
    1 labelSelector meta.v1.LabelSelector, 2 namespaces string r, 3 topologyKey string
    4 namespaceSelector meta.v1.LabelSelector, 5 matchLabelKeys string r, 6 mismatchLabelKeys string r
core.v1.PodAntiAffinity
    1 requiredDuringSchedulingIgnoredDuringExecution PodAffinityTerm r
    2 preferredDuringSchedulingIgnoredDuringExecution WeightedPodAffinityTerm r
core.v1.PodCondition
    1 type string, 7 observedGeneration int64 o, 2 status string, 3 lastProbeTime meta.v1.Time
    4 lastTransitionTime meta.v1.Time, 5 reason string o, 6 message string o
core.v1.PodDNSConfig
    1 nameservers string r, 2 searches string r, 3 options PodDNSConfigOption r
core.v1.PodDNSConfigOption
    1 name string o, 2 value string p
core.v1.PodIP
    1 ip string
core.v1.PodOS
    1 name string
core.v1.PodReadinessGate
    1 conditionType string
core.v1.PodResourceClaim
    1 name string, 3 resourceClaimName string p, 4 resourceClaimTemplateName string p
core.v1.PodResourceClaimStatus
    1 name string, 2 resourceClaimName string p
core.v1.PodSchedulingGate
    1 name string
core.v1.PodSecurityContext
    1 seLinuxOptions SELinuxOptions, 8 windowsOptions WindowsSecurityContextOptions
    2 runAsUser int64 p, 6 runAsGroup int64 p, 3 runAsNonRoot bool p, 4 supplementalGroups int64 r
    12 supplementalGroupsPolicy string p, 5 fsGroup int64 p, 7 sysctls Sysctl r
    9 fsGroupChangePolicy string p, 10 seccompProfile SeccompProfile
    11 appArmorProfile AppArmorProfile, 13 seLinuxChangePolicy string p
core.v1.PodSpec
    1 volumes Volume r, 20 initContainers Container r, 2 containers Container r
    34 ephemeralContainers EphemeralContainer r, 3 restartPolicy string o
    4 terminationGracePeriodSeconds int64 p, 5 activeDeadlineSeconds int64 p, 6 dnsPolicy string o
    7 nodeSelector map:string, 8 serviceAccountName string o, 9 serviceAccount string o
    21 automountServiceAccountToken bool p, 10 nodeName string o, 11 hostNetwork bool o
    12 hostPID bool o, 13 hostIPC bool o, 27 shareProcessNamespace bool p
    14 securityContext PodSecurityContext, 15 imagePullSecrets LocalObjectReference r
    16 hostname string o, 17 subdomain string o, 18 affinity Affinity, 19 schedulerName string o
    22 tolerations Toleration r, 23 hostAliases HostAlias r, 24 priorityClassName string o
    25 priority int32 p, 26 dnsConfig PodDNSConfig, 28 readinessGates PodReadinessGate r
    29 runtimeClassName string p, 30 enableServiceLinks bool p, 31 preemptionPolicy string p
    32 overhead map:resource.Quantity, 33 topologySpreadConstraints TopologySpreadConstraint r
    35 setHostnameAsFQDN bool p, 36 os PodOS, 37 hostUsers bool p
    38 schedulingGates PodSchedulingGate r, 39 resourceClaims PodResourceClaim r
    40 resources ResourceRequirements
core.v1.PodStatus
    17 observedGeneration int64 o, 1 phase string o, 2 conditions PodCondition r, 3 message string o
    4 reason string o, 11 nominatedNodeName string o, 5 hostIP string o, 16 hostIPs HostIP r
    6 podIP string o, 12 podIPs PodIP r, 7 startTime meta.v1.Time
    10 initContainerStatuses ContainerStatus r, 8 containerStatuses ContainerStatus r
    9 qosClass string o, 13 ephemeralContainerStatuses ContainerStatus r, 14 resize string o
    15 resourceClaimStatuses PodResourceClaimStatus r
core.v1.PodTemplateSpec
    1 metadata meta.v1.ObjectMeta, 2 spec PodSpec
core.v1.PortStatus
    1 port int32, 2 protocol string, 3 error string p
core.v1.PortworxVolumeSource
    1 volumeID string, 2 fsType string o, 3 readOnly bool o
core.v1.PreferredSchedulingTerm
    1 weight int32, 2 preference NodeSelectorTerm
core.v1.Probe
    1 handler ProbeHandler i, 2 initialDelaySeconds int32 o, 3 timeoutSeconds int32 o
    4 periodSeconds int32 o, 5 successThreshold int32 o, 6 failureThreshold int32 o
    7 terminationGracePeriodSeconds int64 p
core.v1.ProbeHandler
    1 exec ExecAction, 2 httpGet HTTPGetAction, 3 tcpSocket TCPSocketAction, 4 grpc GRPCAction
core.v1.ProjectedVolumeSource
    1 sources VolumeProjection r, 2 defaultMode int32 p
core.v1.QuobyteVolumeSource
    1 registry string, 2 volume string, 3 readOnly bool o, 4 user string o, 5 group string o
    6 tenant string o
core.v1.RBDVolumeSource
    1 monitors string r, 2 image string, 3 fsType string o, 4 pool string o, 5 user string o
    6 keyring string o, 7 secretRef LocalObjectReference, 8 readOnly bool o
core.v1.ResourceClaim
    1 name string, 2 request string o
core.v1.ResourceFieldSelector
    1 containerName string o, 2 resource string, 3 divisor resource.Quantity
core.v1.ResourceHealth
    1 resourceID string, 2 health string o
core.v1.ResourceQuota
    1 metadata meta.v1.ObjectMeta, 2 spec ResourceQuotaSpec, 3 status ResourceQuotaStatus
core.v1.ResourceQuotaSpec
    1 hard map:resource.Quantity, 2 scopes string r, 3 scopeSelector ScopeSelector
core.v1.ResourceQuotaStatus
    1 hard map:resource.Quantity, 2 used map:resource.Quantity
core.v1.ResourceRequirements
    1 limits map:resource.Quantity, 2 requests map:resource.Quantity, 3 claims ResourceClaim r
core.v1.ResourceStatus
    1 name string, 2 resources ResourceHealth r
core.v1.SELinuxOptions
    1 user string o, 2 role string o, 3 type string o, 4 level string o
core.v1.ScaleIOVolumeSource
    1 gateway string, 2 system string, 3 secretRef LocalObjectReference, 4 sslEnabled bool o
    5 protectionDomain string o, 6 storagePool string o, 7 storageMode string o, 8 volumeName string o
    9 fsType string o, 10 readOnly bool o
core.v1.ScopeSelector
    1 matchExpressions ScopedResourceSelectorRequirement r
core.v1.ScopedResourceSelectorRequirement
    1 scopeName string, 2 operator string, 3 values string r
core.v1.SeccompProfile
    1 type string, 2 localhostProfile string p
core.v1.Secret
    1 metadata meta.v1.ObjectMeta, 5 immutable bool p, 2 data map:bytes, 4 stringData map:string
    3 type string o
core.v1.SecretEnvSource
    1 localObjectReference LocalObjectReference i, 2 optional bool p
core.v1.SecretKeySelector
    1 localObjectReference LocalObjectReference i, 2 key string, 3 optional bool p
core.v1.SecretProjection
    1 localObjectReference LocalObjectReference i, 2 items KeyToPath r, 4 optional bool p
core.v1.SecretVolumeSource
    1 secretName string o, 2 items KeyToPath r, 3 defaultMode int32 p, 4 optional bool p
core.v1.SecurityContext
    1 capabilities Capabilities, 2 privileged bool p, 3 seLinuxOptions SELinuxOptions
    10 windowsOptions WindowsSecurityContextOptions, 4 runAsUser int64 p, 8 runAsGroup int64 p
    5 runAsNonRoot bool p, 6 readOnlyRootFilesystem bool p, 7 allowPrivilegeEscalation bool p
    9 procMount string p, 11 seccompProfile SeccompProfile, 12 appArmorProfile AppArmorProfile
core.v1.Service
    1 metadata meta.v1.ObjectMeta, 2 spec ServiceSpec, 3 status ServiceStatus
core.v1.ServiceAccount
    1 metadata meta.v1.ObjectMeta, 2 secrets ObjectReference r
    3 imagePullSecrets LocalObjectReference r, 4 automountServiceAccountToken bool p
core.v1.ServiceAccountTokenProjection
    1 audience string o, 2 expirationSeconds int64 p, 3 path string
core.v1.ServicePort
    1 name string o, 2 protocol string o, 6 appProtocol string p, 3 port int32
    4 targetPort intstr.IntOrString, 5 nodePort int32 o
core.v1.ServiceSpec
    1 ports ServicePort r, 2 selector map:string, 3 clusterIP string o, 18 clusterIPs string r
    4 type string o, 5 externalIPs string r, 7 sessionAffinity string o, 8 loadBalancerIP string o
    9 loadBalancerSourceRanges string r, 10 externalName string o, 11 externalTrafficPolicy string o
    12 healthCheckNodePort int32 o, 13 publishNotReadyAddresses bool o
    14 sessionAffinityConfig SessionAffinityConfig, 19 ipFamilies string r, 17 ipFamilyPolicy string p
    20 allocateLoadBalancerNodePorts bool p, 21 loadBalancerClass string p
    22 internalTrafficPolicy string p, 23 trafficDistribution string p
core.v1.ServiceStatus
    1 loadBalancer LoadBalancerStatus, 2 conditions meta.v1.Condition r
core.v1.SessionAffinityConfig
    1 clientIP ClientIPConfig
core.v1.SleepAction
    1 seconds int64
core.v1.StorageOSVolumeSource
    1 volumeName string o, 2 volumeNamespace string o, 3 fsType string o, 4 readOnly bool o
    5 secretRef LocalObjectReference
core.v1.Sysctl
    1 name string, 2 value string
core.v1.TCPSocketAction
    1 port intstr.IntOrString, 2 host string o
core.v1.Toleration
    1 key string o, 2 operator string o, 3 value string o, 4 effect string o
    5 tolerationSeconds int64 p
core.v1.TopologySpreadConstraint
    1 maxSkew int32, 2 topologyKey string, 3 whenUnsatisfiable string
    4 labelSelector meta.v1.LabelSelector, 5 minDomains int32 p, 6 nodeAffinityPolicy string p
    7 nodeTaintsPolicy string p, 8 matchLabelKeys string r
core.v1.TypedLocalObjectReference
    1 apiGroup string p, 2 kind string, 3 name string
core.v1.TypedObjectReference
    1 apiGroup string p, 2 kind string, 3 name string, 4 namespace string p
core.v1.Volume
    1 name string, 2 volumeSource VolumeSource i
core.v1.VolumeDevice
    1 name string, 2 devicePath string
core.v1.VolumeMount
    1 name string, 2 readOnly bool o, 7 recursiveReadOnly string p, 3 mountPath string
    4 subPath string o, 5 mountPropagation string p, 6 subPathExpr string o
core.v1.VolumeMountStatus
    1 name string, 2 mountPath string, 3 readOnly bool o, 4 recursiveReadOnly string p
core.v1.VolumeProjection
    1 secret SecretProjection, 2 downwardAPI DownwardAPIProjection, 3 configMap ConfigMapProjection
    4 serviceAccountToken ServiceAccountTokenProjection
    5 clusterTrustBundle ClusterTrustBundleProjection
core.v1.VolumeResourceRequirements
    1 limits map:resource.Quantity, 2 requests map:resource.Quantity
core.v1.VolumeSource
    1 hostPath HostPathVolumeSource, 2 emptyDir EmptyDirVolumeSource
    3 gcePersistentDisk GCEPersistentDiskVolumeSource
    4 awsElasticBlockStore AWSElasticBlockStoreVolumeSource, 5 gitRepo GitRepoVolumeSource
    6 secret SecretVolumeSource, 7 nfs NFSVolumeSource, 8 iscsi ISCSIVolumeSource
    9 glusterfs GlusterfsVolumeSource, 10 persistentVolumeClaim PersistentVolumeClaimVolumeSource
    11 rbd RBDVolumeSource, 12 flexVolume FlexVolumeSource, 13 cinder CinderVolumeSource
    14 cephfs CephFSVolumeSource, 15 flocker FlockerVolumeSource
    16 downwardAPI DownwardAPIVolumeSource, 17 fc FCVolumeSource, 18 azureFile AzureFileVolumeSource
    19 configMap ConfigMapVolumeSource, 20 vsphereVolume VsphereVirtualDiskVolumeSource
    21 quobyte QuobyteVolumeSource, 22 azureDisk AzureDiskVolumeSource
    23 photonPersistentDisk PhotonPersistentDiskVolumeSource, 26 projected ProjectedVolumeSource
    24 portworxVolume PortworxVolumeSource, 25 scaleIO ScaleIOVolumeSource
    27 storageos StorageOSVolumeSource, 28 csi CSIVolumeSource, 29 ephemeral EphemeralVolumeSource
    30 image ImageVolumeSource
core.v1.VsphereVirtualDiskVolumeSource
    1 volumePath string, 2 fsType string o, 3 storagePolicyName string o, 4 storagePolicyID string o
core.v1.WeightedPodAffinityTerm
    1 weight int32, 2 podAffinityTerm PodAffinityTerm
core.v1.WindowsSecurityContextOptions
    1 gmsaCredentialSpecName string p, 2 gmsaCredentialSpec string p, 3 runAsUserName string p
    4 hostProcess bool p
meta.v1.Condition
    1 type string, 2 status string, 3 observedGeneration int64 o, 4 lastTransitionTime Time
    5 reason string, 6 message string
meta.v1.DeleteOptions
    1 gracePeriodSeconds int64 p, 2 preconditions Preconditions, 3 orphanDependents bool p
    4 propagationPolicy string p, 5 dryRun string r
    6 ignoreStoreReadErrorWithClusterBreakingPotential bool p
meta.v1.FieldSelectorRequirement
    1 key string, 2 operator string, 3 values string r
meta.v1.LabelSelector
    1 matchLabels map:string, 2 matchExpressions LabelSelectorRequirement r
meta.v1.LabelSelectorRequirement
    1 key string, 2 operator string, 3 values string r
meta.v1.ManagedFieldsEntry
    1 manager string o, 2 operation string o, 3 apiVersion string o, 4 time Time, 6 fieldsType string o
    7 fieldsV1 FieldsV1, 8 subresource string o
meta.v1.ObjectMeta
    1 name string o, 2 generateName string o, 3 namespace string o, 4 selfLink string o, 5 uid string o
    6 resourceVersion string o, 7 generation int64 o, 8 creationTimestamp Time
    9 deletionTimestamp Time, 10 deletionGracePeriodSeconds int64 p, 11 labels map:string
    12 annotations map:string, 13 ownerReferences OwnerReference r, 14 finalizers string r
    17 managedFields ManagedFieldsEntry r
meta.v1.OwnerReference
    5 apiVersion string, 1 kind string, 3 name string, 4 uid string, 6 controller bool p
    7 blockOwnerDeletion bool p
meta.v1.Preconditions
    1 uid string p, 2 resourceVersion string p
networking.v1.HTTPIngressPath
    1 path string o, 3 pathType string p, 2 backend IngressBackend
networking.v1.HTTPIngressRuleValue
    1 paths HTTPIngressPath r
networking.v1.Ingress
    1 metadata meta.v1.ObjectMeta, 2 spec IngressSpec, 3 status IngressStatus
networking.v1.IngressBackend
    4 service IngressServiceBackend, 3 resource core.v1.TypedLocalObjectReference
networking.v1.IngressLoadBalancerIngress
    1 ip string o, 2 hostname string o, 4 ports IngressPortStatus r
networking.v1.IngressLoadBalancerStatus
    1 ingress IngressLoadBalancerIngress r
networking.v1.IngressPortStatus
    1 port int32, 2 protocol string, 3 error string p
networking.v1.IngressRule
    1 host string o, 2 ingressRuleValue IngressRuleValue i
networking.v1.IngressRuleValue
    1 http HTTPIngressRuleValue
networking.v1.IngressServiceBackend
    1 name string, 2 port ServiceBackendPort
networking.v1.IngressSpec
    4 ingressClassName string p, 1 defaultBackend IngressBackend, 2 tls IngressTLS r
    3 rules IngressRule r
networking.v1.IngressStatus
    1 loadBalancer IngressLoadBalancerStatus
networking.v1.IngressTLS
    1 hosts string r, 2 secretName string o
networking.v1.ServiceBackendPort
    1 name string o, 2 number int32 o
policy.v1.Eviction
    1 metadata meta.v1.ObjectMeta, 2 deleteOptions meta.v1.DeleteOptions
policy.v1.PodDisruptionBudget
    1 metadata meta.v1.ObjectMeta, 2 spec PodDisruptionBudgetSpec, 3 status PodDisruptionBudgetStatus
policy.v1.PodDisruptionBudgetSpec
    1 minAvailable intstr.IntOrString, 2 selector meta.v1.LabelSelector
    3 maxUnavailable intstr.IntOrString, 4 unhealthyPodEvictionPolicy string p
policy.v1.PodDisruptionBudgetStatus
    1 observedGeneration int64 o, 2 disruptedPods map:meta.v1.Time, 3 disruptionsAllowed int32
    4 currentHealthy int32, 5 desiredHealthy int32, 6 expectedPods int32
    7 conditions meta.v1.Condition r
rbac.v1.AggregationRule
    1 clusterRoleSelectors meta.v1.LabelSelector r
rbac.v1.ClusterRole
    1 metadata meta.v1.ObjectMeta, 2 rules PolicyRule r, 3 aggregationRule AggregationRule
rbac.v1.ClusterRoleBinding
    1 metadata meta.v1.ObjectMeta, 2 subjects Subject r, 3 roleRef RoleRef
rbac.v1.PolicyRule
    1 verbs string r, 2 apiGroups string r, 3 resources string r, 4 resourceNames string r
    5 nonResourceURLs string r
rbac.v1.Role
    1 metadata meta.v1.ObjectMeta, 2 rules PolicyRule r
rbac.v1.RoleBinding
    1 metadata meta.v1.ObjectMeta, 2 subjects Subject r, 3 roleRef RoleRef
rbac.v1.RoleRef
    1 apiGroup string, 2 kind string, 3 name string
rbac.v1.Subject
    1 kind string, 2 apiGroup string o, 3 name string, 4 namespace string o
scheduling.v1.PriorityClass
    1 metadata meta.v1.ObjectMeta, 2 value int32, 3 globalDefault bool o, 4 description string o
    5 preemptionPolicy string p
"""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a message: how to read it from the wire and print it as JSON."""

    name: str
    type: str  # a scalar in SCALARS, or a message name (the value type, for maps)
    repeated: bool = False
    is_map: bool = False
    pointer: bool = False
    omitempty: bool = False
    inline: bool = False


def _field(package: str, text: str) -> tuple[int, Field]:
    number, name, typ, *flags = text.split()
    is_map = typ.startswith("map:")
    if is_map:
        typ = typ[4:]
    if typ not in SCALARS and "." not in typ:
        typ = f"{package}.{typ}"
    flag = flags[0] if flags else ""
    return int(number), Field(name, typ, repeated="r" in flag, is_map=is_map, pointer="p" in flag,
                              omitempty="o" in flag, inline="i" in flag)


@cache
def messages() -> dict[str, dict[int, Field]]:
    """Every message of the table by name, each as field number -> :class:`Field`."""
    table: dict[str, dict[int, Field]] = {}
    fields: dict[int, Field] = {}
    package = ""
    for line in _TABLE.splitlines():
        if not line.startswith(" "):
            package = line.rsplit(".", 1)[0]
            fields = table[line] = {}
            continue
        for text in line.split(","):
            number, field = _field(package, text)
            fields[number] = field
    return table
