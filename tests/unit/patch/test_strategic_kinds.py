"""Strategic merge patch on real kinds, with the patches kubectl sends: ``kubectl patch``
and ``kubectl set image`` edits, and the three-way patches of ``kubectl apply`` (with
``$setElementOrder``, ``$retainKeys`` and ``$patch: delete``) on containers, env, ports,
volumes, volume mounts, tolerations, finalizers and labels."""

from __future__ import annotations

from typing import Any

import pytest

from corral.patch.strategic import StrategicPatchError, strategic_merge_patch
from corral.schema.patchmeta import PatchMeta, patch_meta


def _meta(group: str, version: str, kind: str) -> PatchMeta:
    meta = patch_meta(group, version, kind)
    assert meta is not None
    return meta


DEPLOYMENT = _meta("apps", "v1", "Deployment")


def deployment() -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", "tier": "front"},
                     "finalizers": ["example.com/a", "example.com/b"]},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "web", "image": "nginx:1.25",
                         "env": [{"name": "MODE", "value": "prod"}, {"name": "LEVEL", "value": "info"}],
                         "ports": [{"containerPort": 80, "protocol": "TCP"}],
                         "volumeMounts": [{"name": "data", "mountPath": "/data"},
                                          {"name": "cache", "mountPath": "/cache"}]},
                        {"name": "proxy", "image": "envoy:1.30", "args": ["--a", "--b"]},
                    ],
                    "volumes": [{"name": "data", "emptyDir": {}}, {"name": "cache", "emptyDir": {"medium": "Memory"}}],
                    "tolerations": [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}],
                },
            },
        },
    }


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = obj["spec"]["template"]["spec"]
    return spec


def in_pod_spec(patch: dict[str, Any]) -> dict[str, Any]:
    return {"spec": {"template": {"spec": patch}}}


def test_set_image_changes_one_container_in_place() -> None:
    patch = in_pod_spec({"containers": [{"name": "proxy", "image": "envoy:1.31"}]})
    result = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    expected = deployment()
    pod_spec(expected)["containers"][1]["image"] = "envoy:1.31"
    assert result == expected


def test_patched_env_var_goes_first_unless_ordered() -> None:
    added = {"name": "DEBUG", "value": "1"}
    result = strategic_merge_patch(deployment(), in_pod_spec({"containers": [{"name": "web", "env": [added]}]}),
                                   DEPLOYMENT)
    assert [e["name"] for e in pod_spec(result)["containers"][0]["env"]] == ["DEBUG", "MODE", "LEVEL"]
    ordered = in_pod_spec({"containers": [{"name": "web", "env": [added], "$setElementOrder/env": [
        {"name": "MODE"}, {"name": "LEVEL"}, {"name": "DEBUG"}]}]})
    result = strategic_merge_patch(deployment(), ordered, DEPLOYMENT)
    assert pod_spec(result)["containers"][0]["env"] == [{"name": "MODE", "value": "prod"},
                                                       {"name": "LEVEL", "value": "info"}, added]


def test_ports_merge_on_container_port() -> None:
    patch = in_pod_spec({"containers": [{"name": "web", "ports": [{"containerPort": 80, "name": "http"},
                                                                    {"containerPort": 443, "name": "https"}]}]})
    result = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    assert pod_spec(result)["containers"][0]["ports"] == [
        {"containerPort": 80, "protocol": "TCP", "name": "http"}, {"containerPort": 443, "name": "https"}]


def test_volume_mount_and_container_deletions() -> None:
    patch = in_pod_spec({"containers": [{"name": "web", "volumeMounts": [{"mountPath": "/cache", "$patch": "delete"}]},
                                        {"name": "proxy", "$patch": "delete"}]})
    result = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    containers = pod_spec(result)["containers"]
    assert [c["name"] for c in containers] == ["web"]
    assert containers[0]["volumeMounts"] == [{"name": "data", "mountPath": "/data"}]


def test_tolerations_are_replaced_whole() -> None:
    toleration = {"key": "spot", "operator": "Equal", "value": "true", "effect": "NoExecute"}
    result = strategic_merge_patch(deployment(), in_pod_spec({"tolerations": [toleration]}), DEPLOYMENT)
    assert pod_spec(result)["tolerations"] == [toleration]


