"""Table rows of events, core/v1 and events.k8s.io/v1 alike: kube prints both from the
same internal type, so the events.k8s.io names (regarding, note, deprecated*) are read in
place of the core ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.registry.printers.cells import (
    NAME,
    Obj,
    Printer,
    column,
    doc,
    elapsed,
    integer,
    name,
    text,
    timestamp,
)

_CORE = {"object": "involvedObject", "message": "message", "first": "firstTimestamp",
         "last": "lastTimestamp", "count": "count", "source": "source", "controller": "reportingComponent"}
_EVENTS = {"object": "regarding", "message": "note", "first": "deprecatedFirstTimestamp",
           "last": "deprecatedLastTimestamp", "count": "deprecatedCount", "source": "deprecatedSource",
           "controller": "reportingController"}


def _row(event: Obj, now: datetime, keys: dict[str, str]) -> list[Any]:
    first = elapsed(timestamp(event.get(keys["first"])) or timestamp(event.get("eventTime")), now)
    last_time = timestamp(event.get(keys["last"]))
    last = first if last_time is None else elapsed(last_time, now)
    count = integer(event.get(keys["count"]))
    series = event.get("series")
    if series is not None:
        last = elapsed(timestamp(series.get("lastObservedTime")), now)
        count = integer(series.get("count"))
    elif count == 0:
        count = 1  # singleton events of the new API carry no count
    ref = event.get(keys["object"]) or {}
    kind = text(ref.get("kind")).lower()
    target = f"{kind}/{text(ref.get('name'))}" if ref.get("name") else kind
    source = event.get(keys["source"]) or {}
    component = text(source.get("component")) or text(event.get(keys["controller"]))
    instance = text(source.get("host")) or text(event.get("reportingInstance"))
    return [last, text(event.get("type")), text(event.get("reason")), target, text(ref.get("fieldPath")),
            f"{component}, {instance}" if instance else component, text(event.get(keys["message"])).strip(),
            first, count, name(event)]


def _core(event: Obj, now: datetime) -> list[Any]:
    return _row(event, now, _CORE)


def _events(event: Obj, now: datetime) -> list[Any]:
    return _row(event, now, _EVENTS)


_COLUMNS = (
    column("Last Seen", "string", doc("Event.lastTimestamp")),
    column("Type", "string", doc("Event.type")),
    column("Reason", "string", doc("Event.reason")),
    column("Object", "string", doc("Event.involvedObject")),
    column("Subobject", "string", doc("ObjectReference.fieldPath"), priority=1),
    column("Source", "string", doc("Event.source"), priority=1),
    column("Message", "string", doc("Event.message")),
    column("First Seen", "string", doc("Event.firstTimestamp"), priority=1),
    column("Count", "string", doc("Event.count"), priority=1),
    {**NAME, "priority": 1},
)

PRINTERS = {("", "events"): Printer(_COLUMNS, _core), ("events.k8s.io", "events"): Printer(_COLUMNS, _events)}
