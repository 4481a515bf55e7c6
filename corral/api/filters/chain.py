"""The filter chain every request passes before a handler, in kube-apiserver's order:
authentication, then authorization (a seam: today every authenticated user is allowed;
RBAC plugs in here), then audit (a seam for the audit log). Failures become Status
answers (401, 403) and never reach a handler."""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from corral.api.request import RequestInfo
from corral.auth.authenticator import Authenticator
from corral.auth.user import UserInfo
from corral.machinery import errors

# Paths anonymous clients may read (kube's system:public-info-viewer minus /version):
# enough for load balancers and readiness probes, nothing about the cluster.
PUBLIC_PATHS = frozenset({"/healthz", "/livez", "/readyz"})


class Authorizer(Protocol):
    def authorize(self, user: UserInfo, info: RequestInfo) -> str | None:
        """None to allow, else the reason for a 403."""


class AllowAuthenticated:
    """Every authenticated user may do everything (until RBAC is enforced)."""

    def authorize(self, user: UserInfo, info: RequestInfo) -> str | None:
        return None


def authenticate(authenticator: Authenticator, request: web.Request) -> UserInfo | None:
    transport = request.transport
    tls = transport.get_extra_info("ssl_object") if transport is not None else None
    der = tls.getpeercert(binary_form=True) if tls is not None else None
    return authenticator.authenticate(der, request.headers.get("Authorization"))


def run_filters(authenticator: Authenticator, authorizer: Authorizer, request: web.Request,
                info: RequestInfo) -> UserInfo | None:
    """The user a request runs as; raises the Status error that ends it otherwise."""
    user = authenticate(authenticator, request)
    if user is None:
        if request.path in PUBLIC_PATHS:
            return None
        raise errors.unauthorized()
    reason = authorizer.authorize(user, info)
    if reason is not None:
        raise errors.forbidden(reason)
    return user
