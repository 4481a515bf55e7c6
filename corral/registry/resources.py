"""What a served resource is: its names, scope, verbs and storage key layout.

A :class:`ResourceDef` holds the facts discovery, routing and storage need about one
resource of one group-version. The built-in ones are listed in
:mod:`corral.registry.builtins`; custom resources get theirs from their CRDs
(:mod:`corral.registry.custom.definitions`), with the CRD version's facts in ``custom``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corral.registry.custom.spec import CustomVersion

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True, slots=True)
class ResourceDef:
    group: str
    version: str
    resource: str  # plural, lower case: "pods"
    kind: str  # "Pod"
    namespaced: bool = True
    singular: str = ""
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    # subresource name -> kind it serves ("status" -> same kind, "scale" -> Scale)
    subresources: dict[str, str] = field(default_factory=dict)
    # True when metadata.generation tracks spec changes (apps, batch, CRDs)
    generation: bool = False
    # custom resources: the CRD version they come from; their list kind may be any name
    custom: CustomVersion | None = None
    custom_list_kind: str = ""

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return self.custom_list_kind or self.kind + "List"

    @property
    def has_status(self) -> bool:
        return "status" in self.subresources

    @property
    def singular_name(self) -> str:
        return self.singular or self.kind.lower()

    @property
    def qualified(self) -> str:
        """``resource.group`` as errors and RBAC name it (``deployments.apps``)."""
        return f"{self.resource}.{self.group}" if self.group else self.resource

    def key_prefix(self, namespace: str = "") -> str:
        """The storage prefix for all objects, or one namespace's, ending in ``/``."""
        base = f"/registry/{self.group or 'core'}/{self.resource}/"
        return base + namespace + "/" if namespace and self.namespaced else base

    def key(self, namespace: str, name: str) -> str:
        return f"{self.key_prefix(namespace)}{name}" if self.namespaced else f"{self.key_prefix()}{name}"
