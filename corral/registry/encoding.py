"""How API objects are laid out as stored bytes, and how resourceVersion gets back in.

Stored values are compact JSON with ``metadata`` as the first key and no
``metadata.resourceVersion``: the revision of a value is only known once the store has
written it, so it is spliced in on the way out. Keeping the bytes lets lists and watch
events be assembled by joining bytes, without decoding and re-encoding each object.
"""

from __future__ import annotations

from typing import Any

import orjson

_HEAD = b'{"metadata":{'


def encode(obj: dict[str, Any]) -> bytes:
    """Bytes to store for ``obj`` (which is not modified)."""
    meta = {k: v for k, v in obj["metadata"].items() if k != "resourceVersion"}
    if not meta:
        raise ValueError("cannot store an object with empty metadata")
    body = {"metadata": meta, **{k: v for k, v in obj.items() if k != "metadata"}}
    # orjson hands back its working buffer (4 KiB or more, whatever the length); stored
    # values live long in the watch cache, so keep a right-sized copy instead
    return bytes(memoryview(orjson.dumps(body)))


def with_revision(value: bytes, revision: int) -> bytes:
    """The stored ``value`` as JSON with ``metadata.resourceVersion`` set."""
    return b'{"metadata":{"resourceVersion":"%d",' % revision + value[len(_HEAD):]


def decode(value: bytes, revision: int) -> dict[str, Any]:
    obj: dict[str, Any] = orjson.loads(value)
    obj["metadata"]["resourceVersion"] = str(revision)
    return obj
