"""How failures reach a client's caller, whichever transport carried the request.

An API error is a :class:`corral.machinery.errors.StatusError` built from the ``Status``
the server answered (HTTP error bodies and watch ``ERROR`` events alike), so callers test
``exc.code == 404`` or ``exc.code == 410`` the same way against Corral in-process, Corral
over HTTPS, or any other Kubernetes API server. A request that got no answer at all
(connection refused, reset, timed out) is a :class:`TransportError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from corral.machinery.errors import Cause, StatusError


class TransportError(Exception):
    """The request got no API answer: the server could not be reached or the
    connection broke. Retrying later may succeed."""


def _reason_for(code: int) -> str:
    try:
        return HTTPStatus(code).phrase.replace(" ", "")
    except ValueError:
        return "Unknown"


def status_error(status: Mapping[str, Any], code: int = 0) -> StatusError:
    """The error a ``Status`` object describes; ``code`` (the HTTP status) fills in a
    missing ``code`` field."""
    details = status.get("details") or {}
    code = int(status.get("code") or code or 500)
    causes = [Cause(str(c.get("reason", "")), str(c.get("message", "")), str(c.get("field", "")))
              for c in details.get("causes") or () if isinstance(c, Mapping)]
    retry = details.get("retryAfterSeconds")
    return StatusError(code, str(status.get("reason") or _reason_for(code)), str(status.get("message") or ""),
                       group=str(details.get("group") or ""), kind=str(details.get("kind") or ""),
                       name=str(details.get("name") or ""), causes=causes,
                       retry_after=int(retry) if isinstance(retry, int) else None)


def response_error(code: int, body: Any) -> StatusError:
    """The error for an HTTP error answer whose body is ``body`` (decoded JSON, or text
    when the answer was not a Status, e.g. from a proxy in front of the server)."""
    if isinstance(body, Mapping) and body.get("kind") == "Status":
        return status_error(body, code)
    text = body if isinstance(body, str) else ""
    return StatusError(code, _reason_for(code), text.strip()[:500] or f"the server answered {code}")
