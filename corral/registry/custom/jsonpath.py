"""The JSONPath dialect of client-go (k8s.io/client-go/util/jsonpath) that custom resources
use for ``additionalPrinterColumns`` and ``selectableFields``: ``.spec.replicas``,
``.status.conditions[?(@.type=="Ready")].status``, ``.items[0]``, ``.spec.*``, ``..name``,
``['a.b']``, unions ``[0,2]`` and slices ``[1:3]``.

Parsing follows client-go's parser closely enough that what kube accepts parses here and
reads the same values; evaluation allows missing keys, as the column printer and field
selectors set it. An expression kube rejects or cannot evaluate raises
:class:`JSONPathError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$")
_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?\d*)(:-?\d*)?(:-?\d*)?$")


class JSONPathError(ValueError):
    """An expression client-go would not parse, or could not evaluate on the data."""


@dataclass(frozen=True, slots=True)
class _Field:
    name: str


@dataclass(frozen=True, slots=True)
class _Wildcard:
    pass


@dataclass(frozen=True, slots=True)
class _Recursive:
    pass


@dataclass(frozen=True, slots=True)
class _Slice:
    start: int | None
    end: int | None
    step: int | None
    single: bool  # ``[n]``: the end is derived as start + 1


@dataclass(frozen=True, slots=True)
class _Union:
    branches: tuple[tuple[_Step, ...], ...]


@dataclass(frozen=True, slots=True)
class _Filter:
    left: tuple[_Step, ...]
    operator: str  # "exists" or a comparison
    right: tuple[_Step, ...]


@dataclass(frozen=True, slots=True)
class _Literal:
    value: Any


_Step = _Field | _Wildcard | _Recursive | _Slice | _Union | _Filter | _Literal


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.steps: list[_Step] = []

    def parse(self) -> tuple[_Step, ...]:
        while self.pos < len(self.text):
            rest = self.text[self.pos:]
            if rest.startswith("[?("):
                self._filter()
            elif rest.startswith(".."):
                if self.steps and isinstance(self.steps[-1], _Recursive):
                    raise JSONPathError("invalid multiple recursive descent")
                self.pos += 2
                self.steps.append(_Recursive())
                if self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] == "_"):
                    self._field()
            else:
                self._one(self.text[self.pos])
        return tuple(self.steps)

    def _one(self, char: str) -> None:
        self.pos += 1
        if char in " @$":
            return
        if char == "[":
            self._array()
        elif char in "\"'":
            self._quote(char)
        elif char == ".":
            self._field()
        elif char in "+-" or char.isdigit():
            self.pos -= 1
            self._number()
        elif char.isalnum() or char == "_":
            self.pos -= 1
            self._identifier()
        else:
            raise JSONPathError(f"unrecognized character in action: {char!r}")

    def _field(self) -> None:
        start = self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char in _TERMINATORS:
                break
            self.pos += 1
        value = self.text[start:self.pos]
        self.steps.append(_Wildcard() if value == "*" else _Field(value.replace("\\", "")))

    def _identifier(self) -> None:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _TERMINATORS:
            self.pos += 1
        value = self.text[start:self.pos]
        if value.lower() in ("true", "false"):
            self.steps.append(_Literal(value.lower() == "true"))
        else:  # "range" and "end" are template keywords, meaningless in one path
            raise JSONPathError(f"unrecognized identifier {value}")

    def _number(self) -> None:
        start = self.pos
        if self.text[self.pos] in "+-":
            self.pos += 1
        while self.pos < len(self.text) and (self.text[self.pos] == "." or self.text[self.pos].isdigit()):
            self.pos += 1
        value = self.text[start:self.pos]
        try:
            self.steps.append(_Literal(int(value)))
        except ValueError:
            try:
                self.steps.append(_Literal(float(value)))
            except ValueError:
                raise JSONPathError(f"cannot parse number {value}") from None

    def _quote(self, end: str) -> None:
        start = self.pos
        while True:
            if self.pos >= len(self.text):
                raise JSONPathError("unterminated quoted string")
            char = self.text[self.pos]
            self.pos += 1
            if char == end and self.text[self.pos - 2] != "\\":
                break
        self.steps.append(_Literal(self.text[start:self.pos - 1].replace("\\" + end, end)))

    def _array(self) -> None:
        close = self.text.find("]", self.pos)
        if close < 0:
            raise JSONPathError("unterminated array")
        inner = self.text[self.pos:close]
        self.pos = close + 1
        if inner == "*":
            inner = ":"
        parts = inner.split(",")
        if len(parts) > 1:
            self.steps.append(_Union(tuple(_Parser(f"[{p.strip()}]").parse() for p in parts)))
            return
        key = _DICT_KEY.match(inner)
        if key is not None:
            self.steps.extend(_Parser("." + key.group(1)).parse())
            return
        self.steps.append(_slice(inner))

    def _filter(self) -> None:
        self.pos += 3
        start = self.pos
        quote = ""
        closed = False
        while True:
            if self.pos >= len(self.text):
                raise JSONPathError("unterminated filter")
            char = self.text[self.pos]
            self.pos += 1
            if char in "\"'":
                if not quote:
                    quote = char
                elif char == quote and self.text[self.pos - 2] != "\\":
                    closed = True
            elif char == ")" and bool(quote) == closed:
                break
        if self.pos >= len(self.text) or self.text[self.pos] != "]":
            raise JSONPathError("unclosed array expect ]")
        self.pos += 1
        condition = self.text[start:self.pos - 2]
        match = _FILTER.match(condition)
        if match is None:
            self.steps.append(_Filter(_Parser(condition).parse(), "exists", ()))
        else:
            self.steps.append(_Filter(_Parser(match.group(1)).parse(), match.group(2),
                                      _Parser(match.group(3)).parse()))


def _slice(text: str) -> _Slice:
    match = _SLICE.match(text)
    if match is None or not text:
        raise JSONPathError(f"invalid array index {text}")
    first, second, third = match.groups()
    start = int(first) if first not in ("", "-") else None
    if second is None:
        if start is None:
            raise JSONPathError(f"invalid array index {text}")
        return _Slice(start, None, None, True)
    end = int(second[1:]) if second[1:] not in ("", "-") else None
    step = int(third[1:]) if third and third[1:] not in ("", "-") else None
    return _Slice(start, end, step, False)


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list):
        return list(value)
    return []


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise JSONPathError(f"invalid type for comparison: {type(value).__name__}")


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b), "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b), ">": lambda a, b: bool(a > b),
    "<=": lambda a, b: bool(a <= b), ">=": lambda a, b: bool(a >= b),
}


def _compare(left: Any, operator: str, right: Any) -> bool:
    """text/template's eq/lt family: both sides of one basic kind, else an error."""
    compare = _COMPARE.get(operator)
    if compare is None:
        raise JSONPathError(f"unrecognized filter operator {operator}")
    if _kind(left) != _kind(right):
        raise JSONPathError("incompatible types for comparison")
    if operator not in ("==", "!=") and _kind(left) == "bool":
        raise JSONPathError("invalid type for comparison")
    return compare(left, right)


