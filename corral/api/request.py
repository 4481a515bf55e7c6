"""What a request asks for, read from its method and path as kube-apiserver's
RequestInfoFactory reads it: API group and version, namespace, resource, name,
subresource and verb. Filters (authorization, audit) and handlers share it."""

from __future__ import annotations

from dataclasses import dataclass

# namespaces/{name}/{x} names a subresource of the namespace for these x, and a
# resource inside the namespace otherwise
_NAMESPACE_SUBRESOURCES = frozenset({"status", "finalize"})


@dataclass(frozen=True, slots=True)
class RequestInfo:
    is_resource: bool
    path: str
    verb: str  # get list watch create update patch delete deletecollection, or the HTTP verb
    api_prefix: str = ""  # "api" or "apis"
    group: str = ""
    version: str = ""
    namespace: str = ""
    resource: str = ""
    name: str = ""
    subresource: str = ""
    parts: tuple[str, ...] = ()  # path segments after the version (resource requests)


_VERBS = {"POST": "create", "PUT": "update", "PATCH": "patch", "GET": "get", "HEAD": "get",
          "DELETE": "delete"}


def parse(method: str, path: str, watch_param: str | None) -> RequestInfo:
    """Classify a request. Non-resource paths get the lower-cased HTTP verb."""
    segments = [s for s in path.split("/") if s]
    fallback = RequestInfo(False, path, method.lower())
    if not segments or segments[0] not in ("api", "apis"):
        return fallback
    prefix = segments[0]
    rest = segments[1:]
    if prefix == "api":
        group = ""
        if not rest:
            return fallback
        version, rest = rest[0], rest[1:]
    else:
        if len(rest) < 2:
            return fallback
        group, version, rest = rest[0], rest[1], rest[2:]
    if not rest:
        return fallback
    verb = _VERBS.get(method, method.lower())
    watch = False
    if rest[0] == "watch":  # deprecated /watch/ paths
        watch, rest = True, rest[1:]
    namespace = ""
    if rest and rest[0] == "namespaces" and len(rest) > 1:
        namespace = rest[1]
        if len(rest) > 2 and rest[2] not in _NAMESPACE_SUBRESOURCES:
            rest = rest[2:]
        else:
            # the namespace object itself (or its status/finalize)
            rest = ["namespaces", *rest[1:]]
            namespace = ""
    if not rest:
        return fallback
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    if resource == "namespaces" and name:
        namespace = name
    if watch or (watch_param is not None and watch_param.lower() in ("true", "1")):
        verb = "watch" if verb == "get" else verb
    if verb == "get" and not name:
        verb = "list"
    elif verb == "delete" and not name:
        verb = "deletecollection"
    return RequestInfo(True, path, verb, prefix, group, version, namespace, resource, name, subresource,
                       tuple(rest))
