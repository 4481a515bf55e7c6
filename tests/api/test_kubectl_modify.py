"""kubectl label, annotate, patch (merge, json, strategic) and scale: the server applies
each change, bumps resourceVersion only when something changed, and reports errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.kubectl import Kubectl
from tests.support.manifests import WEB_APP

pytestmark = pytest.mark.kubectl


def make_configmap(kubectl: Kubectl, namespace: str, name: str = "target") -> Any:
    """Create ConfigMap ``name`` with data a=1, b=2 and return it as the server stored it."""
    kubectl.run("create", "configmap", name, "-n", namespace, "--from-literal=a=1", "--from-literal=b=2")
    return kubectl.json("get", "configmap", name, "-n", namespace)


def test_label_add_overwrite_remove(kubectl: Kubectl, namespace: str) -> None:
    make_configmap(kubectl, namespace)

    def labels() -> dict[str, str]:
        return kubectl.json("get", "cm", "target", "-n", namespace)["metadata"].get("labels", {})

    assert kubectl.run("label", "cm", "target", "-n", namespace, "tier=backend").stdout == \
        "configmap/target labeled\n"
    assert labels() == {"tier": "backend"}
    refused = kubectl.fail("label", "cm", "target", "-n", namespace, "tier=frontend")
    assert "'tier' already has a value (backend), and --overwrite is false" in refused.stderr
    kubectl.run("label", "cm", "target", "-n", namespace, "--overwrite", "tier=frontend")
    assert labels() == {"tier": "frontend"}
    assert kubectl.run("label", "cm", "target", "-n", namespace, "tier-").stdout == \
        "configmap/target unlabeled\n"
    assert labels() == {}


def test_annotate_add_and_remove(kubectl: Kubectl, namespace: str) -> None:
    before = make_configmap(kubectl, namespace)
    result = kubectl.run("annotate", "cm", "target", "-n", namespace, "example.com/owner=team-a")
    assert result.stdout == "configmap/target annotated\n"
    cm = kubectl.json("get", "cm", "target", "-n", namespace)
    assert cm["metadata"]["annotations"] == {"example.com/owner": "team-a"}
    assert cm["metadata"]["resourceVersion"] != before["metadata"]["resourceVersion"]
    kubectl.run("annotate", "cm", "target", "-n", namespace, "example.com/owner-")
    assert "annotations" not in kubectl.json("get", "cm", "target", "-n", namespace)["metadata"]


def test_patch_merge_sets_and_deletes_keys(kubectl: Kubectl, namespace: str) -> None:
    make_configmap(kubectl, namespace)
    patch = '{"data":{"a":"10","b":null,"c":"3"}}'
    result = kubectl.run("patch", "cm", "target", "-n", namespace, "--type=merge", "-p", patch)
    assert result.stdout == "configmap/target patched\n"
    cm = kubectl.json("get", "cm", "target", "-n", namespace)
    assert cm["data"] == {"a": "10", "c": "3"}
    again = kubectl.run("patch", "cm", "target", "-n", namespace, "--type=merge", "-p", patch)
    assert again.stdout == "configmap/target patched (no change)\n"
    after = kubectl.json("get", "cm", "target", "-n", namespace)
    assert after["metadata"]["resourceVersion"] == cm["metadata"]["resourceVersion"]


def test_patch_json(kubectl: Kubectl, namespace: str) -> None:
    make_configmap(kubectl, namespace)
    ops = [{"op": "add", "path": "/data/c", "value": "3"}, {"op": "remove", "path": "/data/a"},
           {"op": "replace", "path": "/data/b", "value": "20"}]
    result = kubectl.run("patch", "cm", "target", "-n", namespace, "--type=json", "-p", json.dumps(ops))
    assert result.stdout == "configmap/target patched\n"
    assert kubectl.json("get", "cm", "target", "-n", namespace)["data"] == {"b": "20", "c": "3"}


def test_patch_json_failed_test_op_changes_nothing(kubectl: Kubectl, namespace: str) -> None:
    before = make_configmap(kubectl, namespace)
    ops = [{"op": "replace", "path": "/data/a", "value": "9"},
           {"op": "test", "path": "/data/b", "value": "x"}]
    kubectl.fail("patch", "cm", "target", "-n", namespace, "--type=json", "-p", json.dumps(ops))
    after = kubectl.json("get", "cm", "target", "-n", namespace)
    assert after["data"] == {"a": "1", "b": "2"}
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


def test_patch_missing_object_is_not_found(kubectl: Kubectl, namespace: str) -> None:
    result = kubectl.fail("patch", "cm", "nope", "-n", namespace, "--type=merge", "-p", '{"data":{"a":"1"}}')
    assert result.stderr.strip() == 'Error from server (NotFound): configmaps "nope" not found'


def test_patch_strategic_merges_containers_by_name(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("apply", "-n", namespace, "-f", "-", input=WEB_APP)
    patch = '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}'
    result = kubectl.run("patch", "deployment", "web", "-n", namespace, "-p", patch)
    assert result.stdout == "deployment.apps/web patched\n"
    deploy = kubectl.json("get", "deployment", "web", "-n", namespace)
    [container] = deploy["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "nginx:1.28"
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}], "strategic merge keeps ports"
    assert deploy["metadata"]["generation"] == 2


def test_scale_uses_the_scale_subresource(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("apply", "-n", namespace, "-f", "-", input=WEB_APP)
    result = kubectl.run("scale", "deployment", "web", "-n", namespace, "--replicas=5")
    assert result.stdout == "deployment.apps/web scaled\n"
    assert kubectl.json("get", "deployment", "web", "-n", namespace)["spec"]["replicas"] == 5
    scale = json.loads(kubectl.run(
        "get", "--raw", f"/apis/apps/v1/namespaces/{namespace}/deployments/web/scale").stdout)
    assert (scale["apiVersion"], scale["kind"], scale["spec"]) == ("autoscaling/v1", "Scale", {"replicas": 5})
