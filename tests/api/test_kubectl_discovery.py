"""kubectl's discovery-driven commands: version, api-resources, api-versions, cluster-info,
and the system namespaces every cluster has."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.kubectl import Kubectl
from tests.support.server import CorralServer
from tests.support.tables import headers, parse_table

pytestmark = pytest.mark.kubectl


def test_version_shows_a_1_33_server(kubectl: Kubectl) -> None:
    result = kubectl.run("version")
    assert re.search(r"^Client Version: v1\.33\.\d+$", result.stdout, re.M), result.describe()
    assert re.search(r"^Server Version: v1\.33\.\d+", result.stdout, re.M), result.describe()
    assert "WARNING" not in result.stderr, result.describe()


def test_version_json_has_server_version_fields(kubectl: Kubectl) -> None:
    info = json.loads(kubectl.run("version", "-o", "json").stdout)["serverVersion"]
    assert info["major"] == "1"
    assert info["minor"] == "33"
    assert info["gitVersion"].startswith("v1.33.")
    assert re.fullmatch(r"[a-z0-9]+/[a-z0-9_]+", info["platform"]), info


def test_api_resources_columns_and_core_rows(kubectl: Kubectl) -> None:
    result = kubectl.run("api-resources")
    assert headers(result.stdout) == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    rows = {(r["NAME"], r["APIVERSION"]): r for r in parse_table(result.stdout)}
    expected = [
        ("pods", "po", "v1", "true", "Pod"),
        ("namespaces", "ns", "v1", "false", "Namespace"),
        ("configmaps", "cm", "v1", "true", "ConfigMap"),
        ("secrets", "", "v1", "true", "Secret"),
        ("services", "svc", "v1", "true", "Service"),
        ("nodes", "no", "v1", "false", "Node"),
        ("deployments", "deploy", "apps/v1", "true", "Deployment"),
        ("replicasets", "rs", "apps/v1", "true", "ReplicaSet"),
        ("jobs", "", "batch/v1", "true", "Job"),
        ("clusterroles", "", "rbac.authorization.k8s.io/v1", "false", "ClusterRole"),
        ("customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false",
         "CustomResourceDefinition"),
    ]
    for name, short, version, namespaced, kind in expected:
        row = rows.get((name, version))
        assert row is not None, f"{name} ({version}) missing\n{result.describe()}"
        assert (row["SHORTNAMES"], row["NAMESPACED"], row["KIND"]) == (short, namespaced, kind), row
    assert not any(name.endswith("/status") for name, _ in rows), "subresources must not be listed"


def test_api_resources_wide_shows_verbs_and_categories(kubectl: Kubectl) -> None:
    result = kubectl.run("api-resources", "-o", "wide", "--api-group=apps")
    rows = {r["NAME"]: r for r in parse_table(result.stdout)}
    deploy = rows["deployments"]
    assert deploy["VERBS"] == "create,delete,deletecollection,get,list,patch,update,watch", result.describe()
    assert deploy["CATEGORIES"] == "all", result.describe()
    assert set(rows) >= {"deployments", "replicasets", "statefulsets", "daemonsets"}
    assert all(r["APIVERSION"] == "apps/v1" for r in rows.values()), result.describe()


def test_api_resources_filters_by_scope(kubectl: Kubectl) -> None:
    cluster = set(kubectl.run("api-resources", "--namespaced=false", "-o", "name").lines)
    namespaced = set(kubectl.run("api-resources", "--namespaced=true", "-o", "name").lines)
    assert {"namespaces", "nodes", "clusterroles.rbac.authorization.k8s.io"} <= cluster
    assert {"pods", "configmaps", "deployments.apps"} <= namespaced
    assert not cluster & namespaced


def test_api_versions_lists_served_group_versions(kubectl: Kubectl) -> None:
    versions = kubectl.run("api-versions").lines
    assert {"v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1",
            "apiextensions.k8s.io/v1"} <= set(versions)
    assert len(versions) == len(set(versions)), versions


def test_get_namespaces_shows_system_namespaces_active(kubectl: Kubectl) -> None:
    result = kubectl.run("get", "namespaces")
    assert headers(result.stdout) == ["NAME", "STATUS", "AGE"]
    status = {r["NAME"]: r["STATUS"] for r in parse_table(result.stdout)}
    for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert status.get(name) == "Active", result.describe()


def test_cluster_info_names_the_server(kubectl: Kubectl, server: CorralServer) -> None:
    result = kubectl.run("cluster-info")
    assert f"Kubernetes control plane is running at {server.url}" in result.stdout, result.describe()


def test_get_raw_readyz(kubectl: Kubectl) -> None:
    assert kubectl.run("get", "--raw", "/readyz").stdout.strip() == "ok"
