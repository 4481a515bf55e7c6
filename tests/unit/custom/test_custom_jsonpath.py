"""The client-go JSONPath dialect of printer columns and selectable fields."""

from __future__ import annotations

import pytest

from corral.registry.custom.jsonpath import JSONPath, JSONPathError

DATA = {
    "spec": {"replicas": 3, "a.b": 1, "nested": {"name": "x"}},
    "status": {"conditions": [{"type": "Ready", "status": "True", "n": 1},
                              {"type": "Synced", "status": "False", "n": 2}]},
    "items": [10, 20, 30, 40],
}


@pytest.mark.parametrize(("expression", "found"), [
    (".spec.replicas", [3]),
    (".spec.missing", []),
    (".missing.deeper", []),
    (".status.conditions[?(@.type==\"Ready\")].status", ["True"]),
    (".status.conditions[?(@.type != 'Ready')].type", ["Synced"]),
    (".status.conditions[?(@.n > 1)].type", ["Synced"]),
    (".status.conditions[?(@.status)].type", ["Ready", "Synced"]),
    (".items[0]", [10]),
    (".items[-1]", [40]),
    (".items[1:3]", [20, 30]),
    (".items[::2]", [10, 30]),
    (".items[*]", [10, 20, 30, 40]),
    (".items[0,2]", [10, 30]),
    ("['spec']['replicas']", [3]),
    (".spec.nested.*", ["x"]),
    ("..name", ["x"]),
    ("$.spec.replicas", [3]),
])
def test_finds_values(expression: str, found: list[object]) -> None:
    assert JSONPath(expression).find(DATA) == found


@pytest.mark.parametrize("expression", [".items[", ".status.conditions[?(@.type==\"Ready\")", ".spec.{x}"])
def test_refuses_what_client_go_refuses(expression: str) -> None:
    with pytest.raises(JSONPathError):
        JSONPath(expression)


def test_evaluation_errors() -> None:
    with pytest.raises(JSONPathError, match="out of bounds"):
        JSONPath(".items[9]").find(DATA)
    with pytest.raises(JSONPathError, match="not array"):
        JSONPath(".spec[0]").find(DATA)
    with pytest.raises(JSONPathError, match="incompatible types"):
        JSONPath(".status.conditions[?(@.n == \"1\")]").find(DATA)
