"""Resource quantities (``500m``, ``1Gi``, ``2e3``) as k8s.io/apimachinery/pkg/api/resource
reads, compares and prints them.

kube-apiserver never echoes a quantity as sent: it parses it, rounds it up to nano (and,
in resource lists, to milli) precision and prints it in canonical form, so ``0.5``
comes back as ``500m``, ``1024Mi`` as ``1Gi`` and ``2000`` as ``2k``. Values are kept
exact as fractions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SUFFIX_ERROR = "unable to parse quantity's suffix"

_SYNTAX = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*)([-+]?[0-9]*)\Z")
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_SUFFIX = {v: k for k, v in _DECIMAL.items()}
_BINARY_SUFFIX = {v // 10: k for k, v in _BINARY.items()}
_NANO = -9
MILLI = -3


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Fraction
    format: str

    def __str__(self) -> str:
        return canonical(self)

    def round_up(self, scale: int) -> Quantity:
        """Round away from zero to ``10**scale`` (Quantity.RoundUp)."""
        step = Fraction(10) ** scale
        units = self.value / step
        whole = math.ceil(units) if units >= 0 else math.floor(units)
        return Quantity(whole * step, self.format)


def parse_quantity(raw: Any) -> Quantity:
    """resource.ParseQuantity (JSON numbers are read as their text). ValueError on bad input."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(FORMAT_ERROR)
    text = raw.strip() if isinstance(raw, str) else repr(raw)
    match = _SYNTAX.match(text)
    if not text or not match:
        raise ValueError(FORMAT_ERROR)
    sign, whole, frac, suffix, exp_digits = match.groups()
    frac = frac or ""
    if not whole and not frac:
        raise ValueError(FORMAT_ERROR)
    suffix += exp_digits
    if suffix in _DECIMAL:
        base, exponent, fmt = 10, _DECIMAL[suffix], DECIMAL_SI
    elif suffix in _BINARY:
        base, exponent, fmt = 2, _BINARY[suffix], BINARY_SI
    elif suffix[:1] in ("e", "E") and re.fullmatch(r"[-+]?[0-9]+", suffix[1:]):
        base, exponent, fmt = 10, int(suffix[1:]), DECIMAL_EXPONENT
    else:
        raise ValueError(SUFFIX_ERROR)
    magnitude = Fraction(int(whole or "0") * 10 ** len(frac) + int(frac or "0"), 10 ** len(frac))
    magnitude *= Fraction(base) ** exponent
    quantity = Quantity(-magnitude if sign == "-" else magnitude, fmt).round_up(_NANO)
    if fmt == BINARY_SI and 0 < abs(quantity.value) < 1:
        quantity = Quantity(quantity.value, DECIMAL_SI)
    return quantity


def canonical(q: Quantity) -> str:
    """Quantity.String(): the shortest exact form in the quantity's own format."""
    if q.value == 0:
        return "0"
    fmt = q.format
    if fmt == BINARY_SI and (abs(q.value) < 1024 or q.value.denominator != 1):
        fmt = DECIMAL_SI
    sign = "-" if q.value < 0 else ""
    if fmt == BINARY_SI:
        number, power = abs(q.value.numerator), 0
        while number % 1024 == 0:
            number, power = number // 1024, power + 1
        return f"{sign}{number}{_BINARY_SUFFIX.get(power, '')}"
    # exact after nano rounding: mantissa * 10**exponent, exponent a multiple of three
    number, exponent = int(abs(q.value) * 10**9), -9
    while number % 10 == 0:
        number, exponent = number // 10, exponent + 1
    shift = exponent % 3
    number, exponent = number * 10**shift, exponent - shift
    if fmt == DECIMAL_SI and exponent in _DECIMAL_SUFFIX:
        return f"{sign}{number}{_DECIMAL_SUFFIX[exponent]}"
    return f"{sign}{number}" + (f"e{exponent}" if exponent else "")


def canonical_text(raw: Any, scale: int | None = None) -> Any:
    """``raw`` printed canonically (rounded up to ``10**scale`` first when given), or
    ``raw`` untouched when it does not parse: validation reports that."""
    try:
        q = parse_quantity(raw)
    except ValueError:
        return raw
    return canonical(q.round_up(scale) if scale is not None else q)
