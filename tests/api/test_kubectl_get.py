"""kubectl get in its output formats (table, wide, yaml, json, jsonpath, name), get all,
and describe, over the web app applied once by the ``web_app`` fixture. The defaults
kube-apiserver fills in must be visible."""

from __future__ import annotations

import ipaddress
import re

import pytest
import yaml

from tests.support.kubectl import Kubectl
from tests.support.manifests import AppliedApp
from tests.support.tables import headers, parse_table, parse_tables

pytestmark = pytest.mark.kubectl

AGE = re.compile(r"\d+[smhd](\d+[smh])?")


def test_get_deployment_wide(kubectl: Kubectl, web_app: AppliedApp) -> None:
    result = kubectl.run("get", "deployment", "web", "-n", web_app.namespace, "-o", "wide")
    assert headers(result.stdout) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS",
                                      "IMAGES", "SELECTOR"], result.describe()
    [row] = parse_table(result.stdout)
    assert row["NAME"] == "web"
    assert re.fullmatch(r"\d+/2", row["READY"]), row
    assert AGE.fullmatch(row["AGE"]), row
    assert (row["CONTAINERS"], row["IMAGES"], row["SELECTOR"]) == ("web", "nginx:1.27", "app=web")


def test_get_service_wide(kubectl: Kubectl, web_app: AppliedApp) -> None:
    result = kubectl.run("get", "svc", "web", "-n", web_app.namespace, "-o", "wide")
    assert headers(result.stdout) == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE",
                                      "SELECTOR"], result.describe()
    [row] = parse_table(result.stdout)
    assert (row["NAME"], row["TYPE"], row["EXTERNAL-IP"], row["PORT(S)"], row["SELECTOR"]) == (
        "web", "ClusterIP", "<none>", "80/TCP", "app=web")
    ipaddress.IPv4Address(row["CLUSTER-IP"])


def test_get_configmap_table(kubectl: Kubectl, web_app: AppliedApp) -> None:
    result = kubectl.run("get", "cm", "web-config", "-n", web_app.namespace)
    assert headers(result.stdout) == ["NAME", "DATA", "AGE"]
    [row] = parse_table(result.stdout)
    assert (row["NAME"], row["DATA"]) == ("web-config", "1")


def test_deployment_yaml_shows_defaults(kubectl: Kubectl, web_app: AppliedApp) -> None:
    out = kubectl.run("get", "deployment", "web", "-n", web_app.namespace, "-o", "yaml").stdout
    deploy = yaml.safe_load(out)
    assert (deploy["apiVersion"], deploy["kind"]) == ("apps/v1", "Deployment")
    spec = deploy["spec"]
    assert spec["strategy"] == {"type": "RollingUpdate",
                                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    assert deploy["metadata"]["generation"] == 1


def test_pod_template_defaults(kubectl: Kubectl, web_app: AppliedApp) -> None:
    pod_spec = kubectl.json("get", "deployment", "web", "-n", web_app.namespace)["spec"]["template"]["spec"]
    assert pod_spec["restartPolicy"] == "Always"
    assert pod_spec["dnsPolicy"] == "ClusterFirst"
    assert pod_spec["schedulerName"] == "default-scheduler"
    assert pod_spec["terminationGracePeriodSeconds"] == 30
    assert pod_spec["securityContext"] == {}
    [container] = pod_spec["containers"]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["terminationMessagePath"] == "/dev/termination-log"
    assert container["terminationMessagePolicy"] == "File"
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]


def test_service_defaults(kubectl: Kubectl, web_app: AppliedApp) -> None:
    svc = kubectl.json("get", "service", "web", "-n", web_app.namespace)
    spec = svc["spec"]
    assert spec["type"] == "ClusterIP"
    assert spec["sessionAffinity"] == "None"
    assert spec["ports"] == [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80}]
    assert spec["internalTrafficPolicy"] == "Cluster"
    assert (spec["ipFamilies"], spec["ipFamilyPolicy"]) == (["IPv4"], "SingleStack")
    ipaddress.IPv4Address(spec["clusterIP"])
    assert spec["clusterIPs"] == [spec["clusterIP"]]


def test_jsonpath_output(kubectl: Kubectl, web_app: AppliedApp) -> None:
    def jsonpath(kind: str, name: str, path: str) -> str:
        return kubectl.run("get", kind, name, "-n", web_app.namespace, "-o", f"jsonpath={path}").stdout

    assert jsonpath("deploy", "web", "{.spec.template.spec.restartPolicy}") == "Always"
    assert jsonpath("deploy", "web", "{.spec.strategy.rollingUpdate.maxSurge}") == "25%"
    assert jsonpath("svc", "web", "{.spec.type}") == "ClusterIP"
    assert jsonpath("cm", "web-config", "{.data.greeting}") == "hello"


def test_resource_name_forms_agree(kubectl: Kubectl, web_app: AppliedApp) -> None:
    for form in ("deploy", "deployments", "deployment.apps", "deployments.v1.apps"):
        result = kubectl.run("get", form, "-n", web_app.namespace, "-o", "name")
        assert result.lines == ["deployment.apps/web"], result.describe()


def test_get_several_kinds_by_label(kubectl: Kubectl, web_app: AppliedApp) -> None:
    result = kubectl.run("get", "deploy,svc,cm", "-l", "app=web", "-n", web_app.namespace, "-o", "name")
    assert result.lines == ["deployment.apps/web", "service/web", "configmap/web-config"], result.describe()


def test_get_all_across_namespaces(kubectl: Kubectl, web_app: AppliedApp) -> None:
    result = kubectl.run("get", "all", "-A")
    tables = parse_tables(result.stdout)
    assert tables, result.describe()
    assert all(next(iter(table[0])) == "NAMESPACE" for table in tables if table), result.describe()
    seen = {(row["NAMESPACE"], row["NAME"]) for table in tables for row in table}
    assert (web_app.namespace, "deployment.apps/web") in seen, result.describe()
    assert (web_app.namespace, "service/web") in seen, result.describe()
    assert not any(name.startswith("configmap/") for _, name in seen), "configmaps are not in 'all'"


def test_describe_deployment(kubectl: Kubectl, web_app: AppliedApp) -> None:
    out = kubectl.run("describe", "deployment", "web", "-n", web_app.namespace).stdout
    for pattern in (r"^Name:\s+web$", rf"^Namespace:\s+{web_app.namespace}$", r"^Labels:\s+app=web$",
                    r"^Selector:\s+app=web$",
                    r"^Replicas:\s+2 desired \| \d+ updated \| \d+ total \| \d+ available \| "
                    r"\d+ unavailable$",
                    r"^StrategyType:\s+RollingUpdate$",
                    r"^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$",
                    r"^Pod Template:$", r"^\s+Image:\s+nginx:1\.27$", r"^\s+Port:\s+80/TCP$"):
        assert re.search(pattern, out, re.M), f"{pattern!r} not in:\n{out}"
    assert "last-applied-configuration" not in out


def test_describe_configmap(kubectl: Kubectl, web_app: AppliedApp) -> None:
    out = kubectl.run("describe", "configmap", "web-config", "-n", web_app.namespace).stdout
    for pattern in (r"^Name:\s+web-config$", rf"^Namespace:\s+{web_app.namespace}$",
                    r"^Labels:\s+app=web$", r"^Annotations:\s+<none>$",
                    r"^Data\n====\ngreeting:\n----\nhello\n", r"^BinaryData\n====\n",
                    r"^Events:\s+<none>$"):
        assert re.search(pattern, out, re.M), f"{pattern!r} not in:\n{out}"
