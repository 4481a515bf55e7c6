"""Reading kubeconfig files for the HTTP transport: contexts, inline and file
credentials, tokens, and the errors for what is unsupported or broken."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest
import yaml

from corral.client import KubeconfigError, load_kubeconfig
from corral.pki.certs import Pki, ensure_pki
from corral.pki.kubeconfig import admin_kubeconfig


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return ensure_pki(tmp_path_factory.mktemp("tls"))


def write(path: Path, config: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(config))
    return path


def two_contexts() -> dict[str, Any]:
    return {
        "apiVersion": "v1", "kind": "Config", "current-context": "first",
        "clusters": [{"name": "c1", "cluster": {"server": "https://one.example:6443/"}},
                     {"name": "c2", "cluster": {"server": "https://two.example", "insecure-skip-tls-verify": True,
                                                "tls-server-name": "kubernetes"}}],
        "users": [{"name": "u1", "user": {"token": "secret-1"}},
                  {"name": "u2", "user": {"tokenFile": "token.txt"}},
                  {"name": "basic", "user": {"username": "ann", "password": "pw"}}],
        "contexts": [{"name": "first", "context": {"cluster": "c1", "user": "u1", "namespace": "team"}},
                     {"name": "second", "context": {"cluster": "c2", "user": "u2"}},
                     {"name": "third", "context": {"cluster": "c2", "user": "basic"}}],
    }


def test_inline_credentials_of_the_admin_kubeconfig(pki: Pki, tmp_path: Path) -> None:
    path = tmp_path / "kubeconfig.yaml"
    path.write_text(admin_kubeconfig(pki, "https://127.0.0.1:6443"))
    config = load_kubeconfig(path)
    assert (config.server, config.ca_pem, config.cert_pem, config.key_pem, config.namespace) == (
        "https://127.0.0.1:6443", pki.ca_pem, pki.admin_cert_pem, pki.admin_key_pem, "default")
    ctx = config.ssl_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert any(c["subject"] for c in ctx.get_ca_certs())


def test_contexts_tokens_and_tls_settings(tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("secret-2\n")
    path = write(tmp_path / "config", two_contexts())
    first = load_kubeconfig(path)
    assert (first.server, first.token, first.namespace, first.insecure) == (
        "https://one.example:6443", "secret-1", "team", False)
    second = load_kubeconfig(path, "second")
    assert (second.server, second.token, second.insecure, second.tls_server_name) == (
        "https://two.example", "secret-2", True, "kubernetes")
    assert second.ssl_context().verify_mode == ssl.CERT_NONE
    third = load_kubeconfig(path, "third")
    assert (third.username, third.password, third.token) == ("ann", "pw", "")


def test_credential_files_are_relative_to_the_kubeconfig(pki: Pki, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "certs").mkdir()
    for name, data in (("ca.crt", pki.ca_pem), ("me.crt", pki.admin_cert_pem), ("me.key", pki.admin_key_pem)):
        (tmp_path / "certs" / name).write_bytes(data)
    path = write(tmp_path / "config", {
        "current-context": "x",
        "clusters": [{"name": "x", "cluster": {"server": "https://h:1", "certificate-authority": "certs/ca.crt"}}],
        "users": [{"name": "x", "user": {"client-certificate": "certs/me.crt", "client-key": "certs/me.key"}}],
        "contexts": [{"name": "x", "context": {"cluster": "x", "user": "x"}}]})
    monkeypatch.setenv("KUBECONFIG", f"{path}:/nowhere/else")
    config = load_kubeconfig()
    assert (config.ca_pem, config.cert_pem, config.key_pem) == (pki.ca_pem, pki.admin_cert_pem, pki.admin_key_pem)
    config.ssl_context()  # the client certificate and key load as a pair


@pytest.mark.parametrize(("change", "message"), [
    (lambda c: c["users"][0]["user"].update({"exec": {"command": "aws"}}), "plugins are not supported"),
    (lambda c: c.update({"current-context": "missing"}), "no context named 'missing'"),
    (lambda c: c.pop("current-context"), "no current-context"),
    (lambda c: c["clusters"][0]["cluster"].pop("server"), "no server URL"),
    (lambda c: c["users"][0]["user"].update({"client-certificate-data": "bm90IGEga2V5"}), "both a certificate"),
    (lambda c: c["clusters"][0]["cluster"].update({"certificate-authority-data": "%%%"}), "not valid base64"),
    (lambda c: c["clusters"][0]["cluster"].update({"certificate-authority": "absent.crt"}), "cannot read"),
])
def test_broken_or_unsupported_kubeconfigs_are_refused(tmp_path: Path, change: Any, message: str) -> None:
    config = two_contexts()
    change(config)
    with pytest.raises(KubeconfigError, match=message):
        load_kubeconfig(write(tmp_path / "config", config))


def test_a_missing_file_is_a_kubeconfig_error(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigError, match="cannot read kubeconfig"):
        load_kubeconfig(tmp_path / "absent")
