"""The ``corral`` command: ``kubeconfig`` prints the admin kubeconfig, bad input ends in one
line and a non-zero exit, SIGTERM stops the server cleanly, and what was written survives
a SIGKILL and a restart on the same data directory."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.support.kubectl import Kubectl
from tests.support.server import ROOT, CorralServer, corral_argv

CLI_TIMEOUT = 60


def corral(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(corral_argv(*args), cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=CLI_TIMEOUT)


def test_kubeconfig_prints_the_admin_kubeconfig(server: CorralServer) -> None:
    done = corral("kubeconfig", "--data-dir", str(server.data_dir))
    assert done.returncode == 0, done.stderr
    assert done.stdout == server.kubeconfig.read_text()
    config = yaml.safe_load(done.stdout)
    assert config["kind"] == "Config"
    [cluster] = config["clusters"]
    assert cluster["cluster"]["server"] == server.url


@pytest.mark.parametrize("args", [
    ["server", "--no-such-flag"],
    ["server", "--port", "70000"],
    ["server", "--port", "http"],
    ["no-such-command"],
    ["kubeconfig", "--data-dir", "{empty}"],
])
def test_bad_input_is_one_line_without_traceback(args: list[str], tmp_path: Path) -> None:
    done = corral(*(arg.replace("{empty}", str(tmp_path / "never-served")) for arg in args))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("corral: error: "), done.stderr
    assert done.stdout == ""


def test_sigterm_stops_the_server_cleanly(fresh_server: CorralServer) -> None:
    assert fresh_server.stop() == 0
    log = fresh_server.log_path.read_text()
    assert "Traceback" not in log, fresh_server.log_tail()


def test_sigterm_ends_open_watches_at_once(fresh_server: CorralServer,
                                          kubectl_for: Callable[[CorralServer], Kubectl]) -> None:
    kubectl = kubectl_for(fresh_server)
    with kubectl.stream("get", "configmaps", "-A", "--watch", "-v=6") as watching:
        watching.wait_for(lambda line: "watch=true" in line and "200 OK" in line, source="stderr")
        started = time.monotonic()
        assert fresh_server.stop() == 0
        took = time.monotonic() - started
    assert took < 3, f"stopping with an open watch took {took:.1f}s"


@pytest.mark.kubectl
def test_objects_survive_kill9_and_restart(fresh_server: CorralServer,
                                          kubectl_for: Callable[[CorralServer], Kubectl]) -> None:
    kubectl = kubectl_for(fresh_server)
    kubectl.run("create", "namespace", "durable")
    kubectl.run("create", "configmap", "kept", "-n", "durable", "--from-literal=answer=42")
    before = kubectl.json("get", "configmap", "kept", "-n", "durable")
    ca = fresh_server.ca_cert.read_bytes()

    fresh_server.kill9()
    fresh_server.start()

    assert fresh_server.ca_cert.read_bytes() == ca, "a restart must keep the cluster CA"
    after = kubectl.json("get", "configmap", "kept", "-n", "durable")
    assert after["data"] == {"answer": "42"}
    for field in ("uid", "resourceVersion", "creationTimestamp"):
        assert after["metadata"][field] == before["metadata"][field], field
    kubectl.run("create", "configmap", "later", "-n", "durable")
    later = kubectl.json("get", "configmap", "later", "-n", "durable")
    assert int(later["metadata"]["resourceVersion"]) > int(before["metadata"]["resourceVersion"])


@pytest.mark.kubectl
def test_restart_after_clean_stop_keeps_everything(fresh_server: CorralServer,
                                                   kubectl_for: Callable[[CorralServer], Kubectl]) -> None:
    kubectl = kubectl_for(fresh_server)
    kubectl.run("create", "namespace", "kept-ns")
    namespaces = {ns["metadata"]["name"] for ns in kubectl.json("get", "namespaces")["items"]}
    assert fresh_server.stop() == 0
    fresh_server.start()
    assert {ns["metadata"]["name"] for ns in kubectl.json("get", "namespaces")["items"]} == namespaces
