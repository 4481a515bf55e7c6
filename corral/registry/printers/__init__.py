"""Server-side Table output (meta.k8s.io/v1 Table): the columns and cells kube-apiserver
1.33 prints for each resource, which ``kubectl get`` shows as they come.

The server always generates the wide form; columns with priority 1 are the ones kubectl
shows only with ``-o wide``. Built-in resources without a printer of their own (roles,
clusterroles, limitranges, customresourcedefinitions) get kube's default table, Name and
Created At; custom resources get their CRD version's printer columns (Name and Age by
default).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corral.machinery.timeutil import format_time
from corral.registry.fields import is_builtin
from corral.registry.printers import cluster, config, events, network, pods, policy, storage, workloads
from corral.registry.printers.cells import NAME, Obj, Printer, age, column, doc, meta, name, timestamp
from corral.registry.resources import ResourceDef

_ZERO_TIME = "0001-01-01T00:00:00Z"  # Go's zero time.Time, what kube shows for a missing timestamp


def _created_at(obj: Obj, now: datetime) -> list[Any]:
    created = timestamp(meta(obj).get("creationTimestamp"))
    return [name(obj), _ZERO_TIME if created is None else format_time(created)]


def _age(obj: Obj, now: datetime) -> list[Any]:
    return [name(obj), age(obj, now)]


_PRINTERS: dict[tuple[str, str], Printer] = {
    **pods.PRINTERS, **workloads.PRINTERS, **network.PRINTERS, **cluster.PRINTERS, **config.PRINTERS,
    **storage.PRINTERS, **events.PRINTERS, **policy.PRINTERS,
}
_CREATED = doc("ObjectMeta.creationTimestamp")
_BUILTIN_DEFAULT = Printer((NAME, column("Created At", "date", _CREATED)), _created_at)
_CUSTOM_DEFAULT = Printer((NAME, column("Age", "date", _CREATED)), _age)


def _printer(rd: ResourceDef) -> Printer:
    if rd.custom is not None:  # a CRD version's additionalPrinterColumns (Age when none)
        return rd.custom.printer
    found = _PRINTERS.get((rd.group, rd.resource))
    if found is not None:
        return found
    return _BUILTIN_DEFAULT if is_builtin(rd) else _CUSTOM_DEFAULT


def table_columns(rd: ResourceDef) -> list[dict[str, Any]]:
    """The ``columnDefinitions`` of the resource's Table (fresh dicts, safe to change)."""
    return [dict(c) for c in _printer(rd).columns]


def table_row(rd: ResourceDef, obj: dict[str, Any], now: datetime) -> list[Any]:
    """The ``cells`` of one object's row, in column order; ages count up to ``now``."""
    return _printer(rd).row(obj, now)
