"""helm 4 against Corral: install, upgrade, rollback, status, get manifest, list and
uninstall of a chart with a Deployment, Service, ConfigMap, Secret, a CRD in ``crds/`` and
an object of that CRD; and ``helm template | kubectl apply -f -``. (Hook Jobs wait for the
Job controller and a node agent: they are tested with the workloads.)"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.support.kubectl import Helm, Kubectl

CHART: dict[str, str] = {
    "Chart.yaml": """\
apiVersion: v2
name: demo
version: 0.1.0
appVersion: "1.0"
""",
    "crds/widgets.yaml": """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.demo.example.com
spec:
  group: demo.example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
""",
    "templates/all.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector: {app: {{ .Release.Name }}}
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  message: {{ .Values.message | quote }}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-secret
stringData:
  token: s3cret
---
apiVersion: demo.example.com/v1
kind: Widget
metadata:
  name: {{ .Release.Name }}-widget
spec:
  size: 3
""",
    "values.yaml": """\
replicas: 1
message: hello
""",
}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    group = "g" + uuid.uuid4().hex[:8]
    for name, text in CHART.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        # a group of its own per test, so that CRDs of earlier runs never collide
        (root / name).write_text(text.replace("demo.example.com", f"{group}.example.com"))
    return root


def _message(kubectl: Kubectl, ns: str) -> str:
    return str(kubectl.json("get", "cm", "rel-config", "-n", ns)["data"]["message"])


def test_helm_release_lifecycle(helm: Helm, kubectl: Kubectl, namespace: str, chart: Path) -> None:
    group = next(line.split(":")[1].strip() for line in (chart / "crds/widgets.yaml").read_text().splitlines()
                 if line.strip().startswith("group:"))
    out = helm.run("install", "rel", str(chart), "-n", namespace, timeout=120).stdout
    assert "STATUS: deployed" in out and "REVISION: 1" in out
    assert kubectl.json("get", f"crd/widgets.{group}")["status"]["acceptedNames"]["kind"] == "Widget"
    assert kubectl.json("get", f"widgets.{group}", "rel-widget", "-n", namespace)["spec"] == {"size": 3}
    assert _message(kubectl, namespace) == "hello"
    assert kubectl.json("get", "secret", "rel-secret", "-n", namespace)["data"] == {"token": "czNjcmV0"}

    helm.run("upgrade", "rel", str(chart), "-n", namespace, "--set", "message=bye,replicas=2", timeout=120)
    assert _message(kubectl, namespace) == "bye"
    assert kubectl.json("get", "deploy", "rel-web", "-n", namespace)["spec"]["replicas"] == 2

    helm.run("rollback", "rel", "1", "-n", namespace, timeout=120)
    assert _message(kubectl, namespace) == "hello"
    [release] = json.loads(helm.run("list", "-n", namespace, "-o", "json").stdout)
    assert (release["name"], release["revision"], release["status"]) == ("rel", "3", "deployed")
    status = json.loads(helm.run("status", "rel", "-n", namespace, "-o", "json").stdout)
    assert status["info"]["status"] == "deployed" and status["version"] == 3
    manifest = helm.run("get", "manifest", "rel", "-n", namespace).stdout
    assert "name: rel-web" in manifest and "kind: Widget" in manifest

    helm.run("uninstall", "rel", "-n", namespace, timeout=120)
    left = kubectl.json("get", "deploy,svc,cm,secret", "-n", namespace)["items"]
    assert [i["metadata"]["name"] for i in left if i["metadata"]["name"].startswith(("rel-", "sh.helm"))] == []
    assert kubectl.json("get", f"crd/widgets.{group}")["metadata"]["name"]  # helm leaves CRDs installed


def test_helm_template_piped_to_kubectl_apply(helm: Helm, kubectl: Kubectl, namespace: str, chart: Path) -> None:
    (chart / "templates/all.yaml").write_text(
        "\n---\n".join(doc for doc in (chart / "templates/all.yaml").read_text().split("---\n")
                        if "kind: Widget" not in doc))
    rendered = helm.run("template", "tpl", str(chart), "-n", namespace).stdout
    out = kubectl.run("apply", "-n", namespace, "-f", "-", input=rendered).stdout
    assert "deployment.apps/tpl-web created" in out and "configmap/tpl-config created" in out
    again = kubectl.run("apply", "-n", namespace, "-f", "-", input=rendered).stdout
    assert "configmap/tpl-config unchanged" in again
