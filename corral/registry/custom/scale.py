"""The scale subresource of custom resources: an autoscaling/v1 Scale read from, and
written to, the paths the CRD version names (``specReplicasPath``, ``statusReplicasPath``,
``labelSelectorPath``), as apiextensions' ScaleREST does."""

from __future__ import annotations

from typing import Any

from corral.machinery import errors
from corral.patch.gofmt import go_type, go_value
from corral.registry.custom.spec import ScalePaths


def _segments(path: str) -> list[str]:
    return path.removeprefix(".").split(".")


def _nested(obj: dict[str, Any], path: str) -> tuple[Any, bool]:
    """The value at a dotted path and whether it is there (NestedFieldNoCopy)."""
    value: Any = obj
    for segment in _segments(path):
        if not isinstance(value, dict) or segment not in value:
            return None, False
        value = value[segment]
    return value, True


def accessor_error(path: str, value: Any, wanted: str) -> str:
    """unstructured.NestedInt64's complaint about a field of another type."""
    return f"{path.removeprefix('.')} accessor error: {go_value(value)} is of the type {go_type(value)}, " \
           f"expected {wanted}"


def _nested_int(obj: dict[str, Any], path: str) -> tuple[int, bool]:
    value, found = _nested(obj, path)
    if not found:
        return 0, False
    if not isinstance(value, int) or isinstance(value, bool):
        raise errors.internal(accessor_error(path, value, "int64"))
    return value, True


def replicas_at(obj: dict[str, Any], path: str) -> tuple[Any, bool]:
    """The raw value at a replicas path, for validation."""
    return _nested(obj, path)


def scale_of(paths: ScalePaths, obj: dict[str, Any]) -> dict[str, Any]:
    """The Scale of a custom object; missing replicas read as 0. A replicas field that
    holds something other than an integer is an internal error, as in kube."""
    meta = obj["metadata"]
    spec_replicas, _ = _nested_int(obj, paths.spec_replicas)
    status_replicas, _ = _nested_int(obj, paths.status_replicas)
    selector = ""
    if paths.label_selector:
        value, found = _nested(obj, paths.label_selector)
        selector = value if found and isinstance(value, str) else ""
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                     if k in meta},
        "spec": {"replicas": spec_replicas} if spec_replicas else {},  # omitempty, as autoscaling/v1 has it
        "status": {"replicas": status_replicas, **({"selector": selector} if selector else {})},
    }


def set_replicas(paths: ScalePaths, obj: dict[str, Any], replicas: int) -> None:
    """Write a Scale's spec.replicas into the object (SetNestedField)."""
    *parents, last = _segments(paths.spec_replicas)
    target = obj
    for segment in parents:
        child = target.get(segment)
        if not isinstance(child, dict):
            child = target[segment] = {}
        target = child
    target[last] = replicas
