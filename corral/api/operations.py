"""What each verb on a resource does, independent of how the request arrived.

A :class:`Call` carries an already-classified request with its body decoded to a
JSON-shaped value. The HTTP handler builds one from an aiohttp request and encodes the
result in the representation the client negotiated; the in-process client transport
builds one directly and takes the result as dicts, with no socket and no JSON round-trip.
Both pass the same checks: path/body agreement, field validation, dry runs, patches,
subresources.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from corral.api import negotiation, params, views
from corral.api.request import RequestInfo
from corral.auth.user import UserInfo
from corral.machinery import errors, timeutil
from corral.machinery.labels import selector_from_label_selector
from corral.patch.jsonpatch import PatchError, apply_json_patch
from corral.patch.merge import merge_patch
from corral.patch.strategic import StrategicPatchError, strategic_merge_patch
from corral.registry import encoding
from corral.registry.custom import scale as custom_scale
from corral.registry.resources import ResourceDef
from corral.registry.store import ObjectStore, WatchEvent
from corral.schema.fields import unknown_fields
from corral.schema.patchmeta import patch_meta
from corral.storage.interface import KeyValue

# Resources whose DELETE answers with the object rather than a Status (kube's
# ReturnDeletedObject, plus namespaces whose delete only starts termination).
_RETURN_DELETED = frozenset({"pods", "services", "namespaces", "persistentvolumes", "persistentvolumeclaims",
                             "customresourcedefinitions"})
_SCALABLE = frozenset({"deployments", "replicasets", "statefulsets"})
_FIELD_MANAGER_MAX = 128  # bytes
# the patch types kube accepts on custom resources and their subresources (no strategic merge)
_CUSTOM_PATCH_TYPES = (negotiation.JSON_PATCH, negotiation.MERGE_PATCH, negotiation.APPLY_PATCH)


@dataclass(slots=True)
class Call:
    """One request on a resource, however it arrived."""

    info: RequestInfo
    rd: ResourceDef
    query: params.Query
    body: Any = None  # the decoded body, or None
    content_type: str = negotiation.JSON  # media type of the body (selects the patch type)
    user: UserInfo | None = None
    user_agent: str = ""  # names the field manager of writes that name none


@dataclass(slots=True)
class ObjectResult:
    obj: dict[str, Any]
    status: int = 200
    warnings: list[str] = field(default_factory=list)
    # the object is one of the resource's own (so it can be shown as a Table row); False
    # for Status and Scale answers
    own: bool = True


@dataclass(slots=True)
class ListResult:
    items: list[KeyValue]
    meta: dict[str, Any]
    include_object: str

    def objects(self) -> Iterator[dict[str, Any]]:
        """The items decoded one at a time, so a large list never holds them all."""
        return (encoding.decode(kv.value, kv.mod_revision) for kv in self.items)


@dataclass(slots=True)
class WatchResult:
    initial: list[WatchEvent]  # the state to send first (ADDED events)
    start: int  # the revision the initial state was read at, or the one to watch from
    events: AsyncIterator[WatchEvent]
    opts: params.ListOptions


Result = ObjectResult | ListResult | WatchResult


class Operations:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    async def run(self, call: Call) -> Result:
        info, rd = call.info, call.rd
        if info.verb == "patch" and rd.custom is not None \
                and negotiation.content_mime(call.content_type) not in _CUSTOM_PATCH_TYPES:
            raise errors.StatusError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                                     f"accepted media types include: {', '.join(_CUSTOM_PATCH_TYPES)}")
        if info.subresource:
            return await self._subresource(call)
        verb = info.verb
        if verb == "get":
            return ObjectResult(await self.store.get(rd, info.namespace, info.name))
        if verb == "list":
            return await self._list(call)
        if verb == "watch":
            return await self._watch(call)
        if verb == "create" and rd.group == "authentication.k8s.io" and rd.resource == "selfsubjectreviews":
            return self._self_subject_review(call)
        if verb == "create":
            if info.name:
                raise errors.method_not_allowed(f"the server does not allow this method on the requested "
                                                f"resource ({rd.resource} {info.name})")
            body, warnings = self._object_body(call)
            obj = await self.store.create(rd, info.namespace, body, dry_run=params.dry_run(call.query),
                                          manager=_field_manager(call, "CreateOptions"))
            return ObjectResult(obj, 201, warnings)
        if verb == "update":
            body, warnings = self._object_body(call)
            obj = await self.store.update(rd, info.namespace, info.name, body, dry_run=params.dry_run(call.query),
                                          manager=_field_manager(call, "UpdateOptions"))
            return ObjectResult(obj, 200, warnings)
        if verb == "patch":
            return await self._patch(call, "")
        if verb == "delete":
            return await self._delete(call)
        if verb == "deletecollection":
            return await self._delete_collection(call)
        raise errors.method_not_allowed("the server does not allow this method on the requested resource")

    @staticmethod
    def _self_subject_review(call: Call) -> ObjectResult:
        """``kubectl auth whoami``: the caller's identity as authentication saw it."""
        user = call.user
        info: dict[str, Any] = {}
        if user is not None:
            info = {"username": user.name, "groups": list(user.groups)}
            if user.uid:
                info["uid"] = user.uid
            if user.extra:
                info["extra"] = {k: list(v) for k, v in user.extra.items()}
        return ObjectResult({"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                             "metadata": {"creationTimestamp": None}, "status": {"userInfo": info}}, 201)

    # ----- bodies --------------------------------------------------------------

    def _object_body(self, call: Call) -> tuple[dict[str, Any], list[str]]:
        rd, body = call.rd, call.body
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
        if rd.namespaced and ns and call.info.namespace and ns != call.info.namespace:
            raise errors.bad_request("the namespace of the provided object does not match the namespace "
                                     "sent on the request")
        return body, self._check_fields(call, body)

    @staticmethod
    def _check_fields(call: Call, body: dict[str, Any], *, patch: bool = False) -> list[str]:
        """Unknown fields per fieldValidation: dropped with warnings (Warn), dropped
        silently (Ignore), or an error (Strict): 400 for a whole body, 422 for a patch, as
        kube-apiserver answers; either way with one cause per field."""
        rd = call.rd
        mode = params.field_validation(call.query)
        unknown = unknown_fields(body, rd.group, rd.version, rd.kind, prune=mode != "Strict")
        if not unknown or mode == "Ignore":
            return []
        messages = [f'unknown field "{p}"' for p in unknown]
        if mode == "Warn":
            return messages
        causes = [errors.Cause("FieldValueInvalid", m, p) for m, p in zip(messages, unknown, strict=True)]
        if patch:
            raise errors.invalid(rd.kind, rd.group, _name(body), [errors.Cause(
                "FieldValueInvalid", f"Invalid value: strict decoding error: {', '.join(messages)}", "patch"),
                *causes])
        raise errors.bad_request(f'{rd.kind} in version "{rd.version}" cannot be handled as a '
                                 f"{rd.kind}: strict decoding error: {', '.join(messages)}", causes)

    # ----- list and watch ------------------------------------------------------

    async def _list(self, call: Call) -> ListResult:
        rd, info = call.rd, call.info
        opts = params.list_options(rd, call.query, watch=False)
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
        return ListResult(page.items, views.list_meta(page.revision, token, page.remaining), opts.include_object)

    async def _watch(self, call: Call) -> WatchResult:
        rd, info = call.rd, call.info
        opts = params.list_options(rd, call.query, watch=True)
        rv = opts.resource_version
        initial_wanted = opts.send_initial_events if opts.send_initial_events is not None else rv in ("", "0")
        initial: list[WatchEvent] = []
        start = int(rv) if rv.isdigit() else 0
        if initial_wanted:
            page = await self.store.list(rd, info.namespace, opts.filter)
            key = rd.key(info.namespace, info.name) if info.name else ""
            initial = [WatchEvent("ADDED", kv.value, kv.mod_revision) for kv in page.items
                       if not key or kv.key == key]
            start = page.revision
        events = self.store.watch(rd, info.namespace, info.name, opts.filter, start)
        return WatchResult(initial, start, events, opts)

    # ----- patch ---------------------------------------------------------------

    async def _patch(self, call: Call, subresource: str) -> ObjectResult:
        mime = negotiation.content_mime(call.content_type)
        if mime == negotiation.APPLY_PATCH:
            return await self._apply(call, subresource)
        if mime not in negotiation.PATCH_TYPES:
            raise errors.unsupported_media_type(mime)
        if "force" in call.query:
            raise errors.invalid("PatchOptions", "meta.k8s.io", "", [errors.Cause(
                "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force")])
        manager = _field_manager(call, "PatchOptions")
        patch = call.body
        if mime == negotiation.JSON_PATCH:
            if not isinstance(patch, list):
                raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        elif not isinstance(patch, dict):
            raise errors.bad_request("the body of a merge patch must be a JSON object")
        warnings: list[str] = []

        meta = None
        if mime == negotiation.STRATEGIC_PATCH:
            rd = call.rd
            meta = patch_meta(rd.group, rd.version, rd.kind)
            if meta is None:  # custom resources have no strategic merge metadata
                raise errors.unsupported_media_type(mime)

        def patcher(current: dict[str, Any]) -> dict[str, Any]:
            if mime == negotiation.JSON_PATCH:
                try:
                    result = apply_json_patch(current, patch)
                except PatchError as exc:
                    raise errors.StatusError(422, "Invalid", f"the server rejected our request due to an "
                                             f"error in our request: {exc}") from None
            elif meta is not None:
                try:
                    result = strategic_merge_patch(current, patch, meta)
                except StrategicPatchError as exc:
                    raise _strategic_error(exc) from None
            else:
                result = merge_patch(current, patch)
            if not isinstance(result, dict) or not isinstance(result.get("metadata", {}), dict):
                raise errors.bad_request("the patched object is not a valid object")
            result.setdefault("metadata", {})
            warnings[:] = self._check_fields(call, result, patch=True)
            return result

        info = call.info
        obj = await self.store.patch(call.rd, info.namespace, info.name, patcher, subresource=subresource,
                                     dry_run=params.dry_run(call.query), manager=manager)
        return ObjectResult(obj, 200, warnings)

    async def _apply(self, call: Call, subresource: str) -> ObjectResult:
        """Server-side apply: merge the configuration into the object (creating it when
        there is none) and own its fields; 201 when it created the object."""
        rd, info = call.rd, call.info
        manager = _field_manager(call, "PatchOptions", apply=True)
        config = call.body
        if not isinstance(config, dict):
            raise errors.bad_request("error decoding YAML: error unmarshaling JSON: while decoding JSON: json: "
                                     "cannot unmarshal array into Go value of type map[string]interface {}")
        meta = config.get("metadata") or {}
        if not isinstance(meta, dict):
            raise errors.bad_request("the metadata of an applied configuration must be an object")
        if meta.get("name") != info.name:
            raise errors.bad_request(f"the name of the object ({meta.get('name') or ''}) does not match the name "
                                     f"on the URL ({info.name})")
        namespace = meta.get("namespace")
        if rd.namespaced and namespace and namespace != info.namespace:
            raise errors.bad_request("the namespace of the provided object does not match the namespace sent on "
                                     "the request")
        force = (call.query.get("force") or "").lower() in ("true", "1")
        obj, created = await self.store.apply(rd, info.namespace, info.name, config, manager=manager, force=force,
                                              subresource=subresource, dry_run=params.dry_run(call.query))
        return ObjectResult(obj, 201 if created else 200)

    # ----- delete --------------------------------------------------------------

    async def _delete(self, call: Call) -> ObjectResult:
        rd, info = call.rd, call.info
        opts = params.delete_options(call.query, call.body)
        obj, gone = await self.store.delete(rd, info.namespace, info.name, uid=opts.uid,
                                            resource_version=opts.resource_version, dry_run=opts.dry_run)
        # kube answers 200 even when finalizers keep the object (202 only for the
        # deprecated orphanDependents=false, which Corral does not take)
        status = 200
        if rd.resource in _RETURN_DELETED or not gone:
            return ObjectResult(obj, status)
        return ObjectResult({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                             "details": {"name": info.name, "group": rd.group, "kind": rd.resource,
                                         "uid": obj["metadata"].get("uid", "")}}, status, own=False)

    async def _delete_collection(self, call: Call) -> ObjectResult:
        rd, info = call.rd, call.info
        opts = params.list_options(rd, call.query, watch=False)
        dopts = params.delete_options(call.query, call.body)
        page = await self.store.list(rd, info.namespace, opts.filter)
        deleted = []
        for kv in page.items:
            meta = encoding.decode(kv.value, kv.mod_revision)["metadata"]
            try:
                gone_obj, _ = await self.store.delete(rd, meta.get("namespace", ""), meta["name"],
                                                      dry_run=dopts.dry_run)
            except errors.StatusError as exc:
                if exc.code == 404:
                    continue
                raise
            deleted.append(gone_obj)
        return ObjectResult({"kind": rd.list_kind, "apiVersion": rd.group_version,
                             "metadata": {"resourceVersion": str(self.store.storage.revision)}, "items": deleted},
                            own=False)

    # ----- subresources -------------------------------------------------------

    async def _subresource(self, call: Call) -> ObjectResult:
        rd, info = call.rd, call.info
        sub = info.subresource
        if sub not in rd.subresources:
            raise errors.not_found(f"{rd.resource}/{sub}", rd.group, info.name)
        if sub == "status" or (sub == "finalize" and info.verb == "update"):
            if info.verb == "get":
                return ObjectResult(await self.store.get(rd, info.namespace, info.name))
            if info.verb == "update":
                body, warnings = self._object_body(call)
                obj = await self.store.update(rd, info.namespace, info.name, body, subresource=sub,
                                              dry_run=params.dry_run(call.query),
                                              manager=_field_manager(call, "UpdateOptions"))
                return ObjectResult(obj, 200, warnings)
            if info.verb == "patch":
                return await self._patch(call, sub)
        if sub == "scale" and (rd.resource in _SCALABLE or rd.custom is not None):
            return await self._scale(call)
        if sub == "binding" and info.verb == "create" and rd.resource == "pods" and not rd.group:
            return await self._bind(call)
        raise errors.method_not_allowed(f"the server does not yet support {info.verb} on {rd.resource}/{sub}")

    async def _bind(self, call: Call) -> ObjectResult:
        """POST pods/{name}/binding: assign an unbound pod to a node (what a scheduler does)."""
        info, body = call.info, call.body
        target = body.get("target") if isinstance(body, dict) else None
        node = target.get("name") if isinstance(target, dict) else None
        if not isinstance(node, str) or not node:
            raise errors.invalid("Binding", "", info.name, [errors.Cause(
                "FieldValueRequired", "Required value", "target.name")])
        if isinstance(target, dict) and target.get("kind", "Node") != "Node":
            raise errors.invalid("Binding", "", info.name, [errors.Cause(
                "FieldValueNotSupported", f'Unsupported value: "{target.get("kind")}": supported values: "Node"',
                "target.kind")])
        wanted_uid = ((body.get("metadata") or {}).get("uid") or "") if isinstance(body, dict) else ""

        def assign(pod: dict[str, Any]) -> dict[str, Any]:
            meta, spec = pod["metadata"], pod.setdefault("spec", {})
            if wanted_uid and wanted_uid != meta.get("uid"):
                raise errors.conflict("pods", "", info.name, f"Precondition failed: UID in precondition: "
                                      f"{wanted_uid}, UID in object meta: {meta.get('uid')}")
            if meta.get("deletionTimestamp"):
                raise errors.conflict("pods", "", info.name, "pod is being deleted, cannot be assigned to a host")
            if spec.get("nodeName"):
                raise errors.conflict("pods", "", info.name,
                                      f"pod {info.name} is already assigned to node \"{spec['nodeName']}\"")
            spec["nodeName"] = node
            conditions = [c for c in (pod.get("status") or {}).get("conditions", []) if c.get("type") != "PodScheduled"]
            pod.setdefault("status", {})["conditions"] = [*conditions, {
                "type": "PodScheduled", "status": "True", "lastProbeTime": None,
                "lastTransitionTime": timeutil.format_time(timeutil.now())}]
            return pod

        await self.store.patch(call.rd, info.namespace, info.name, assign, subresource="binding",
                               dry_run=params.dry_run(call.query))
        return ObjectResult({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                             "code": 201}, 201, own=False)

    async def _scale(self, call: Call) -> ObjectResult:
        rd, info = call.rd, call.info
        paths = rd.custom.scale if rd.custom is not None else None  # a custom resource's replicas paths
        scale_of = _scale_of if paths is None else partial(custom_scale.scale_of, paths)
        if info.verb == "get":
            return ObjectResult(scale_of(await self.store.get(rd, info.namespace, info.name)), own=False)
        if info.verb not in ("update", "patch"):
            raise errors.method_not_allowed(f"{info.verb} is not supported on {rd.resource}/scale")
        mime = negotiation.content_mime(call.content_type)
        body = call.body

        def patcher(current: dict[str, Any]) -> dict[str, Any]:
            scale = scale_of(current)
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
            # a custom resource's own validation checks its replicas (kube validates no Scale there)
            if not isinstance(replicas, int) or (replicas < 0 and paths is None):
                raise errors.invalid("Scale", "autoscaling", info.name, [errors.Cause(
                    "FieldValueInvalid", f"Invalid value: {replicas}: must be greater than or equal to 0",
                    "spec.replicas")])
            rv = (new_scale.get("metadata") or {}).get("resourceVersion")
            if paths is None:
                current["spec"]["replicas"] = replicas
            else:
                custom_scale.set_replicas(paths, current, replicas)
            if rv:
                current["metadata"]["resourceVersion"] = rv
            return current

        obj = await self.store.patch(rd, info.namespace, info.name, patcher, dry_run=params.dry_run(call.query),
                                     manager=_field_manager(call, "UpdateOptions"))
        return ObjectResult(scale_of(obj), own=False)


def _field_manager(call: Call, options: str, *, apply: bool = False) -> str:
    """The request's ``fieldManager``, checked as kube checks its create, update and patch
    options (an apply must name one)."""
    name = call.query.get("fieldManager") or ""
    causes = []
    if apply and not name:
        causes.append(errors.Cause("FieldValueRequired", "Required value: is required for apply patch",
                                   "fieldManager"))
    if len(name.encode()) > _FIELD_MANAGER_MAX:
        causes.append(errors.Cause("FieldValueTooLong", f"Too long: may not be more than {_FIELD_MANAGER_MAX} bytes",
                                   "fieldManager"))
    for at, char in enumerate(name):
        if not char.isprintable():
            causes.append(errors.Cause("FieldValueInvalid", f"Invalid value: {name!r}: invalid character "
                                       f"U+{ord(char):04X} (at position {at})", "fieldManager"))
    if causes:
        raise errors.invalid(options, "meta.k8s.io", "", causes)
    # kube's default: the User-Agent up to its first "/" ("kubectl", "helm", "Go-http-client")
    return name or call.user_agent.split("/", 1)[0][:_FIELD_MANAGER_MAX]


def _strategic_error(exc: StrategicPatchError) -> errors.StatusError:
    """The Status kube-apiserver answers for a strategic patch it cannot apply."""
    if exc.code == 400:
        return errors.bad_request(str(exc))
    if exc.code == 422:
        return errors.StatusError(422, "Invalid", str(exc))
    return errors.StatusError(exc.code, "", str(exc))


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
