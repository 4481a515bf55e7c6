"""The HTTP application: one catch-all route that classifies each request, runs the
filter chain, and dispatches to the discovery, OpenAPI, health or resource handlers.
Every error leaves as a Status object."""

from __future__ import annotations

import logging
import platform
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web

from corral import __version__
from corral.api import negotiation, request
from corral.api.discovery import Discovery
from corral.api.encode import status_response
from corral.api.filters.chain import AllowAuthenticated, Authorizer, run_filters
from corral.api.handlers.resources import ResourceHandler
from corral.api.operations import Operations
from corral.auth.authenticator import Authenticator
from corral.machinery import errors
from corral.registry.resources import ResourceDef
from corral.registry.store import ObjectStore
from corral.schema.openapi import OpenAPI

log = logging.getLogger("corral.api")

KUBE_VERSION = (1, 33, 0)
READY_CHECKS = ("ping", "log", "etcd", "informer-sync", "poststarthook/start-apiextensions-controllers")


def version_info() -> dict[str, str]:
    major, minor, patch = KUBE_VERSION
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    return {
        "major": str(major), "minor": str(minor), "gitVersion": f"v{major}.{minor}.{patch}+corral-{__version__}",
        "gitCommit": "", "gitTreeState": "clean", "buildDate": "", "goVersion": f"python{platform.python_version()}",
        "compiler": "cpython", "platform": f"linux/{arch}",
    }


class ApiServer:
    """The request path of one server: filters, discovery, OpenAPI and resources."""

    def __init__(self, store: ObjectStore, discovery: Discovery, openapi: OpenAPI,
                 authenticator: Authenticator, authorizer: Authorizer | None = None) -> None:
        self.store = store
        self.discovery = discovery
        self.openapi = openapi
        self.authenticator = authenticator
        self.authorizer: Authorizer = authorizer or AllowAuthenticated()
        self.operations = Operations(store)
        self.resources = ResourceHandler(self.operations)
        self.ready = False
        self._version = orjson.dumps(version_info())

    def app(self) -> web.Application:
        application = web.Application(client_max_size=negotiation.MAX_BODY + 1024,
                                      middlewares=[_errors])
        application.router.add_route("*", "/{tail:.*}", self._dispatch)
        application.on_shutdown.append(self._end_watches)
        return application

    async def _end_watches(self, _app: web.Application) -> None:
        """Shutdown: watches end now rather than at their timeouts."""
        self.resources.watches.close_all()

    async def _dispatch(self, req: web.Request) -> web.StreamResponse:
        info = request.parse(req.method, req.path, req.query.get("watch"))
        user = run_filters(self.authenticator, self.authorizer, req, info)
        if info.is_resource:
            rd = self.discovery.lookup(info.group, info.version, info.resource)
            if rd is None or not _scope_fits(info, rd):
                raise errors.StatusError(404, "NotFound", "the server could not find the requested resource")
            return await self.resources.handle(req, info, rd, user)
        return await self._non_resource(req)

    async def _non_resource(self, req: web.Request) -> web.StreamResponse:
        path = req.path.rstrip("/") or "/"
        if path in ("/healthz", "/livez", "/readyz"):
            return self._health(req, path)
        if req.method not in ("GET", "HEAD"):
            raise errors.method_not_allowed(f"the server does not allow this method on {path}")
        if path == "/version":
            return _json(self._version)
        if path in ("/api", "/apis"):
            rep = negotiation.choose(req.headers.get("Accept", ""), discovery=True)
            if rep.form == "discovery":
                return _json(self.discovery.aggregated(path == "/api", rep.version),
                             f"application/json;g=apidiscovery.k8s.io;v={rep.version};as=APIGroupDiscoveryList")
            return _json(self.discovery.api_versions() if path == "/api" else self.discovery.api_groups())
        if path == "/openapi/v2":
            return _cacheable(req, self.openapi.v2(), self.openapi.v2_etag())
        if path == "/openapi/v3":
            return _json(self.openapi.v3_index())
        if path.startswith("/openapi/v3/"):
            gv = path[len("/openapi/v3/"):]
            doc, current = self.openapi.v3(gv), self.openapi.v3_hash(gv)
            if doc is not None and current is not None:
                wanted = req.query.get("hash")
                if wanted and wanted != current:  # a stale link: send the client to the current one
                    raise web.HTTPMovedPermanently(f"{path}?hash={current}")
                resp = _cacheable(req, doc, current)
                if wanted:
                    resp.headers["Cache-Control"] = "public, immutable"
                    resp.headers["Expires"] = "Fri, 01 Jan 2100 00:00:00 GMT"
                    resp.headers["Vary"] = "Accept"
                return resp
        parts = path.strip("/").split("/")
        doc = None
        if parts[0] == "api" and len(parts) == 2:
            doc = self.discovery.resource_list("", parts[1])
        elif parts[0] == "apis" and len(parts) == 2:
            doc = self.discovery.api_group(parts[1])
        elif parts[0] == "apis" and len(parts) == 3:
            doc = self.discovery.resource_list(parts[1], parts[2])
        if doc is not None:
            return _json(doc)
        raise errors.StatusError(404, "NotFound", "the server could not find the requested resource")

    def _health(self, req: web.Request, path: str) -> web.StreamResponse:
        ok = self.ready or path == "/livez"
        if "verbose" in req.query:
            lines = [f"[{'+' if ok else '-'}]{c} {'ok' if ok else 'failed'}" for c in READY_CHECKS]
            text = "\n".join(lines) + f"\n{path[1:]} check {'passed' if ok else 'failed'}\n"
        else:
            text = "ok" if ok else f"[-]etcd failed: reason withheld\n{path[1:]} check failed"
        return web.Response(text=text, status=200 if ok else 500, content_type="text/plain")


def _scope_fits(info: request.RequestInfo, rd: ResourceDef) -> bool:
    """Whether the path's scope exists for the resource: no namespaced paths for
    cluster-scoped kinds, and namespaced kinds are reached without a namespace only to list
    or watch across all namespaces."""
    if rd.resource == "namespaces" and not rd.group:
        return True
    if not rd.namespaced:
        return not info.namespace
    return bool(info.namespace) or (info.verb in ("list", "watch") and not info.name)


@web.middleware
async def _errors(request: web.Request,
                  handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Every failure leaves as a Status: client errors as raised, anything else as a 500
    whose details stay in the server log."""
    try:
        return await handler(request)
    except errors.StatusError as exc:
        return status_response(exc)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("internal error serving %s %s", request.method, request.path)
        return status_response(errors.internal("an unexpected error happened; see the server log"))


def _cacheable(req: web.Request, body: bytes, tag: str) -> web.Response:
    """A document with an ETag, answered 304 when the client already holds it."""
    etag = f'"{tag}"'
    if req.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers={"ETag": etag})
    return _json(body, headers={"ETag": etag})


def _json(body: bytes, content_type: str = "application/json",
          headers: dict[str, Any] | None = None) -> web.Response:
    resp = web.Response(body=body, headers=headers)
    resp.headers["Content-Type"] = content_type
    return resp
