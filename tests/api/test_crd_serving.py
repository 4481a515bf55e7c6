"""Serving custom resources: a CRD is established and its resources served within a
second, in discovery (legacy and aggregated) and OpenAPI (kubectl explain), and kubectl
works on its objects as on built-in ones: apply, get with the CRD's printer columns,
short names, categories, label, merge patch, scale, delete."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import yaml

from tests.support.adminhttp import AdminHTTP
from tests.support.kubectl import Kubectl
from tests.support.tables import parse_table, parse_tables
from tests.unit.custom.crds import crd_path, crontab, crontab_crd, install, is_established, unique_group, wait_until

pytestmark = pytest.mark.kubectl


@pytest.fixture(scope="module")
def group(api: AdminHTTP) -> str:
    """A group with the CronTab CRD installed, shared by the tests of this module."""
    name = unique_group()
    install(api, crontab_crd(name, selectable=(".spec.tier",)))
    return name


def manifest(group: str, name: str, **spec: Any) -> str:
    obj = crontab(name, **spec)
    obj["apiVersion"] = f"{group}/v1"
    del obj["metadata"]["namespace"]
    return yaml.safe_dump(obj)


def test_a_new_crd_is_served_within_a_second(api: AdminHTTP) -> None:
    group = unique_group()
    crd = crontab_crd(group)
    assert api.post(crd_path(), crd).status == 201
    start = time.monotonic()
    wait_until(lambda: is_established(api, crd["metadata"]["name"]), timeout=1.0, what="Established")
    wait_until(lambda: api.get(f"/apis/{group}/v1/crontabs").status == 200, timeout=1.0 - (time.monotonic() - start),
               what="served")
    status = api.get(crd_path(crd["metadata"]["name"])).json()["status"]
    assert status["acceptedNames"] == {"plural": "crontabs", "singular": "crontab", "kind": "CronTab",
                                       "listKind": "CronTabList", "shortNames": ["ct"], "categories": ["all"]}
    assert {c["type"]: (c["status"], c["reason"]) for c in status["conditions"]} == {
        "NamesAccepted": ("True", "NoConflicts"), "Established": ("True", "InitialNamesAccepted")}
    assert status["storedVersions"] == ["v1"]


def test_legacy_discovery(api: AdminHTTP, group: str) -> None:
    groups = api.get("/apis").json()["groups"]
    assert {"name": group, "versions": [{"groupVersion": f"{group}/v1", "version": "v1"}],
            "preferredVersion": {"groupVersion": f"{group}/v1", "version": "v1"}} in groups
    resources = {r["name"]: r for r in api.get(f"/apis/{group}/v1").json()["resources"]}
    assert set(resources) == {"crontabs", "crontabs/status", "crontabs/scale"}
    main = resources["crontabs"]
    assert (main["kind"], main["singularName"], main["namespaced"], main["shortNames"], main["categories"]) == \
        ("CronTab", "crontab", True, ["ct"], ["all"])
    assert sorted(main["verbs"]) == ["create", "delete", "deletecollection", "get", "list", "patch", "update",
                                     "watch"]
    assert (resources["crontabs/scale"]["group"], resources["crontabs/scale"]["kind"]) == ("autoscaling", "Scale")


def test_aggregated_discovery(api: AdminHTTP, group: str) -> None:
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    items = api.get("/apis", headers={"Accept": accept}).json()["items"]
    entry = next(i for i in items if i["metadata"]["name"] == group)
    resource = entry["versions"][0]["resources"][0]
    assert (resource["resource"], resource["scope"], resource["responseKind"]["kind"]) == \
        ("crontabs", "Namespaced", "CronTab")
    assert {s["subresource"] for s in resource["subresources"]} == {"status", "scale"}


def test_openapi_documents_describe_the_kind(api: AdminHTTP, kubectl: Kubectl, group: str) -> None:
    name = ".".join([*reversed(group.split(".")), "v1", "CronTab"])
    v3 = api.get(f"/openapi/v3/apis/{group}/v1").json()
    spec = v3["components"]["schemas"][name]["properties"]["spec"]
    assert spec["properties"]["replicas"] == {"type": "integer", "minimum": 0, "maximum": 10}
    assert name in api.get("/openapi/v2").json()["definitions"]
    explained = kubectl.run("explain", "crontabs.spec", f"--api-version={group}/v1").stdout
    assert f"GROUP:      {group}\n" in explained
    assert "cronSpec\t<string> -required-" in explained
    assert "replicas\t<integer>" in explained


def test_kubectl_apply_get_and_delete(kubectl: Kubectl, namespace: str, group: str) -> None:
    created = kubectl.run("apply", "-n", namespace, "-f", "-", input=manifest(group, "nightly", replicas=2))
    assert created.stdout == f"crontab.{group}/nightly created\n"
    table = parse_table(kubectl.run("get", f"crontabs.{group}", "-n", namespace).stdout)
    assert [(r["NAME"], r["SPEC"], r["REPLICAS"]) for r in table] == [("nightly", "* * * * */5", "2")]
    assert "IMAGE" not in table[0]
    wide = parse_table(kubectl.run("get", f"crontabs.{group}", "-n", namespace, "-o", "wide").stdout)
    assert wide[0]["IMAGE"] == "nginx"  # a schema default, in a priority-1 column
    obj = kubectl.json("get", f"ct.{group}", "nightly", "-n", namespace)
    assert obj["spec"] == {"cronSpec": "* * * * */5", "replicas": 2, "image": "nginx", "limits": {"cpu": "1"}}
    assert obj["metadata"]["generation"] == 1
    unchanged = kubectl.run("apply", "-n", namespace, "-f", "-", input=manifest(group, "nightly", replicas=2))
    assert unchanged.stdout == f"crontab.{group}/nightly unchanged\n"
    deleted = kubectl.run("delete", f"crontab.{group}", "nightly", "-n", namespace)
    assert deleted.stdout == f'crontab.{group} "nightly" deleted\n'
    assert "NotFound" in kubectl.fail("get", f"crontabs.{group}", "nightly", "-n", namespace).stderr


def test_generation_follows_spec_not_metadata_or_status(api: AdminHTTP, kubectl: Kubectl, namespace: str,
                                                        group: str) -> None:
    kubectl.run("apply", "-n", namespace, "-f", "-", input=manifest(group, "gen", replicas=1))
    kubectl.run("label", f"crontab.{group}", "gen", "-n", namespace, "tier=backend")
    kubectl.run("patch", f"crontab.{group}", "gen", "-n", namespace, "--type=merge", "-p",
                '{"spec":{"replicas":4}}')
    obj = kubectl.json("get", f"crontab.{group}", "gen", "-n", namespace)
    assert (obj["metadata"]["labels"], obj["spec"]["replicas"], obj["metadata"]["generation"]) == \
        ({"tier": "backend"}, 4, 2)
    path = f"/apis/{group}/v1/namespaces/{namespace}/crontabs/gen/status"
    resp = api.request("PATCH", path, {"status": {"phase": "Running"}, "spec": {"replicas": 9}},
                       content_type="application/merge-patch+json")
    assert resp.status == 200
    after = resp.json()
    assert (after["status"], after["spec"]["replicas"], after["metadata"]["generation"]) == \
        ({"phase": "Running"}, 4, 2)


def test_kubectl_scale(api: AdminHTTP, kubectl: Kubectl, namespace: str, group: str) -> None:
    kubectl.run("apply", "-n", namespace, "-f", "-", input=manifest(group, "scaled", replicas=1))
    result = kubectl.run("scale", f"crontab.{group}/scaled", "-n", namespace, "--replicas=3")
    assert result.stdout == f"crontab.{group}/scaled scaled\n"
    assert kubectl.json("get", f"crontab.{group}", "scaled", "-n", namespace)["spec"]["replicas"] == 3
    scale = api.get(f"/apis/{group}/v1/namespaces/{namespace}/crontabs/scaled/scale").json()
    assert (scale["kind"], scale["apiVersion"], scale["spec"], scale["status"]) == \
        ("Scale", "autoscaling/v1", {"replicas": 3}, {"replicas": 0})
    refused = kubectl.fail("scale", f"crontab.{group}/scaled", "-n", namespace, "--replicas=11")
    assert "spec.replicas in body should be less than or equal to 10" in refused.stderr


def test_get_all_lists_kinds_in_category_all(kubectl: Kubectl, namespace: str, group: str) -> None:
    kubectl.run("apply", "-n", namespace, "-f", "-", input=manifest(group, "listed"))
    tables = parse_tables(kubectl.run("get", "all", "-n", namespace).stdout)
    names = [row["NAME"] for table in tables for row in table]
    assert f"crontab.{group}/listed" in names


def test_field_selectors_on_selectable_fields(kubectl: Kubectl, namespace: str, group: str) -> None:
    kubectl.run("apply", "-n", namespace, "-f", "-", input=manifest(group, "web", tier="web"))
    kubectl.run("apply", "-n", namespace, "-f", "-", input=manifest(group, "batch", tier="batch"))
    selected = kubectl.run("get", f"crontabs.{group}", "-n", namespace, "--field-selector", "spec.tier=web",
                           "-o", "name").stdout
    assert selected == f"crontab.{group}/web\n"
    refused = kubectl.fail("get", f"crontabs.{group}", "-n", namespace, "--field-selector", "spec.image=nginx")
    assert "field label not supported: spec.image" in refused.stderr


def test_cluster_scoped_resources(api: AdminHTTP, kubectl: Kubectl) -> None:
    group = unique_group()
    install(api, crontab_crd(group, plural="clustertabs", kind="ClusterTab", scope="Cluster", short_names=(),
                             categories=(), columns=False))
    obj = {"apiVersion": f"{group}/v1", "kind": "ClusterTab", "metadata": {"name": "global"},
           "spec": {"cronSpec": "0 0 * * *"}}
    kubectl.run("create", "-f", "-", input=json.dumps(obj))
    table = parse_table(kubectl.run("get", f"clustertabs.{group}").stdout)
    assert list(table[0]) == ["NAME", "AGE"] and table[0]["NAME"] == "global"
    stored = api.get(f"/apis/{group}/v1/clustertabs/global").json()
    assert "namespace" not in stored["metadata"]
