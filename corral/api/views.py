"""The shapes an object can be answered in besides itself: a meta.k8s.io Table (what
``kubectl get`` prints) and PartialObjectMetadata (metadata only, for clients that need
no more). Lists of stored values are spliced as bytes where no decoding is needed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson

from corral.registry import encoding
from corral.registry.printers import table_columns, table_row
from corral.registry.resources import ResourceDef
from corral.storage.interface import KeyValue


def list_meta(revision: int, continue_token: str, remaining: int | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"resourceVersion": str(revision)}
    if continue_token:
        meta["continue"] = continue_token
    if remaining:
        meta["remainingItemCount"] = remaining
    return meta


def object_list(rd: ResourceDef, items: list[KeyValue], meta: dict[str, Any]) -> bytes:
    """A ``<Kind>List`` assembled from stored bytes without decoding them."""
    head = orjson.dumps({"kind": rd.list_kind, "apiVersion": rd.group_version, "metadata": meta})
    body = b",".join(encoding.with_revision(kv.value, kv.mod_revision) for kv in items)
    return head[:-1] + b',"items":[' + body + b"]}"


def partial(obj: dict[str, Any], version: str) -> dict[str, Any]:
    return {"kind": "PartialObjectMetadata", "apiVersion": f"meta.k8s.io/{version}",
            "metadata": obj["metadata"]}


def partial_list(objs: Iterable[dict[str, Any]], version: str, meta: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "PartialObjectMetadataList", "apiVersion": f"meta.k8s.io/{version}", "metadata": meta,
            "items": [partial(o, version) for o in objs]}


def table(
    rd: ResourceDef,
    objs: Iterable[dict[str, Any]],
    version: str,
    meta: dict[str, Any],
    include_object: str,
    now: datetime,
    headers: bool = True,
) -> dict[str, Any]:
    rows = []
    for obj in objs:
        row: dict[str, Any] = {"cells": table_row(rd, obj, now)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial(obj, version)
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": f"meta.k8s.io/{version}",
        "metadata": meta,
        "columnDefinitions": table_columns(rd) if headers else [],
        "rows": rows,
    }
