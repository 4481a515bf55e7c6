"""kubectl create (namespaces, configmaps, secrets) and the server-side errors kubectl
shows for missing objects, duplicates and invalid names, worded as kube-apiserver words them."""

from __future__ import annotations

import base64
import re

import pytest

from tests.support.kubectl import Kubectl
from tests.support.names import unique

pytestmark = pytest.mark.kubectl

RFC1123_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    r"validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def configmap_yaml(name: str, namespace: str) -> str:
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
            "data:\n  k: v\n")


def test_create_namespace(kubectl: Kubectl) -> None:
    name = unique("create-ns")
    assert kubectl.run("create", "namespace", name).stdout == f"namespace/{name} created\n"
    ns = kubectl.json("get", "namespace", name)
    assert ns["status"]["phase"] == "Active"
    assert ns["metadata"]["labels"]["kubernetes.io/metadata.name"] == name
    assert ns["spec"]["finalizers"] == ["kubernetes"]


def test_create_configmap_from_literals(kubectl: Kubectl, namespace: str) -> None:
    out = kubectl.run("create", "configmap", "settings", "-n", namespace,
                      "--from-literal=mode=fast", "--from-literal=greeting=hello world").stdout
    assert out == "configmap/settings created\n"
    cm = kubectl.json("get", "configmap", "settings", "-n", namespace)
    assert (cm["apiVersion"], cm["kind"]) == ("v1", "ConfigMap")
    assert cm["data"] == {"mode": "fast", "greeting": "hello world"}
    meta = cm["metadata"]
    assert (meta["name"], meta["namespace"]) == ("settings", namespace)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", meta["uid"])
    assert meta["resourceVersion"].isdigit()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["creationTimestamp"])


def test_create_secret_generic_stores_base64(kubectl: Kubectl, namespace: str) -> None:
    out = kubectl.run("create", "secret", "generic", "creds", "-n", namespace,
                      "--from-literal=user=admin", "--from-literal=password=s3cr3t!").stdout
    assert out == "secret/creds created\n"
    secret = kubectl.json("get", "secret", "creds", "-n", namespace)
    assert secret["type"] == "Opaque"
    assert secret["data"] == {"user": base64.b64encode(b"admin").decode(),
                              "password": base64.b64encode(b"s3cr3t!").decode()}
    password = kubectl.run("get", "secret", "creds", "-n", namespace,
                           "-o", "jsonpath={.data.password}").stdout
    assert base64.b64decode(password) == b"s3cr3t!"


def test_get_missing_object_is_not_found(kubectl: Kubectl, namespace: str) -> None:
    result = kubectl.fail("get", "configmap", "nope", "-n", namespace)
    assert result.returncode == 1
    assert result.stderr.strip() == 'Error from server (NotFound): configmaps "nope" not found'


def test_list_in_missing_namespace_is_empty(kubectl: Kubectl) -> None:
    ghost = unique("ghost")
    result = kubectl.run("get", "configmaps", "-n", ghost)
    assert result.stdout == ""
    assert result.stderr.strip() == f"No resources found in {ghost} namespace."


def test_create_twice_is_already_exists(kubectl: Kubectl, namespace: str) -> None:
    manifest = configmap_yaml("dup", namespace)
    assert kubectl.run("create", "-f", "-", input=manifest).stdout == "configmap/dup created\n"
    result = kubectl.fail("create", "-f", "-", input=manifest)
    assert result.stderr.strip() == (
        'Error from server (AlreadyExists): error when creating "STDIN": configmaps "dup" already exists')


def test_create_namespace_twice_is_already_exists(kubectl: Kubectl) -> None:
    name = unique("dup-ns")
    kubectl.run("create", "namespace", name)
    result = kubectl.fail("create", "namespace", name)
    assert result.stderr.strip() == f'Error from server (AlreadyExists): namespaces "{name}" already exists'


def test_create_configmap_subcommand_reports_duplicate(kubectl: Kubectl, namespace: str) -> None:
    kubectl.run("create", "configmap", "twice", "-n", namespace, "--from-literal=a=1")
    result = kubectl.fail("create", "configmap", "twice", "-n", namespace, "--from-literal=a=1")
    assert result.stderr.strip() == 'error: failed to create configmap: configmaps "twice" already exists'


def test_invalid_name_is_rejected_with_invalid_value(kubectl: Kubectl, namespace: str) -> None:
    result = kubectl.fail("create", "-f", "-", input=configmap_yaml("Bad_Name", namespace))
    assert result.stderr.strip() == (
        f'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": {RFC1123_SUBDOMAIN}')
    kubectl.fail("get", "configmap", "Bad_Name", "-n", namespace)


def test_create_in_missing_namespace_is_not_found(kubectl: Kubectl) -> None:
    ghost = unique("ghost")
    result = kubectl.fail("create", "-f", "-", input=configmap_yaml("orphan", ghost))
    assert result.stderr.strip() == (
        f'Error from server (NotFound): error when creating "STDIN": namespaces "{ghost}" not found')
