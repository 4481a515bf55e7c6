"""The real kubectl 1.33 uses Corral's OpenAPI documents: ``kubectl explain`` finds kinds
and fields in the v3 documents, ``kubectl create`` leaves validation to the server because
the PATCH operations declare ``fieldValidation``, and ``kubectl apply`` takes strategic
merge keys from them. They are served by a bare aiohttp app with just enough legacy
discovery for kubectl to map resource names to group-versions."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from aiohttp import web

from corral.registry.builtins import BUILTINS
from corral.registry.resources import ResourceDef
from corral.schema.openapi import OpenAPI
from tests.binaries import binary

pytestmark = pytest.mark.kubectl

CRONTAB_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "description": "What the crontab runs and when.",
            "properties": {
                "cronSpec": {"type": "string", "description": "When to run, in cron syntax."},
                "replicas": {"type": "integer"},
            },
        },
    },
}
CRONTAB = ResourceDef("stable.example.com", "v1", "crontabs", "CronTab", short_names=("ct",))


def _resource_list(group_version: str, resources: list[ResourceDef]) -> dict[str, Any]:
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": [
            {"name": rd.resource, "singularName": rd.singular_name, "namespaced": rd.namespaced,
             "kind": rd.kind, "verbs": list(rd.verbs), "shortNames": list(rd.short_names)}
            for rd in resources
        ],
    }


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    content_type: str
    body: bytes


@dataclass
class FakeServer:
    """Serves discovery and OpenAPI from the documents under test; remembers the writes it
    gets and answers reads of objects it was given."""

    openapi: OpenAPI
    resources: list[ResourceDef]
    objects: dict[str, bytes] = field(default_factory=dict)
    writes: list[Recorded] = field(default_factory=list)
    url: str = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.get)
        app.router.add_route("*", "/{tail:.*}", self.write)
        return app

    def _discovery(self, path: str) -> bytes | None:
        by_gv: dict[str, list[ResourceDef]] = {}
        groups: dict[str, list[str]] = {}
        for rd in self.resources:
            by_gv.setdefault(rd.group_version, []).append(rd)
            if rd.group and rd.group_version not in groups.setdefault(rd.group, []):
                groups[rd.group].append(rd.group_version)
        if path == "/api":
            return orjson.dumps({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []})
        if path == "/apis":
            return orjson.dumps({"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": group, "versions": [{"groupVersion": gv, "version": gv.split("/")[1]} for gv in gvs],
                 "preferredVersion": {"groupVersion": gvs[0], "version": gvs[0].split("/")[1]}}
                for group, gvs in groups.items()]})
        group_version = path.split("/", 2)[2] if path.startswith(("/api/", "/apis/")) else ""
        if group_version in by_gv:
            return orjson.dumps(_resource_list(group_version, by_gv[group_version]))
        return None

    async def get(self, request: web.Request) -> web.Response:
        path = request.path.rstrip("/")
        body: bytes | None = self._discovery(path) or self.objects.get(path)
        if path == "/openapi/v2":
            body = self.openapi.v2()
        elif path == "/openapi/v3":
            body = self.openapi.v3_index()
        elif path.startswith("/openapi/v3/"):
            body = self.openapi.v3(path.removeprefix("/openapi/v3/"))
        if body is None:
            return web.json_response({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                      "reason": "NotFound", "code": 404}, status=404)
        return web.Response(body=body, content_type="application/json")

    async def write(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.writes.append(Recorded(request.method, request.path, dict(request.query),
                                    request.headers.get("Content-Type", ""), body))
        if request.method == "POST":
            return web.Response(body=body, status=201, content_type="application/json")
        return web.Response(body=self.objects.get(request.path, b"{}"), content_type="application/json")


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    resources = [*BUILTINS, CRONTAB]
    openapi = OpenAPI(resources, {("stable.example.com", "v1", "CronTab"): CRONTAB_SCHEMA})
    fake = FakeServer(openapi, resources)
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield fake
    await runner.cleanup()


async def _kubectl(url: str, tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    env = {**os.environ, "KUBECONFIG": str(tmp_path / "no-kubeconfig"), "HOME": str(tmp_path)}
    proc = await asyncio.create_subprocess_exec(
        str(binary("kubectl")), "--server", url, "--cache-dir", str(tmp_path / "cache"), *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env=env)
    out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_explain_deployment_strategy(server: FakeServer, tmp_path: Path) -> None:
    code, out, err = await _kubectl(server.url, tmp_path, "explain", "deployment.spec.strategy")
    assert code == 0, err
    assert "GROUP:      apps" in out
    assert "KIND:       Deployment" in out
    assert "FIELD: strategy <DeploymentStrategy>" in out
    assert "The deployment strategy to use to replace existing pods with new ones." in out
    assert "rollingUpdate\t<RollingUpdateDeployment>" in out
    assert "type\t<string>" in out


async def test_explain_pod_container_ports(server: FakeServer, tmp_path: Path) -> None:
    code, out, err = await _kubectl(server.url, tmp_path, "explain", "pods.spec.containers.ports")
    assert code == 0, err
    assert "KIND:       Pod" in out
    assert "VERSION:    v1" in out
    assert "FIELD: ports <[]ContainerPort>" in out
    assert "containerPort\t<integer> -required-" in out
    assert "Number of port to expose on the pod's IP address." in out


async def test_explain_int_or_string_and_quantity_fields(server: FakeServer, tmp_path: Path) -> None:
    code, out, err = await _kubectl(server.url, tmp_path, "explain",
                                    "deployment.spec.strategy.rollingUpdate.maxSurge")
    assert code == 0, err
    assert "FIELD: maxSurge <IntOrString>" in out
    code, out, err = await _kubectl(server.url, tmp_path, "explain", "pod.spec.containers.resources")
    assert code == 0, err
    assert "limits\t<map[string]Quantity>" in out


async def test_explain_custom_resource(server: FakeServer, tmp_path: Path) -> None:
    code, out, err = await _kubectl(server.url, tmp_path, "explain", "crontabs.spec")
    assert code == 0, err
    assert "GROUP:      stable.example.com" in out
    assert "What the crontab runs and when." in out
    assert "cronSpec\t<string>" in out


async def test_explain_recursive_walks_every_reference(server: FakeServer, tmp_path: Path) -> None:
    code, out, err = await _kubectl(server.url, tmp_path, "explain", "statefulsets", "--recursive")
    assert code == 0, err
    assert "volumeClaimTemplates\t<[]PersistentVolumeClaim>" in out
    assert "        matchExpressions\t<[]LabelSelectorRequirement>" in out


async def test_kubectl_sends_field_validation_to_the_server(server: FakeServer, tmp_path: Path) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  a: b\n"
    code, _, err = await _kubectl(server.url, tmp_path, "create", "--validate=strict", "-f", "-",
                                  stdin=manifest)
    assert code == 0, err
    # kubectl only leaves validation to the server when the v3 PATCH operations declare it
    assert [(w.method, w.path) for w in server.writes] == [("POST", "/api/v1/namespaces/default/configmaps")]
    assert server.writes[0].query.get("fieldValidation") == "Strict"


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80}]
"""


