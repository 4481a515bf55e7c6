"""Which fields each resource offers to field selectors and what they hold, with the 400
texts kube-apiserver 1.33 gives for the rest."""

from __future__ import annotations

from typing import Any

import pytest

from corral.machinery.fields import parse_field_selector
from corral.registry.builtins import BUILTINS
from corral.registry.fields import check_field_selector, is_builtin, pod_ip, selectable_fields
from corral.registry.resources import ResourceDef

RD = {(rd.group, rd.resource): rd for rd in BUILTINS}
PODS, NODES, JOBS = RD[("", "pods")], RD[("", "nodes")], RD[("batch", "jobs")]
EVENTS, NEW_EVENTS, CRONJOBS = RD[("", "events")], RD[("events.k8s.io", "events")], RD[("batch", "cronjobs")]
NAMESPACES = RD[("", "namespaces")]
WIDGETS = ResourceDef("example.com", "v1", "widgets", "Widget")
CLUSTER_WIDGETS = ResourceDef("example.com", "v1", "clusterwidgets", "ClusterWidget", namespaced=False)


def _meta(name: str = "x", namespace: str = "ns") -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": namespace}}


def test_pod_fields() -> None:
    pod = {**_meta("web"), "spec": {"nodeName": "n1", "restartPolicy": "Always", "schedulerName": "default",
                                    "serviceAccountName": "sa", "hostNetwork": True},
           "status": {"phase": "Running", "podIP": "10.0.0.1", "nominatedNodeName": "n2",
                      "podIPs": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}]}}
    assert selectable_fields(PODS, pod) == {
        "metadata.name": "web", "metadata.namespace": "ns", "spec.nodeName": "n1", "spec.host": "n1",
        "spec.restartPolicy": "Always", "spec.schedulerName": "default", "spec.serviceAccountName": "sa",
        "spec.hostNetwork": "true", "status.phase": "Running", "status.podIP": "10.0.0.1",
        "status.nominatedNodeName": "n2",
    }


def test_pod_defaults() -> None:
    fields = selectable_fields(PODS, _meta())
    assert fields["spec.hostNetwork"] == "false"
    assert fields["spec.nodeName"] == fields["status.podIP"] == fields["status.phase"] == ""
    assert parse_field_selector("spec.nodeName=").matches(fields)  # unscheduled pods
    assert parse_field_selector("status.podIPs=").matches(fields)  # accepted, never filled


def test_pod_ip_prefers_pod_ips() -> None:
    assert pod_ip({"podIP": "1.1.1.1", "podIPs": [{"ip": "2.2.2.2"}]}) == "2.2.2.2"
    assert pod_ip({"podIP": "1.1.1.1"}) == "1.1.1.1"
    assert pod_ip({}) == ""


def test_cluster_scoped_resources_have_no_namespace_field() -> None:
    node = {"metadata": {"name": "n1"}, "spec": {"unschedulable": True}}
    assert selectable_fields(NODES, node) == {"metadata.name": "n1", "spec.unschedulable": "true"}
    assert selectable_fields(NODES, {"metadata": {"name": "n2"}})["spec.unschedulable"] == "false"
    namespace = {"metadata": {"name": "a"}, "status": {"phase": "Active"}}
    assert selectable_fields(NAMESPACES, namespace) == {"metadata.name": "a", "status.phase": "Active"}
    assert selectable_fields(RD[("rbac.authorization.k8s.io", "clusterroles")], {"metadata": {"name": "r"}}) \
        == {"metadata.name": "r"}


def test_secret_service_and_job_fields() -> None:
    secret = selectable_fields(RD[("", "secrets")], {**_meta(), "type": "kubernetes.io/tls"})
    assert secret["type"] == "kubernetes.io/tls"
    service = selectable_fields(RD[("", "services")],
                                {**_meta(), "spec": {"clusterIP": "None", "type": "ClusterIP"}})
    assert (service["spec.clusterIP"], service["spec.type"]) == ("None", "ClusterIP")
    assert selectable_fields(JOBS, {**_meta(), "status": {"succeeded": 3}})["status.successful"] == "3"
    assert selectable_fields(JOBS, _meta())["status.successful"] == "0"
    assert "status.successful" not in selectable_fields(CRONJOBS, _meta())


