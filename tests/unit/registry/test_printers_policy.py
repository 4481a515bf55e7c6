"""Rows for the networking, policy, scheduling, storage and autoscaling kinds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from corral.registry.builtins import BUILTINS
from corral.registry.printers import table_columns, table_row

NOW = datetime(2026, 1, 1, 0, 10, tzinfo=UTC)
RD = {(rd.group, rd.resource): rd for rd in BUILTINS}


def _obj(**fields: Any) -> dict[str, Any]:
    return {"metadata": {"name": "x", "creationTimestamp": "2026-01-01T00:00:00Z"}, **fields}


@pytest.mark.parametrize(("key", "obj", "cells"), [
    (("networking.k8s.io", "ingresses"),
     _obj(spec={"ingressClassName": "nginx", "rules": [{"host": "a.com"}, {"host": "b.com"}], "tls": [{}]},
          status={"loadBalancer": {"ingress": [{"ip": "10.0.0.1"}]}}),
     ["x", "nginx", "a.com,b.com", "10.0.0.1", "80, 443", "10m"]),
    (("networking.k8s.io", "ingresses"), _obj(spec={"rules": [{"http": {}}]}), ["x", "<none>", "*", "", "80", "10m"]),
    (("policy", "poddisruptionbudgets"), _obj(spec={"minAvailable": 1}, status={"disruptionsAllowed": 2}),
     ["x", "1", "N/A", 2, "10m"]),
    (("scheduling.k8s.io", "priorityclasses"), _obj(value=1000), ["x", 1000, False, "10m", "PreemptLowerPriority"]),
    (("networking.k8s.io", "networkpolicies"), _obj(spec={"podSelector": {"matchLabels": {"app": "db"}}}),
     ["x", "app=db", "10m"]),
    (("storage.k8s.io", "storageclasses"), _obj(provisioner="local", allowVolumeExpansion=True),
     ["x", "local", "Delete", "Immediate", True, "10m"]),
    (("", "replicationcontrollers"),
     _obj(spec={"replicas": 2, "selector": {"app": "a"},
                "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}, status={"replicas": 1}),
     ["x", 2, 1, 0, "10m", "c", "i", "app=a"]),
])
def test_rows(key: tuple[str, str], obj: dict[str, Any], cells: list[Any]) -> None:
    rd = RD[key]
    assert table_row(rd, obj, NOW) == cells
    assert len(table_columns(rd)) == len(cells)
