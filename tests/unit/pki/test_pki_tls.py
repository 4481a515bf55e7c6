"""The listener's TLS settings, judged by the server side of in-memory handshakes: which
versions, cipher suites, ALPN protocols and client certificates it accepts."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from corral.pki.certs import Pki, ensure_pki
from corral.pki.tls import server_ssl_context


def _handshake(pki: Pki, client_ctx: ssl.SSLContext) -> tuple[ssl.SSLObject | None, ssl.SSLError | None]:
    """Run a handshake between the server context and ``client_ctx`` through memory buffers.

    Returns the finished server side, or the error with which the server refused."""
    server_in, server_out, client_in, client_out = (ssl.MemoryBIO() for _ in range(4))
    server = server_ssl_context(pki).wrap_bio(server_in, server_out, server_side=True)
    client = client_ctx.wrap_bio(client_in, client_out, server_hostname="localhost")
    finished: set[int] = set()
    for _ in range(10):
        for side, out, peer_in in ((client, client_out, server_in), (server, server_out, client_in)):
            if id(side) not in finished:
                try:
                    side.do_handshake()
                    finished.add(id(side))
                except ssl.SSLWantReadError:
                    pass
                except ssl.SSLError as exc:
                    if side is server:
                        return None, exc
                    raise
            peer_in.write(out.read())
        if len(finished) == 2:
            return server, None
    raise AssertionError("handshake did not finish")


def _client(pki: Pki) -> ssl.SSLContext:
    return ssl.create_default_context(cadata=pki.ca_pem.decode())


def test_client_without_certificate_is_accepted(pki: Pki) -> None:
    server, error = _handshake(pki, _client(pki))
    assert error is None and server is not None
    assert server.version() == "TLSv1.3"
    assert server.getpeercert() is None


def test_client_certificate_of_the_cluster_ca_is_verified(pki: Pki) -> None:
    ctx = _client(pki)
    ctx.load_cert_chain(pki.admin_cert_path, pki.admin_key_path)
    server, error = _handshake(pki, ctx)
    assert error is None and server is not None
    peercert = server.getpeercert()
    assert peercert is not None and (("commonName", "system:admin"),) in peercert["subject"]


def test_client_certificate_of_another_ca_is_refused(pki: Pki, tmp_path: Path) -> None:
    other = ensure_pki(tmp_path / "other")
    ctx = _client(pki)
    ctx.load_cert_chain(other.admin_cert_path, other.admin_key_path)
    _, error = _handshake(pki, ctx)
    assert isinstance(error, ssl.SSLCertVerificationError)
    assert error.verify_message == "unable to get local issuer certificate"


def test_server_certificate_is_no_client_certificate(pki: Pki) -> None:
    ctx = _client(pki)
    ctx.load_cert_chain(pki.serving_cert_path, pki.serving_key_path)
    _, error = _handshake(pki, ctx)
    assert isinstance(error, ssl.SSLCertVerificationError)
    assert error.verify_message == "unsuitable certificate purpose"


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
@pytest.mark.parametrize("highest", ["TLSv1", "TLSv1_1"])
def test_tls_before_1_2_is_refused(pki: Pki, highest: str) -> None:
    ctx = _client(pki)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # so that the client offers the old versions at all
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion[highest]
    _, error = _handshake(pki, ctx)
    assert error is not None and error.reason == "UNSUPPORTED_PROTOCOL"
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2  # the same client is served once it may use 1.2
    assert _handshake(pki, ctx)[1] is None


def test_tls_1_2_without_ecdhe_aead_suites_is_refused(pki: Pki) -> None:
    ctx = _client(pki)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA")  # CBC suites only
    _, error = _handshake(pki, ctx)
    assert error is not None and error.reason == "NO_SHARED_CIPHER"


def test_tls_1_2_negotiates_ecdhe_aead_and_http_1_1(pki: Pki) -> None:
    ctx = _client(pki)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    server, error = _handshake(pki, ctx)
    assert error is None and server is not None
    cipher = server.cipher()
    assert server.version() == "TLSv1.2"
    assert cipher is not None and cipher[0].startswith("ECDHE-ECDSA-") and "GCM" in cipher[0]
    assert server.selected_alpn_protocol() == "http/1.1"


def test_h2_only_client_gets_no_alpn_protocol(pki: Pki) -> None:
    ctx = _client(pki)
    ctx.set_alpn_protocols(["h2"])
    server, error = _handshake(pki, ctx)
    assert error is None and server is not None
    assert server.selected_alpn_protocol() is None