def test_core_event_fields() -> None:
    reference = {"kind": "Pod", "name": "web", "namespace": "ns", "uid": "u1", "apiVersion": "v1",
                 "resourceVersion": "7", "fieldPath": "spec"}
    event = {**_meta("e1"), "involvedObject": reference, "reason": "Started", "type": "Normal",
             "reportingComponent": "kubelet", "source": {}}
    fields = selectable_fields(EVENTS, event)
    assert fields["involvedObject.kind"] == "Pod" and fields["involvedObject.uid"] == "u1"
    assert fields["involvedObject.fieldPath"] == "spec" and fields["involvedObject.resourceVersion"] == "7"
    assert [fields[f] for f in ("reason", "type", "reportingComponent")] == ["Started", "Normal", "kubelet"]
    assert fields["source"] == "kubelet"  # falls back to the reporting controller
    event["source"] = {"component": "scheduler"}
    assert selectable_fields(EVENTS, event)["source"] == "scheduler"


def test_events_k8s_io_fields() -> None:
    event = {**_meta("e1"), "regarding": {"kind": "Node", "name": "n1"}, "reportingController": "ctl",
             "deprecatedSource": {"component": "old"}, "reason": "R", "type": "Warning"}
    fields = selectable_fields(NEW_EVENTS, event)
    assert fields["regarding.kind"] == "Node" and fields["regarding.name"] == "n1"
    assert fields["reportingController"] == "ctl" and fields["source"] == "old"
    assert "involvedObject.kind" not in fields


def test_custom_resources_offer_metadata() -> None:
    assert selectable_fields(WIDGETS, _meta("w")) == {"metadata.name": "w", "metadata.namespace": "ns"}
    assert selectable_fields(CLUSTER_WIDGETS, {"metadata": {"name": "c"}}) == {"metadata.name": "c"}
    assert is_builtin(PODS) and not is_builtin(WIDGETS)


@pytest.mark.parametrize(("rd", "text"), [
    (PODS, "spec.nodeName=n1,status.phase!=Running,spec.host=x,status.podIPs=1.2.3.4,spec.hostNetwork=true"),
    (PODS, "metadata.name=a,metadata.namespace=b,spec.schedulerName=s,spec.serviceAccountName=sa"),
    (NODES, "spec.unschedulable=true,metadata.name=n"),
    (EVENTS, "involvedObject.kind=Pod,reason=x,source=y,reportingComponent=z,type=Normal"),
    (NEW_EVENTS, "regarding.name=a,reportingController=b,source=c"),
    (RD[("", "services")], "spec.clusterIP=None,spec.type=NodePort"),
    (RD[("", "secrets")], "type=Opaque"),
    (NAMESPACES, "status.phase=Active"),
    (JOBS, "status.successful=1"),
    (CRONJOBS, "status.successful=1"),
    (RD[("apps", "deployments")], "metadata.name=a,metadata.namespace=b"),
    (RD[("", "persistentvolumes")], "metadata.namespace="),  # the default conversion allows it
    (WIDGETS, "metadata.namespace=ns"),
])
def test_supported_selectors_pass(rd: ResourceDef, text: str) -> None:
    check_field_selector(rd, parse_field_selector(text))


@pytest.mark.parametrize(("rd", "text", "message"), [
    (PODS, "spec.foo=1", "field label not supported: spec.foo"),
    (PODS, "metadata.name=a,spec.containers=b", "field label not supported: spec.containers"),
    (NODES, "metadata.namespace=x", "field label not supported: metadata.namespace"),
    (NAMESPACES, "metadata.namespace=x", "field label not supported: metadata.namespace"),
    (EVENTS, "regarding.kind=Pod", "field label not supported: regarding.kind"),
    (NEW_EVENTS, "involvedObject.kind=Pod", "field label not supported: involvedObject.kind"),
    (JOBS, "status.active=1", 'field label "status.active" not supported for "Job"'),
    (CRONJOBS, "spec.suspend=true", 'field label "spec.suspend" not supported for "CronJob"'),
    (RD[("apps", "replicasets")], "status.replicas=0",
     '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'),
    (RD[("", "configmaps")], "data.x=1",
     '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"'),
    (CLUSTER_WIDGETS, "metadata.namespace=x", "field label not supported: metadata.namespace"),
    (WIDGETS, "spec.size=1", "field label not supported: spec.size"),
])
def test_unsupported_selectors_are_rejected(rd: ResourceDef, text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        check_field_selector(rd, parse_field_selector(text))
    assert str(err.value) == message


def test_selectors_filter_objects() -> None:
    pods = [{**_meta(f"p{i}"), "spec": {"nodeName": f"n{i % 2}"}, "status": {"phase": phase}}
            for i, phase in enumerate(["Running", "Pending", "Running", "Succeeded"])]

    def names(text: str) -> list[str]:
        sel = parse_field_selector(text)
        return [p["metadata"]["name"] for p in pods if sel.matches(selectable_fields(PODS, p))]

    assert names("spec.nodeName=n0,status.phase!=Succeeded") == ["p0", "p2"]
    assert names("spec.host=n1") == ["p1", "p3"]
