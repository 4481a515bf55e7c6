"""The life of a CRD: names refused while another CRD of the group holds them, several
versions over one storage version, deletion that takes the custom objects first (held
back by their finalizers, refusing new objects meanwhile), and serving again after a
restart."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.adminhttp import AdminHTTP
from tests.support.kubectl import Kubectl
from tests.support.names import unique
from tests.support.server import CorralServer
from tests.unit.custom.crds import crd_path, crontab, crontab_crd, install, unique_group, wait_until

pytestmark = pytest.mark.kubectl


@pytest.fixture
def ns(api: AdminHTTP) -> str:
    name = unique("crl")
    assert api.post("/api/v1/namespaces", {"metadata": {"name": name}}).status == 201
    return name


def body(group: str, name: str, version: str = "v1", **spec: Any) -> dict[str, Any]:
    obj = crontab(name, version, **spec)
    obj["apiVersion"] = f"{group}/{version}"
    del obj["metadata"]["namespace"]
    return obj


def conditions(api: AdminHTTP, name: str) -> dict[str, tuple[str, str]]:
    crd = api.get(crd_path(name)).json()
    return {c["type"]: (c["status"], c["reason"]) for c in crd.get("status", {}).get("conditions", [])}


def test_names_another_crd_holds_are_not_accepted(api: AdminHTTP) -> None:
    group = unique_group()
    first = install(api, crontab_crd(group))
    # a resource named like the first CRD's short name: the plural is taken
    rival = crontab_crd(group, plural="ct", kind="Ct", short_names=(), categories=())
    rival["spec"]["names"]["singular"] = "ctthing"
    assert api.post(crd_path(), rival).status == 201
    name = rival["metadata"]["name"]
    wait_until(lambda: "NamesAccepted" in conditions(api, name), what="names considered")
    assert conditions(api, name) == {"NamesAccepted": ("False", "PluralConflict"),
                                     "Established": ("False", "NotAccepted")}
    accepted = api.get(crd_path(name)).json()["status"]["acceptedNames"]
    assert accepted["plural"] == "" and accepted["kind"] == "Ct"
    assert api.get(f"/apis/{group}/v1/ct").status == 404
    assert {r["name"] for r in api.get(f"/apis/{group}/v1").json()["resources"]} == \
        {"crontabs", "crontabs/status", "crontabs/scale"}
    assert api.delete(crd_path(first["metadata"]["name"])).status in (200, 202)
    wait_until(lambda: conditions(api, name).get("Established") == ("True", "InitialNamesAccepted"),
               what="names accepted once free")
    wait_until(lambda: api.get(f"/apis/{group}/v1/ct").status == 200, what="served")


def test_versions_share_one_storage_version(api: AdminHTTP, kubectl: Kubectl, ns: str) -> None:
    group = unique_group()
    install(api, crontab_crd(group, versions=("v1beta1", "v1"), storage="v1"))
    assert api.get(f"/apis/{group}").json()["preferredVersion"]["version"] == "v1"
    created = api.post(f"/apis/{group}/v1beta1/namespaces/{ns}/crontabs", body(group, "multi", "v1beta1"))
    assert created.status == 201 and created.json()["apiVersion"] == f"{group}/v1beta1"
    as_v1 = api.get(f"/apis/{group}/v1/namespaces/{ns}/crontabs/multi").json()
    assert as_v1["apiVersion"] == f"{group}/v1"
    assert as_v1["metadata"]["uid"] == created.json()["metadata"]["uid"]
    listed = api.get(f"/apis/{group}/v1beta1/namespaces/{ns}/crontabs").json()
    assert [i["apiVersion"] for i in listed["items"]] == [f"{group}/v1beta1"]
    events = api.watch_lines(f"/apis/{group}/v1beta1/namespaces/{ns}/crontabs?watch=true", 1)
    assert events[0]["object"]["apiVersion"] == f"{group}/v1beta1"
    assert kubectl.json("get", f"crontabs.{group}", "multi", "-n", ns)["apiVersion"] == f"{group}/v1"


def test_deleting_a_crd_deletes_its_objects_first(api: AdminHTTP, kubectl: Kubectl, ns: str) -> None:
    group = unique_group()
    crd = install(api, crontab_crd(group))
    other = unique("crl")
    kubectl.run("create", "namespace", other)
    for namespace in (ns, other):
        assert api.post(f"/apis/{group}/v1/namespaces/{namespace}/crontabs", body(group, "doomed")).status == 201
    result = kubectl.run("delete", "crd", crd["metadata"]["name"])
    assert result.stdout == f'customresourcedefinition.apiextensions.k8s.io "{crd["metadata"]["name"]}" deleted\n'
    assert api.get(crd_path(crd["metadata"]["name"])).status == 404
    assert api.get(f"/apis/{group}/v1/crontabs").status == 404
    assert group not in {g["name"] for g in api.get("/apis").json()["groups"]}
    install(api, crontab_crd(group))  # the old objects did not outlive their CRD
    assert api.get(f"/apis/{group}/v1/crontabs").json()["items"] == []


def test_objects_with_finalizers_hold_the_crd_in_terminating(api: AdminHTTP, ns: str) -> None:
    group = unique_group()
    crd = install(api, crontab_crd(group))
    name = crd["metadata"]["name"]
    held = body(group, "held")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    path = f"/apis/{group}/v1/namespaces/{ns}/crontabs"
    assert api.post(path, held).status == 201
    deleting = api.delete(crd_path(name))
    assert deleting.json()["metadata"]["finalizers"] == ["customresourcecleanup.apiextensions.k8s.io"]
    wait_until(lambda: conditions(api, name).get("Terminating") == ("True", "InstanceDeletionInProgress"),
               what="instance deletion in progress")
    wait_until(lambda: "deletionTimestamp" in api.get(f"{path}/held").json()["metadata"], what="object deleting")
    refused = api.post(path, body(group, "late"))
    assert (refused.status, refused.json()["reason"], refused.json()["message"]) == \
        (405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating")
    verbs = next(r["verbs"] for r in api.get(f"/apis/{group}/v1").json()["resources"] if r["name"] == "crontabs")
    assert sorted(verbs) == ["delete", "deletecollection", "get", "list", "watch"]
    released = api.request("PATCH", f"{path}/held", {"metadata": {"finalizers": None}},
                           content_type="application/merge-patch+json")
    assert released.status == 200
    wait_until(lambda: api.get(crd_path(name)).status == 404, what="the CRD gone")


def test_deleting_a_namespace_deletes_its_custom_objects(api: AdminHTTP, ns: str) -> None:
    group = unique_group()
    install(api, crontab_crd(group))
    path = f"/apis/{group}/v1/namespaces/{ns}/crontabs"
    assert api.post(path, body(group, "inside")).status == 201
    assert api.delete(f"/api/v1/namespaces/{ns}").status in (200, 202)
    wait_until(lambda: api.get(f"/api/v1/namespaces/{ns}").status == 404, timeout=20, what="namespace gone")
    assert api.get(f"/apis/{group}/v1/crontabs").json()["items"] == []


def test_custom_resources_are_served_right_after_a_restart(fresh_server: CorralServer,
                                                           kubectl_for: Any) -> None:
    api = AdminHTTP(fresh_server)
    group = unique_group()
    install(api, crontab_crd(group))
    kubectl = kubectl_for(fresh_server)
    kubectl.run("create", "-n", "default", "-f", "-", input=json.dumps(body(group, "durable", replicas=2)))
    fresh_server.stop()
    fresh_server.start()
    resp = api.get(f"/apis/{group}/v1/namespaces/default/crontabs/durable")
    assert resp.status == 200 and resp.json()["spec"]["replicas"] == 2
    assert kubectl.json("get", f"ct.{group}", "durable", "-n", "default")["spec"]["image"] == "nginx"
