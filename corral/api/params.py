"""Query parameters of resource requests, parsed and checked as kube-apiserver checks
them (ListOptions, continue tokens, dryRun, fieldValidation, DeleteOptions)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import orjson
from multidict import MultiMapping

from corral.machinery import errors
from corral.machinery.errors import Cause
from corral.machinery.fields import parse_field_selector
from corral.machinery.labels import parse_selector
from corral.registry.fields import check_field_selector
from corral.registry.resources import ResourceDef
from corral.registry.store import Filter

Query = MultiMapping[str]


def _invalid_list(field: str, message: str, value: str) -> errors.StatusError:
    return errors.invalid("ListOptions", "meta.k8s.io", "", [
        Cause("FieldValueInvalid", f'Invalid value: "{value}": {message}', field)])


def _int(query: Query, name: str) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise errors.bad_request(f'invalid value "{raw}" for {name}: not an integer') from None


def _bool(query: Query, name: str) -> bool:
    return (query.get(name) or "").lower() in ("true", "1")


@dataclass(frozen=True, slots=True)
class ContinueToken:
    revision: int
    start: str  # key suffix (relative to the list prefix) of the last item returned


def encode_continue(revision: int, start: str) -> str:
    raw = orjson.dumps({"v": "meta.k8s.io/v1", "rv": revision, "start": start})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_continue(token: str) -> ContinueToken:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = orjson.loads(raw)
        if data.get("v") != "meta.k8s.io/v1" or not isinstance(data.get("rv"), int) \
                or not isinstance(data.get("start"), str) or data["rv"] <= 0:
            raise ValueError
        start = data["start"]
        if start.startswith("/") or ".." in start.split("/"):
            raise ValueError
        return ContinueToken(data["rv"], start)
    except (ValueError, TypeError, AttributeError):
        raise errors.bad_request("continue key is not valid: incorrect encoded start resourceVersion "
                                 "(version meta.k8s.io/v1)") from None


@dataclass(frozen=True, slots=True)
class ListOptions:
    filter: Filter
    limit: int
    cont: ContinueToken | None
    resource_version: str
    match: str
    timeout_seconds: int | None
    bookmarks: bool
    send_initial_events: bool | None
    include_object: str


def list_options(rd: ResourceDef, query: Query, *, watch: bool) -> ListOptions:
    label_text = query.get("labelSelector") or ""
    field_text = query.get("fieldSelector") or ""
    try:
        labels = parse_selector(label_text) if label_text else None
    except ValueError as exc:
        raise errors.bad_request(str(exc)) from None
    try:
        fields = parse_field_selector(field_text) if field_text else None
        if fields is not None:
            check_field_selector(rd, fields)
    except ValueError as exc:
        raise errors.bad_request(str(exc)) from None
    limit = _int(query, "limit") or 0
    if limit < 0:
        limit = 0
    rv = query.get("resourceVersion") or ""
    match = query.get("resourceVersionMatch") or ""
    cont_text = query.get("continue") or ""
    cont = _decode_continue(cont_text) if cont_text else None
    if rv and not rv.isdigit():
        raise errors.bad_request(f'invalid resource version "{rv}"' if not watch
                                 else f"resourceVersion: Invalid value: \"{rv}\": must be a decimal integer")
    if match:
        if match not in ("Exact", "NotOlderThan"):
            raise _invalid_list("resourceVersionMatch", "must be one of Exact, NotOlderThan", match)
        if not rv and not watch:
            raise _invalid_list("resourceVersionMatch",
                                "resourceVersionMatch is forbidden unless resourceVersion is provided", match)
        if match == "Exact" and rv == "0":
            raise _invalid_list("resourceVersionMatch",
                                'resourceVersionMatch "exact" is forbidden for resourceVersion "0"', match)
    if cont and rv and rv != "0":
        raise _invalid_list("resourceVersion", "specifying resource version is not allowed when using continue",
                            rv)
    sie = query.get("sendInitialEvents")
    send_initial = None if sie is None else sie.lower() in ("true", "1")
    if send_initial is not None and watch:
        if not _bool(query, "allowWatchBookmarks"):
            raise _invalid_list("allowWatchBookmarks",
                                "allowWatchBookmarks must be set to true when sendInitialEvents is set", "false")
        if match != "NotOlderThan":
            raise _invalid_list("resourceVersionMatch",
                                "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
                                match)
    include = query.get("includeObject") or "Metadata"
    if include not in ("None", "Metadata", "Object"):
        raise errors.bad_request(f'includeObject: unsupported value "{include}"')
    return ListOptions(Filter(labels, fields), limit, cont, rv, match, _int(query, "timeoutSeconds"),
                       _bool(query, "allowWatchBookmarks"), send_initial, include)


def dry_run(query: Query) -> bool:
    values = query.getall("dryRun", [])
    for v in values:
        if v != "All":
            raise errors.bad_request(f'unsupported dry run value "{v}": only "All" is supported')
    return bool(values)


def field_validation(query: Query) -> str:
    value = query.get("fieldValidation") or "Warn"
    if value not in ("Strict", "Warn", "Ignore"):
        raise errors.bad_request(f"fieldValidation: invalid value {value!r}: must be one of Ignore, Warn, "
                                 "Strict")
    return value


@dataclass(frozen=True, slots=True)
class DeleteOptions:
    uid: str
    resource_version: str
    propagation: str
    grace_period: int | None
    dry_run: bool


def delete_options(query: Query, body: Any) -> DeleteOptions:
    opts: dict[str, Any] = body if isinstance(body, dict) else {}
    if body is not None and not isinstance(body, dict):
        raise errors.bad_request("the body of a delete must be a DeleteOptions object")
    pre = opts.get("preconditions") or {}
    propagation = opts.get("propagationPolicy") or query.get("propagationPolicy") or ""
    if propagation and propagation not in ("Orphan", "Background", "Foreground"):
        raise errors.invalid("DeleteOptions", "meta.k8s.io", "", [Cause(
            "FieldValueNotSupported", f'Unsupported value: "{propagation}": supported values: '
            '"Foreground", "Background", "Orphan"', "propagationPolicy")])
    grace = opts.get("gracePeriodSeconds")
    if grace is None:
        grace = _int(query, "gracePeriodSeconds")
    body_dry = opts.get("dryRun") or []
    return DeleteOptions(str(pre.get("uid") or ""), str(pre.get("resourceVersion") or ""), propagation,
                         grace, dry_run(query) or body_dry == ["All"])
