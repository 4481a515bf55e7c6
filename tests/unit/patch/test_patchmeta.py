"""The strategic merge patch metadata compiled from the Kubernetes 1.33 definitions: merge
keys and strategies where kube's Go types declare them, nothing elsewhere, shared nodes,
and no metadata for kinds that are not built in."""

from __future__ import annotations

from corral.schema.patchmeta import PLAIN, Field, PatchMeta, patch_meta


def _meta(group: str, version: str, kind: str) -> PatchMeta:
    meta = patch_meta(group, version, kind)
    assert meta is not None
    return meta


def _down(meta: PatchMeta, *path: str) -> Field:
    """The field at the end of ``path``, following each field's value metadata."""
    field = meta.field(path[0])
    for name in path[1:]:
        assert field.meta is not None, f"no metadata below {name!r}"
        field = field.meta.field(name)
    return field


def test_pod_template_lists_merge_on_their_keys() -> None:
    deployment = _meta("apps", "v1", "Deployment")
    pod_spec = ("spec", "template", "spec")
    containers = _down(deployment, *pod_spec, "containers")
    assert (containers.strategy, containers.merge_key, containers.retain_keys) == ("merge", "name", False)
    for path, key in [(("containers", "env"), "name"), (("containers", "ports"), "containerPort"),
                      (("containers", "volumeMounts"), "mountPath"), (("initContainers",), "name"),
                      (("imagePullSecrets",), "name"), (("topologySpreadConstraints",), "topologyKey")]:
        field = _down(deployment, *pod_spec, *path)
        assert (field.strategy, field.merge_key) == ("merge", key), path


def test_retain_keys_strategies() -> None:
    deployment = _meta("apps", "v1", "Deployment")
    volumes = _down(deployment, "spec", "template", "spec", "volumes")
    assert (volumes.strategy, volumes.merge_key, volumes.retain_keys) == ("merge", "name", True)
    strategy = _down(deployment, "spec", "strategy")
    assert (strategy.strategy, strategy.merge_key, strategy.retain_keys) == ("", "", True)


def test_replace_strategy() -> None:
    selector = _down(_meta("policy", "v1", "PodDisruptionBudget"), "spec", "selector")
    assert (selector.strategy, selector.retain_keys) == ("replace", False)


def test_object_meta_lists() -> None:
    config_map = _meta("", "v1", "ConfigMap")
    finalizers = _down(config_map, "metadata", "finalizers")
    assert (finalizers.strategy, finalizers.merge_key) == ("merge", "")
    owners = _down(config_map, "metadata", "ownerReferences")
    assert (owners.strategy, owners.merge_key) == ("merge", "uid")


def test_service_ports_merge_on_port() -> None:
    ports = _down(_meta("", "v1", "Service"), "spec", "ports")
    assert (ports.strategy, ports.merge_key) == ("merge", "port")


def test_fields_without_metadata_are_plain() -> None:
    deployment = _meta("apps", "v1", "Deployment")
    pod_spec = _down(deployment, "spec", "template", "spec").meta
    assert pod_spec is not None
    for name in ("tolerations", "nodeSelector", "hostname", "no-such-field"):
        assert pod_spec.field(name) is PLAIN
    assert _down(deployment, "metadata", "labels") is PLAIN
    container = _down(deployment, "spec", "template", "spec", "containers").meta
    assert container is not None
    assert container.field("args") is PLAIN
    assert "args" not in container.fields  # only paths that lead to metadata are kept


def test_map_values_share_one_field() -> None:
    crd = _meta("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
    schema = ("spec", "versions", "schema", "openAPIV3Schema")
    validations = _down(crd, *schema, "properties", "spec", "properties", "replicas", "x-kubernetes-validations")
    assert (validations.strategy, validations.merge_key) == ("merge", "rule")
    properties = _down(crd, *schema, "properties").meta
    assert properties is not None
    assert properties.fields == {}
    assert properties.field("spec") is properties.field("status") is properties.values


def test_types_are_shared_between_kinds_and_compiled_once() -> None:
    pod_spec = _down(_meta("", "v1", "Pod"), "spec").meta
    assert pod_spec is not None
    assert _down(_meta("apps", "v1", "Deployment"), "spec", "template", "spec").meta is pod_spec
    assert _down(_meta("batch", "v1", "CronJob"), "spec", "jobTemplate", "spec", "template", "spec").meta is pod_spec
    assert patch_meta("", "v1", "Pod") is patch_meta("", "v1", "Pod")


def test_built_in_kinds_without_metadata_still_have_some() -> None:
    status = _meta("", "v1", "Status")
    assert status.fields == {}
    assert status.field("details") is PLAIN


def test_only_built_in_kinds_have_metadata() -> None:
    assert patch_meta("stable.example.com", "v1", "CronTab") is None
    assert patch_meta("apps", "v1beta9", "Deployment") is None
    assert patch_meta("", "v1", "Deployment") is None