def test_volume_source_switch_with_retain_keys() -> None:
    patch = in_pod_spec({
        "$setElementOrder/volumes": [{"name": "data"}, {"name": "cache"}],
        "volumes": [{"$retainKeys": ["configMap", "name"], "configMap": {"name": "settings"}, "emptyDir": None,
                     "name": "data"}],
    })
    result = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    assert pod_spec(result)["volumes"] == [{"name": "data", "configMap": {"name": "settings"}},
                                           {"name": "cache", "emptyDir": {"medium": "Memory"}}]


def test_deployment_strategy_with_and_without_retain_keys() -> None:
    retained = strategic_merge_patch(deployment(), {"spec": {"strategy": {
        "$retainKeys": ["type"], "type": "Recreate"}}}, DEPLOYMENT)
    assert retained["spec"]["strategy"] == {"type": "Recreate"}
    merged = strategic_merge_patch(deployment(), {"spec": {"strategy": {"type": "Recreate"}}}, DEPLOYMENT)
    assert merged["spec"]["strategy"] == {"type": "Recreate",
                                          "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}


def test_finalizers_and_labels() -> None:
    patch = {"metadata": {"$setElementOrder/finalizers": ["example.com/c", "example.com/a"],
                          "$deleteFromPrimitiveList/finalizers": ["example.com/b"],
                          "finalizers": ["example.com/c"], "labels": {"tier": None, "team": "blue"}}}
    result = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    assert result["metadata"]["finalizers"] == ["example.com/c", "example.com/a"]
    assert result["metadata"]["labels"] == {"app": "web", "team": "blue"}


def test_kubectl_apply_patch() -> None:
    # the patch kubectl apply sends to go from deployment() (also its last-applied state)
    # to a manifest that adds a first container, drops the proxy, edits and drops env vars,
    # moves to Recreate and swaps the cache volume for a secret
    patch = {
        "spec": {
            "strategy": {"$retainKeys": ["type"], "rollingUpdate": None, "type": "Recreate"},
            "template": {"spec": {
                "$setElementOrder/containers": [{"name": "init"}, {"name": "web"}],
                "$setElementOrder/volumes": [{"name": "data"}, {"name": "cache"}],
                "containers": [
                    {"image": "busybox", "name": "init"},
                    {"$setElementOrder/env": [{"name": "LEVEL"}], "env": [
                        {"name": "LEVEL", "value": "debug"}, {"$patch": "delete", "name": "MODE"}], "name": "web"},
                    {"$patch": "delete", "name": "proxy"},
                ],
                "volumes": [{"$retainKeys": ["name", "secret"], "emptyDir": None, "name": "cache",
                             "secret": {"secretName": "cache"}}],
            }},
        },
    }
    result = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    expected = deployment()
    expected["spec"]["strategy"] = {"type": "Recreate"}
    web = pod_spec(expected)["containers"][0]
    web["env"] = [{"name": "LEVEL", "value": "debug"}]
    pod_spec(expected)["containers"] = [{"image": "busybox", "name": "init"}, web]
    pod_spec(expected)["volumes"][1] = {"name": "cache", "secret": {"secretName": "cache"}}
    assert result == expected


def test_service_ports_merge_on_port() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [
        {"name": "http", "port": 80, "targetPort": 8080}, {"name": "https", "port": 443, "targetPort": 8443}]}}
    result = strategic_merge_patch(service, {"spec": {"ports": [{"port": 443, "targetPort": 9443}]}},
                                   _meta("", "v1", "Service"))
    assert result["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": 8080},
                                       {"name": "https", "port": 443, "targetPort": 9443}]


def test_replacing_all_containers() -> None:
    patch = in_pod_spec({"containers": [{"name": "only", "image": "redis"}, {"$patch": "replace"}]})
    result = strategic_merge_patch(deployment(), patch, DEPLOYMENT)
    assert pod_spec(result)["containers"] == [{"name": "only", "image": "redis"}]


def test_container_without_name_is_refused_as_kube_words_it() -> None:
    with pytest.raises(StrategicPatchError) as caught:
        strategic_merge_patch(deployment(), in_pod_spec({"containers": [{"image": "nginx"}]}), DEPLOYMENT)
    assert str(caught.value) == "map: map[image:nginx] does not contain declared merge key: name"
    assert caught.value.code == 500
