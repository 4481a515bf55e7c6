"""ensure_pki: what a first start creates, what a restart reuses, and what it renews."""

from __future__ import annotations

import ipaddress
import socket
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from corral.pki.certs import Pki, PkiError, ensure_pki
from corral.pki.files import write_atomic
from corral.pki.issue import cert_pem, issue, key_pem, subject_alt_names

KEYS = ("ca.key", "serving.key", "admin.key", "service-account.key")
PUBLIC_FILES = ("ca.crt", "serving.crt", "admin.crt", "service-account.pub")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _serials(pki: Pki) -> tuple[int, int, int]:
    return pki.ca_cert.serial_number, pki.serving_cert.serial_number, pki.admin_cert.serial_number


def _days_left(cert: x509.Certificate) -> float:
    return (cert.not_valid_after_utc - datetime.now(UTC)) / timedelta(days=1)


def _names(cert: x509.Certificate) -> set[str]:
    return {str(name.value) for name in subject_alt_names(cert)}


def test_first_start_creates_every_file_with_private_keys_hidden(pki: Pki) -> None:
    assert _mode(pki.dir) == 0o700
    assert {p.name for p in pki.dir.iterdir()} == {*KEYS, *PUBLIC_FILES}
    for name in KEYS:
        assert _mode(pki.dir / name) == 0o600, name
    for name in PUBLIC_FILES:
        assert _mode(pki.dir / name) == 0o644, name


def test_ca_is_a_ten_year_ca(pki: Pki) -> None:
    constraints = pki.ca_cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca
    assert pki.ca_cert.subject == pki.ca_cert.issuer
    assert 3649 < _days_left(pki.ca_cert) <= 3650


def test_serving_certificate_names_and_usage(pki: Pki) -> None:
    pki.serving_cert.verify_directly_issued_by(pki.ca_cert)
    sans = subject_alt_names(pki.serving_cert)
    assert x509.IPAddress(ipaddress.ip_address("127.0.0.1")) in sans
    assert x509.IPAddress(ipaddress.ip_address("::1")) in sans
    assert {"localhost", socket.gethostname().lower(), "kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"} <= _names(pki.serving_cert)
    usage = pki.serving_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert 364 < _days_left(pki.serving_cert) <= 365


def test_admin_certificate_is_system_admin_in_system_masters(pki: Pki) -> None:
    pki.admin_cert.verify_directly_issued_by(pki.ca_cert)
    subject = pki.admin_cert.subject
    assert [a.value for a in subject.get_attributes_for_oid(NameOID.COMMON_NAME)] == ["system:admin"]
    assert [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == ["system:masters"]
    usage = pki.admin_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert pki.admin_cert.public_key() == serialization.load_pem_private_key(
        pki.admin_key_pem, None).public_key()


def test_service_account_public_key_belongs_to_the_private_key(pki: Pki) -> None:
    public = serialization.load_pem_public_key(pki.service_account_pub_path.read_bytes())
    assert public == pki.service_account_key.public_key()
    on_disk = serialization.load_pem_private_key(pki.service_account_key_path.read_bytes(), None)
    assert on_disk.public_key() == public


def test_restart_reuses_everything_quickly(pki: Pki) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in pki.dir.iterdir()}
    started = time.perf_counter()
    again = ensure_pki(pki.dir)
    assert time.perf_counter() - started < 0.1
    assert _serials(again) == _serials(pki)
    assert again.service_account_key.public_key() == pki.service_account_key.public_key()
    assert {p.name: p.stat().st_mtime_ns for p in pki.dir.iterdir()} == before


def test_new_san_reissues_only_the_serving_certificate(pki: Pki) -> None:
    wider = ensure_pki(pki.dir, ["10.1.2.3", "Corral.Example.com"])
    assert wider.ca_cert.serial_number == pki.ca_cert.serial_number
    assert wider.admin_cert.serial_number == pki.admin_cert.serial_number
    assert wider.serving_cert.serial_number != pki.serving_cert.serial_number
    wider.serving_cert.verify_directly_issued_by(pki.ca_cert)
    assert {x509.IPAddress(ipaddress.ip_address("10.1.2.3")),
            x509.DNSName("corral.example.com")} <= subject_alt_names(wider.serving_cert)
    assert _names(pki.serving_cert) < _names(wider.serving_cert)
    # Names already covered, or fewer names, need no new certificate.
    assert ensure_pki(pki.dir, ["10.1.2.3"]).serving_cert.serial_number == wider.serving_cert.serial_number
    assert ensure_pki(pki.dir).serving_cert.serial_number == wider.serving_cert.serial_number


