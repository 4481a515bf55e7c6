"""The HTTP face of resource operations: read and decode the body, build a
:class:`~corral.api.operations.Call`, and encode the result in the representation the
client negotiated (JSON, YAML, Table, PartialObjectMetadata; a stream for watches)."""

from __future__ import annotations

from aiohttp import web

from corral.api import negotiation, views
from corral.api.encode import respond
from corral.api.handlers.watch import ActiveWatches, serve_watch
from corral.api.operations import Call, ListResult, ObjectResult, Operations, WatchResult
from corral.api.request import RequestInfo
from corral.auth.user import UserInfo
from corral.machinery import errors, timeutil
from corral.registry.resources import ResourceDef

_BODY_VERBS = frozenset({"create", "update", "patch", "delete", "deletecollection"})


class ResourceHandler:
    def __init__(self, operations: Operations) -> None:
        self.operations = operations
        self.watches = ActiveWatches()

    async def handle(self, request: web.Request, info: RequestInfo, rd: ResourceDef,
                     user: UserInfo | None) -> web.StreamResponse:
        rep = negotiation.choose(request.headers.get("Accept", ""))
        content_type = request.headers.get("Content-Type", "")
        body = None
        if info.verb in _BODY_VERBS:
            raw = await _read(request)
            if raw.strip() or info.verb in ("create", "update", "patch"):
                body = negotiation.decode_body(content_type, raw)
        result = await self.operations.run(Call(info, rd, request.query, body, content_type, user,
                                                request.headers.get("User-Agent", "")))
        if isinstance(result, WatchResult):
            return await serve_watch(request, rd, result, rep, self.watches)
        if isinstance(result, ListResult):
            return _list_response(rd, result, rep)
        assert isinstance(result, ObjectResult)
        return respond(result.obj, rep, status=result.status, rd=rd if result.own else None,
                       warnings=result.warnings)


def _list_response(rd: ResourceDef, result: ListResult, rep: negotiation.Representation) -> web.Response:
    if rep.form == "object" and not rep.yaml:  # the fast path: splice stored bytes
        return web.Response(body=views.object_list(rd, result.items, result.meta), content_type="application/json")
    objs = result.objects()
    if rep.form == "table":
        return respond(views.table(rd, objs, rep.version, result.meta, result.include_object, timeutil.now()),
                       negotiation.Representation())
    if rep.form == "partial":
        return respond(views.partial_list(objs, rep.version, result.meta), negotiation.Representation())
    return respond({"kind": rd.list_kind, "apiVersion": rd.group_version, "metadata": result.meta,
                    "items": list(objs)}, rep)


async def _read(request: web.Request) -> bytes:
    if request.content_length is not None and request.content_length > negotiation.MAX_BODY:
        raise errors.too_large()
    chunks = []
    size = 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > negotiation.MAX_BODY:
            raise errors.too_large()
        chunks.append(chunk)
    return b"".join(chunks)
