"""What every Table printer shares: the column definition shape, the Name and Age columns,
and the cell formats printers.go reuses (ages, label maps, selectors, container lists)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from corral.machinery.labels import selector_from_label_selector
from corral.machinery.timeutil import human_duration, parse_time
from corral.registry.printers.descriptions import DESCRIPTIONS

Obj = dict[str, Any]
Row = Callable[[Obj, datetime], list[Any]]

NONE = "<none>"
UNKNOWN = "<unknown>"
UNSET = "<unset>"


def column(name: str, kind: str, description: str, *, priority: int = 0, fmt: str = "") -> dict[str, Any]:
    """One ``columnDefinitions`` entry; priority 1 marks a column kubectl shows only with -o wide."""
    return {"name": name, "type": kind, "format": fmt, "description": description, "priority": priority}


def doc(key: str) -> str:
    """The API documentation of ``<Type>.<field>``."""
    return DESCRIPTIONS[key]


NAME = column("Name", "string", doc("ObjectMeta.name"), fmt="name")
AGE = column("Age", "string", doc("ObjectMeta.creationTimestamp"))
CONTAINERS = column("Containers", "string", "Names of each container in the template.", priority=1)
IMAGES = column("Images", "string", "Images referenced by each container in the template.", priority=1)


@dataclass(frozen=True, slots=True)
class Printer:
    """The columns of one resource and the function giving an object's cells in that order."""

    columns: tuple[dict[str, Any], ...]
    row: Row


def timestamp(value: Any) -> datetime | None:
    """A metav1.Time field; None when unset (Go's zero time) or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


def elapsed(when: datetime | None, now: datetime) -> str:
    """translateTimestampSince: the time since ``when``, "<unknown>" when unset."""
    return UNKNOWN if when is None else human_duration((now - when).total_seconds())


def since(value: Any, now: datetime) -> str:
    """The time since a timestamp field of an object."""
    return elapsed(timestamp(value), now)


def age(obj: Obj, now: datetime) -> str:
    return since(meta(obj).get("creationTimestamp"), now)


def meta(obj: Obj) -> dict[str, Any]:
    return obj.get("metadata") or {}


def name(obj: Obj) -> str:
    return str(meta(obj).get("name", ""))


def spec(obj: Obj) -> dict[str, Any]:
    return obj.get("spec") or {}


def status(obj: Obj) -> dict[str, Any]:
    return obj.get("status") or {}


def integer(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def condition_true(obj_status: Mapping[str, Any], kind: str) -> bool:
    """Whether the first status condition of that type is True."""
    for condition in obj_status.get("conditions") or []:
        if condition.get("type") == kind:
            return bool(condition.get("status") == "True")
    return False


def format_labels(labels: Mapping[str, str] | None) -> str:
    """labels.FormatLabels: sorted ``k=v`` pairs, "<none>" when there are none."""
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items())) or NONE


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """metav1.FormatLabelSelector: the selector's string form, "<none>" when it selects
    everything or nothing, "<error>" when it is invalid."""
    try:
        return str(selector_from_label_selector(selector)) or NONE
    except ValueError:
        return "<error>"


def container_cells(pod_spec: Mapping[str, Any]) -> list[str]:
    """layoutContainerCells: the Containers and Images cells of a pod template."""
    containers = pod_spec.get("containers") or []
    return [",".join(text(c.get(field)) for c in containers) for field in ("name", "image")]


def template_spec(workload_spec: Mapping[str, Any]) -> dict[str, Any]:
    """The pod spec of a workload's pod template."""
    return (workload_spec.get("template") or {}).get("spec") or {}
