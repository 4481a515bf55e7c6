"""Fixtures for API tests: the official ``kubernetes`` Python client configured from the
session server's kubeconfig file, a fresh namespace per test, and a web app applied once
with kubectl for the read-only kubectl tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from kubernetes import client

from tests.support.adminhttp import AdminHTTP
from tests.support.kubectl import Kubectl
from tests.support.manifests import WEB_APP, AppliedApp
from tests.support.names import unique
from tests.support.pyclient import api_client
from tests.support.server import CorralServer


@pytest.fixture(scope="session")
def k8s_client(server: CorralServer) -> Iterator[client.ApiClient]:
    """``kubernetes.client.ApiClient`` built from the session server's kubeconfig file
    (every request times out after ``REQUEST_TIMEOUT`` unless it passes its own)."""
    api = api_client(server.kubeconfig)
    yield api
    api.close()


@pytest.fixture
def core_v1(k8s_client: client.ApiClient) -> client.CoreV1Api:
    return client.CoreV1Api(k8s_client)


@pytest.fixture
def namespace(kubectl: Kubectl, request: pytest.FixtureRequest) -> str:
    """A new namespace named after the test, created with ``kubectl create ns``."""
    stem = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower().removeprefix("test_"))[:40].strip("-")
    name = unique(stem or "t")
    kubectl.run("create", "namespace", name)
    return name


@pytest.fixture(scope="session")
def web_app(kubectl: Kubectl, tmp_path_factory: pytest.TempPathFactory) -> AppliedApp:
    """The WEB_APP manifest applied once (``kubectl apply -f``) into a namespace of its own."""
    ns = unique("web-app")
    kubectl.run("create", "namespace", ns)
    manifest = tmp_path_factory.mktemp("manifests") / "web-app.yaml"
    manifest.write_text(WEB_APP)
    return AppliedApp(ns, manifest, kubectl.run("apply", "-n", ns, "-f", str(manifest)))


@pytest.fixture(scope="session")
def api(server: CorralServer) -> AdminHTTP:
    """Raw HTTPS to the session server as the cluster admin."""
    return AdminHTTP(server)
