"""A capturing API server for the protobuf decoding tests, and kubectl pointed at it.

The real kubectl 1.33 sends its ``create``/``run``/``expose``/``auth`` bodies as protobuf.
To see those bytes without a whole Corral server, this module runs a tiny aiohttp server
that publishes legacy discovery documents, serves the few objects kubectl reads first
(``expose``, ``autoscale``, ``create job --from``), records every POSTed body, and answers
with the object :func:`corral.api.codec.protobuf.decode` made of it (400 when it fails).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web

from corral.api.codec.protobuf import decode
from tests.support.kubectl import Kubectl

# (group, version, resource, kind, namespaced)
_RESOURCES = [
    ("", "v1", "pods", "Pod", True),
    ("", "v1", "services", "Service", True),
    ("", "v1", "configmaps", "ConfigMap", True),
    ("", "v1", "secrets", "Secret", True),
    ("", "v1", "namespaces", "Namespace", False),
    ("", "v1", "nodes", "Node", False),
    ("", "v1", "serviceaccounts", "ServiceAccount", True),
    ("", "v1", "serviceaccounts/token", "TokenRequest", True),
    ("", "v1", "resourcequotas", "ResourceQuota", True),
    ("apps", "v1", "deployments", "Deployment", True),
    ("apps", "v1", "deployments/scale", "Scale", True),
    ("batch", "v1", "jobs", "Job", True),
    ("batch", "v1", "cronjobs", "CronJob", True),
    ("rbac.authorization.k8s.io", "v1", "roles", "Role", True),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", True),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    ("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", False),
    ("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", True),
    ("networking.k8s.io", "v1", "ingresses", "Ingress", True),
    ("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", False),
    ("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", False),
    ("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", False),
    ("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True),
    ("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True),
]


def _json(doc: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(doc), status=status, content_type="application/json")


def _not_found(path: str) -> web.Response:
    return _json({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                  "message": f"{path} not found", "reason": "NotFound", "code": 404}, 404)


def _discovery(path: str) -> Any:
    """The legacy discovery document at ``path``, or None."""
    if path == "/api":
        return {"kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
    if path == "/apis":
        groups: dict[str, list[str]] = {}
        for group, version, *_ in _RESOURCES:
            if group and version not in groups.setdefault(group, []):
                groups[group].append(version)
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
            {"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
             "preferredVersion": {"groupVersion": f"{g}/{vs[0]}", "version": vs[0]}}
            for g, vs in groups.items()]}
    parts = path.strip("/").split("/")
    if parts[0] == "api" and len(parts) == 2:
        group, version = "", parts[1]
    elif parts[0] == "apis" and len(parts) == 3:
        group, version = parts[1], parts[2]
    else:
        return None
    resources = [{"name": r, "singularName": "", "namespaced": ns, "kind": k,
                  "verbs": ["create", "delete", "get", "list", "patch", "update"]}
                 for g, v, r, k, ns in _RESOURCES if (g, v) == (group, version)]
    if not resources:
        return None
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version, "resources": resources}


class CaptureServer:
    """The capturing server, on an event loop of its own in a background thread.

    ``objects`` are served on GET by path; ``posts`` records every other request.
    """

    def __init__(self) -> None:
        self.objects: dict[str, Any] = {}
        self.posts: list[tuple[str, str, bytes]] = []  # path, content type, body
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def _handle(self, request: web.Request) -> web.Response:
        if request.method == "GET":
            doc = _discovery(request.path)
            if doc is None:
                doc = self.objects.get(request.path)
            return _not_found(request.path) if doc is None else _json(doc)
        body = await request.read()
        self.posts.append((request.path, request.content_type, body))
        try:
            obj = decode(body)
        except ValueError as exc:
            return _json({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                          "message": str(exc), "reason": "BadRequest", "code": 400}, 400)
        return _json(obj, 201)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(30)

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()


@dataclass
class Capture:
    """kubectl bound to a :class:`CaptureServer`."""

    server: CaptureServer
    kubectl: Kubectl

    def bodies(self, *args: str, check: bool = True) -> list[tuple[str, str, bytes]]:
        """Run ``kubectl <args>`` and return the requests it sent that were not GETs."""
        before = len(self.server.posts)
        self.kubectl.run(*args, check=check)
        return self.server.posts[before:]

    def body(self, *args: str, check: bool = True) -> bytes:
        """The one protobuf body ``kubectl <args>`` POSTed (``check``: it must exit 0)."""
        posts = self.bodies(*args, check=check)
        assert len(posts) == 1, f"expected one POST, got {[p for p, _, _ in posts]}"
        _, content_type, body = posts[0]
        assert content_type == "application/vnd.kubernetes.protobuf"
        return body


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Capture]:
    server = CaptureServer()
    server.start()
    home: Path = tmp_path_factory.mktemp("capture-kube")
    kubeconfig = home / "config"
    kubeconfig.write_text(orjson.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "capture",
        "clusters": [{"name": "capture", "cluster": {"server": f"http://127.0.0.1:{server.port}"}}],
        "users": [{"name": "capture", "user": {}}],
        "contexts": [{"name": "capture", "context": {"cluster": "capture", "user": "capture",
                                                      "namespace": "default"}}],
    }).decode())
    yield Capture(server, Kubectl(kubeconfig, home / "cache"))
    server.stop()
