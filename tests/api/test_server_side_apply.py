"""Server-side apply and managed fields with the real kubectl and helm: ``kubectl apply
--server-side`` creates and updates with field ownership, a second manager's conflicting
value is refused naming field and manager until ``--force-conflicts``, fields dropped
from a configuration go unless someone else owns them, containers merge by name,
finalizers as a set and args whole, ``--show-managed-fields`` shows every kind of
manager, custom resources track their fields without schema, kubectl moves from
client-side apply, and helm 4 installs and upgrades a chart with server-side apply."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.adminhttp import AdminHTTP
from tests.support.kubectl import Helm, Kubectl
from tests.support.names import unique
from tests.support.server import CorralServer

pytestmark = pytest.mark.kubectl

APPLY = "application/apply-patch+yaml"


def deployment(replicas: int = 2, labels: str = "{app: web}", args: str = "[--port=80]",
               extra: str = "") -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {labels}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        args: {args}
{extra}"""


def applied(kubectl: Kubectl, namespace: str, manifest: str, *flags: str) -> str:
    return kubectl.run("apply", "--server-side", "-n", namespace, *flags, "-f", "-", input=manifest).stdout


def managers(kubectl: Kubectl, namespace: str, what: str = "deployment/web") -> dict[str, dict[str, Any]]:
    """The managedFields entries of an object, by manager."""
    obj = kubectl.json("get", "-n", namespace, what, "--show-managed-fields")
    return {entry["manager"]: entry for entry in obj["metadata"].get("managedFields", [])}


def get(kubectl: Kubectl, namespace: str, what: str = "deployment/web") -> Any:
    return kubectl.json("get", "-n", namespace, what)


def test_apply_creates_then_updates_with_field_ownership(kubectl: Kubectl, namespace: str) -> None:
    assert applied(kubectl, namespace, deployment()).strip() == "deployment.apps/web serverside-applied"
    entry = managers(kubectl, namespace)["kubectl"]
    assert (entry["operation"], entry["apiVersion"], entry["fieldsType"]) == ("Apply", "apps/v1", "FieldsV1")
    assert entry["fieldsV1"]["f:spec"]["f:replicas"] == {}
    assert entry["fieldsV1"]["f:spec"]["f:selector"] == {}  # atomic: owned whole
    assert entry["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"] == {
        'k:{"name":"web"}': {".": {}, "f:args": {}, "f:image": {}, "f:name": {}}}
    before = get(kubectl, namespace)["metadata"]["resourceVersion"]
    applied(kubectl, namespace, deployment())
    assert get(kubectl, namespace)["metadata"]["resourceVersion"] == before, "an unchanged apply must not write"
    applied(kubectl, namespace, deployment(replicas=4))
    obj = get(kubectl, namespace)
    assert (obj["spec"]["replicas"], obj["metadata"]["generation"]) == (4, 2)
    assert list(managers(kubectl, namespace)) == ["kubectl"]


def test_a_second_manager_conflicts_until_it_forces(kubectl: Kubectl, namespace: str) -> None:
    applied(kubectl, namespace, deployment())
    refused = kubectl.fail("apply", "--server-side", "--field-manager=ops", "-n", namespace, "-f", "-",
                           input=deployment(replicas=5))
    assert 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas' in refused.stderr, \
        refused.describe()
    assert get(kubectl, namespace)["spec"]["replicas"] == 2
    applied(kubectl, namespace, deployment(replicas=5), "--field-manager=ops", "--force-conflicts")
    assert get(kubectl, namespace)["spec"]["replicas"] == 5
    owners = managers(kubectl, namespace)
    assert "f:replicas" in owners["ops"]["fieldsV1"]["f:spec"]
    assert "f:replicas" not in owners["kubectl"]["fieldsV1"]["f:spec"]
    assert "f:template" in owners["ops"]["fieldsV1"]["f:spec"]  # same values: co-owned, no conflict
    assert "f:template" in owners["kubectl"]["fieldsV1"]["f:spec"]


