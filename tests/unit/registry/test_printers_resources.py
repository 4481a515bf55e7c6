"""Table rows of the non-workload resources (services, endpoints, nodes, events, storage,
config, RBAC bindings) and the default tables, after printers_test.go of kube 1.33."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from corral.machinery.timeutil import format_micro_time, format_time
from corral.registry.builtins import BUILTINS
from corral.registry.printers import table_columns, table_row
from corral.registry.resources import ResourceDef

RD = {(rd.group, rd.resource): rd for rd in BUILTINS}
NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
WIDGETS = ResourceDef("example.com", "v1", "widgets", "Widget")


def ago(seconds: float) -> str:
    return format_time(NOW - timedelta(seconds=seconds))


def obj(name: str = "x", **fields: Any) -> dict[str, Any]:
    meta = {"name": name, "namespace": "default", "creationTimestamp": ago(45 * 86400)}
    return {"metadata": meta, **fields}


def row(group: str, resource: str, o: dict[str, Any]) -> list[Any]:
    return table_row(RD[(group, resource)], o, NOW)


def column_names(group: str, resource: str) -> list[str]:
    return [c["name"] for c in table_columns(RD[(group, resource)])]


def svc(kind: str, ports: list[dict[str, Any]] | None = None, **spec: Any) -> dict[str, Any]:
    return obj("svc", spec={"type": kind, "clusterIPs": ["10.0.0.1"], "ports": ports or [], **spec})


@pytest.mark.parametrize(("service", "external", "ports"), [
    (svc("ClusterIP", [{"port": 80, "protocol": "TCP"}]), "<none>", "80/TCP"),
    (svc("ClusterIP", [{"port": 53, "protocol": "UDP"}], externalIPs=["1.2.3.4", "5.6.7.8"]),
     "1.2.3.4,5.6.7.8", "53/UDP"),
    (svc("NodePort", [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]), "<none>", "80:30080/TCP"),
    (svc("LoadBalancer", [{"port": 80, "protocol": "TCP"}, {"port": 8090, "protocol": "UDP"},
                          {"port": 8000, "protocol": "TCP"}, {"port": 7777, "protocol": "SCTP"}]),
     "<pending>", "80/TCP,8090/UDP,8000/TCP,7777/SCTP"),
    # the server-side table is always wide: long ingress lists are not cut
    ({**svc("LoadBalancer"), "status": {"loadBalancer": {"ingress": [
        {"ip": "3.4.5.6"}, {"ip": "2.3.4.5"}, {"ip": "5.6.7.8", "hostname": "host5678"},
        {"hostname": "lb.example"}, {"ip": "2.3.4.5"}]}}},
     "2.3.4.5,3.4.5.6,5.6.7.8,lb.example", "<none>"),
    ({**svc("LoadBalancer", externalIPs=["9.9.9.9"]),
      "status": {"loadBalancer": {"ingress": [{"ip": "2.3.4.5"}]}}},
     "2.3.4.5,9.9.9.9", "<none>"),
    (svc("LoadBalancer", externalIPs=["9.9.9.9"]), "9.9.9.9", "<none>"),
    (svc("ExternalName", externalName="db.example.com"), "db.example.com", "<none>"),
    (svc(""), "<unknown>", "<none>"),
])
def test_service(service: dict[str, Any], external: str, ports: str) -> None:
    assert row("", "services", service) == [
        "svc", service["spec"]["type"], "10.0.0.1", external, ports, "45d", "<none>"]


def test_service_cluster_ip_and_selector() -> None:
    headless = obj("h", spec={"type": "ClusterIP", "clusterIP": "None", "selector": {"b": "2", "a": "1"}})
    assert row("", "services", headless)[2::4] == ["None", "a=1,b=2"]
    assert row("", "services", obj("n", spec={"type": "ClusterIP"}))[2] == "<none>"
    assert column_names("", "services") == [
        "Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]


@pytest.mark.parametrize(("subsets", "expected"), [
    ([], "<none>"),
    ([{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}], "10.0.0.1:80"),
    ([{"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 443}]}], "[fd00::1]:443"),
    ([{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}]}], "10.0.0.1,10.0.0.2"),  # headless, no ports
    ([{"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}], "ports": [{"port": 80}, {"port": 81}]}],
     "10.0.0.1:80,10.0.0.2:80,10.0.0.1:81 + 1 more..."),
    ([{"addresses": [{"ip": "1.1.1.1"}], "ports": [{"port": 1}]},
      {"addresses": [{"ip": "2.2.2.2"}, {"ip": "3.3.3.3"}, {"ip": "4.4.4.4"}, {"ip": "5.5.5.5"}],
       "ports": [{"port": 2}]}],
     "1.1.1.1:1,2.2.2.2:2,3.3.3.3:2 + 2 more..."),
    ([{"notReadyAddresses": [{"ip": "1.1.1.1"}], "ports": [{"port": 1}]}], ""),
])
def test_endpoints(subsets: list[dict[str, Any]], expected: str) -> None:
    assert row("", "endpoints", obj("ep", subsets=subsets)) == ["ep", expected, "45d"]


def test_endpoint_slice() -> None:
    slice_ = obj("web-abc", addressType="IPv4",
                 ports=[{"port": 80}, {"name": "https"}, {}, {"port": 8080}],
                 endpoints=[{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2", "10.0.0.3"]}])
    assert row("discovery.k8s.io", "endpointslices", slice_) == [
        "web-abc", "IPv4", "80,https,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3", "45d"]
    empty = obj("e", addressType="IPv6")
    assert row("discovery.k8s.io", "endpointslices", empty) == ["e", "IPv6", "<unset>", "<unset>", "45d"]


def test_node() -> None:
    node = obj("n1", spec={"unschedulable": True},
               status={"conditions": [{"type": "MemoryPressure", "status": "False"},
                                      {"type": "Ready", "status": "True"}],
                       "addresses": [{"type": "Hostname", "address": "n1"},
                                     {"type": "InternalIP", "address": "10.1.0.5"},
                                     {"type": "ExternalIP", "address": "34.1.2.3"}],
                       "nodeInfo": {"kubeletVersion": "v1.33.1", "osImage": "Debian",
                                    "kernelVersion": "6.1.0", "containerRuntimeVersion": "containerd://1.7"}})
    node["metadata"]["labels"] = {"node-role.kubernetes.io/control-plane": "",
                                  "node-role.kubernetes.io/": "", "kubernetes.io/role": "worker",
                                  "other": "x"}
    assert row("", "nodes", node) == [
        "n1", "Ready,SchedulingDisabled", "control-plane,worker", "45d", "v1.33.1", "10.1.0.5", "34.1.2.3",
        "Debian", "6.1.0", "containerd://1.7"]
    bare = obj("n2", status={"conditions": [{"type": "Ready", "status": "Unknown"}]})
    assert row("", "nodes", bare) == [
        "n2", "NotReady", "<none>", "45d", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"]
    assert row("", "nodes", obj("n3"))[1] == "Unknown"
    assert [c["priority"] for c in table_columns(RD[("", "nodes")])] == [0] * 5 + [1] * 5


def test_namespace_configmap_secret_serviceaccount_lease() -> None:
    assert row("", "namespaces", obj("ns", status={"phase": "Terminating"})) == ["ns", "Terminating", "45d"]
    config_map = obj("cm", data={"a": "1", "b": "2"}, binaryData={"c": "AA=="})
    assert row("", "configmaps", config_map) == ["cm", 3, "45d"]
    assert row("", "secrets", obj("s", type="Opaque", data={"k": "dg=="})) == ["s", "Opaque", 1, "45d"]
    assert row("", "serviceaccounts", obj("sa", secrets=[{"name": "t"}])) == ["sa", 1, "45d"]
    lease = obj("l", spec={"holderIdentity": "node-1"})
    assert row("coordination.k8s.io", "leases", lease) == ["l", "node-1", "45d"]
    assert row("coordination.k8s.io", "leases", obj("free")) == ["free", "", "45d"]
    assert [c["type"] for c in table_columns(RD[("", "secrets")])] == ["string"] * 4


def test_role_bindings() -> None:
    binding = obj("rb", roleRef={"kind": "ClusterRole", "name": "view"},
                  subjects=[{"kind": "User", "name": "alice"}, {"kind": "Group", "name": "devs"},
                            {"kind": "ServiceAccount", "name": "bot", "namespace": "ci"},
                            {"kind": "User", "name": "bob"}, {"kind": "Robot", "name": "r2"}])
    expected = ["rb", "ClusterRole/view", "45d", "alice, bob", "devs", "ci/bot"]
    assert row("rbac.authorization.k8s.io", "rolebindings", binding) == expected
    assert row("rbac.authorization.k8s.io", "clusterrolebindings", binding) == expected
    columns = table_columns(RD[("rbac.authorization.k8s.io", "clusterrolebindings")])
    assert [(c["name"], c["priority"]) for c in columns] == [
        ("Name", 0), ("Role", 0), ("Age", 0), ("Users", 1), ("Groups", 1), ("ServiceAccounts", 1)]
    assert columns[3]["description"] == "Users in the clusterRoleBinding"


def test_resource_quota() -> None:
    quota = obj("q", status={
        "hard": {"pods": "10", "limits.cpu": "4", "requests.memory": "1Gi", "limits.memory": "2Gi"},
        "used": {"pods": "3", "limits.cpu": "500m", "limits.memory": "1Gi"}})
    assert row("", "resourcequotas", quota) == [
        "q", "pods: 3/10, requests.memory: 0/1Gi", "limits.cpu: 500m/4, limits.memory: 1Gi/2Gi", "45d"]
    quota["status"]["used"]["limits.cpu"] = "0.5"  # printed in canonical form
    quota["status"]["hard"]["limits.memory"] = "2048Mi"
    assert row("", "resourcequotas", quota)[2] == "limits.cpu: 500m/4, limits.memory: 1Gi/2Gi"
    assert column_names("", "resourcequotas") == ["Name", "Request", "Limit", "Age"]


def test_persistent_volume() -> None:
    pv = obj("pv1", spec={"capacity": {"storage": "5Gi"},
                          "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                          "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "fast",
                          "claimRef": {"namespace": "default", "name": "data"}, "volumeMode": "Filesystem"},
              status={"phase": "Bound"})
    assert row("", "persistentvolumes", pv) == [
        "pv1", "5Gi", "RWO,RWX", "Retain", "Bound", "default/data", "fast", "<unset>", "", "45d",
        "Filesystem"]
    pv["spec"]["capacity"]["storage"] = "5120Mi"
    assert row("", "persistentvolumes", pv)[1] == "5Gi"
    pv["metadata"]["deletionTimestamp"] = ago(1)
    pv["metadata"]["annotations"] = {"volume.beta.kubernetes.io/storage-class": "legacy"}
    pv["spec"]["volumeAttributesClassName"] = "gold"
    assert row("", "persistentvolumes", pv)[4:8] == ["Terminating", "default/data", "legacy", "gold"]


def test_persistent_volume_claim() -> None:
    pending = obj("data", spec={"resources": {"requests": {"storage": "1Gi"}},
                                "accessModes": ["ReadWriteOnce"]},
                  status={"phase": "Pending"})
    assert row("", "persistentvolumeclaims", pending) == [
        "data", "Pending", "", "", "", "", "<unset>", "45d", "<unset>"]
    bound = obj("data", spec={"volumeName": "pv1", "storageClassName": "fast", "volumeMode": "Block"},
                status={"phase": "Bound", "capacity": {"storage": "2Gi"},
                        "accessModes": ["ReadWriteOncePod"]})
    assert row("", "persistentvolumeclaims", bound) == [
        "data", "Bound", "pv1", "2Gi", "RWOP", "fast", "<unset>", "45d", "Block"]


def test_core_event() -> None:
    event = obj("web.17a", type="Warning", reason="BackOff", message="  Back-off restarting  \n",
                involvedObject={"kind": "Pod", "name": "web", "fieldPath": "spec.containers{app}"},
                source={"component": "kubelet", "host": "node-1"}, firstTimestamp=ago(3600),
                lastTimestamp=ago(30), count=12)
    assert row("", "events", event) == ["30s", "Warning", "BackOff", "pod/web", "spec.containers{app}",
                                        "kubelet, node-1", "Back-off restarting", "60m", 12, "web.17a"]
    assert column_names("", "events") == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source",
                                          "Message", "First Seen", "Count", "Name"]
    name_column = table_columns(RD[("", "events")])[-1]
    assert (name_column["format"], name_column["priority"]) == ("name", 1)


def test_event_of_the_new_api_shape() -> None:
    singleton = obj("e", type="Normal", reason="Scheduled", involvedObject={"kind": "Node"},
                    eventTime=format_micro_time(NOW - timedelta(seconds=5)), reportingComponent="scheduler",
                    reportingInstance="sched-1")
    assert row("", "events", singleton) == [
        "5s", "Normal", "Scheduled", "node", "", "scheduler, sched-1", "", "5s", 1, "e"]
    series = {**singleton, "series": {"count": 4, "lastObservedTime": format_micro_time(NOW)}}
    assert row("", "events", series)[::8] == ["0s", 4]


def test_events_k8s_io_event() -> None:
    event = obj("e", type="Normal", reason="Pulled", note="Pulled image",
                regarding={"kind": "Pod", "name": "p"},
                reportingController="kubelet", deprecatedFirstTimestamp=ago(600),
                deprecatedLastTimestamp=ago(60), deprecatedCount=3, deprecatedSource={"host": "node-2"})
    assert row("events.k8s.io", "events", event) == [
        "60s", "Normal", "Pulled", "pod/p", "", "kubelet, node-2", "Pulled image", "10m", 3, "e"]


def test_default_tables() -> None:
    role = obj("reader")
    rbac = "rbac.authorization.k8s.io"
    for group, resource in [(rbac, "roles"), (rbac, "clusterroles"), ("", "limitranges"),
                            ("apiextensions.k8s.io", "customresourcedefinitions")]:
        assert row(group, resource, role) == ["reader", format_time(NOW - timedelta(days=45))]
        assert [(c["name"], c["type"]) for c in table_columns(RD[(group, resource)])] == [
            ("Name", "string"), ("Created At", "date")]
    untimed = {"metadata": {"name": "new"}}
    assert row(rbac, "roles", untimed) == ["new", "0001-01-01T00:00:00Z"]
    assert table_row(WIDGETS, obj("w"), NOW) == ["w", "45d"]
    assert table_row(WIDGETS, untimed, NOW) == ["new", "<unknown>"]
    assert [(c["name"], c["type"]) for c in table_columns(WIDGETS)] == [("Name", "string"), ("Age", "date")]


@pytest.mark.parametrize("rd", [*BUILTINS, WIDGETS], ids=lambda rd: f"{rd.group}/{rd.resource}")
def test_every_table_is_well_formed(rd: ResourceDef) -> None:
    columns = table_columns(rd)
    assert len({c["name"] for c in columns}) == len(columns)
    assert sum(c["format"] == "name" for c in columns) == 1
    assert all(set(c) == {"name", "type", "format", "description", "priority"} for c in columns)
    assert all(c["type"] in ("string", "integer", "boolean", "date") and c["description"] for c in columns)
    assert len(table_row(rd, {"metadata": {"name": "n"}}, NOW)) == len(columns)
    assert len(table_row(rd, obj("n"), NOW)) == len(columns)
