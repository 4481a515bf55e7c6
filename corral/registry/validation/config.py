"""Validation of ConfigMap and Secret: data keys, total size, the keys each Secret type
requires, and the ``immutable`` flag (ValidateConfigMap*, ValidateSecret* in
pkg/apis/core/validation)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import dns1123_subdomain_name, is_config_map_key
from corral.registry.validation.fielderrors import (
    each_invalid,
    forbidden,
    immutable,
    invalid,
    key,
    required,
    too_long,
)
from corral.registry.validation.meta import validate_meta

MAX_SIZE = 1024 * 1024
IMMUTABLE_SET = "field is immutable when `immutable` is set"


def _data(obj: dict[str, Any], name: str) -> dict[str, Any]:
    data = obj.get(name)
    return data if isinstance(data, dict) else {}


def _immutable_data(obj: dict[str, Any], old: dict[str, Any], fields: tuple[str, ...]) -> list[Cause]:
    if old.get("immutable") is not True:
        return []
    causes = [] if obj.get("immutable") is True else [forbidden("immutable", IMMUTABLE_SET)]
    return causes + [forbidden(f, IMMUTABLE_SET) for f in fields if obj.get(f) != old.get(f)]


def validate_config_map(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    if old is not None:
        causes += _immutable_data(obj, old, ("data", "binaryData"))
    data, binary = _data(obj, "data"), _data(obj, "binaryData")
    size = 0
    for k in sorted(data):
        causes += each_invalid(key("data", k), k, is_config_map_key(k))
        if k in binary:
            causes.append(invalid(key("data", k), k, "duplicate of key present in binaryData"))
        size += len(str(data[k]).encode())
    for k in sorted(binary):
        causes += each_invalid(key("binaryData", k), k, is_config_map_key(k))
        size += len(_decoded(binary[k]) or b"")
    if size > MAX_SIZE:
        causes.append(too_long("", MAX_SIZE))
    return causes


def _decoded(value: Any) -> bytes | None:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return None


def _json_error(raw: bytes) -> str | None:
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        return f"invalid character at offset {getattr(exc, 'pos', 0)}"
    if not isinstance(parsed, dict):
        return "json: cannot unmarshal into Go value of type map[string]interface {}"
    return None


def _typed_keys(obj: dict[str, Any], data: dict[str, Any]) -> list[Cause]:
    """The keys (or annotation) each well-known Secret type requires."""
    kind = obj.get("type") or ""
    if kind == "kubernetes.io/service-account-token":
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        if not annotations.get("kubernetes.io/service-account.name"):
            return [required("metadata.annotations[kubernetes.io/service-account.name]")]
    elif kind in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        data_key = ".dockercfg" if kind == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if data_key not in data:
            return [required(key("data", data_key))]
        error = _json_error(_decoded(data[data_key]) or b"")
        if error:
            return [invalid(key("data", data_key), "<secret contents redacted>", error)]
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            return [required("data[username]"), required("data[password]")]
    elif kind == "kubernetes.io/ssh-auth":
        if not _decoded(data.get("ssh-privatekey", "")):
            return [required("data[ssh-privatekey]")]
    elif kind == "kubernetes.io/tls":
        return [required(key("data", k)) for k in ("tls.crt", "tls.key") if k not in data]
    return []


def validate_secret(obj: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    causes = validate_meta(obj, old, True, dns1123_subdomain_name)
    if old is not None:
        causes += immutable("type", obj.get("type"), old.get("type"))
        causes += _immutable_data(obj, old, ("data",))
    data = _data(obj, "data")
    size = 0
    for k in sorted(data):
        causes += each_invalid(key("data", k), k, is_config_map_key(k))
        decoded = _decoded(data[k])
        if decoded is None:
            causes.append(invalid(key("data", k), "<secret contents redacted>", "illegal base64 data"))
        size += len(decoded or b"")
    if size > MAX_SIZE:
        causes.append(too_long("data", MAX_SIZE))
    return causes + _typed_keys(obj, data)
