"""Label selectors, field selectors and chunked lists (``--chunk-size``) through kubectl."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.kubectl import Kubectl

pytestmark = pytest.mark.kubectl

# name -> app label; every object also carries group=sel
APPS = {"sel-1": "a", "sel-2": "b", "sel-3": "c", "sel-4": "a", "sel-5": "b"}


@pytest.fixture
def five(kubectl: Kubectl, namespace: str) -> str:
    """Five labelled ConfigMaps in ``namespace``; returns the namespace."""
    docs = [f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n    group: sel\n"
            f"    app: {app}\ndata:\n  n: '{name[-1]}'\n" for name, app in APPS.items()]
    kubectl.run("create", "-n", namespace, "-f", "-", input="---\n".join(docs))
    return namespace


def names(kubectl: Kubectl, namespace: str, *args: str) -> list[str]:
    return kubectl.run("get", "configmaps", "-n", namespace, "-o", "name", *args).lines


def test_set_based_label_selector(kubectl: Kubectl, five: str) -> None:
    assert names(kubectl, five, "-l", "app in (a,b)") == [
        "configmap/sel-1", "configmap/sel-2", "configmap/sel-4", "configmap/sel-5"]
    assert names(kubectl, five, "-l", "group=sel,app notin (a,b)") == ["configmap/sel-3"]
    assert names(kubectl, five, "-l", "app,!missing") == [f"configmap/{n}" for n in APPS]


def test_equality_label_selector(kubectl: Kubectl, five: str) -> None:
    assert names(kubectl, five, "-l", "app=a") == ["configmap/sel-1", "configmap/sel-4"]
    assert names(kubectl, five, "-l", "group=sel,app!=a") == [
        "configmap/sel-2", "configmap/sel-3", "configmap/sel-5"]
    assert names(kubectl, five, "-l", "app=zzz") == []


def test_field_selector_on_name(kubectl: Kubectl, five: str) -> None:
    assert names(kubectl, five, "--field-selector", "metadata.name=sel-3") == ["configmap/sel-3"]
    assert names(kubectl, five, "-l", "group=sel", "--field-selector", "metadata.name!=sel-3") == [
        "configmap/sel-1", "configmap/sel-2", "configmap/sel-4", "configmap/sel-5"]


def test_field_selector_on_namespace_across_namespaces(kubectl: Kubectl, five: str) -> None:
    result = kubectl.run("get", "configmaps", "-A", "-l", "group=sel", "--field-selector",
                         f"metadata.namespace={five}", "--no-headers",
                         "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name")
    rows = [line.split() for line in result.lines]
    assert rows == [[five, name] for name in APPS], result.describe()


def test_unsupported_field_selector_is_bad_request(kubectl: Kubectl, five: str) -> None:
    result = kubectl.fail("get", "configmaps", "-n", five, "--field-selector", "data.n=1")
    # kubectl prefixes the server's message with the request it made.
    assert result.stderr.strip() == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label '
        'selector "", field selector "data.n=1": "data.n" is not a known field selector: only '
        '"metadata.name", "metadata.namespace"'), result.describe()


def test_chunked_list_returns_every_object(kubectl: Kubectl, five: str) -> None:
    result = kubectl.run("get", "configmaps", "-n", five, "-l", "group=sel", "--chunk-size=2",
                         "-o", "name", "-v=6")
    assert result.lines == [f"configmap/{n}" for n in APPS], result.describe()
    urls = [urlsplit(u) for u in re.findall(r'verb="GET" url="([^"]+)"', result.stderr)]
    pages = [parse_qs(u.query) for u in urls if u.path.endswith(f"/namespaces/{five}/configmaps")]
    assert len(pages) == 3, f"expected 3 pages of at most 2\n{result.describe()}"
    assert all(page["limit"] == ["2"] for page in pages), pages
    assert "continue" not in pages[0]
    assert all(page.get("continue") for page in pages[1:]), pages
