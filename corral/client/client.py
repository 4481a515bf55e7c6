"""The one async Kubernetes API client every component uses (controllers, agents, the
fleet agent, tests), whatever carries its requests.

It speaks in resources and objects the way client-go's dynamic client does: a
:class:`~corral.client.resource.Resource` (group, version, plural, scope), an optional
namespace, and objects as plain JSON-shaped dicts. It builds the API path and the query
(ListOptions, DeleteOptions, patch types), hands a :class:`Request` to its transport,
and turns watch ``ERROR`` events into :class:`~corral.machinery.errors.StatusError`, so
the two transports behave the same from here up.
"""

from __future__ import annotations

import builtins
import os
import types
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from corral.client.discovery import Discovery
from corral.client.errors import status_error
from corral.client.http import HttpTransport
from corral.client.kubeconfig import load_kubeconfig
from corral.client.resource import Resource
from corral.client.transport import JSON, EventStream, Params, Request, Transport

Obj = dict[str, Any]


class PatchType(StrEnum):
    """The patch formats, by the media type that selects them."""

    JSON = "application/json-patch+json"
    MERGE = "application/merge-patch+json"
    STRATEGIC = "application/strategic-merge-patch+json"
    APPLY = "application/apply-patch+yaml"


@dataclass(frozen=True, slots=True)
class DeleteOptions:
    """meta/v1 DeleteOptions: how a delete proceeds and what must still hold for it."""

    propagation_policy: str = ""  # "Foreground", "Background" or "Orphan"; "" for the resource's default
    grace_period_seconds: int | None = None
    uid: str = ""  # precondition: the object still has this uid
    resource_version: str = ""  # precondition: the object is still at this resourceVersion
    dry_run: bool = False

    def body(self) -> Obj:
        body: Obj = {"kind": "DeleteOptions", "apiVersion": "v1"}
        if self.propagation_policy:
            body["propagationPolicy"] = self.propagation_policy
        if self.grace_period_seconds is not None:
            body["gracePeriodSeconds"] = self.grace_period_seconds
        preconditions = {k: v for k, v in (("uid", self.uid), ("resourceVersion", self.resource_version)) if v}
        if preconditions:
            body["preconditions"] = preconditions
        if self.dry_run:
            body["dryRun"] = ["All"]
        return body


class WatchEvent(NamedTuple):
    type: str  # ADDED, MODIFIED, DELETED or BOOKMARK
    object: Obj


class Watch:
    """The events of one watch, as an async iterator. The watch is established on
    entering it as an async context manager (which also closes it) or on the first
    event asked for. An ``ERROR`` event ends it by raising its StatusError (410 Gone
    when the requested resourceVersion is too old: list again)."""

    def __init__(self, transport: Transport, request: Request) -> None:
        self._transport = transport
        self._request = request
        self._stream: EventStream | None = None
        self._closed = False

    async def _open(self) -> EventStream:
        if self._stream is None:
            if self._closed:
                raise StopAsyncIteration
            self._stream = await self._transport.watch(self._request)
        return self._stream

    def __aiter__(self) -> Watch:
        return self

    async def __anext__(self) -> WatchEvent:
        stream = await self._open()
        kind, obj = await anext(stream)
        if kind == "ERROR":
            await self.aclose()
            raise status_error(obj)
        return WatchEvent(kind, obj)

    async def aclose(self) -> None:
        self._closed = True
        if self._stream is not None:
            await self._stream.aclose()

    async def __aenter__(self) -> Watch:
        await self._open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _options(**values: str | int | bool | None) -> list[tuple[str, str]]:
    """Query parameters from keyword values, skipping unset ones (None, "", 0, False);
    True as "true"."""
    out = []
    for key, value in values.items():
        if value in (None, "", 0):  # False == 0
            continue
        out.append((key, "true" if value is True else str(value)))
    return out


def _write_options(dry_run: bool, field_manager: str, field_validation: str) -> list[tuple[str, str]]:
    return _options(dryRun="All" if dry_run else None, fieldManager=field_manager,
                    fieldValidation=field_validation)


def _name_of(obj: Mapping[str, Any]) -> str:
    name = str((obj.get("metadata") or {}).get("name") or "")
    if not name:
        raise ValueError("the object has no metadata.name")
    return name


