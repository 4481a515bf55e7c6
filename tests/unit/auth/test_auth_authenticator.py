"""The authenticator chain: client certificate first, then bearer token, and the
``system:authenticated`` group for everyone it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from corral.auth.authenticator import Authenticator, bearer_token, with_authenticated_group
from corral.auth.tokens import TokenFile
from corral.auth.user import ANONYMOUS, UserInfo
from corral.pki.issue import issue, new_ca

ALICE_CERT: dict[str, Any] = {"subject": ((("organizationName", "dev"),), (("commonName", "alice"),))}


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFile:
    return TokenFile(tmp_path / "tokens.csv")


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer abc", "abc"),
    ("bearer abc", "abc"),
    ("BEARER abc", "abc"),
    ("  Bearer abc  ", "abc"),
    ("Bearer abc def", "abc"),
    ("Bearer", None),
    ("Bearer ", None),
    ("Bearer  abc", None),  # the token is what follows the first space: here empty
    ("Basic YWxpY2U6cHc=", None),
    ("Bearerabc", None),
    ("", None),
    (None, None),
])
def test_bearer_header_parsing(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_client_certificate_user_gets_system_authenticated(tokens: TokenFile) -> None:
    user = Authenticator(tokens).authenticate(ALICE_CERT, None)
    assert user == UserInfo("alice", groups=("dev", "system:authenticated"))


def test_der_certificate_is_accepted_too(tokens: TokenFile) -> None:
    ca_cert, ca_key = new_ca("ca", 1)
    cert, _ = issue(ca_cert, ca_key, common_name="carol", organizations=["ops"], days=1)
    user = Authenticator(tokens).authenticate(cert.public_bytes(serialization.Encoding.DER), None)
    assert user is not None
    assert (user.name, user.groups) == ("carol", ("ops", "system:authenticated"))


def test_bearer_token_user(tokens: TokenFile) -> None:
    token = tokens.add("bob", "7", ["viewers"])
    user = Authenticator(tokens).authenticate(None, f"Bearer {token}")
    assert user == UserInfo("bob", uid="7", groups=("viewers", "system:authenticated"))


def test_client_certificate_wins_over_token(tokens: TokenFile) -> None:
    token = tokens.add("bob", "7", [])
    user = Authenticator(tokens).authenticate(ALICE_CERT, f"Bearer {token}")
    assert user is not None and user.name == "alice"


def test_certificate_without_common_name_falls_back_to_token(tokens: TokenFile) -> None:
    token = tokens.add("bob", "7", [])
    nameless = {"subject": ((("organizationName", "dev"),),)}
    user = Authenticator(tokens).authenticate(nameless, f"Bearer {token}")
    assert user is not None and user.name == "bob"


def test_wrong_token_or_nothing_is_nobody(tokens: TokenFile) -> None:
    tokens.add("bob", "7", [])
    authenticator = Authenticator(tokens)
    assert authenticator.authenticate(None, "Bearer wrong") is None
    assert authenticator.authenticate(None, None) is None
    assert authenticator.authenticate({}, "Basic Ym9iOnB3") is None


def test_without_a_token_file_only_certificates_count(tokens: TokenFile) -> None:
    token = tokens.add("bob", "7", [])
    assert Authenticator(None).authenticate(None, f"Bearer {token}") is None
    assert Authenticator(None).authenticate(ALICE_CERT, None) is not None


def test_authenticated_group_is_added_once_and_never_to_anonymous() -> None:
    already = UserInfo("x", groups=("system:authenticated", "a"))
    assert with_authenticated_group(already) is already
    assert with_authenticated_group(ANONYMOUS) is ANONYMOUS
    unauthenticated = UserInfo("y", groups=("system:unauthenticated",))
    assert with_authenticated_group(unauthenticated) is unauthenticated
