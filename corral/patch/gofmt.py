"""JSON values written as Go's ``%v`` writes them once decoded into ``interface{}``
(``map[image:nginx name:web]``, ``[80 443]``, ``<nil>``), and their Go type names, so that
patch errors read word for word as kube-apiserver's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

_TYPES: dict[type, str] = {
    dict: "map[string]interface {}",
    list: "[]interface {}",
    str: "string",
    bool: "bool",
    int: "int64",
    float: "float64",
    type(None): "<nil>",
}


def go_type(value: Any) -> str:
    """The Go type a decoded JSON value has (``[]interface {}``, ``int64``, ...)."""
    return _TYPES.get(type(value), type(value).__name__)


def go_value(value: Any) -> str:
    """``value`` as Go's ``fmt`` prints it with ``%v``: maps with sorted keys, no quotes."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{go_value(value[key])}" for key in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_value(item) for item in value) + "]"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


def _go_float(value: float) -> str:
    """Go's shortest ``%g``: exponent form below 1e-4 and from 1e6 on."""
    number = Decimal(repr(value)).normalize()
    magnitude = number.adjusted()
    if -4 <= magnitude < 6:
        return format(number, "f")
    mantissa = format(number.scaleb(-magnitude), "f")
    return f"{mantissa}e{'+' if magnitude >= 0 else '-'}{abs(magnitude):02d}"
