"""The cluster's certificate authority and the files it signs, created on first start and
reused afterwards, as k3s keeps its server/tls directory.

``ensure_pki`` makes sure the TLS directory holds a usable set: a CA (10 years), a serving
certificate for the API (1 year, reissued when a wanted name is missing or it nears its
end), the ``system:admin`` client certificate (group ``system:masters``) for the admin
kubeconfig, and the key pair that will sign service-account tokens. Anything present and
still good is only read, so a restart costs a few file reads.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from corral.pki.files import PUBLIC, private_dir, write_atomic
from corral.pki.issue import (
    CaKey,
    cert_pem,
    general_names,
    issue,
    key_pem,
    new_ca,
    new_key,
    public_key_pem,
    subject_alt_names,
)

log = logging.getLogger("corral.pki")

CA_DAYS = 3650
LEAF_DAYS = 365
RENEW_BEFORE = timedelta(days=30)

ADMIN_USER = "system:admin"
ADMIN_GROUP = "system:masters"

# What clients inside and outside the cluster dial, as kube-apiserver's serving cert lists.
DEFAULT_SANS = ("localhost", "127.0.0.1", "::1", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local")


_CertCheck = Callable[[x509.Certificate], bool]
_CertMaker = Callable[[], tuple[x509.Certificate, ec.EllipticCurvePrivateKey]]


class PkiError(Exception):
    """The TLS directory holds something that cannot be repaired without losing trust
    (a CA certificate without its key, or a key that does not match it)."""


@dataclass(frozen=True, slots=True)
class Pki:
    dir: Path
    ca_cert: x509.Certificate
    ca_key: CaKey
    serving_cert: x509.Certificate
    admin_cert: x509.Certificate
    admin_key: CaKey
    service_account_key: CaKey

    @property
    def ca_cert_path(self) -> Path:
        return self.dir / "ca.crt"

    @property
    def ca_key_path(self) -> Path:
        return self.dir / "ca.key"

    @property
    def serving_cert_path(self) -> Path:
        return self.dir / "serving.crt"

    @property
    def serving_key_path(self) -> Path:
        return self.dir / "serving.key"

    @property
    def admin_cert_path(self) -> Path:
        return self.dir / "admin.crt"

    @property
    def admin_key_path(self) -> Path:
        return self.dir / "admin.key"

    @property
    def service_account_key_path(self) -> Path:
        return self.dir / "service-account.key"

    @property
    def service_account_pub_path(self) -> Path:
        return self.dir / "service-account.pub"

    @property
    def ca_pem(self) -> bytes:
        return cert_pem(self.ca_cert)

    @property
    def admin_cert_pem(self) -> bytes:
        return cert_pem(self.admin_cert)

    @property
    def admin_key_pem(self) -> bytes:
        return key_pem(self.admin_key)

    def issue_client_cert(self, cn: str, groups: Sequence[str], days: int = LEAF_DAYS) -> tuple[bytes, bytes]:
        """A client certificate for user ``cn`` in ``groups``, signed by the CA: (cert PEM, key PEM)."""
        cert, key = issue(self.ca_cert, self.ca_key, common_name=cn, organizations=groups, days=days)
        return cert_pem(cert), key_pem(key)


def serving_sans(extra: Sequence[str] = ()) -> set[x509.GeneralName]:
    """Every name the serving certificate must carry: the defaults, this host's name, ``extra``."""
    return general_names([*DEFAULT_SANS, socket.gethostname(), *extra])


def ensure_pki(tls_dir: Path, sans: Sequence[str] = ()) -> Pki:
    """Load the PKI from ``tls_dir``, creating or renewing whatever is missing or unusable."""
    started = time.perf_counter()
    private_dir(tls_dir)
    ca_cert, ca_key = _ensure_ca(tls_dir)
    now = datetime.now(UTC)

    wanted = serving_sans(sans)
    serving_cert, _ = _ensure_leaf(
        tls_dir / "serving.crt", tls_dir / "serving.key", ca_cert, ca_key, now,
        lambda cert: wanted <= subject_alt_names(cert),
        lambda: issue(ca_cert, ca_key, common_name="corral", server=True, sans=wanted, days=LEAF_DAYS))
    admin_cert, admin_key = _ensure_leaf(
        tls_dir / "admin.crt", tls_dir / "admin.key", ca_cert, ca_key, now,
        lambda cert: True,
        lambda: issue(ca_cert, ca_key, common_name=ADMIN_USER, organizations=[ADMIN_GROUP], days=LEAF_DAYS))
    sa_key = _ensure_key_pair(tls_dir / "service-account.key", tls_dir / "service-account.pub")

    log.debug("PKI in %s ready in %.1f ms", tls_dir, (time.perf_counter() - started) * 1000)
    return Pki(tls_dir, ca_cert, ca_key, serving_cert, admin_cert, admin_key, sa_key)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _load_key(path: Path) -> CaKey | None:
    data = _read(path)
    if data is None:
        return None
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise PkiError(f"{path}: only ECDSA and RSA keys are supported")
    return key


def _load_cert(path: Path) -> x509.Certificate | None:
    data = _read(path)
    return None if data is None else x509.load_pem_x509_certificate(data)


def _ensure_ca(tls_dir: Path) -> tuple[x509.Certificate, CaKey]:
    cert_path, key_path = tls_dir / "ca.crt", tls_dir / "ca.key"
    cert, key = _load_cert(cert_path), _load_key(key_path)
    if cert is None and key is None:
        cert, key = new_ca(f"corral-server-ca@{int(time.time())}", CA_DAYS)
        write_atomic(key_path, key_pem(key))
        write_atomic(cert_path, cert_pem(cert), PUBLIC)
        log.info("created cluster CA in %s", tls_dir)
        return cert, key
    if cert is None or key is None:
        missing = cert_path if cert is None else key_path
        raise PkiError(f"{missing} is missing; restore it, or remove both ca.crt and ca.key "
                       "to create a new CA (every existing kubeconfig stops working)")
    if cert.public_key() != key.public_key():
        raise PkiError(f"{key_path} does not belong to {cert_path}")
    return cert, key


def _ensure_leaf(cert_path: Path, key_path: Path, ca_cert: x509.Certificate, ca_key: CaKey,
                 now: datetime, acceptable: _CertCheck, make: _CertMaker) -> tuple[x509.Certificate, CaKey]:
    cert, key = _load_cert(cert_path), _load_key(key_path)
    if (cert is not None and key is not None and cert.public_key() == key.public_key()
            and _signed_by(cert, ca_cert) and cert.not_valid_after_utc - now > RENEW_BEFORE
            and acceptable(cert)):
        return cert, key
    fresh_cert, fresh_key = make()
    # Key first: a crash in between leaves a pair that does not match, reissued next start.
    write_atomic(key_path, key_pem(fresh_key))
    write_atomic(cert_path, cert_pem(fresh_cert), PUBLIC)
    log.info("issued %s (valid until %s)", cert_path, fresh_cert.not_valid_after_utc.isoformat())
    return fresh_cert, fresh_key


def _signed_by(cert: x509.Certificate, ca_cert: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _ensure_key_pair(key_path: Path, pub_path: Path) -> CaKey:
    key = _load_key(key_path)
    if key is None:
        key = new_key()
        write_atomic(key_path, key_pem(key))
        log.info("created service-account signing key %s", key_path)
    pub = public_key_pem(key)
    if _read(pub_path) != pub:
        write_atomic(pub_path, pub, PUBLIC)
    return key
