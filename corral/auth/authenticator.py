"""Who sent a request, decided as kube-apiserver's authenticator chain does: a verified client
certificate first, then an ``Authorization: Bearer`` token; the first that names a user
wins. Every user found this way joins ``system:authenticated``. No user means the request
is anonymous, which the API answers with 401 outside its public paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from corral.auth.tokens import TokenFile
from corral.auth.user import UserInfo
from corral.auth.x509 import user_from_der, user_from_peercert

AUTHENTICATED = "system:authenticated"
UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS_USER = "system:anonymous"

PeerCert = Mapping[str, Any] | bytes | None
"""A verified client certificate as ``getpeercert()`` gives it: dict form, DER, or none."""


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, parsed as kube does: scheme
    case-insensitive, a single space before the token, nothing for an empty token."""
    value = (authorization or "").strip()
    parts = value.split(" ")
    if len(parts) < 2 or parts[0].lower() != "bearer" or not parts[1]:
        return None
    return parts[1]


def with_authenticated_group(user: UserInfo) -> UserInfo:
    """``user`` in ``system:authenticated`` too, unless anonymous or already classified."""
    if user.name == ANONYMOUS_USER or AUTHENTICATED in user.groups or UNAUTHENTICATED in user.groups:
        return user
    return replace(user, groups=(*user.groups, AUTHENTICATED))


class Authenticator:
    def __init__(self, tokens: TokenFile | None) -> None:
        self.tokens = tokens

    def authenticate(self, peercert: PeerCert, authorization: str | None) -> UserInfo | None:
        """The user a request runs as, or None when neither credential names one."""
        user = user_from_der(peercert) if isinstance(peercert, bytes) else user_from_peercert(peercert)
        if user is None and self.tokens is not None:
            token = bearer_token(authorization)
            if token is not None:
                user = self.tokens.authenticate(token)
        return None if user is None else with_authenticated_group(user)
