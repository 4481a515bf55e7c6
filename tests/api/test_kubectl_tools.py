"""kubectl beyond CRUD: diff, explain, edit, replace --force, output templates, wait on
a condition, auth whoami and proxy, each against a real server."""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

from tests.support.kubectl import Kubectl
from tests.support.server import free_port

CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: tools
data:
  colour: blue
"""


def test_diff_shows_the_change_and_changes_nothing(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    manifest = tmp_path / "cm.yaml"
    manifest.write_text(CONFIG)
    kubectl.run("apply", "-n", namespace, "-f", str(manifest))
    before = kubectl.json("get", "cm", "tools", "-n", namespace)
    manifest.write_text(CONFIG.replace("blue", "green"))
    result = kubectl.run("diff", "-n", namespace, "-f", str(manifest), check=False)
    assert result.returncode == 1, result.describe()  # 1 = differences found
    assert "-  colour: blue" in result.stdout and "+  colour: green" in result.stdout, result.describe()
    assert not re.search(r"^[-+]\s+resourceVersion", result.stdout, re.M), result.describe()
    after = kubectl.json("get", "cm", "tools", "-n", namespace)
    assert after["data"] == {"colour": "blue"}
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    manifest.write_text(CONFIG)
    assert kubectl.run("diff", "-n", namespace, "-f", str(manifest), check=False).returncode == 0


def test_explain_uses_the_served_schema(kubectl: Kubectl) -> None:
    out = kubectl.run("explain", "deployment.spec.strategy.rollingUpdate.maxSurge").stdout
    assert "FIELD: maxSurge <IntOrString>" in out
    assert "GROUP:      apps" in out


def test_edit_with_a_scripted_editor(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    kubectl.run("create", "configmap", "edited", "-n", namespace, "--from-literal=colour=blue")
    editor = tmp_path / "editor.py"
    editor.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('colour: blue', 'colour: red'))\n")
    kubectl.env["KUBE_EDITOR"] = f"{sys.executable} {editor}"
    try:
        out = kubectl.run("edit", "cm", "edited", "-n", namespace).stdout
    finally:
        del kubectl.env["KUBE_EDITOR"]
    assert "configmap/edited edited" in out
    assert kubectl.json("get", "cm", "edited", "-n", namespace)["data"] == {"colour": "red"}


def test_replace_force_recreates(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    kubectl.run("create", "configmap", "forced", "-n", namespace, "--from-literal=a=1")
    old_uid = kubectl.json("get", "cm", "forced", "-n", namespace)["metadata"]["uid"]
    manifest = tmp_path / "forced.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: forced\ndata:\n  a: '2'\n")
    out = kubectl.run("replace", "--force", "-n", namespace, "-f", str(manifest)).stdout
    assert 'configmap "forced" deleted' in out and "configmap/forced replaced" in out
    new = kubectl.json("get", "cm", "forced", "-n", namespace)
    assert new["data"] == {"a": "2"} and new["metadata"]["uid"] != old_uid


def test_output_templates(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("create", "configmap", "tpl", "-n", namespace, "--from-literal=k=v")
    cols = kubectl.run("get", "cm", "tpl", "-n", namespace, "-o", "custom-columns=NAME:.metadata.name,K:.data.k")
    assert cols.lines == ["NAME   K", "tpl    v"]
    tpl = kubectl.run("get", "cm", "tpl", "-n", namespace, "-o", "go-template={{.metadata.name}}={{.data.k}}")
    assert tpl.stdout == "tpl=v"


def test_wait_for_jsonpath_condition(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("create", "configmap", "waited", "-n", namespace, "--from-literal=state=pending")
    with kubectl.stream("wait", "-n", namespace, "cm/waited", "--for=jsonpath={.data.state}=done",
                        "--timeout=30s") as waiting:
        kubectl.run("patch", "cm", "waited", "-n", namespace, "--type=merge", "-p", '{"data":{"state":"done"}}')
        assert waiting.wait_exit(timeout=30) == 0
        assert "condition met" in waiting.wait_for(lambda line: "condition met" in line)


def test_auth_whoami_names_the_admin(kubectl: Kubectl) -> None:
    out = kubectl.json("auth", "whoami")
    assert out["kind"] == "SelfSubjectReview"
    assert out["status"]["userInfo"]["username"] == "system:admin"
    assert "system:masters" in out["status"]["userInfo"]["groups"]


def test_proxy_serves_plain_http(kubectl: Kubectl, namespace: str) -> None:
    port = free_port()
    with kubectl.stream("proxy", f"--port={port}", "--address=127.0.0.1") as proxy:
        proxy.wait_for(lambda line: "Starting to serve" in line)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/namespaces/{namespace}", timeout=10) as r:
            body = json.loads(r.read())
    assert (body["kind"], body["metadata"]["name"]) == ("Namespace", namespace)


def test_apply_prune_deletes_what_left_the_manifests(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    both = tmp_path / "both.yaml"
    both.write_text("".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n  labels: {{set: pruned}}\n" for n in "ab"))
    kubectl.run("apply", "-n", namespace, "-f", str(both), "-l", "set=pruned", "--prune")
    one = tmp_path / "one.yaml"
    one.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {set: pruned}\n")
    out = kubectl.run("apply", "-n", namespace, "-f", str(one), "-l", "set=pruned", "--prune").stdout
    assert "configmap/b pruned" in out
    names = [i["metadata"]["name"] for i in kubectl.json("get", "cm", "-n", namespace, "-l", "set=pruned")["items"]]
    assert names == ["a"]


def test_create_policy_kinds(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("create", "poddisruptionbudget", "budget", "-n", namespace, "--selector=app=x", "--min-available=1")
    kubectl.run("create", "ingress", "web", "-n", namespace, "--rule=foo.com/bar=svc1:8080")
    rows = kubectl.run("get", "pdb,ingress", "-n", namespace).stdout
    assert "MIN AVAILABLE" in rows and "budget" in rows and "foo.com" in rows
    ingress = kubectl.json("get", "ingress", "web", "-n", namespace)
    assert ingress["spec"]["rules"][0]["host"] == "foo.com"
