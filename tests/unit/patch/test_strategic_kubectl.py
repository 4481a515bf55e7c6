"""Strategic merge patch against the real kubectl 1.33: ``kubectl apply`` computes its
three-way patch on the client, so for a live Deployment A (last applied as A) and a
manifest B, the patch kubectl sends must turn A into exactly B, list order included.

kubectl talks to a bare aiohttp app (run in a thread) that serves discovery and Corral's
OpenAPI documents, answers the GET of the Deployment with A, and records the PATCH.
Hypothesis draws A and B over containers, env, ports, volume mounts, volumes, strategy,
tolerations, finalizers and labels."""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st

from corral.patch.strategic import strategic_merge_patch
from corral.registry.builtins import BUILTINS
from corral.schema.openapi import OpenAPI
from corral.schema.patchmeta import patch_meta
from tests.binaries import binary
from tests.unit.schema.test_schema_kubectl import FakeServer

pytestmark = pytest.mark.kubectl

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
OBJECT_PATH = "/apis/apps/v1/namespaces/default/deployments/web"


@dataclass(repr=False)
class Kubectl:
    """``kubectl apply`` against the fake server, returning the patch it sent."""

    fake: FakeServer
    workdir: Path

    def apply_patch(self, live: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
        self.fake.objects[OBJECT_PATH] = orjson.dumps(live)
        self.fake.writes.clear()
        path = self.workdir / "manifest.json"  # JSON: YAML would leave kubectl to guess types (y, on)
        path.write_bytes(orjson.dumps(manifest))
        env = {**os.environ, "KUBECONFIG": str(self.workdir / "no-kubeconfig"), "HOME": str(self.workdir)}
        done = subprocess.run(
            [str(binary("kubectl")), "--server", self.fake.url, "--cache-dir", str(self.workdir / "cache"),
             "apply", "-f", str(path)],
            capture_output=True, text=True, env=env, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        patches = [w for w in self.fake.writes if w.method == "PATCH"]
        assert [(w.path, w.content_type) for w in patches] == [
            (OBJECT_PATH, "application/strategic-merge-patch+json")]
        patch: dict[str, Any] = orjson.loads(patches[0].body)
        return patch


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kubectl]:
    fake = FakeServer(OpenAPI(BUILTINS), list(BUILTINS))
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(fake.app(), access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    fake.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield Kubectl(fake, tmp_path_factory.mktemp("kubectl-apply"))
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()


def _unique_by(key: str, items: st.SearchStrategy[dict[str, Any]], max_size: int) -> st.SearchStrategy[Any]:
    return st.lists(items, max_size=max_size, unique_by=lambda item: item[key])


ENV = st.fixed_dictionaries({"name": st.sampled_from(["MODE", "LEVEL", "REGION", "DEBUG"]),
                             "value": st.sampled_from(["a", "b", "1"])})
PORT = st.fixed_dictionaries({"containerPort": st.sampled_from([80, 443, 8080, 9090])},
                             optional={"name": st.sampled_from(["http", "metrics"]), "protocol": st.just("TCP")})
MOUNT = st.fixed_dictionaries({"mountPath": st.sampled_from(["/data", "/cache", "/etc/app"]),
                               "name": st.sampled_from(["data", "cache", "conf"])})
SOURCE = st.one_of(
    st.just({"emptyDir": {}}),
    st.builds(lambda n: {"configMap": {"name": n}}, st.sampled_from(["settings", "extra"])),
    st.builds(lambda n: {"secret": {"secretName": n}}, st.sampled_from(["creds", "tls"])),
)
VOLUME = st.builds(lambda name, source: {"name": name, **source}, st.sampled_from(["data", "cache", "conf"]), SOURCE)
TOLERATION = st.fixed_dictionaries({"key": st.sampled_from(["gpu", "spot"]), "operator": st.just("Exists"),
                                    "effect": st.sampled_from(["NoSchedule", "NoExecute"])})
STRATEGY = st.one_of(
    st.just({"type": "Recreate"}),
    st.builds(lambda surge: {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge}},
              st.sampled_from([1, "25%"])),
)


@st.composite
def containers(draw: st.DrawFn) -> list[dict[str, Any]]:
    names = draw(st.lists(st.sampled_from(["web", "proxy", "agent"]), min_size=1, max_size=3, unique=True))
    out = []
    for name in names:
        container: dict[str, Any] = {"name": name, "image": draw(st.sampled_from(["nginx:1.25", "nginx:1.27",
                                                                                   "envoy:1.30"]))}
        for field, values in (("env", _unique_by("name", ENV, 3)), ("ports", _unique_by("containerPort", PORT, 2)),
                              ("volumeMounts", _unique_by("mountPath", MOUNT, 2)),
                              ("args", st.lists(st.sampled_from(["-v", "--x", "--y"]), max_size=2))):
            value = draw(values)
            if value:
                container[field] = value
        out.append(container)
    return out


@st.composite
def deployments(draw: st.DrawFn) -> dict[str, Any]:
    pod_spec: dict[str, Any] = {"containers": draw(containers())}
    for field, values in (("volumes", _unique_by("name", VOLUME, 3)),
                          ("tolerations", st.lists(TOLERATION, max_size=2))):
        value = draw(values)
        if value:
            pod_spec[field] = value
    metadata: dict[str, Any] = {"name": "web", "namespace": "default",
                                "labels": draw(st.dictionaries(st.sampled_from(["app", "tier", "team"]),
                                                               st.sampled_from(["x", "y"]), min_size=1))}
    # sorted: kubectl does not send a reorder of scalars alone (its diff sorts the live list in place)
    finalizers = sorted(draw(st.lists(st.sampled_from(["example.com/a", "example.com/b", "example.com/c"]),
                                      unique=True)))
    if finalizers:
        metadata["finalizers"] = finalizers
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": draw(STRATEGY),
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec},
        },
    }


def _without_last_applied(obj: dict[str, Any]) -> dict[str, Any]:
    annotations = obj["metadata"].get("annotations", {})
    assert LAST_APPLIED in annotations, "the patch should record the new last-applied configuration"
    del annotations[LAST_APPLIED]
    if not annotations:
        del obj["metadata"]["annotations"]
    return obj


@settings(max_examples=30, deadline=None)
@given(live=deployments(), manifest=deployments())
def test_kubectl_apply_patch_turns_live_into_manifest(kubectl: Kubectl, live: dict[str, Any],
                                                      manifest: dict[str, Any]) -> None:
    current = {**live, "metadata": {**live["metadata"],
                                    "annotations": {LAST_APPLIED: orjson.dumps(live).decode()}}}
    patch = kubectl.apply_patch(current, manifest)
    meta = patch_meta("apps", "v1", "Deployment")
    assert meta is not None
    assert _without_last_applied(strategic_merge_patch(current, patch, meta)) == manifest
