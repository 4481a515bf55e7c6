"""The seam between :class:`corral.client.Client` and how requests travel.

A transport takes an already-addressed :class:`Request` (method, API path, query, body
as a JSON-shaped value) and answers with the decoded response body, or streams watch
events. Everything Kubernetes-specific above this line (paths, options, watch ERROR
events, informers) is shared; below it there are two transports, as httpx has its
HTTP and ASGI ones:

* :class:`corral.client.http.HttpTransport`: aiohttp over TLS to any API server,
  configured from a kubeconfig;
* ``corral.api.inprocess.InProcessTransport``: straight into a Corral ApiServer's
  request path in the same event loop, with no socket and no JSON encoding of results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

JSON = "application/json"

Params = Sequence[tuple[str, str]]
RawEvent = tuple[str, dict[str, Any]]  # ("ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR", object)


@dataclass(frozen=True, slots=True)
class Request:
    method: str  # GET POST PUT PATCH DELETE
    path: str  # /api/v1/namespaces/default/configmaps/x, unescaped
    params: Params = ()
    body: Any = None  # a JSON-shaped value; the transport must not change it
    content_type: str = JSON


class EventStream(Protocol):
    """The events of an established watch, until the server ends it (async generators
    qualify)."""

    async def __anext__(self) -> RawEvent: ...

    async def aclose(self) -> None: ...


class Transport(Protocol):
    async def request(self, request: Request) -> Any:
        """The decoded body of the answer; raises StatusError for API errors and
        TransportError when no answer came."""

    async def watch(self, request: Request) -> EventStream:
        """Start a watch request; returns once the server has accepted it (raising like
        :meth:`request` if it does not), so changes from then on are in the stream."""

    async def close(self) -> None:
        """Release connections; the transport is unusable afterwards."""