def test_serving_certificate_near_its_end_is_renewed(pki: Pki) -> None:
    cert, key = issue(pki.ca_cert, pki.ca_key, common_name="corral", server=True,
                      sans=subject_alt_names(pki.serving_cert), days=29)
    write_atomic(pki.serving_key_path, key_pem(key))
    write_atomic(pki.serving_cert_path, cert_pem(cert))
    renewed = ensure_pki(pki.dir)
    assert renewed.serving_cert.serial_number != cert.serial_number
    assert _days_left(renewed.serving_cert) > 364
    assert renewed.admin_cert.serial_number == pki.admin_cert.serial_number


def test_admin_certificate_with_a_foreign_key_is_reissued(pki: Pki) -> None:
    _, stray_key = issue(pki.ca_cert, pki.ca_key, common_name="x")
    write_atomic(pki.admin_key_path, key_pem(stray_key))
    repaired = ensure_pki(pki.dir)
    assert repaired.admin_cert.serial_number != pki.admin_cert.serial_number
    assert repaired.admin_cert.public_key() == repaired.admin_key.public_key()


def test_new_ca_reissues_everything_it_signs(pki: Pki) -> None:
    pki.ca_cert_path.unlink()
    pki.ca_key_path.unlink()
    fresh = ensure_pki(pki.dir)
    assert fresh.ca_cert.serial_number != pki.ca_cert.serial_number
    fresh.serving_cert.verify_directly_issued_by(fresh.ca_cert)
    fresh.admin_cert.verify_directly_issued_by(fresh.ca_cert)
    # The service-account key is independent of the CA and survives.
    assert fresh.service_account_key.public_key() == pki.service_account_key.public_key()


@pytest.mark.parametrize("lost", ["ca.crt", "ca.key"])
def test_half_a_ca_is_an_error_not_a_silent_new_ca(pki: Pki, lost: str) -> None:
    (pki.dir / lost).unlink()
    with pytest.raises(PkiError, match=lost):
        ensure_pki(pki.dir)


def test_missing_public_key_is_rewritten_from_the_private_key(pki: Pki) -> None:
    pki.service_account_pub_path.unlink()
    again = ensure_pki(pki.dir)
    public = serialization.load_pem_public_key(again.service_account_pub_path.read_bytes())
    assert public == pki.service_account_key.public_key()


def test_existing_directory_is_made_private(tmp_path: Path) -> None:
    tls = tmp_path / "tls"
    tls.mkdir(mode=0o755)
    ensure_pki(tls)
    assert _mode(tls) == 0o700


def test_issue_client_cert(pki: Pki) -> None:
    cert_data, key_data = pki.issue_client_cert("alice", ["dev", "ops"], days=7)
    cert = x509.load_pem_x509_certificate(cert_data)
    cert.verify_directly_issued_by(pki.ca_cert)
    assert cert.public_key() == serialization.load_pem_private_key(key_data, None).public_key()
    assert [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)] == ["alice"]
    assert [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == ["dev", "ops"]
    assert 6 < _days_left(cert) <= 7


def test_an_rsa_ca_from_elsewhere_signs_the_leaves(tmp_path: Path) -> None:
    tls = tmp_path / "tls"
    tls.mkdir()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "imported-ca")])
    now = datetime.now(UTC)
    ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
          .serial_number(7).not_valid_before(now).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
          .sign(key, hashes.SHA256()))
    write_atomic(tls / "ca.key", key_pem(key))
    write_atomic(tls / "ca.crt", cert_pem(ca))
    pki = ensure_pki(tls)
    assert pki.ca_cert.serial_number == 7
    pki.serving_cert.verify_directly_issued_by(ca)
    pki.admin_cert.verify_directly_issued_by(ca)
