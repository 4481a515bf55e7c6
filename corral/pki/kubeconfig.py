"""Kubeconfig files that kubectl, helm and client libraries load as they are: credentials
embedded as base64 ``*-data`` fields, one cluster, context and user under one name
(``default``, as k3s writes /etc/rancher/k3s/k3s.yaml)."""

from __future__ import annotations

import base64
from typing import Any

import yaml

from corral.pki.certs import Pki


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def kubeconfig(server_url: str, ca_pem: bytes, *, cert_pem: bytes | None = None,
               key_pem: bytes | None = None, token: str | None = None, name: str = "default") -> str:
    """A kubeconfig for ``server_url`` trusting ``ca_pem``, authenticating with a client
    certificate (``cert_pem`` and ``key_pem``), a bearer ``token``, or nothing."""
    if (cert_pem is None) != (key_pem is None):
        raise ValueError("a client certificate needs both cert_pem and key_pem")
    user: dict[str, Any] = {}
    if cert_pem is not None and key_pem is not None:
        user["client-certificate-data"] = _b64(cert_pem)
        user["client-key-data"] = _b64(key_pem)
    if token is not None:
        user["token"] = token
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"certificate-authority-data": _b64(ca_pem),
                                                 "server": server_url}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
        "current-context": name,
        "preferences": {},
        "users": [{"name": name, "user": user}],
    }
    return yaml.safe_dump(config, sort_keys=False, default_flow_style=False)


def admin_kubeconfig(pki: Pki, server_url: str, name: str = "default") -> str:
    """The cluster-admin kubeconfig: the ``system:admin`` certificate in group ``system:masters``."""
    return kubeconfig(server_url, pki.ca_pem, cert_pem=pki.admin_cert_pem, key_pem=pki.admin_key_pem,
                      name=name)
