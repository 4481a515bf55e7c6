"""Users from verified TLS client certificates, as kube-apiserver's x509 authenticator maps
them: the subject's common name is the user name, each organization a group.

By the time a request arrives the TLS layer has already checked the certificate against the
cluster CA (see corral.pki.tls), so only the mapping is left. The DER form also yields the
``authentication.kubernetes.io/credential-id`` extra (``X509SHA256=<fingerprint>``) that
kube 1.33 records for certificate users; the dict form of ``getpeercert()`` cannot.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from corral.auth.user import UserInfo

log = logging.getLogger("corral.auth")

CREDENTIAL_ID = "authentication.kubernetes.io/credential-id"


def _user(common_names: list[str], organizations: list[str],
          extra: dict[str, tuple[str, ...]] | None = None) -> UserInfo | None:
    # Like Go's pkix.Name the last CN counts; a certificate without one names nobody.
    if not common_names or not common_names[-1]:
        return None
    return UserInfo(common_names[-1], groups=tuple(organizations), extra=extra or {})


def user_from_peercert(cert: Mapping[str, Any] | None) -> UserInfo | None:
    """The user of a verified client certificate in ``SSLSocket.getpeercert()`` form."""
    if not cert:
        return None
    names: list[str] = []
    orgs: list[str] = []
    for rdn in cert.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                names.append(value)
            elif key == "organizationName":
                orgs.append(value)
    return _user(names, orgs)


def user_from_der(der: bytes | None) -> UserInfo | None:
    """The user of a verified client certificate in DER form
    (``getpeercert(binary_form=True)``), with its credential id."""
    if not der:
        return None
    try:
        subject = x509.load_der_x509_certificate(der).subject
    except ValueError:
        log.warning("client certificate accepted by TLS could not be parsed; ignoring it")
        return None

    def values(oid: x509.ObjectIdentifier) -> list[str]:
        return [str(attr.value) for attr in subject.get_attributes_for_oid(oid)]

    fingerprint = hashlib.sha256(der).hexdigest()
    return _user(values(NameOID.COMMON_NAME), values(NameOID.ORGANIZATION_NAME),
                 {CREDENTIAL_ID: (f"X509SHA256={fingerprint}",)})
