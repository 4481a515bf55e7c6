"""kubectl get -w sees changes made after it started, and kubectl wait --for=delete returns
once a finalizer-held object is really gone."""

from __future__ import annotations

import re

import pytest

from tests.support.kubectl import Kubectl
from tests.support.tables import headers

pytestmark = pytest.mark.kubectl

HELD = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: held
  finalizers: [example.com/hold]
data:
  a: "1"
"""

# kubectl -v=6 logs each response; once a watch request has answered, kubectl is watching.
WATCHING = re.compile(r'verb="GET" url="[^"]*[?&]watch=true')


def test_get_watch_sees_modify_and_delete(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("create", "configmap", "watched", "-n", namespace, "--from-literal=a=1")
    argv = ("get", "configmap", "watched", "-n", namespace, "-w", "--output-watch-events")
    with kubectl.stream(*argv) as watch:
        header = watch.wait_for(lambda line: line.startswith("EVENT"))
        assert headers(header) == ["EVENT", "NAME", "DATA", "AGE"], watch.describe()
        watch.wait_for(re.compile(r"^ADDED\s+watched\s+1\s"))
        kubectl.run("patch", "configmap", "watched", "-n", namespace, "--type=merge",
                    "-p", '{"data":{"b":"2"}}')
        watch.wait_for(re.compile(r"^MODIFIED\s+watched\s+2\s"))
        kubectl.run("delete", "configmap", "watched", "-n", namespace)
        watch.wait_for(re.compile(r"^DELETED\s+watched\s+2\s"))


def test_get_watch_on_a_collection_sees_new_objects(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("create", "configmap", "first", "-n", namespace, "--from-literal=a=1")
    with kubectl.stream("get", "configmaps", "-n", namespace, "-w", "--output-watch-events") as watch:
        watch.wait_for(re.compile(r"^ADDED\s+first\s"))
        kubectl.run("create", "configmap", "second", "-n", namespace,
                    "--from-literal=a=1", "--from-literal=b=2")
        watch.wait_for(re.compile(r"^ADDED\s+second\s+2\s"))
        kubectl.run("label", "configmap", "first", "-n", namespace, "seen=yes")
        watch.wait_for(re.compile(r"^MODIFIED\s+first\s+1\s"))


def test_get_watch_with_label_selector_ignores_others(kubectl: Kubectl, namespace: str) -> None:
    argv = ("get", "configmaps", "-n", namespace, "-l", "pick=me", "-w", "-o", "name", "-v=6")
    with kubectl.stream(*argv) as watch:
        watch.wait_for(WATCHING, source="stderr")
        kubectl.run("create", "configmap", "skipped", "-n", namespace)
        kubectl.run("create", "configmap", "chosen", "-n", namespace)
        kubectl.run("label", "configmap", "chosen", "-n", namespace, "pick=me")
        watch.wait_for("configmap/chosen")
    assert "configmap/skipped" not in watch.describe()


def test_wait_for_delete_returns_when_finalizer_is_removed(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("create", "-n", namespace, "-f", "-", input=HELD)
    deleted = kubectl.run("delete", "configmap", "held", "-n", namespace, "--wait=false")
    assert deleted.stdout == 'configmap "held" deleted\n'
    held = kubectl.json("get", "configmap", "held", "-n", namespace)
    assert held["metadata"]["finalizers"] == ["example.com/hold"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", held["metadata"]["deletionTimestamp"])
    not_yet = kubectl.fail("wait", "--for=delete", "configmap/held", "-n", namespace, "--timeout=0")
    assert "condition not met for configmaps/held" in not_yet.stderr, not_yet.describe()

    argv = ("wait", "--for=delete", "configmap/held", "-n", namespace, "--timeout=60s", "-v=6")
    with kubectl.stream(*argv) as waiting:
        waiting.wait_for(WATCHING, source="stderr")
        kubectl.run("patch", "configmap", "held", "-n", namespace, "--type=json",
                    "-p", '[{"op":"remove","path":"/metadata/finalizers"}]')
        assert waiting.wait_exit(timeout=60) == 0, waiting.describe()
        waiting.wait_for("configmap/held condition met", timeout=5)
    gone = kubectl.fail("get", "configmap", "held", "-n", namespace)
    assert 'configmaps "held" not found' in gone.stderr