async def test_kubectl_apply_takes_strategic_merge_keys_from_v3(server: FakeServer, tmp_path: Path) -> None:
    applied = yaml.safe_load(DEPLOYMENT)
    live = {**applied, "metadata": {**applied["metadata"], "annotations": {
        "kubectl.kubernetes.io/last-applied-configuration": orjson.dumps(applied).decode()}}}
    server.objects["/apis/apps/v1/namespaces/default/deployments/web"] = orjson.dumps(live)
    changed = DEPLOYMENT.replace("[{containerPort: 80}]", "[{containerPort: 80}, {containerPort: 81}]")
    code, _, err = await _kubectl(server.url, tmp_path, "apply", "-v=5", "-f", "-", stdin=changed)
    assert code == 0, err
    # kubectl says so (at -v=5, or as a warning) when it cannot use the v3 document
    assert "OpenAPI V3 path" not in err
    assert "error calculating patch" not in err
    [patch] = [w for w in server.writes if w.method == "PATCH"]
    assert patch.content_type == "application/strategic-merge-patch+json"
    body = orjson.loads(patch.body)
    container = body["spec"]["template"]["spec"]["containers"][0]
    # list merge keys from x-kubernetes-patch-merge-key: containers by name, ports by containerPort
    assert container["name"] == "web"
    assert container["$setElementOrder/ports"] == [{"containerPort": 80}, {"containerPort": 81}]
    assert body["spec"]["template"]["spec"]["$setElementOrder/containers"] == [{"name": "web"}]