class JSONPath:
    """One parsed expression, as client-go parses ``{<expression>}``."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self._steps = _Parser(expression).parse()

    def find(self, data: Any) -> list[Any]:
        """Every value the expression selects in ``data`` (none for missing keys)."""
        return _evaluate([data], self._steps)


def _evaluate(values: list[Any], steps: tuple[_Step, ...]) -> list[Any]:
    for step in steps:
        values = _walk(values, step)
    return values


def _walk(values: list[Any], step: _Step) -> list[Any]:
    if isinstance(step, _Field):
        return [v[step.name] for v in values if isinstance(v, dict) and step.name in v]
    if isinstance(step, _Wildcard):
        return [child for v in values for child in _children(v)]
    if isinstance(step, _Recursive):
        return _recursive(values)
    if isinstance(step, _Slice):
        return [item for v in values if v is not None for item in _select(v, step)]
    if isinstance(step, _Union):
        return [found for branch in step.branches for found in _evaluate(values, branch)]
    if isinstance(step, _Filter):
        return [item for v in values for item in _filter(v, step)]
    return [step.value]


def _recursive(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        children = _children(value)
        if children:
            out.append(value)
            out.extend(_recursive(children))
    return out


def _select(value: Any, step: _Slice) -> list[Any]:
    if not isinstance(value, list):
        raise JSONPathError(f"{type(value).__name__} is not array or slice")
    size = len(value)
    start = step.start or 0
    if start < 0:
        start += size
    end = start + 1 if step.single else size if step.end is None else step.end
    if end < 0:
        end += size
    if end == start:
        return []
    if not 0 <= start < size or not 0 <= end <= size:
        raise JSONPathError(f"array index out of bounds: index {start}, length {size}")
    if start > end:
        raise JSONPathError(f"starting index {start} is greater than ending index {end}")
    if step.step is not None and step.step <= 0:
        raise JSONPathError("step must be > 0")
    return value[start:end:step.step or 1]


def _filter(value: Any, step: _Filter) -> list[Any]:
    if not isinstance(value, list):
        raise JSONPathError(f"{type(value).__name__} is not array or slice and cannot be filtered")
    out = []
    for item in value:
        lefts = _evaluate([item], step.left)
        if step.operator == "exists":
            if lefts:
                out.append(item)
            continue
        rights = _evaluate([item], step.right)
        if not lefts or not rights:
            continue
        if len(lefts) > 1 or len(rights) > 1:
            raise JSONPathError("can only compare one element at a time")
        if _compare(lefts[0], step.operator, rights[0]):
            out.append(item)
    return out
