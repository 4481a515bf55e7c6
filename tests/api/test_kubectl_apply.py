"""kubectl apply of a multi-document file (created, then unchanged, then configured after
an edit) and kubectl delete -f of the same file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.kubectl import Kubectl
from tests.support.manifests import WEB_APP, WEB_APP_OBJECTS, AppliedApp

pytestmark = pytest.mark.kubectl


def test_first_apply_creates_every_document(web_app: AppliedApp) -> None:
    assert web_app.first_apply.lines == [f"{name} created" for name in WEB_APP_OBJECTS], \
        web_app.first_apply.describe()


def test_second_apply_is_unchanged(kubectl: Kubectl, web_app: AppliedApp) -> None:
    before = kubectl.json("get", "-n", web_app.namespace, "-f", str(web_app.manifest))
    result = kubectl.run("apply", "-n", web_app.namespace, "-f", str(web_app.manifest))
    assert result.lines == [f"{name} unchanged" for name in WEB_APP_OBJECTS], result.describe()
    after = kubectl.json("get", "-n", web_app.namespace, "-f", str(web_app.manifest))
    versions = [[item["metadata"]["resourceVersion"] for item in doc["items"]] for doc in (before, after)]
    assert len(versions[0]) == 3
    assert versions[0] == versions[1], "an unchanged apply must not write"


def test_apply_records_last_applied_configuration(kubectl: Kubectl, web_app: AppliedApp) -> None:
    cm = kubectl.json("get", "configmap", "web-config", "-n", web_app.namespace)
    last = json.loads(cm["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert (last["kind"], last["metadata"]["name"], last["data"]) == ("ConfigMap", "web-config",
                                                                      {"greeting": "hello"})


def test_apply_after_edit_configures_only_the_changed_object(kubectl: Kubectl, namespace: str,
                                                            tmp_path: Path) -> None:
    manifest = tmp_path / "app.yaml"
    manifest.write_text(WEB_APP)
    kubectl.run("apply", "-n", namespace, "-f", str(manifest))
    manifest.write_text(WEB_APP.replace("greeting: hello", "greeting: bonjour"))
    result = kubectl.run("apply", "-n", namespace, "-f", str(manifest))
    assert result.lines == ["deployment.apps/web unchanged", "service/web unchanged",
                            "configmap/web-config configured"], result.describe()
    cm = kubectl.json("get", "configmap", "web-config", "-n", namespace)
    assert cm["data"] == {"greeting": "bonjour"}


def test_apply_changes_deployment_replicas_and_generation(kubectl: Kubectl, namespace: str,
                                                          tmp_path: Path) -> None:
    manifest = tmp_path / "app.yaml"
    manifest.write_text(WEB_APP)
    kubectl.run("apply", "-n", namespace, "-f", str(manifest))
    assert kubectl.json("get", "deployment", "web", "-n", namespace)["metadata"]["generation"] == 1
    manifest.write_text(WEB_APP.replace("replicas: 2", "replicas: 3"))
    result = kubectl.run("apply", "-n", namespace, "-f", str(manifest))
    assert result.lines[0] == "deployment.apps/web configured", result.describe()
    deploy = kubectl.json("get", "deployment", "web", "-n", namespace)
    assert deploy["spec"]["replicas"] == 3
    assert deploy["metadata"]["generation"] == 2


def test_delete_f_removes_every_document(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    manifest = tmp_path / "app.yaml"
    manifest.write_text(WEB_APP)
    kubectl.run("apply", "-n", namespace, "-f", str(manifest))
    result = kubectl.run("delete", "-n", namespace, "-f", str(manifest))
    assert result.lines == ['deployment.apps "web" deleted', 'service "web" deleted',
                            'configmap "web-config" deleted'], result.describe()
    gone = kubectl.fail("get", "-n", namespace, "-f", str(manifest))
    for line in ('Error from server (NotFound): deployments.apps "web" not found',
                 'Error from server (NotFound): services "web" not found',
                 'Error from server (NotFound): configmaps "web-config" not found'):
        assert line in gone.stderr, gone.describe()
