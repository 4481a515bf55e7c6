"""Users from client certificates: CN is the name, each O a group, as kube maps them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from corral.auth.user import UserInfo
from corral.auth.x509 import CREDENTIAL_ID, user_from_der, user_from_peercert
from corral.pki.issue import issue, new_ca


def _der(common_name: str, organizations: list[str]) -> bytes:
    ca_cert, ca_key = new_ca("test-ca", 1)
    cert, _ = issue(ca_cert, ca_key, common_name=common_name, organizations=organizations, days=1)
    return cert.public_bytes(serialization.Encoding.DER)


def _peercert(*rdns: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {"subject": rdns, "issuer": ((("commonName", "ca"),),), "version": 3}


def test_peercert_common_name_and_organizations() -> None:
    cert = _peercert((("countryName", "DE"),), (("organizationName", "dev"),),
                     (("organizationName", "ops"),), (("commonName", "alice"),))
    assert user_from_peercert(cert) == UserInfo("alice", groups=("dev", "ops"))


def test_peercert_multi_valued_rdn_and_last_common_name_wins() -> None:
    cert = _peercert((("commonName", "first"), ("organizationName", "a")), (("commonName", "second"),))
    assert user_from_peercert(cert) == UserInfo("second", groups=("a",))


def test_peercert_without_common_name_names_nobody() -> None:
    assert user_from_peercert(_peercert((("organizationName", "dev"),))) is None
    assert user_from_peercert(_peercert((("commonName", ""),))) is None


def test_no_peercert_names_nobody() -> None:
    assert user_from_peercert(None) is None
    assert user_from_peercert({}) is None  # what an unverified certificate gives


def test_der_gives_user_groups_and_credential_id() -> None:
    der = _der("bob", ["system:nodes", "x"])
    user = user_from_der(der)
    assert user is not None
    assert (user.name, user.groups) == ("bob", ("system:nodes", "x"))
    assert user.extra == {CREDENTIAL_ID: (f"X509SHA256={hashlib.sha256(der).hexdigest()}",)}


def test_der_without_common_name_names_nobody() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dev")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    assert user_from_der(cert.public_bytes(serialization.Encoding.DER)) is None


def test_unparsable_or_missing_der_names_nobody() -> None:
    assert user_from_der(b"not a certificate") is None
    assert user_from_der(None) is None
    assert user_from_der(b"") is None
