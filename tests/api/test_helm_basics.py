"""The real helm 4 binary talks to Corral: it reads releases (Secrets labelled
``owner=helm``) across namespaces through label selectors."""

from __future__ import annotations

import base64
import gzip
import json

from tests.support.kubectl import Helm, Kubectl


def test_helm_version_and_empty_release_list(helm: Helm) -> None:
    assert 'Version:"v4.' in helm.run("version").stdout
    assert json.loads(helm.run("list", "-A", "-o", "json").stdout) == []


def test_helm_lists_a_release_stored_as_a_secret(helm: Helm, kubectl: Kubectl, namespace: str) -> None:
    # A release record as helm stores it: gzip + base64 JSON in a Secret of type helm.sh/release.v1.
    release = {"name": "demo", "namespace": namespace, "version": 1,
               "info": {"status": "deployed", "first_deployed": "2026-01-01T00:00:00Z",
                        "last_deployed": "2026-01-01T00:00:00Z", "description": "Install complete"},
               "chart": {"metadata": {"name": "demo-chart", "version": "0.1.0", "appVersion": "1.0",
                                      "apiVersion": "v2"}},
               "manifest": "", "config": {}}
    payload = base64.b64encode(gzip.compress(json.dumps(release).encode())).decode()
    kubectl.run("create", "secret", "generic", "sh.helm.release.v1.demo.v1", "-n", namespace,
                "--type=helm.sh/release.v1", f"--from-literal=release={payload}")
    kubectl.run("label", "secret", "sh.helm.release.v1.demo.v1", "-n", namespace,
                "owner=helm", "name=demo", "status=deployed", "version=1")
    listed = json.loads(helm.run("list", "-n", namespace, "-o", "json").stdout)
    assert [(r["name"], r["status"], r["chart"]) for r in listed] == [("demo", "deployed", "demo-chart-0.1.0")]
    assert json.loads(helm.run("list", "-n", "default", "-o", "json").stdout) == []
