"""The HTTP transport: requests to any Kubernetes API server (Corral or not) over TLS
with aiohttp, configured from a kubeconfig.

One aiohttp session per transport keeps connections alive and reuses them; it is
created on first use, inside the running event loop. Plain requests have a total
timeout; watches have none (the server ends them after ``timeoutSeconds``): a watch is
established once the response headers arrive, then read as the newline-separated JSON
events kube-apiserver streams, however the chunks split them. Connection failures
become :class:`~corral.client.errors.TransportError`, API errors
:class:`~corral.machinery.errors.StatusError`.
"""

from __future__ import annotations

import platform
from typing import Any

import aiohttp
import orjson

from corral import __version__
from corral.client.errors import TransportError, response_error
from corral.client.kubeconfig import KubeConfig
from corral.client.transport import JSON, EventStream, RawEvent, Request

USER_AGENT = f"corral/{__version__} (linux/{platform.machine()}) python/{platform.python_version()}"
_FAILURES = (aiohttp.ClientError, TimeoutError, OSError)


def _decode(body: bytes, content_type: str) -> Any:
    if not body:
        return {}
    if content_type.endswith("json"):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return body.decode(errors="replace")


class HttpTransport:
    def __init__(self, config: KubeConfig, *, timeout: float = 30.0, connect_timeout: float = 10.0,
                 max_connections: int = 0) -> None:
        """``timeout`` bounds each non-watch request; ``max_connections`` caps open
        connections (0: no cap; every open watch holds one)."""
        self.config = config
        self._ssl = config.ssl_context() if config.server.startswith("https://") else None
        self._timeout = aiohttp.ClientTimeout(total=timeout, connect=connect_timeout)
        self._watch_timeout = aiohttp.ClientTimeout(total=None, connect=connect_timeout, sock_read=None)
        self._max_connections = max_connections
        self._headers = {"Accept": JSON, "User-Agent": USER_AGENT}
        if config.token:
            self._headers["Authorization"] = f"Bearer {config.token}"
        elif config.username:
            self._headers["Authorization"] = aiohttp.BasicAuth(config.username, config.password).encode()
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    def _open(self) -> aiohttp.ClientSession:
        if self._closed:
            raise TransportError("the transport is closed")
        if self._session is None:
            connector = aiohttp.TCPConnector(ssl=self._ssl or True, limit=self._max_connections)
            self._session = aiohttp.ClientSession(connector=connector, headers=self._headers)
        return self._session

    def _send(self, request: Request, timeout: aiohttp.ClientTimeout) -> Any:
        data = None if request.body is None else orjson.dumps(request.body)
        extra: dict[str, Any] = {}
        if self.config.tls_server_name:
            extra["server_hostname"] = self.config.tls_server_name
        return self._open().request(
            request.method, self.config.server + request.path, params=list(request.params), data=data,
            headers={"Content-Type": request.content_type} if data is not None else None, timeout=timeout,
            **extra)

    async def request(self, request: Request) -> Any:
        try:
            async with self._send(request, self._timeout) as resp:
                status, body = resp.status, _decode(await resp.read(), resp.content_type)
        except _FAILURES as exc:
            raise TransportError(f"{request.method} {request.path}: {exc or type(exc).__name__}") from exc
        if status >= 400:
            raise response_error(status, body)
        return body

    async def watch(self, request: Request) -> EventStream:
        try:
            resp = await self._send(request, self._watch_timeout)
        except _FAILURES as exc:
            raise TransportError(f"watch {request.path}: {exc or type(exc).__name__}") from exc
        if resp.status >= 400:
            try:
                body = _decode(await resp.read(), resp.content_type)
            except _FAILURES as exc:
                raise TransportError(f"watch {request.path}: {exc or type(exc).__name__}") from exc
            finally:
                resp.close()
            raise response_error(resp.status, body)
        return _Lines(resp, request.path)

    async def close(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None


class _Lines:
    """The newline-separated JSON events of a watch response, however chunks split them."""

    def __init__(self, resp: aiohttp.ClientResponse, path: str) -> None:
        self._resp = resp
        self._path = path
        self._buf = bytearray()
        self._scanned = 0  # bytes of _buf known to hold no newline

    def __aiter__(self) -> _Lines:
        return self

    async def __anext__(self) -> RawEvent:
        try:
            while True:
                end = self._buf.find(b"\n", self._scanned)
                if end >= 0:
                    line = bytes(self._buf[:end])
                    del self._buf[:end + 1]
                    self._scanned = 0
                    if line.strip():
                        return _event(line)
                    continue
                self._scanned = len(self._buf)
                chunk = await self._resp.content.readany() if not self._resp.closed else b""
                if not chunk:
                    rest, self._buf = bytes(self._buf), bytearray()
                    await self.aclose()
                    if rest.strip():
                        return _event(rest)
                    raise StopAsyncIteration
                self._buf += chunk
        except (*_FAILURES, ValueError, KeyError) as exc:  # also a stream that is not JSON events
            await self.aclose()
            raise TransportError(f"watch {self._path}: {exc or type(exc).__name__}") from exc

    async def aclose(self) -> None:
        self._resp.close()  # an unfinished stream cannot go back to the pool


def _event(line: bytes) -> RawEvent:
    event = orjson.loads(line)
    return event["type"], event["object"]
    async def close(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None