def test_conflicts_with_client_side_apply_name_its_manager_and_version(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("apply", "-n", namespace, "-f", "-", input=deployment())
    refused = kubectl.fail("apply", "--server-side", "--field-manager=ops", "-n", namespace, "-f", "-",
                           input=deployment(replicas=3))
    assert ('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: '
            ".spec.replicas") in refused.stderr, refused.describe()
    # kubectl itself takes over what it applied client-side, without conflicts
    applied(kubectl, namespace, deployment(replicas=3))
    obj = get(kubectl, namespace)
    assert obj["spec"]["replicas"] == 3
    last = json.loads(obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last["spec"]["replicas"] == 3
    owners = managers(kubectl, namespace)
    assert "kubectl-client-side-apply" not in owners, "kubectl migrates its client-side entry"
    assert "f:replicas" in owners["kubectl"]["fieldsV1"]["f:spec"]


def test_fields_dropped_from_the_configuration_go_unless_someone_else_owns_them(kubectl: Kubectl,
                                                                                 namespace: str) -> None:
    applied(kubectl, namespace, deployment(labels="{app: web, tier: front, team: a}"))
    kubectl.run("label", "-n", namespace, "deployment/web", "team=b", "--overwrite")
    applied(kubectl, namespace, deployment(labels="{app: web}"))
    assert get(kubectl, namespace)["metadata"]["labels"] == {"app": "web", "team": "b"}
    assert managers(kubectl, namespace)["kubectl-label"]["fieldsV1"] == {"f:metadata": {"f:labels": {"f:team": {}}}}


def test_containers_merge_by_name_finalizers_are_a_set_args_are_atomic(kubectl: Kubectl, namespace: str) -> None:
    applied(kubectl, namespace, deployment(labels="{app: web}", extra=""), "--field-manager=a")
    kubectl.run("patch", "-n", namespace, "deployment/web", "--type=merge",
                "-p", '{"metadata":{"finalizers":["example.com/keep"]}}')
    sidecar = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  finalizers: [example.com/b]
spec:
  template:
    spec:
      containers:
      - name: sidecar
        image: busybox
"""
    applied(kubectl, namespace, sidecar, "--field-manager=b")
    finalizers_a = deployment(args="[--port=81]").replace("  labels: {app: web}\n",
                                                          "  labels: {app: web}\n  finalizers: [example.com/a]\n", 1)
    applied(kubectl, namespace, finalizers_a, "--field-manager=a", "--force-conflicts")
    obj = get(kubectl, namespace)
    containers = obj["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c.get("args")) for c in containers] == [("web", ["--port=81"]), ("sidecar", None)]
    assert obj["metadata"]["finalizers"] == ["example.com/keep", "example.com/b", "example.com/a"]
    applied(kubectl, namespace, deployment(args="[--port=81]"), "--field-manager=a")
    assert get(kubectl, namespace)["metadata"]["finalizers"] == ["example.com/keep", "example.com/b"]
    kubectl.run("patch", "-n", namespace, "deployment/web", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')


def test_show_managed_fields_lists_every_kind_of_manager(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    kubectl.run("create", "deployment", "web", "-n", namespace, "--image=nginx:1.27")
    editor = Kubectl(kubectl.kubeconfig, tmp_path / "cache")
    editor.env["KUBE_EDITOR"] = "sed -i s/nginx:1.27/nginx:1.28/"
    editor.run("edit", "-n", namespace, "deployment/web")
    kubectl.run("annotate", "-n", namespace, "deployment/web", "note=hi")
    applied(kubectl, namespace, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
                                "  labels: {owner: ci}\n", "--field-manager=ci")
    # last: a server-side apply would take over the client-side entry, as kubectl does
    kubectl.run("apply", "-n", namespace, "-f", "-", input=deployment().replace("nginx:1.27", "nginx:1.28"))
    shown = yaml.safe_load(kubectl.run("get", "-n", namespace, "deployment/web", "-o", "yaml",
                                       "--show-managed-fields").stdout)
    entries = {e["manager"]: e for e in shown["metadata"]["managedFields"]}
    assert {(m, e["operation"]) for m, e in entries.items()} == {
        ("ci", "Apply"), ("kubectl-create", "Update"), ("kubectl-edit", "Update"), ("kubectl-annotate", "Update"),
        ("kubectl-client-side-apply", "Update")}
    assert shown["metadata"]["managedFields"][0]["manager"] == "ci"  # appliers first
    assert entries["ci"]["fieldsV1"] == {"f:metadata": {"f:labels": {"f:owner": {}}}}
    container = 'k:{"name":"nginx"}'
    assert entries["kubectl-edit"]["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"] == {
        container: {"f:image": {}}}
    assert "f:strategy" in entries["kubectl-create"]["fieldsV1"]["f:spec"]  # defaulted at creation
    assert "f:replicas" in entries["kubectl-client-side-apply"]["fieldsV1"]["f:spec"]  # changed from 1 to 2
    assert entries["kubectl-annotate"]["fieldsV1"] == {"f:metadata": {"f:annotations": {".": {}, "f:note": {}}}}
    assert "f:kubectl.kubernetes.io/last-applied-configuration" in \
        entries["kubectl-client-side-apply"]["fieldsV1"]["f:metadata"]["f:annotations"]
    for entry in entries.values():
        assert entry["time"] and entry["fieldsType"] == "FieldsV1" and entry["apiVersion"] == "apps/v1"
    hidden = yaml.safe_load(kubectl.run("get", "-n", namespace, "deployment/web", "-o", "yaml").stdout)
    assert "managedFields" not in hidden["metadata"]


def test_custom_resources_track_fields_without_schema(kubectl: Kubectl, namespace: str) -> None:
    group = f"{unique('ssa')}.example.com"
    kubectl.run("apply", "--server-side", "-f", "-", input=f"""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.{group}
spec:
  group: {group}
  scope: Namespaced
  names: {{plural: widgets, singular: widget, kind: Widget}}
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
            x-kubernetes-preserve-unknown-fields: true
""")
    kubectl.run("wait", "--for=condition=Established", f"crd/widgets.{group}", "--timeout=30s")

    def widget(spec: str) -> str:
        return f"apiVersion: {group}/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {spec}\n"

    applied(kubectl, namespace, widget("{size: 3, colors: [red], shape: {round: true}}"))
    entry = managers(kubectl, namespace, f"widgets.{group}/w")["kubectl"]
    assert entry["fieldsV1"] == {"f:spec": {".": {}, "f:colors": {}, "f:shape": {".": {}, "f:round": {}},
                                            "f:size": {}}}
    refused = kubectl.fail("apply", "--server-side", "--field-manager=ops", "-n", namespace, "-f", "-",
                           input=widget("{size: 4}"))
    assert 'Apply failed with 1 conflict: conflict with "kubectl": .spec.size' in refused.stderr, refused.describe()
    applied(kubectl, namespace, widget("{colors: [blue]}"))
    assert get(kubectl, namespace, f"widgets.{group}/w")["spec"] == {"colors": ["blue"]}
    kubectl.run("delete", f"crd/widgets.{group}", "--wait=false")


def test_helm_installs_and_upgrades_with_server_side_apply(helm: Helm, kubectl: Kubectl, namespace: str,
                                                         tmp_path: Path) -> None:
    chart = tmp_path / "shop"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("replicas: 1\ngreeting: hello\n")
    (chart / "templates" / "all.yaml").write_text("""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  greeting: {{ .Values.greeting | quote }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector: {app: {{ .Release.Name }}}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        env:
        - name: GREETING
          value: {{ .Values.greeting | quote }}
""")
    helm.run("install", "shop", str(chart), "-n", namespace)
    assert get(kubectl, namespace, "deployment/shop")["spec"]["replicas"] == 1
    helm.run("upgrade", "shop", str(chart), "-n", namespace, "--set", "replicas=3", "--set", "greeting=bonjour")
    releases = json.loads(helm.run("list", "-n", namespace, "-o", "json").stdout)
    assert [(r["name"], r["status"], r["revision"]) for r in releases] == [("shop", "deployed", "2")]
    deploy = get(kubectl, namespace, "deployment/shop")
    assert deploy["spec"]["replicas"] == 3
    assert deploy["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "GREETING", "value": "bonjour"}]
    assert get(kubectl, namespace, "configmap/shop-config")["data"] == {"greeting": "bonjour"}
    for what in ("deployment/shop", "service/shop", "configmap/shop-config"):
        assert managers(kubectl, namespace, what)["helm"]["operation"] == "Apply", what


def test_apply_needs_a_field_manager_and_creates_with_201(server: CorralServer, namespace: str) -> None:
    http = AdminHTTP(server)
    url = f"/api/v1/namespaces/{namespace}/configmaps/settings"
    body = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: '1'\n"
    missing = http.request("PATCH", url, body, content_type=APPLY)
    assert missing.status == 422
    assert missing.json()["message"] == ('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: '
                                         "is required for apply patch")
    first = http.request("PATCH", url + "?fieldManager=ci", body, content_type=APPLY)
    again = http.request("PATCH", url + "?fieldManager=ci", body, content_type=APPLY)
    assert (first.status, again.status) == (201, 200)
    assert first.json()["metadata"]["managedFields"][0]["fieldsV1"] == {"f:data": {"f:a": {}}}
    forced = http.request("PATCH", url + "?fieldManager=ci&force=true", {"data": {"a": "2"}},
                          content_type="application/merge-patch+json")
    assert forced.status == 422
    assert forced.json()["message"].endswith("force: Forbidden: may not be specified for non-apply patch")


def test_apply_through_the_status_subresource(server: CorralServer, kubectl: Kubectl, namespace: str) -> None:
    applied(kubectl, namespace, deployment())
    http = AdminHTTP(server)
    status = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nstatus:\n  replicas: 2\n"
    response = http.request("PATCH", f"/apis/apps/v1/namespaces/{namespace}/deployments/web/status"
                                     "?fieldManager=controller", status, content_type=APPLY)
    assert response.status == 200, response.body
    entry = managers(kubectl, namespace)["controller"]
    assert (entry["operation"], entry["subresource"], entry["fieldsV1"]) == (
        "Apply", "status", {"f:status": {"f:replicas": {}}})
    assert get(kubectl, namespace)["status"]["replicas"] == 2


def test_writes_without_a_field_manager_are_named_after_the_user_agent(api: AdminHTTP) -> None:
    body = {"metadata": {"name": unique("agent")}, "data": {"k": "v"}}
    resp = api.post("/api/v1/namespaces/default/configmaps", body,
                    headers={"User-Agent": "my-tool/1.2 (linux/amd64)"})
    assert resp.status == 201
    [entry] = resp.json()["metadata"]["managedFields"]
    assert (entry["manager"], entry["operation"]) == ("my-tool", "Update")
