"""Raw HTTPS requests as the cluster admin (client certificate), for tests that need to
see exact status codes, headers and bodies rather than what a client library makes of
them."""

from __future__ import annotations

import http.client
import json
import ssl
from dataclasses import dataclass
from typing import Any

from tests.support.server import CorralServer


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class AdminHTTP:
    def __init__(self, server: CorralServer) -> None:
        self.server = server
        tls = server.data_dir / "tls"
        self.ctx = ssl.create_default_context(cafile=str(tls / "ca.crt"))
        self.ctx.load_cert_chain(str(tls / "admin.crt"), str(tls / "admin.key"))

    def request(self, method: str, path: str, body: Any = None, *, content_type: str = "application/json",
                headers: dict[str, str] | None = None, timeout: float = 20.0) -> Response:
        raw = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port, timeout=timeout, context=self.ctx)
        try:
            hdrs = {"Content-Type": content_type, **(headers or {})} if raw is not None else dict(headers or {})
            conn.request(method, path, body=raw, headers=hdrs)
            resp = conn.getresponse()
            return Response(resp.status, resp.headers, resp.read())
        finally:
            conn.close()

    def get(self, path: str, **kw: Any) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> Response:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> Response:
        return self.request("PUT", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Response:
        return self.request("DELETE", path, **kw)

    def watch_lines(self, path: str, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        """The first ``count`` events of a watch (fewer if the server ends the stream)."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port, timeout=timeout, context=self.ctx)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            assert resp.status == 200, resp.read()
            events = []
            while len(events) < count:
                line = resp.readline()
                if not line:
                    break
                events.append(json.loads(line))
            return events
        finally:
            conn.close()
