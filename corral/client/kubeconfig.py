"""Reading a kubeconfig file as kubectl and client-go do, for the HTTP transport: the
cluster, user and default namespace of one context, with credentials given inline
(``*-data``) or as files relative to the kubeconfig, and the TLS context they make.

Supported: CA data or file, insecure-skip-tls-verify, tls-server-name, client
certificate and key (data or files), bearer token or tokenFile, basic auth. Exec and
auth-provider plugins are refused with a clear error rather than silently ignored.
"""

from __future__ import annotations

import base64
import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class KubeconfigError(ValueError):
    """The kubeconfig file is missing, malformed, or asks for something unsupported."""


@dataclass(frozen=True, slots=True)
class KubeConfig:
    server: str  # https://host:port[/prefix]
    ca_pem: bytes | None = None  # None: the system's trust store
    insecure: bool = False
    tls_server_name: str = ""
    cert_pem: bytes | None = None
    key_pem: bytes | None = None
    token: str = ""
    username: str = ""
    password: str = ""
    namespace: str = "default"

    def ssl_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cadata=self.ca_pem.decode() if self.ca_pem else None)
        if self.insecure:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        if self.cert_pem is not None and self.key_pem is not None:
            # ssl loads a client certificate only from files: write them where only we can
            # read them, for as long as loading takes
            with tempfile.TemporaryDirectory(prefix="corral-client-") as tmp:
                cert, key = Path(tmp) / "client.crt", Path(tmp) / "client.key"
                for path, data in ((cert, self.cert_pem), (key, self.key_pem)):
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as f:
                        f.write(data)
                ctx.load_cert_chain(cert, key)
        return ctx


def default_path() -> Path:
    """$KUBECONFIG (its first entry), else ~/.kube/config."""
    env = os.environ.get("KUBECONFIG", "")
    first = next((p for p in env.split(os.pathsep) if p), "")
    return Path(first) if first else Path.home() / ".kube" / "config"


def _named(config: dict[str, Any], section: str, name: str) -> dict[str, Any]:
    for entry in config.get(section) or ():
        if isinstance(entry, dict) and entry.get("name") == name:
            value = entry.get(section[:-1])
            return value if isinstance(value, dict) else {}
    raise KubeconfigError(f"no {section[:-1]} named {name!r} in the kubeconfig")


def _material(section: dict[str, Any], key: str, base: Path) -> bytes | None:
    """``key``-data (base64) or ``key`` (a file path, relative to the kubeconfig)."""
    data = section.get(f"{key}-data")
    if data:
        try:
            return base64.b64decode(data, validate=True)
        except ValueError as exc:
            raise KubeconfigError(f"{key}-data is not valid base64") from exc
    path = section.get(key)
    if not path:
        return None
    try:
        return (base / os.path.expanduser(str(path))).read_bytes()
    except OSError as exc:
        raise KubeconfigError(f"cannot read {key} {path}: {exc}") from exc


def load_kubeconfig(path: str | os.PathLike[str] | None = None, context: str = "") -> KubeConfig:
    """The connection settings of ``context`` (default: current-context) in ``path``."""
    file = Path(path) if path is not None else default_path()
    try:
        config = yaml.safe_load(file.read_text())
    except OSError as exc:
        raise KubeconfigError(f"cannot read kubeconfig {file}: {exc}") from exc
    if not isinstance(config, dict):
        raise KubeconfigError(f"{file} is not a kubeconfig")
    name = context or str(config.get("current-context") or "")
    if not name:
        raise KubeconfigError(f"{file} has no current-context and no context was given")
    ctx = _named(config, "contexts", name)
    cluster = _named(config, "clusters", str(ctx.get("cluster") or ""))
    user = _named(config, "users", str(ctx.get("user") or "")) if ctx.get("user") else {}
    if "exec" in user or "auth-provider" in user:
        raise KubeconfigError("exec and auth-provider credential plugins are not supported")
    server = str(cluster.get("server") or "")
    if not server.startswith(("https://", "http://")):
        raise KubeconfigError(f"cluster of context {name!r} has no server URL")
    base = file.parent
    token = str(user.get("token") or "")
    if not token and user.get("tokenFile"):
        token = (_material({"tokenFile": user["tokenFile"]}, "tokenFile", base) or b"").decode().strip()
    cert, key = _material(user, "client-certificate", base), _material(user, "client-key", base)
    if (cert is None) != (key is None):
        raise KubeconfigError("a client certificate needs both a certificate and a key")
    return KubeConfig(
        server=server.rstrip("/"),
        ca_pem=_material(cluster, "certificate-authority", base),
        insecure=bool(cluster.get("insecure-skip-tls-verify")),
        tls_server_name=str(cluster.get("tls-server-name") or ""),
        cert_pem=cert,
        key_pem=key,
        token=token,
        username=str(user.get("username") or ""),
        password=str(user.get("password") or ""),
        namespace=str(ctx.get("namespace") or "default"),
    )
