"""Decode Kubernetes protobuf request bodies into the JSON-shaped objects the server handles.

kubectl 1.33 sends ``application/vnd.kubernetes.protobuf`` for ``create <kind>``, ``run``,
``expose``, ``create token`` and the ``auth`` subcommands, and does not retry as JSON after a
415, so the server has to read that format. A body is the magic ``k8s\\x00`` followed by a
``runtime.Unknown`` message whose ``typeMeta`` names the kind and whose ``raw`` holds the
object's own encoding; :mod:`corral.api.codec.protoschema` says how to read each message.

The result is what kube-apiserver would print as JSON for the decoded Go object, except that
fields Go prints as ``null`` (unset times, nil slices and maps) are left out.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import orjson

from corral.api.codec.protoschema import (
    FIELDS_V1,
    INT_OR_STRING,
    KINDS,
    META_OPTIONS,
    QUANTITY,
    STRING_LISTS,
    TIME,
    Field,
    messages,
)

MAGIC = b"k8s\x00"

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5
_WIRE_TYPE = {"string": _BYTES, "bytes": _BYTES, "int32": _VARINT, "int64": _VARINT, "bool": _VARINT}
_MAX_FIELD = (1 << 29) - 1
_ZERO_TIME = -62135596800  # 0001-01-01T00:00:00Z, Go's zero time.Time, printed as null

WireValue = int | bytes


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """The unsigned varint at ``pos`` (as Go reads it: at most 10 bytes, modulo 2**64)."""
    value = 0
    for shift in range(0, 70, 7):
        if pos >= len(data):
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value & 0xFFFFFFFFFFFFFFFF, pos
    raise ValueError("varint longer than 10 bytes")


def read_fields(data: bytes) -> list[tuple[int, int, WireValue]]:
    """Split one encoded message into ``(field number, wire type, value)`` in wire order.

    Varint and fixed-width values are unsigned ints, length-delimited ones bytes.
    """
    fields: list[tuple[int, int, WireValue]] = []
    pos = 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        number, wire_type = tag >> 3, tag & 7
        if not 0 < number <= _MAX_FIELD:
            raise ValueError(f"invalid field number {number}")
        value: WireValue
        if wire_type == _VARINT:
            value, pos = _varint(data, pos)
        elif wire_type in (_FIXED64, _FIXED32):
            width = 8 if wire_type == _FIXED64 else 4
            if pos + width > len(data):
                raise ValueError(f"truncated fixed-width value of field {number}")
            value = int.from_bytes(data[pos:pos + width], "little")
            pos += width
        elif wire_type == _BYTES:
            length, pos = _varint(data, pos)
            if length > len(data) - pos:
                raise ValueError(f"length {length} of field {number} runs past the end of the message")
            value = data[pos:pos + length]
            pos += length
        else:
            raise ValueError(f"unsupported wire type {wire_type} of field {number}")
        fields.append((number, wire_type, value))
    return fields


def decode(body: bytes) -> dict[str, Any]:
    """The JSON-shaped object in a ``application/vnd.kubernetes.protobuf`` request body.

    Raises ValueError, with a message fit for a 400 answer, on a missing magic prefix, an
    unknown apiVersion/kind, a content encoding, or malformed wire data.
    """
    if not body.startswith(MAGIC):
        raise ValueError("protobuf body does not start with the magic prefix 'k8s\\x00'")
    envelope = _length_delimited(body[len(MAGIC):], "runtime.Unknown", 4)
    type_meta = _length_delimited(envelope.get(1, b""), "runtime.Unknown.typeMeta", 2)
    api_version, kind = _text(type_meta.get(1, b"")), _text(type_meta.get(2, b""))
    encoding = _text(envelope.get(3, b""))
    if encoding:
        raise ValueError(f"unsupported protobuf content encoding {encoding!r}")
    # meta/v1 option kinds are registered in every group-version: client-go sends a delete's
    # DeleteOptions under the group-version of the resource it deletes
    message = KINDS.get(f"{api_version}/{kind}") or META_OPTIONS.get(kind)
    if message is None:
        raise ValueError(f"no protobuf decoding for apiVersion {api_version!r} kind {kind!r}")
    obj: dict[str, Any] = {"kind": kind, "apiVersion": api_version}
    obj.update(_message(envelope.get(2, b""), message, kind))
    return obj


def _length_delimited(data: bytes, where: str, last: int) -> dict[int, bytes]:
    """The last value of fields 1..``last`` of a message whose fields all are length-delimited."""
    out: dict[int, bytes] = {}
    for number, wire_type, value in read_fields(data):
        if number <= last:
            out[number] = _payload((wire_type, value), f"{where} field {number}")
    return out


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _message(data: bytes, name: str, path: str) -> dict[str, Any]:
    spec = messages()[name]
    found: dict[int, list[tuple[int, WireValue]]] = {}
    for number, wire_type, value in read_fields(data):
        if number in spec:  # unknown fields are skipped, as Go does
            found.setdefault(number, []).append((wire_type, value))
    out: dict[str, Any] = {}
    for number, field in spec.items():  # in Go struct order, as Go's JSON has it
        values = found.get(number)
        if values is None:
            continue
        where = f"{path}.{field.name}"
        if field.is_map:
            out[field.name] = _map(values, field, where)
        elif field.repeated:
            out[field.name] = _repeated(values, field, where)
        elif field.type in _WIRE_TYPE:
            # every occurrence must be well-formed; the last one wins
            scalar = [_scalar(wire_type, value, field.type, where) for wire_type, value in values][-1]
            if field.pointer or not field.omitempty or scalar:
                out[field.name] = scalar
        else:
            # A message sent more than once is merged, which is what decoding the
            # concatenation of its parts does.
            decoded = _value(b"".join(_payload(v, where) for v in values), field.type, where)
            if field.inline:
                out.update(decoded)
            elif decoded is not None:
                out[field.name] = decoded
    return out


def _payload(entry: tuple[int, WireValue], where: str) -> bytes:
    wire_type, value = entry
    if wire_type != _BYTES or not isinstance(value, bytes):
        raise ValueError(f"{where}: wire type {wire_type}, expected a length-delimited message")
    return value


def _repeated(values: list[tuple[int, WireValue]], field: Field, where: str) -> list[Any]:
    items: list[Any] = []
    for wire_type, value in values:
        if field.type not in _WIRE_TYPE:
            items.append(_value(_payload((wire_type, value), where), field.type, f"{where}[{len(items)}]"))
        elif wire_type == _BYTES and _WIRE_TYPE[field.type] == _VARINT and isinstance(value, bytes):
            pos = 0  # packed numbers
            while pos < len(value):
                number, pos = _varint(value, pos)
                items.append(_scalar(_VARINT, number, field.type, where))
        else:
            items.append(_scalar(wire_type, value, field.type, where))
    return items


def _map(values: list[tuple[int, WireValue]], field: Field, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in values:
        key: str = ""
        item: WireValue | None = None
        item_type = _VARINT
        for number, wire_type, value in read_fields(_payload(entry, where)):
            if number == 1:
                key = _scalar(wire_type, value, "string", f"{where} key")
            elif number == 2:
                item_type, item = wire_type, value
        if field.type in _WIRE_TYPE:
            # map values of a scalar type are strings or bytes, both "" when unset
            out[key] = "" if item is None else _scalar(item_type, item, field.type, f"{where}[{key}]")
        else:
            payload = b"" if item is None else _payload((item_type, item), f"{where}[{key}]")
            out[key] = _value(payload, field.type, f"{where}[{key}]")
    return out


def _scalar(wire_type: int, value: WireValue, typ: str, where: str) -> Any:
    expected = _WIRE_TYPE[typ]
    if wire_type != expected:
        raise ValueError(f"{where}: wire type {wire_type}, expected {expected} for {typ}")
    if isinstance(value, bytes):
        return _text(value) if typ == "string" else base64.b64encode(value).decode("ascii")
    if typ == "bool":
        return value != 0
    if typ == "int32":
        value &= 0xFFFFFFFF
        return value - (1 << 32) if value >= 1 << 31 else value
    return value - (1 << 64) if value >= 1 << 63 else value


def _value(data: bytes, typ: str, where: str) -> Any:
    """JSON of one embedded message; None where Go prints null."""
    if typ == TIME:
        return _time(data, where)
    if typ == QUANTITY:
        return _only_string(data, where) or "0"
    if typ == INT_OR_STRING:
        return _int_or_string(data, where)
    if typ == FIELDS_V1:
        return _fields_v1(data, where)
    if typ in STRING_LISTS:
        return [_scalar(t, v, "string", where) for n, t, v in read_fields(data) if n == 1]
    return _message(data, typ, where)


def _last_values(data: bytes, where: str, types: dict[int, str]) -> dict[int, Any]:
    """The last value of each listed field of a small fixed message, as Go keeps it."""
    out: dict[int, Any] = {}
    for number, wire_type, value in read_fields(data):
        if number in types:
            out[number] = _scalar(wire_type, value, types[number], where)
    return out


def _time(data: bytes, where: str) -> str | None:
    if not data:
        return None
    seconds = _last_values(data, where, {1: "int64", 2: "int32"}).get(1, 0)
    if seconds == _ZERO_TIME:
        return None
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{where}: time {seconds}s since the epoch is out of range") from None
    return moment.replace(tzinfo=None).isoformat() + "Z"  # isoformat keeps 4-digit years


def _only_string(data: bytes, where: str) -> str:
    return str(_last_values(data, where, {1: "string"}).get(1, ""))


def _int_or_string(data: bytes, where: str) -> int | str:
    values = _last_values(data, where, {1: "int64", 2: "int32", 3: "string"})
    kind = values.get(1, 0)
    if kind == 0:
        return int(values.get(2, 0))
    if kind == 1:
        return str(values.get(3, ""))
    raise ValueError(f"{where}: IntOrString type {kind} is neither 0 (int) nor 1 (string)")


def _fields_v1(data: bytes, where: str) -> Any:
    raw = _length_delimited(data, where, 1).get(1)
    if raw is None:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ValueError(f"{where}: fieldsV1 is not JSON") from None
