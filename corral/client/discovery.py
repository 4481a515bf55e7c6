"""Discovery as clients use it: which resources a server serves, in which scope, with
which verbs, read from the APIResourceList of each group-version (the documents every
Kubernetes API server has served since 1.0).

It answers two questions: "which resource serves kind K in apiVersion G/V" (client-go's
RESTMapper, for callers holding manifests), and "what does the server serve, in each
group's preferred version" (for the namespace controller, which deletes everything in a
namespace, custom resources included). Lists are cached per group-version; a kind not
found is looked up once more, so resources added since (CRDs) are found.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from corral.client.resource import Resource
from corral.client.transport import Request, Transport
from corral.machinery.errors import StatusError


class NoKindMatchError(LookupError):
    """The server serves no resource for this apiVersion and kind."""


@dataclass(frozen=True, slots=True)
class APIResource:
    resource: Resource
    verbs: frozenset[str]
    short_names: tuple[str, ...] = ()


def _path(api_version: str) -> str:
    return f"/apis/{api_version}" if "/" in api_version else f"/api/{api_version}"


def _parse(api_version: str, doc: dict[str, Any]) -> list[APIResource]:
    group, _, version = api_version.rpartition("/")
    out = []
    for entry in doc.get("resources") or ():
        name = str(entry.get("name") or "")
        if not name or "/" in name:  # subresources are reached through their resource
            continue
        res = Resource(group, version, name, bool(entry.get("namespaced")), str(entry.get("kind") or ""))
        out.append(APIResource(res, frozenset(entry.get("verbs") or ()), tuple(entry.get("shortNames") or ())))
    return out


class Discovery:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._by_gv: dict[str, list[APIResource]] = {}

    async def resources_of(self, api_version: str, *, refresh: bool = False) -> list[APIResource]:
        """The resources of one group-version (empty when it is not served)."""
        cached = self._by_gv.get(api_version)
        if cached is not None and not refresh:
            return cached
        try:
            doc = await self._transport.request(Request("GET", _path(api_version)))
        except StatusError as exc:
            if exc.code != 404:
                raise
            doc = {}
        found = self._by_gv[api_version] = _parse(api_version, doc)
        return found

    async def resource_for(self, api_version: str, kind: str) -> Resource:
        for refresh in (False, True):
            for api in await self.resources_of(api_version, refresh=refresh):
                if api.resource.kind == kind:
                    return api.resource
        raise NoKindMatchError(f'no matches for kind "{kind}" in version "{api_version}"')

    async def preferred_resources(self) -> list[APIResource]:
        """Every resource the server serves now, in its group's preferred version."""
        core = await self._transport.request(Request("GET", "/api"))
        groups = await self._transport.request(Request("GET", "/apis"))
        versions = list((core.get("versions") or [])[:1])  # the first is the preferred one
        versions += [g["preferredVersion"]["groupVersion"] for g in groups.get("groups") or ()
                     if g.get("preferredVersion")]
        lists = await asyncio.gather(*(self.resources_of(gv, refresh=True) for gv in versions))
        return [api for found in lists for api in found]
