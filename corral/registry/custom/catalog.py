"""Keeps the unknown-field checks of :mod:`corral.schema.fields` (pruning, fieldValidation)
in step with the custom resources being served: each served version's schema, and the
storage version's, which stored objects are pruned by when they are read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from corral.registry.resources import ResourceDef
from corral.schema.definitions import GVK
from corral.schema.fields import set_custom_schema


class SchemaCatalog:
    def __init__(self) -> None:
        self._registered: set[GVK] = set()

    def serve(self, resources: Iterable[ResourceDef]) -> dict[GVK, Mapping[str, Any]]:
        """Check objects against the schemas of exactly these custom resources from now on;
        returns the schema of each served kind, for the OpenAPI documents."""
        served: dict[GVK, Mapping[str, Any]] = {}
        wanted: dict[GVK, Mapping[str, Any] | None] = {}
        for rd in resources:
            custom = rd.custom
            if custom is None:
                continue
            gvk = (rd.group, rd.version, rd.kind)
            wanted[gvk] = custom.schema
            wanted.setdefault((rd.group, custom.storage_version, rd.kind), custom.storage_schema)
            if custom.schema is not None:
                served[gvk] = custom.schema
        for gone in self._registered - wanted.keys():
            set_custom_schema(*gone, None)
        for gvk, schema in wanted.items():
            set_custom_schema(*gvk, schema)
        self._registered = set(wanted)
        return served