class Client:
    """Kubernetes API verbs over one transport. Safe to share between tasks."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.discovery = Discovery(transport)

    @classmethod
    def from_kubeconfig(cls, path: str | os.PathLike[str] | None = None, *, context: str = "",
                        timeout: float = 30.0) -> Client:
        """A client over HTTPS to the cluster of ``context`` (default: the current one)
        in the kubeconfig file ``path`` (default: $KUBECONFIG, else ~/.kube/config)."""
        return cls(HttpTransport(load_kubeconfig(path, context), timeout=timeout))

    async def close(self) -> None:
        await self.transport.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: types.TracebackType | None) -> None:
        await self.close()

    async def resource_for(self, api_version: str, kind: str) -> Resource:
        """The resource serving ``kind`` in ``api_version``, found through discovery."""
        return await self.discovery.resource_for(api_version, kind)

    async def _call(self, method: str, path: str, params: Params = (), body: Any = None,
                    content_type: str = JSON) -> Any:
        return await self.transport.request(Request(method, path, tuple(params), body, content_type))

    # ----- reads -----------------------------------------------------------------

    async def get(self, resource: Resource, name: str, namespace: str = "") -> Obj:
        result: Obj = await self._call("GET", resource.path(resource.namespace_of(namespace), name))
        return result

    async def list(self, resource: Resource, namespace: str = "", *, label_selector: str = "",
                   field_selector: str = "", limit: int = 0, continue_token: str = "",
                   resource_version: str = "", resource_version_match: str = "") -> Obj:
        """One page of the collection (across namespaces when ``namespace`` is ""), as
        the List object: ``items`` (each with apiVersion and kind) and ``metadata`` with
        ``resourceVersion`` and, when more remain, ``continue``."""
        params = _options(labelSelector=label_selector, fieldSelector=field_selector, limit=limit,
                          resourceVersion=resource_version, resourceVersionMatch=resource_version_match,
                          **{"continue": continue_token})
        result: Obj = await self._call("GET", resource.path(namespace), params)
        kind = str(result.get("kind") or "").removesuffix("List") or resource.kind
        items = result.get("items")
        result["items"] = items = items if isinstance(items, list) else []
        for item in items:
            item.setdefault("apiVersion", resource.api_version)
            if kind:
                item.setdefault("kind", kind)
        return result

    def watch(self, resource: Resource, namespace: str = "", *, name: str = "", label_selector: str = "",
              field_selector: str = "", resource_version: str = "", allow_bookmarks: bool = True,
              timeout_seconds: int | None = None, send_initial_events: bool | None = None) -> Watch:
        """Changes to the collection (or to the object ``name``) after
        ``resource_version``; with no resource_version, the current objects come first as
        ADDED events. BOOKMARK events only move the resourceVersion on."""
        if name:
            by_name = f"metadata.name={name}"
            field_selector = f"{field_selector},{by_name}" if field_selector else by_name
        params = _options(watch=True, labelSelector=label_selector, fieldSelector=field_selector,
                          resourceVersion=resource_version, allowWatchBookmarks=allow_bookmarks,
                          timeoutSeconds=timeout_seconds)
        if send_initial_events is not None:
            params += [("sendInitialEvents", "true" if send_initial_events else "false"),
                       ("resourceVersionMatch", "NotOlderThan")]
        return Watch(self.transport, Request("GET", resource.path(namespace), tuple(params)))

    # ----- writes ----------------------------------------------------------------

    async def create(self, resource: Resource, obj: Obj, namespace: str = "", *, dry_run: bool = False,
                     field_manager: str = "", field_validation: str = "") -> Obj:
        path = resource.path(resource.namespace_of(namespace, obj))
        result: Obj = await self._call("POST", path, _write_options(dry_run, field_manager, field_validation), obj)
        return result

    async def update(self, resource: Resource, obj: Obj, namespace: str = "", *, subresource: str = "",
                     dry_run: bool = False, field_manager: str = "", field_validation: str = "") -> Obj:
        """Replace the object (PUT); a metadata.resourceVersion in ``obj`` makes it
        conditional (409 Conflict if the object moved on)."""
        path = resource.path(resource.namespace_of(namespace, obj), _name_of(obj), subresource)
        result: Obj = await self._call("PUT", path, _write_options(dry_run, field_manager, field_validation), obj)
        return result

    async def update_status(self, resource: Resource, obj: Obj, namespace: str = "", *,
                            subresource: str = "status", dry_run: bool = False) -> Obj:
        """Replace a subresource of the object (``status`` unless told otherwise)."""
        return await self.update(resource, obj, namespace, subresource=subresource, dry_run=dry_run)

    async def patch(self, resource: Resource, name: str, patch: Obj | builtins.list[Any], namespace: str = "", *,
                    patch_type: PatchType = PatchType.MERGE, subresource: str = "", dry_run: bool = False,
                    field_manager: str = "", force: bool = False) -> Obj:
        """Patch the object (or its subresource): a JSON patch is a list of operations,
        the other types take a partial object. Server-side apply (PatchType.APPLY) needs
        a ``field_manager``."""
        if patch_type is PatchType.APPLY and not field_manager:
            raise ValueError("server-side apply needs a field manager")
        path = resource.path(resource.namespace_of(namespace), name, subresource)
        params = [*_write_options(dry_run, field_manager, ""), *_options(force=force)]
        result: Obj = await self._call("PATCH", path, params, patch, str(patch_type))
        return result

    async def delete(self, resource: Resource, name: str, namespace: str = "", *,
                     options: DeleteOptions | None = None) -> Obj:
        """Delete the object, or start its deletion when finalizers hold it. The answer
        is the object (when the server returns it) or a Status."""
        path = resource.path(resource.namespace_of(namespace), name)
        result: Obj = await self._call("DELETE", path, (), (options or DeleteOptions()).body())
        return result

    async def delete_collection(self, resource: Resource, namespace: str = "", *, label_selector: str = "",
                                field_selector: str = "", options: DeleteOptions | None = None) -> Obj:
        """Delete every object of the collection that the selectors match."""
        params = _options(labelSelector=label_selector, fieldSelector=field_selector)
        result: Obj = await self._call("DELETE", resource.path(namespace), params,
                                       (options or DeleteOptions()).body())
        return result
