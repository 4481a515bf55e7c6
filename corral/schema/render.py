"""Renders the neutral operation descriptions of :mod:`corral.schema.paths` as OpenAPI v2
(Swagger 2.0) and OpenAPI 3.0 path objects, in the layout kube-apiserver uses."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from typing import Any

import orjson

from corral.schema.definitions import V2_REF, V3_REF
from corral.schema.parameters import Param
from corral.schema.paths import Operation, PathItem

_CODE_TEXT = {"200": "OK", "201": "Created", "202": "Accepted"}


def referenced(items: Iterable[PathItem]) -> set[str]:
    """Definition names the operations of these paths name as bodies or answers."""
    return {name for item in items for op in item.operations for name in (op.body, op.response) if name}


def _gvk(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if op.action:
        out["x-kubernetes-action"] = op.action
    if op.gvk is not None:
        group, version, kind = op.gvk
        out["x-kubernetes-group-version-kind"] = {"group": group, "kind": kind, "version": version}
    return out


class SwaggerPaths:
    """Collects v2 paths and the shared ``parameters`` section their operations refer to."""

    def __init__(self) -> None:
        self.paths: dict[str, Any] = {}
        self.parameters: dict[str, Any] = {}

    def add(self, items: Iterable[PathItem]) -> None:
        for item in items:
            path: dict[str, Any] = {}
            for op in item.operations:
                path[op.method] = self._operation(op)
            if item.params:
                path["parameters"] = [self._param(prm) for prm in item.params]
            self.paths[item.path] = path

    def _param(self, prm: Param) -> dict[str, Any]:
        body = prm.v2()
        if prm.name == "name":  # differs per kind: written out where used
            return body
        digest = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).digest()
        key = f"{prm.name}-{base64.urlsafe_b64encode(digest).decode()[:8]}"
        self.parameters[key] = body
        return {"$ref": f"#/parameters/{key}"}

    def _operation(self, op: Operation) -> dict[str, Any]:
        params: list[dict[str, Any]] = []
        if op.body:
            body: dict[str, Any] = {"in": "body", "name": "body", "schema": {"$ref": V2_REF + op.body}}
            if op.method != "delete":
                body["required"] = True
            params.append(body)
        params.extend(self._param(prm) for prm in op.params)
        schema: dict[str, Any] = {"$ref": V2_REF + op.response} if op.response else {"type": "string"}
        responses: dict[str, Any] = {code: {"description": _CODE_TEXT[code], "schema": schema}
                                     for code in op.codes}
        responses["401"] = {"description": "Unauthorized"}
        out: dict[str, Any] = {"consumes": list(op.consumes), "description": op.description,
                               "operationId": op.operation_id}
        if params:
            out["parameters"] = params
        out.update({"produces": list(op.produces), "responses": responses, "schemes": ["https"],
                    "tags": [op.tag]})
        out.update(_gvk(op))
        return out


def v3_paths(items: Iterable[PathItem]) -> dict[str, Any]:
    """OpenAPI 3.0 path objects, parameters written out in place as kube-apiserver does."""
    paths: dict[str, Any] = {}
    for item in items:
        path: dict[str, Any] = {op.method: _v3_operation(op) for op in item.operations}
        if item.params:
            path["parameters"] = [prm.v3() for prm in item.params]
        paths[item.path] = path
    return paths


def _v3_operation(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {"description": op.description, "operationId": op.operation_id}
    if op.params:
        out["parameters"] = [prm.v3() for prm in op.params]
    if op.body:
        ref = {"$ref": V3_REF + op.body}
        body: dict[str, Any] = {"content": {ct: {"schema": ref} for ct in op.consumes}}
        if op.method != "delete":
            body["required"] = True
        out["requestBody"] = body
    schema: dict[str, Any] = {"$ref": V3_REF + op.response} if op.response else {"type": "string"}
    out["responses"] = {code: {"content": {ct: {"schema": schema} for ct in op.produces},
                               "description": _CODE_TEXT[code]} for code in op.codes}
    out["tags"] = [op.tag]
    out.update(_gvk(op))
    return out
