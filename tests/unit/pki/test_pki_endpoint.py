"""Generated credentials end to end: the real kubernetes Python client, loading generated
kubeconfigs, talks to a small aiohttp HTTPS server (with the listener's TLS settings) that
answers SelfSubjectReview (what ``kubectl auth whoami`` sends) with the user it
authenticated from the peer certificate, in DER or dict form, or the bearer token."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from corral.auth.authenticator import Authenticator
from corral.auth.tokens import TokenFile
from corral.auth.x509 import CREDENTIAL_ID
from corral.pki.certs import Pki, ensure_pki
from corral.pki.kubeconfig import admin_kubeconfig, kubeconfig
from corral.pki.tls import server_ssl_context

REVIEW_PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews"


@dataclass
class EchoServer:
    port: int
    tokens: TokenFile
    requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"


@pytest.fixture(params=["der", "dict"])
async def echo(request: pytest.FixtureRequest, pki: Pki, tmp_path: Path) -> AsyncIterator[EchoServer]:
    """The server reads the peer certificate in the form ``request.param`` names."""
    form: str = request.param
    tokens = TokenFile(tmp_path / "tokens" / "tokens.csv")
    authenticator = Authenticator(tokens)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = EchoServer(sock.getsockname()[1], tokens)

    async def review(req: web.Request) -> web.Response:
        server.requests.append(req.path)
        transport = req.transport
        assert transport is not None
        peercert: Any = (transport.get_extra_info("ssl_object").getpeercert(binary_form=True)
                         if form == "der" else transport.get_extra_info("peercert"))
        user = authenticator.authenticate(peercert, req.headers.get("Authorization"))
        if user is None:
            return web.json_response({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                      "reason": "Unauthorized", "code": 401, "message": "Unauthorized"},
                                     status=401)
        user_info = {"username": user.name, "uid": user.uid, "groups": list(user.groups),
                     "extra": {k: list(v) for k, v in user.extra.items()}}
        return web.json_response({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview",
                                  "metadata": {}, "status": {"userInfo": user_info}})

    app = web.Application()
    app.router.add_post(REVIEW_PATH, review)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock, ssl_context=server_ssl_context(pki)).start()
    try:
        yield server
    finally:
        await runner.cleanup()


def _whoami(kubeconfig_text: str, directory: Path) -> client.V1UserInfo:
    """``kubectl auth whoami`` through the kubernetes client, configured by the kubeconfig."""
    path = directory / "kubeconfig.yaml"
    path.write_text(kubeconfig_text)
    with config.new_client_from_config(config_file=str(path)) as api_client:  # type: ignore[no-untyped-call]
        api = client.AuthenticationV1Api(api_client)
        review = api.create_self_subject_review(client.V1SelfSubjectReview())
    assert review.status is not None and review.status.user_info is not None
    return review.status.user_info


def _client_context(pki: Pki) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cadata=pki.ca_pem.decode())
    ctx.check_hostname = False
    return ctx


async def _exchange(port: int, ctx: ssl.SSLContext) -> bytes:
    """Send one request over TLS and return the whole answer (or raise what TLS raised)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx)
    try:
        writer.write(f"POST {REVIEW_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n".encode())
        return await reader.read()
    finally:
        writer.close()


async def test_admin_kubeconfig_authenticates_as_system_admin(echo: EchoServer, pki: Pki,
                                                               tmp_path: Path) -> None:
    user = await asyncio.to_thread(_whoami, admin_kubeconfig(pki, echo.url), tmp_path)
    assert user.username == "system:admin"
    assert user.groups == ["system:masters", "system:authenticated"]


async def test_credential_id_only_from_der(echo: EchoServer, pki: Pki, tmp_path: Path,
                                           request: pytest.FixtureRequest) -> None:
    user = await asyncio.to_thread(_whoami, admin_kubeconfig(pki, echo.url), tmp_path)
    if request.node.callspec.params["echo"] == "der":
        assert user.extra is not None and list(user.extra) == [CREDENTIAL_ID]
        assert user.extra[CREDENTIAL_ID][0].startswith("X509SHA256=")
    else:
        assert not user.extra


async def test_issued_client_cert_carries_user_and_groups(echo: EchoServer, pki: Pki, tmp_path: Path) -> None:
    cert, key = pki.issue_client_cert("alice", ["dev", "ops"])
    text = kubeconfig(echo.url, pki.ca_pem, cert_pem=cert, key_pem=key)
    user = await asyncio.to_thread(_whoami, text, tmp_path)
    assert (user.username, user.groups) == ("alice", ["dev", "ops", "system:authenticated"])


async def test_bearer_token_without_client_cert(echo: EchoServer, pki: Pki, tmp_path: Path) -> None:
    token = echo.tokens.add("bob", "uid-7", ["viewers"])
    user = await asyncio.to_thread(_whoami, kubeconfig(echo.url, pki.ca_pem, token=token), tmp_path)
    assert (user.username, user.uid, user.groups) == ("bob", "uid-7", ["viewers", "system:authenticated"])


async def test_wrong_token_is_unauthorized(echo: EchoServer, pki: Pki, tmp_path: Path) -> None:
    echo.tokens.add("bob", "uid-7", [])
    with pytest.raises(ApiException) as caught:
        await asyncio.to_thread(_whoami, kubeconfig(echo.url, pki.ca_pem, token="not-a-token"), tmp_path)
    assert caught.value.status == 401


async def test_client_cert_from_another_ca_gets_no_answer(echo: EchoServer, pki: Pki, tmp_path: Path) -> None:
    """Refused during the TLS handshake (see test_pki_tls for the server's verdict): the
    connection ends without any HTTP answer and no request reaches the application."""
    other = ensure_pki(tmp_path / "other")
    ctx = _client_context(pki)
    ctx.load_cert_chain(other.admin_cert_path, other.admin_key_path)
    try:
        answer = await _exchange(echo.port, ctx)
    except OSError:  # reset or TLS error, depending on when the server's close arrives
        answer = b""
    assert answer == b""
    assert echo.requests == []
    # The same client without the foreign certificate is answered (as anonymous).
    assert (await _exchange(echo.port, _client_context(pki))).startswith(b"HTTP/1.1 401")
    assert echo.requests == [REVIEW_PATH]
