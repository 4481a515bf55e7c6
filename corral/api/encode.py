"""Writing answers: an object, list or Status as JSON or YAML, or as the Table or
PartialObjectMetadata view a client asked for, with kube's Warning headers."""

from __future__ import annotations

from typing import Any

import orjson
import yaml
from aiohttp import web

from corral.api import views
from corral.api.negotiation import Representation
from corral.machinery import timeutil
from corral.machinery.errors import StatusError
from corral.registry.resources import ResourceDef

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def warning_header(message: str) -> str:
    escaped = message.replace("\\", "\\\\").replace('"', '\\"')
    return f'299 - "{escaped}"'


def respond(
    obj: dict[str, Any],
    rep: Representation,
    *,
    status: int = 200,
    rd: ResourceDef | None = None,
    warnings: list[str] | None = None,
) -> web.Response:
    if rd is not None and rep.form == "table":
        meta = {"resourceVersion": obj["metadata"].get("resourceVersion", "")}
        obj = views.table(rd, [obj], rep.version, meta, "Metadata", timeutil.now())
    elif rep.form == "partial" and obj.get("kind") != "Status":
        obj = views.partial(obj, rep.version)
    if rep.yaml:
        body = yaml.dump(obj, Dumper=_Dumper, default_flow_style=False, sort_keys=False).encode()
        resp = web.Response(body=body, status=status, content_type="application/yaml")
    else:
        resp = web.Response(body=orjson.dumps(obj), status=status, content_type="application/json")
    for message in warnings or ():
        resp.headers.add("Warning", warning_header(message))
    return resp


def status_response(err: StatusError) -> web.Response:
    resp = web.Response(body=orjson.dumps(err.to_status()), status=err.code, content_type="application/json")
    if err.retry_after is not None:
        resp.headers["Retry-After"] = str(err.retry_after)
    return resp
