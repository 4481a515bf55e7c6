"""decode() and read_fields() on hand-built wire data: the reader's handling of each wire
type and of malformed input, and the Go JSON rules decode() reproduces (pointers vs
omitempty, merged messages, packed lists, times, IntOrString, quantities, bytes)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corral.api.codec.protobuf import MAGIC, decode, read_fields
from corral.api.codec.protoschema import KINDS

# ----- a minimal encoder for building test input


def varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def num(field: int, value: int) -> bytes:
    return varint(field << 3) + varint(value)


def msg(field: int, *parts: bytes | str) -> bytes:
    data = b"".join(p.encode() if isinstance(p, str) else p for p in parts)
    return varint(field << 3 | 2) + varint(len(data)) + data


def body(api_version: str, kind: str, *raw: bytes, encoding: str = "") -> bytes:
    type_meta = msg(1, msg(1, api_version), msg(2, kind))
    return MAGIC + type_meta + msg(2, *raw) + msg(3, encoding) + msg(4, "")


def pod(*spec: bytes, metadata: bytes = b"") -> dict[str, Any]:
    return decode(body("v1", "Pod", msg(1, metadata), msg(2, *spec)))


# ----- the wire reader


def test_read_fields_reads_every_wire_type() -> None:
    data = (num(1, 300) + varint(2 << 3 | 1) + (7).to_bytes(8, "little") + msg(3, "abc")
            + varint(4 << 3 | 5) + (9).to_bytes(4, "little") + num(5, (1 << 64) - 1))
    assert read_fields(data) == [(1, 0, 300), (2, 1, 7), (3, 2, b"abc"), (4, 5, 9), (5, 0, (1 << 64) - 1)]


@pytest.mark.parametrize(("data", "message"), [
    (b"\x08", "truncated varint"),
    (b"\x08" + b"\xff" * 10 + b"\x01", "varint longer than 10 bytes"),
    (b"\x0a\x05abc", "length 5 of field 1 runs past the end"),
    (b"\x00\x01", "invalid field number 0"),
    (b"\x0b", "unsupported wire type 3 of field 1"),
    (b"\x0e", "unsupported wire type 6 of field 1"),
    (b"\x09\x01\x02", "truncated fixed-width value of field 1"),
    (b"\x0d\x01", "truncated fixed-width value of field 1"),
    (varint(1 << 32 | 2) + b"\x00", "invalid field number"),
])
def test_read_fields_rejects_malformed_data(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_fields(data)


# ----- the envelope


def test_decodes_a_configmap_as_kubectl_sends_it() -> None:
    # bytes captured from `kubectl create configmap foo --from-literal a=b`
    captured = bytes.fromhex("6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03666f6f12001a00"
                             "22002a0032003800420012060a0161120162 1a0022 00".replace(" ", ""))
    assert decode(captured) == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "foo"},
                                "data": {"a": "b"}}


@pytest.mark.parametrize(("data", "message"), [
    (b"", "does not start with the magic prefix"),
    (b'{"kind": "Pod"}', "does not start with the magic prefix"),
    (MAGIC, "no protobuf decoding for apiVersion '' kind ''"),
    (body("v1", "Node"), "no protobuf decoding for apiVersion 'v1' kind 'Node'"),
    (body("apps/v2", "Deployment"), "apiVersion 'apps/v2' kind 'Deployment'"),
    (body("v1", "Pod", encoding="gzip"), "unsupported protobuf content encoding 'gzip'"),
    (MAGIC + num(1, 5), "runtime.Unknown field 1: wire type 0, expected a length-delimited message"),
    (MAGIC + b"\x0a\x10", "runs past the end"),
    (body("v1", "Pod", num(1, 1)), "Pod.metadata: wire type 0, expected a length-delimited message"),
    (body("v1", "Pod", msg(1, msg(1, "x"), num(11, 3))),
     "Pod.metadata.labels: wire type 0, expected a length-delimited message"),
    (body("v1", "Pod", msg(2, msg(2, num(1, 1)))),
     r"Pod.spec.containers\[0\].name: wire type 0, expected 2 for string"),
    (body("v1", "Pod", msg(2, msg(4, "x"))), "Pod.spec.terminationGracePeriodSeconds: wire type 2"),
    (body("v1", "Pod", msg(1, b"\x08")), "truncated varint"),
])
def test_rejects_bad_bodies_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode(data)


def test_every_kind_decodes_from_an_empty_object() -> None:
    for key, _message in KINDS.items():
        api_version, kind = key.rsplit("/", 1)
        assert decode(body(api_version, kind)) == {"apiVersion": api_version, "kind": kind}


# ----- Go's JSON rules


def test_pointer_fields_are_kept_when_zero_and_omitempty_ones_dropped() -> None:
    deployment = decode(body("apps/v1", "Deployment", msg(2, num(1, 0), num(5, 0), num(7, 0))))
    assert deployment["spec"] == {"replicas": 0}
    decoded = pod(msg(2, msg(1, ""), msg(2, "")), num(11, 0), num(21, 0))
    # Container.name has no omitempty, image has; automountServiceAccountToken is a pointer
    assert decoded["spec"] == {"containers": [{"name": ""}], "automountServiceAccountToken": False}


def test_empty_structs_print_as_empty_objects() -> None:
    decoded = decode(body("apps/v1", "Deployment", msg(1), msg(2, msg(4)), msg(3)))
    assert decoded == {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {},
                       "spec": {"strategy": {}}, "status": {}}


def test_numbers_are_signed_like_go() -> None:
    decoded = pod(msg(14, num(2, -5), num(4, -1), num(4, 7)), num(25, (1 << 32) - 3))
    assert decoded["spec"]["securityContext"] == {"runAsUser": -5, "supplementalGroups": [-1, 7]}
    assert decoded["spec"]["priority"] == -3  # int32 keeps the low 32 bits


def test_packed_repeated_numbers_are_accepted() -> None:
    packed = msg(4, varint(1) + varint(2) + varint(-1))
    assert pod(msg(14, packed))["spec"]["securityContext"] == {"supplementalGroups": [1, 2, -1]}


def test_repeated_message_fields_are_merged_and_scalars_last_wins() -> None:
    decoded = decode(body("v1", "Pod", msg(1, msg(1, "a"), msg(11, msg(1, "k"), msg(2, "v"))),
                          msg(1, msg(1, "b"), msg(3, "ns"))))
    assert decoded["metadata"] == {"name": "b", "namespace": "ns", "labels": {"k": "v"}}


def test_unknown_fields_are_skipped() -> None:
    decoded = decode(body("v1", "Pod", msg(1, msg(1, "a"), num(99, 1), msg(100, "x")), msg(50, "y")))
    assert decoded == {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}


def test_map_entries_default_missing_keys_and_values() -> None:
    decoded = decode(body("v1", "ConfigMap", msg(2, msg(1, "only-key")), msg(2, msg(2, "only-value")),
                          msg(2, msg(1, "k"), msg(2, "old")), msg(2, msg(1, "k"), msg(2, "new"))))
    assert decoded["data"] == {"only-key": "", "": "only-value", "k": "new"}


def test_bytes_are_base64_and_strings_tolerate_invalid_utf8() -> None:
    decoded = decode(body("v1", "Secret", msg(1, msg(1, b"s\xff")),
                          msg(2, msg(1, "bin"), msg(2, b"\x00\xff")), msg(2, msg(1, "empty"), msg(2, b""))))
    assert decoded["metadata"] == {"name": "s\ufffd"}
    assert decoded["data"] == {"bin": "AP8=", "empty": ""}


def test_times_print_in_rfc3339_seconds() -> None:
    decoded = decode(body("v1", "Pod", msg(1, msg(8, num(1, 1_700_000_000), num(2, 999)), msg(9))))
    assert decoded["metadata"] == {"creationTimestamp": "2023-11-14T22:13:20Z"}  # empty Time is null
    epoch = decode(body("v1", "Pod", msg(1, msg(8, num(2, 5)))))
    assert epoch["metadata"] == {"creationTimestamp": "1970-01-01T00:00:00Z"}
    year_500 = decode(body("v1", "Pod", msg(1, msg(8, num(1, -46388678400)))))
    assert year_500["metadata"] == {"creationTimestamp": "0500-01-01T00:00:00Z"}
    go_zero = decode(body("v1", "Pod", msg(1, msg(8, num(1, -62135596800)))))
    assert go_zero["metadata"] == {}
    with pytest.raises(ValueError, match=r"Pod.metadata.creationTimestamp: time .* out of range"):
        decode(body("v1", "Pod", msg(1, msg(8, num(1, 1 << 62)))))


def test_int_or_string() -> None:
    def pdb(value: bytes) -> Any:
        return decode(body("policy/v1", "PodDisruptionBudget", msg(2, msg(1, value))))["spec"]["minAvailable"]

    assert pdb(num(1, 0) + num(2, 3) + msg(3, "")) == 3
    assert pdb(num(1, 1) + num(2, 0) + msg(3, "50%")) == "50%"
    assert pdb(b"") == 0
    with pytest.raises(ValueError, match="IntOrString type 2"):
        pdb(num(1, 2))


def test_quantities_are_strings() -> None:
    quota = decode(body("v1", "ResourceQuota", msg(2, msg(1, msg(1, "cpu"), msg(2, msg(1, "500m"))),
                                               msg(1, msg(1, "pods"), msg(2, msg(1, "")), ),
                                               msg(1, msg(1, "none")))))
    assert quota["spec"] == {"hard": {"cpu": "500m", "pods": "0", "none": "0"}}


def test_managed_fields_carry_raw_json() -> None:
    entry = msg(17, msg(1, "kubectl"), msg(7, msg(1, b'{"f:data":{}}')))
    assert decode(body("v1", "ConfigMap", msg(1, entry)))["metadata"] == {
        "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:data": {}}}]}
    with pytest.raises(ValueError, match="fieldsV1 is not JSON"):
        decode(body("v1", "ConfigMap", msg(1, msg(17, msg(7, msg(1, b"{"))))))


def test_string_lists_print_as_arrays() -> None:
    extra = msg(4, msg(1, "scopes"), msg(2, msg(1, "a"), msg(1, "b")))
    review = decode(body("authentication.k8s.io/v1", "SelfSubjectReview",
                         msg(2, msg(1, msg(1, "me"), extra))))
    assert review["status"] == {"userInfo": {"username": "me", "extra": {"scopes": ["a", "b"]}}}


def test_inline_structs_are_flattened() -> None:
    volume = msg(1, msg(1, "cache"), msg(2, msg(2, msg(1, "Memory"))))  # name + volumeSource.emptyDir
    probe = msg(10, msg(1, msg(1, msg(1, "/healthz"))), num(2, 5))  # livenessProbe: handler.exec + delay
    decoded = pod(volume, msg(2, msg(1, "c"), probe))
    assert decoded["spec"]["volumes"] == [{"name": "cache", "emptyDir": {"medium": "Memory"}}]
    assert decoded["spec"]["containers"][0]["livenessProbe"] == {"exec": {"command": ["/healthz"]},
                                                                 "initialDelaySeconds": 5}


# ----- arbitrary input never escapes as anything but ValueError

_KIND_KEYS = sorted(KINDS)


def _decode_or_value_error(data: bytes) -> None:
    try:
        assert isinstance(decode(data), dict)
    except ValueError as exc:
        assert str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bodies_raise_only_value_error(data: bytes) -> None:
    _decode_or_value_error(data)
    _decode_or_value_error(MAGIC + data)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_KIND_KEYS), st.binary(max_size=300))
def test_random_objects_raise_only_value_error(key: str, raw: bytes) -> None:
    api_version, kind = key.rsplit("/", 1)
    _decode_or_value_error(body(api_version, kind, raw))


_DEEP = msg(1, msg(1, "web"), msg(11, msg(1, "app"), msg(2, "web")), msg(8, num(1, 5))) + msg(
    2, msg(1, msg(1, "v"), msg(2, msg(1, msg(1, "/h")))),
    msg(2, msg(1, "c"), msg(6, num(3, 80), msg(4, num(1, 1), msg(3, "http"))), msg(8, msg(1, msg(1, "cpu")))))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_DEEP) - 1), st.integers(0, 255)), max_size=4),
       st.integers(0, len(_DEEP)))
def test_corrupted_pods_raise_only_value_error(flips: list[tuple[int, int]], cut: int) -> None:
    raw = bytearray(_DEEP)
    for index, byte in flips:
        raw[index] = byte
    _decode_or_value_error(body("v1", "Pod", bytes(raw[:cut])))
