"""Object metadata of CRDs and custom objects, validated by apimachinery's generic rules
as apiextensions-apiserver validates it: a finalizer only has to be a qualified name (the
rule that names without a domain be kube's own is core's, for built-in kinds only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import NameCheck
from corral.registry.validation import meta

_CORE_FINALIZER_RULE = "name is neither a standard finalizer name nor is it fully qualified"


def _generic(causes: list[Cause]) -> list[Cause]:
    return [c for c in causes if not c.message.endswith(_CORE_FINALIZER_RULE)]


def validate_meta(obj: Mapping[str, Any], old: Mapping[str, Any] | None, namespaced: bool,
                  name_check: NameCheck) -> list[Cause]:
    """The metadata rules of a create (``old`` is None) or of an update."""
    return _generic(meta.validate_meta(obj, old, namespaced, name_check))


def validate_object_meta(obj: Mapping[str, Any], namespaced: bool, name_check: NameCheck) -> list[Cause]:
    """The metadata rules of a create."""
    return _generic(meta.validate_object_meta(obj, namespaced, name_check))
