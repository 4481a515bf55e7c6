"""Handlers for resource requests: turn an HTTP request on a resource into a call on the
object store, and its result into the representation the client asked for."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from corral.api import negotiation, params, views
from corral.api.encode import respond
from corral.api.handlers.watch import serve_watch
from corral.api.request import RequestInfo
from corral.machinery import errors, timeutil
from corral.machinery.labels import selector_from_label_selector
from corral.patch.jsonpatch import PatchError, apply_json_patch
from corral.patch.merge import merge_patch
from corral.registry import encoding
from corral.registry.resources import ResourceDef
from corral.registry.store import ObjectStore
from corral.schema.fields import unknown_fields

# Resources whose DELETE answers with the object rather than a Status (kube's
# ReturnDeletedObject, plus namespaces whose delete only starts termination).
_RETURN_DELETED = frozenset({"pods", "services", "namespaces", "persistentvolumes", "persistentvolumeclaims",
                             "customresourcedefinitions"})
_SCALABLE = frozenset({"deployments", "replicasets", "statefulsets"})


class ResourceHandler:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    async def handle(self, request: web.Request, info: RequestInfo, rd: ResourceDef) -> web.StreamResponse:
        rep = negotiation.choose(request.headers.get("Accept", ""))
        if info.subresource:
            return await self._subresource(request, info, rd, rep)
        verb = info.verb
        if verb == "get":
            return respond(await self.store.get(rd, info.namespace, info.name), rep, rd=rd)
        if verb == "list":
            return await self._list(request, info, rd, rep)
        if verb == "watch":
            opts = params.list_options(rd, request.query, watch=True)
            return await serve_watch(request, self.store, rd, info.namespace, info.name, opts, rep)
        if verb == "create":
            if info.name:
                raise errors.method_not_allowed(f"the server does not allow this method on the requested "
                                                f"resource ({rd.resource} {info.name})")
            body, warnings = await self._read_object(request, rd, info)
            obj = await self.store.create(rd, info.namespace, body, dry_run=params.dry_run(request.query))
            return respond(obj, rep, status=201, rd=rd, warnings=warnings)
        if verb == "update":
            body, warnings = await self._read_object(request, rd, info)
            obj = await self.store.update(rd, info.namespace, info.name, body,
                                          dry_run=params.dry_run(request.query))
            return respond(obj, rep, rd=rd, warnings=warnings)
        if verb == "patch":
            return await self._patch(request, info, rd, rep, "")
        if verb == "delete":
            return await self._delete(request, info, rd, rep)
        if verb == "deletecollection":
            return await self._delete_collection(request, info, rd, rep)
        raise errors.method_not_allowed("the server does not allow this method on the requested resource")

    # ----- bodies --------------------------------------------------------------

    async def _read_object(self, request: web.Request, rd: ResourceDef,
                           info: RequestInfo) -> tuple[dict[str, Any], list[str]]:
        body = negotiation.decode_body(request.headers.get("Content-Type", ""), await _read(request))
        if not isinstance(body, dict):
            raise errors.bad_request(f"the body of the request must be a {rd.kind} object")
        api_version = body.setdefault("apiVersion", rd.group_version)
        kind = body.setdefault("kind", rd.kind)
        if api_version != rd.group_version:
            raise errors.bad_request(f"the API version in the data ({api_version}) does not match the "
                                     f"expected API version ({rd.group_version})")
        if kind != rd.kind:
            raise errors.bad_request(f"the kind in the data ({kind}) does not match the expected kind "
                                     f"({rd.kind})")
        meta = body.get("metadata")
        if meta is None:
            meta = body["metadata"] = {}
        if not isinstance(meta, dict):
            raise errors.bad_request(f"{rd.kind} in version \"{rd.version}\" cannot be handled as a "
                                     f"{rd.kind}: metadata must be an object")
        ns = meta.get("namespace")
        if rd.namespaced and ns and info.namespace and ns != info.namespace:
            raise errors.bad_request("the namespace of the provided object does not match the namespace "
                                     "sent on the request")
        return body, self._check_fields(request, rd, body)

    @staticmethod
    def _check_fields(request: web.Request, rd: ResourceDef, body: dict[str, Any], *,
                      patch: bool = False) -> list[str]:
        """Unknown fields per fieldValidation: dropped with warnings (Warn), dropped
        silently (Ignore), or an error (Strict): 400 for a whole body, 422 for a patch, as
        kube-apiserver answers; either way with one cause per field."""
        mode = params.field_validation(request.query)
        if mode == "Ignore":
            unknown_fields(body, rd.group, rd.version, rd.kind, prune=True)
            return []
        unknown = unknown_fields(body, rd.group, rd.version, rd.kind, prune=mode == "Warn")
        messages = [f'unknown field "{p}"' for p in unknown]
        if not unknown or mode == "Warn":
            return messages
        causes = [errors.Cause("FieldValueInvalid", m, p) for m, p in zip(messages, unknown, strict=True)]
        if patch:
            raise errors.invalid(rd.kind, rd.group, _name(body), [errors.Cause(
                "FieldValueInvalid", f"Invalid value: strict decoding error: {', '.join(messages)}", "patch"),
                *causes])
        raise errors.bad_request(f'{rd.kind} in version "{rd.version}" cannot be handled as a '
                                 f"{rd.kind}: strict decoding error: {', '.join(messages)}", causes)

    # ----- list ----------------------------------------------------------------

    async def _list(self, request: web.Request, info: RequestInfo, rd: ResourceDef,
                    rep: negotiation.Representation) -> web.StreamResponse:
        opts = params.list_options(rd, request.query, watch=False)
        prefix = rd.key_prefix(info.namespace)
        revision = 0
        start_after = ""
        if opts.cont is not None:
            revision = opts.cont.revision
            start_after = prefix + opts.cont.start
        elif opts.resource_version and opts.resource_version != "0":
            wanted = int(opts.resource_version)
            if opts.match == "Exact":
                revision = wanted
            elif wanted > self.store.storage.revision:
                raise errors.timeout(f"Too large resource version: {wanted}, current: "
                                     f"{self.store.storage.revision}")
        page = await self.store.list(rd, info.namespace, opts.filter, limit=opts.limit,
                                     start_after=start_after, revision=revision)
        token = params.encode_continue(page.revision, page.continue_key[len(prefix):]) \
            if page.continue_key else ""
        meta = views.list_meta(page.revision, token, page.remaining)
        if rep.form == "object" and not rep.yaml:
            return web.Response(body=views.object_list(rd, page.items, meta), content_type="application/json")
        objs = [encoding.decode(kv.value, kv.mod_revision) for kv in page.items]
        if rep.form == "table":
            return respond(views.table(rd, objs, rep.version, meta, opts.include_object, timeutil.now()),
                           negotiation.Representation())
        if rep.form == "partial":
            return respond(views.partial_list(objs, rep.version, meta), negotiation.Representation())
        return respond({"kind": rd.list_kind, "apiVersion": rd.group_version, "metadata": meta,
                        "items": objs}, rep)

    # ----- patch ---------------------------------------------------------------

    async def _patch(self, request: web.Request, info: RequestInfo, rd: ResourceDef,
                     rep: negotiation.Representation, subresource: str) -> web.StreamResponse:
        mime = negotiation.content_mime(request.headers.get("Content-Type", ""))
        if mime not in negotiation.PATCH_TYPES or mime == negotiation.APPLY_PATCH:
            raise errors.unsupported_media_type(mime)
        patch = negotiation.decode_body(mime, await _read(request))
        if mime == negotiation.JSON_PATCH:
            if not isinstance(patch, list):
                raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        elif not isinstance(patch, dict):
            raise errors.bad_request("the body of a merge patch must be a JSON object")
        warnings: list[str] = []

        def patcher(current: dict[str, Any]) -> dict[str, Any]:
            if mime == negotiation.JSON_PATCH:
                try:
                    result = apply_json_patch(current, patch)
                except PatchError as exc:
                    raise errors.StatusError(422, "Invalid", f"the server rejected our request due to an "
                                             f"error in our request: {exc}") from None
            else:
                result = merge_patch(current, patch)
            if not isinstance(result, dict) or not isinstance(result.get("metadata", {}), dict):
                raise errors.bad_request("the patched object is not a valid object")
            result.setdefault("metadata", {})
            warnings[:] = self._check_fields(request, rd, result, patch=True)
            return result

        obj = await self.store.patch(rd, info.namespace, info.name, patcher, subresource=subresource,
                                     dry_run=params.dry_run(request.query))
        return respond(obj, rep, rd=rd, warnings=warnings)

    # ----- delete --------------------------------------------------------------

    async def _delete(self, request: web.Request, info: RequestInfo, rd: ResourceDef,
                      rep: negotiation.Representation) -> web.StreamResponse:
        raw = await _read(request)
        body = negotiation.decode_body(request.headers.get("Content-Type", ""), raw) if raw.strip() else None
        opts = params.delete_options(request.query, body)
        obj, gone = await self.store.delete(rd, info.namespace, info.name, uid=opts.uid,
                                            resource_version=opts.resource_version, dry_run=opts.dry_run)
        status = 200 if gone else 202
        if rd.resource in _RETURN_DELETED or not gone:
            return respond(obj, rep, status=status, rd=rd)
        return respond({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                        "details": {"name": info.name, "group": rd.group, "kind": rd.resource,
                                    "uid": obj["metadata"].get("uid", "")}}, rep, status=status)

    async def _delete_collection(self, request: web.Request, info: RequestInfo, rd: ResourceDef,
                                 rep: negotiation.Representation) -> web.StreamResponse:
        opts = params.list_options(rd, request.query, watch=False)
        raw = await _read(request)
        body = negotiation.decode_body(request.headers.get("Content-Type", ""), raw) if raw.strip() else None
        dopts = params.delete_options(request.query, body)
        page = await self.store.list(rd, info.namespace, opts.filter)
        deleted = []
        for kv in page.items:
            obj = encoding.decode(kv.value, kv.mod_revision)
            meta = obj["metadata"]
            try:
                gone_obj, _ = await self.store.delete(rd, meta.get("namespace", ""), meta["name"],
                                                      dry_run=dopts.dry_run)
            except errors.StatusError as exc:
                if exc.code == 404:
                    continue
                raise
            deleted.append(gone_obj)
        return respond({"kind": rd.list_kind, "apiVersion": rd.group_version,
                        "metadata": {"resourceVersion": str(self.store.storage.revision)}, "items": deleted},
                       rep)

    # ----- subresources -------------------------------------------------------

    async def _subresource(self, request: web.Request, info: RequestInfo, rd: ResourceDef,
                           rep: negotiation.Representation) -> web.StreamResponse:
        sub = info.subresource
        if sub not in rd.subresources:
            raise errors.not_found(f"{rd.resource}/{sub}", rd.group, info.name)
        if sub == "status" or (sub == "finalize" and info.verb == "update"):
            if info.verb == "get":
                return respond(await self.store.get(rd, info.namespace, info.name), rep, rd=rd)
            if info.verb == "update":
                body, warnings = await self._read_object(request, rd, info)
                obj = await self.store.update(rd, info.namespace, info.name, body, subresource=sub,
                                              dry_run=params.dry_run(request.query))
                return respond(obj, rep, rd=rd, warnings=warnings)
            if info.verb == "patch":
                return await self._patch(request, info, rd, rep, sub)
        if sub == "scale" and rd.resource in _SCALABLE:
            return await self._scale(request, info, rd, rep)
        raise errors.method_not_allowed(f"the server does not yet support {info.verb} on {rd.resource}/{sub}")

    async def _scale(self, request: web.Request, info: RequestInfo, rd: ResourceDef,
                     rep: negotiation.Representation) -> web.StreamResponse:
        if info.verb == "get":
            return respond(_scale_of(await self.store.get(rd, info.namespace, info.name)), rep)
        if info.verb not in ("update", "patch"):
            raise errors.method_not_allowed(f"{info.verb} is not supported on {rd.resource}/scale")
        mime = negotiation.content_mime(request.headers.get("Content-Type", ""))
        body = negotiation.decode_body(mime, await _read(request))

        def patcher(current: dict[str, Any]) -> dict[str, Any]:
            scale = _scale_of(current)
            if info.verb == "update":
                new_scale = body
            elif mime == negotiation.JSON_PATCH:
                try:
                    new_scale = apply_json_patch(scale, body)
                except PatchError as exc:
                    raise errors.StatusError(422, "Invalid", str(exc)) from None
            else:
                new_scale = merge_patch(scale, body)
            replicas = (new_scale.get("spec") or {}).get("replicas", 0) if isinstance(new_scale, dict) else None
            if not isinstance(replicas, int) or replicas < 0:
                raise errors.invalid("Scale", "autoscaling", info.name, [errors.Cause(
                    "FieldValueInvalid", f"Invalid value: {replicas}: must be greater than or equal to 0",
                    "spec.replicas")])
            rv = (new_scale.get("metadata") or {}).get("resourceVersion")
            current["spec"]["replicas"] = replicas
            if rv:
                current["metadata"]["resourceVersion"] = rv
            return current

        obj = await self.store.patch(rd, info.namespace, info.name, patcher,
                                     dry_run=params.dry_run(request.query))
        return respond(_scale_of(obj), rep)


def _name(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def _scale_of(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj["metadata"]
    selector = selector_from_label_selector((obj.get("spec") or {}).get("selector"))
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                     if k in meta},
        "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 0)},
        "status": {"replicas": (obj.get("status") or {}).get("replicas", 0), "selector": str(selector)},
    }


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
