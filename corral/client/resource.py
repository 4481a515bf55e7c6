"""How a client names a resource: group, version, plural resource name and scope, as
client-go's GroupVersionResource plus the RESTMapping's scope, and the API paths that
follow from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _segment(value: str, what: str) -> str:
    if "/" in value or value in (".", ".."):
        raise ValueError(f"invalid {what} {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Resource:
    group: str  # "" for the core group
    version: str
    resource: str  # plural, lower case: "deployments"
    namespaced: bool = True
    kind: str = field(default="", compare=False)  # when known (from discovery); informational

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def path(self, namespace: str = "", name: str = "", subresource: str = "") -> str:
        """The API path of the collection (in ``namespace``, or across all namespaces
        when it is ""), of one object, or of one object's subresource."""
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if namespace:
            if not self.namespaced:
                raise ValueError(f"{self.resource} are not namespaced")
            base += f"/namespaces/{_segment(namespace, 'namespace')}"
        base += f"/{self.resource}"
        if name:
            base += f"/{_segment(name, 'name')}"
        if subresource:
            if not name:
                raise ValueError("a subresource needs an object name")
            base += f"/{_segment(subresource, 'subresource')}"
        return base

    def namespace_of(self, namespace: str, obj: dict[str, Any] | None = None) -> str:
        """The namespace a request on one object goes to: ``namespace``, else the
        object's own; "" for cluster-scoped resources."""
        if not self.namespaced:
            return ""
        ns = namespace or str(((obj or {}).get("metadata") or {}).get("namespace") or "")
        if not ns:
            raise ValueError(f"{self.resource} are namespaced: a namespace is needed")
        return ns


NAMESPACES = Resource("", "v1", "namespaces", namespaced=False, kind="Namespace")
