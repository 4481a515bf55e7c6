"""JSON values printed as Go's ``%v`` prints them, for patch errors worded as kube's."""

from __future__ import annotations

from typing import Any

import pytest

from corral.patch.gofmt import go_type, go_value


@pytest.mark.parametrize(("value", "printed"), [
    ({"name": "web", "image": "nginx"}, "map[image:nginx name:web]"),
    ({"b": [1, None, True], "a": {"x": "y"}}, "map[a:map[x:y] b:[1 <nil> true]]"),
    ([], "[]"),
    ("text", "text"),
    (False, "false"),
    (80, "80"),
    (1.5, "1.5"),
    (3.0, "3"),
    (100000.0, "100000"),
    (1000000.0, "1e+06"),
    (1234567.0, "1.234567e+06"),
    (0.0001, "0.0001"),
    (-0.000025, "-2.5e-05"),
])
def test_go_value(value: Any, printed: str) -> None:
    assert go_value(value) == printed


def test_go_type() -> None:
    values: list[Any] = [{}, [], "", True, 1, 1.0, None]
    assert [go_type(v) for v in values] == [
        "map[string]interface {}", "[]interface {}", "string", "bool", "int64", "float64", "<nil>"]
