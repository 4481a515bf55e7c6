"""Content negotiation: which representation a client accepts (JSON, YAML, a Table, a
PartialObjectMetadata, aggregated discovery) and how to read the body it sent (JSON,
YAML, Kubernetes protobuf, and the patch media types)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from corral.api.codec import protobuf
from corral.machinery import errors

MAX_BODY = 3 * 1024 * 1024  # kube-apiserver's limit for request bodies

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH)


@dataclass(frozen=True, slots=True)
class MediaType:
    mime: str
    params: dict[str, str]

    @property
    def as_(self) -> str:
        return self.params.get("as", "")

    def __str__(self) -> str:
        return ";".join([self.mime, *(f"{k}={v}" for k, v in self.params.items())])


def parse_media_types(header: str) -> list[MediaType]:
    """An Accept header as a list in the client's order (q=0 entries dropped)."""
    out: list[MediaType] = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        params: dict[str, str] = {}
        for f in fields[1:]:
            if "=" in f:
                k, v = f.split("=", 1)
                params[k.strip().lower()] = v.strip().strip('"')
        if params.pop("q", "1") in ("0", "0.0", "0.00", "0.000"):
            continue
        out.append(MediaType(fields[0].lower(), params))
    return out


@dataclass(frozen=True, slots=True)
class Representation:
    """What to answer with: ``form`` is one of object, table, partial, discovery;
    ``yaml`` selects YAML over JSON for plain objects."""

    form: str = "object"
    version: str = "v1"  # of the Table / PartialObjectMetadata / discovery document
    yaml: bool = False


def _plain(mime: str) -> Representation | None:
    if mime in (JSON, "application/*", "*/*", "*"):
        return Representation()
    if mime in (YAML, "application/yml", "text/yaml"):
        return Representation(yaml=True)
    return None


def choose(header: str, *, discovery: bool = False) -> Representation:
    """The first representation in ``header`` that Corral serves; 406 if none."""
    if not header:
        return Representation()
    types = parse_media_types(header)
    for mt in types:
        if mt.as_:
            if mt.mime != JSON or mt.params.get("g") not in ("meta.k8s.io", "apidiscovery.k8s.io"):
                continue
            version = mt.params.get("v", "")
            if mt.as_ == "Table" and version in ("v1", "v1beta1") and not discovery:
                return Representation("table", version)
            if mt.as_ in ("PartialObjectMetadata", "PartialObjectMetadataList") and version in (
                    "v1", "v1beta1") and not discovery:
                return Representation("partial", version)
            if mt.as_ == "APIGroupDiscoveryList" and version in ("v2", "v2beta1") and discovery:
                return Representation("discovery", version)
            continue
        if mt.mime == PROTOBUF:
            continue  # we decode protobuf bodies but answer in JSON, which clients accept next
        plain = _plain(mt.mime)
        if plain is not None:
            return plain
    if any(mt.mime == PROTOBUF for mt in types):
        # a client that accepts only protobuf: answer JSON anyway would break it
        raise errors.not_acceptable("only the following media types are accepted: application/json, "
                                    "application/yaml")
    raise errors.not_acceptable("only the following media types are accepted: application/json, "
                                "application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io")


def content_mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def decode_body(content_type: str, body: bytes) -> Any:
    """The request body as a JSON-shaped value; 400 or 415 on bad input."""
    if len(body) > MAX_BODY:
        raise errors.too_large()
    mime = content_mime(content_type) or JSON
    try:
        if mime == PROTOBUF:
            return protobuf.decode(body)
        if mime in (JSON, JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH):
            return orjson.loads(body)
        if mime in (YAML, APPLY_PATCH, "application/yml", "text/yaml"):
            docs = [d for d in yaml.load_all(body, Loader=_Loader) if d is not None]
            if len(docs) != 1:
                raise errors.bad_request("the body must hold exactly one YAML document")
            return docs[0]
    except orjson.JSONDecodeError as exc:
        raise errors.bad_request(f"error decoding JSON body: {exc}") from exc
    except yaml.YAMLError as exc:
        raise errors.bad_request(f"error decoding YAML body: {' '.join(str(exc).split())}") from exc
    except ValueError as exc:  # protobuf
        raise errors.bad_request(f"error decoding protobuf body: {exc}") from exc
    raise errors.unsupported_media_type(mime)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML loading that keeps timestamps as strings, as sigs.k8s.io/yaml does."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
