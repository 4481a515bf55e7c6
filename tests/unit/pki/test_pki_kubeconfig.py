"""Kubeconfig files: the shape k3s writes, credentials embedded, one name for everything."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import yaml

from corral.pki.certs import Pki
from corral.pki.kubeconfig import admin_kubeconfig, kubeconfig


def _load(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_admin_kubeconfig_embeds_ca_and_admin_credentials(pki: Pki) -> None:
    config = _load(admin_kubeconfig(pki, "https://127.0.0.1:6443"))
    assert config["apiVersion"] == "v1" and config["kind"] == "Config"
    assert config["current-context"] == "default"
    assert config["contexts"] == [{"name": "default", "context": {"cluster": "default", "user": "default"}}]
    [cluster] = config["clusters"]
    assert cluster["name"] == "default"
    assert cluster["cluster"]["server"] == "https://127.0.0.1:6443"
    assert base64.b64decode(cluster["cluster"]["certificate-authority-data"]) == pki.ca_cert_path.read_bytes()
    [user] = config["users"]
    assert user["name"] == "default"
    assert base64.b64decode(user["user"]["client-certificate-data"]) == pki.admin_cert_path.read_bytes()
    assert base64.b64decode(user["user"]["client-key-data"]) == pki.admin_key_path.read_bytes()


def test_name_is_used_for_cluster_context_and_user(pki: Pki) -> None:
    config = _load(admin_kubeconfig(pki, "https://h:1", name="edge"))
    assert config["current-context"] == "edge"
    assert config["contexts"][0] == {"name": "edge", "context": {"cluster": "edge", "user": "edge"}}
    assert config["clusters"][0]["name"] == config["users"][0]["name"] == "edge"


def test_token_kubeconfig_has_only_the_token() -> None:
    config = _load(kubeconfig("https://h:1", b"CA", token="abc"))
    assert config["users"][0]["user"] == {"token": "abc"}
    assert config["clusters"][0]["cluster"]["certificate-authority-data"] == base64.b64encode(b"CA").decode()


def test_certificate_without_key_is_rejected() -> None:
    with pytest.raises(ValueError, match="both"):
        kubeconfig("https://h:1", b"CA", cert_pem=b"CERT")
