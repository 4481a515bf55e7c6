"""The TLS settings of the API listener, close to kube-apiserver's: TLS 1.2 or newer with
forward-secret AEAD ciphers only, the cluster's serving certificate, and client
certificates asked for but not required, so that bearer-token clients connect too.

A client certificate that is presented must chain to the cluster CA, or the handshake
fails. Only HTTP/1.1 is offered through ALPN because aiohttp speaks no HTTP/2; Go clients
(kubectl, helm) fall back to it.
"""

from __future__ import annotations

import ssl

from corral.pki.certs import Pki

# TLS 1.2 suites: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305. TLS 1.3 suites are
# all of that kind already and keep OpenSSL's defaults.
TLS12_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20"


def server_ssl_context(pki: Pki) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(TLS12_CIPHERS)
    ctx.options |= ssl.OP_NO_COMPRESSION | ssl.OP_CIPHER_SERVER_PREFERENCE | ssl.OP_NO_RENEGOTIATION
    ctx.load_cert_chain(pki.serving_cert_path, pki.serving_key_path)
    ctx.load_verify_locations(cadata=pki.ca_pem.decode("ascii"))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx
