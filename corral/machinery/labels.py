"""Label selectors: the ``labelSelector`` language of k8s.io/apimachinery/pkg/labels and
``metav1.LabelSelector`` objects, with the syntax checks and error texts of kube.

:func:`parse_selector` reads ``app=web,tier in (a,b),!canary,replicas>2``;
:func:`selector_from_label_selector` turns ``{"matchLabels": ..., "matchExpressions": ...}``
into the same :class:`Selector`. A parsed selector compiles each requirement into a small
closure so that matching stays a few dictionary lookups per object.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corral.machinery.names import is_qualified_name, is_valid_label_value

Labels = Mapping[str, str]
_Check = Callable[[Labels], bool]

# selection.Operator values
IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
GREATER_THAN, LESS_THAN, EXISTS, DOES_NOT_EXIST = "gt", "lt", "exists", "!"
_BINARY = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)

_INT64 = re.compile(r"[+-]?[0-9]+")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_GO_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v",
               "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """``fmt.Sprintf("%q", text)``: Go's double-quoted string literal of ``text``."""
    out = ['"']
    for ch in text:
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _invalid(path: str, shown_value: str, detail: str) -> str:
    """A field.Invalid error as text."""
    return f"{path}: Invalid value: {shown_value}: {detail}"


def _go_string_slice(values: list[str] | None) -> str:
    """``%#v`` of a Go ``[]string``."""
    if values is None:
        return "[]string(nil)"
    return "[]string{" + ", ".join(go_quote(v) for v in values) + "}"


def _aggregate(errors: list[str]) -> str:
    """utilerrors.Aggregate text: one message alone, several deduplicated in brackets."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def _parse_int64(text: str) -> int | None:
    if not _INT64.fullmatch(text):
        return None
    number = int(text)
    return number if _INT64_MIN <= number <= _INT64_MAX else None


@dataclass(frozen=True, slots=True)
class Requirement:
    """One ``key op values`` term. Build it with :func:`new_requirement`, which validates."""

    key: str
    operator: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        op = self.operator
        if op == EXISTS:
            return self.key
        if op == DOES_NOT_EXIST:
            return "!" + self.key
        values = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if op in (IN, NOT_IN):
            return f"{self.key} {op} ({values})"
        symbol = {GREATER_THAN: ">", LESS_THAN: "<"}.get(op, op)
        return f"{self.key}{symbol}{values}"

    def check(self) -> _Check:
        """A predicate over a label map equivalent to this requirement."""
        key, op, values = self.key, self.operator, self.values
        if op == EXISTS:
            return lambda labels: key in labels
        if op == DOES_NOT_EXIST:
            return lambda labels: key not in labels
        if op in (GREATER_THAN, LESS_THAN):
            bound = _parse_int64(values[0]) if len(values) == 1 else None
            greater = op == GREATER_THAN

            def compare(labels: Labels) -> bool:
                value = labels.get(key)
                number = None if value is None or bound is None else _parse_int64(value)
                if number is None or bound is None:
                    return False
                return number > bound if greater else number < bound
            return compare
        negate = op in (NOT_IN, NOT_EQUALS)
        if len(values) == 1:
            only = values[0]
            if negate:
                return lambda labels: labels.get(key) != only
            return lambda labels: labels.get(key) == only
        allowed = frozenset(values)
        if negate:
            return lambda labels: labels.get(key) not in allowed
        return lambda labels: labels.get(key) in allowed


def new_requirement(key: str, operator: str, values: Iterable[str] | None) -> Requirement:
    """labels.NewRequirement: a checked requirement, or ValueError with kube's message.

    ``values=None`` stands for a nil slice (it only changes how an error shows it).
    """
    listed = None if values is None else list(values)
    vals = listed or []
    errors: list[str] = []
    key_errors = is_qualified_name(key)
    if key_errors:
        errors.append(_invalid("key", go_quote(key), "; ".join(key_errors)))
    if operator in (IN, NOT_IN):
        if not vals:
            errors.append(_invalid("values", _go_string_slice(listed),
                                   "for 'in', 'notin' operators, values set can't be empty"))
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(vals) != 1:
            errors.append(_invalid("values", _go_string_slice(listed),
                                   "exact-match compatibility requires one single value"))
    elif operator in (EXISTS, DOES_NOT_EXIST):
        if vals:
            errors.append(_invalid("values", _go_string_slice(listed),
                                   "values set must be empty for exists and does not exist"))
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(vals) != 1:
            errors.append(_invalid("values", _go_string_slice(listed),
                                   "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, value in enumerate(vals):
            if _parse_int64(value) is None:
                errors.append(_invalid(f"values[{i}]", go_quote(value),
                                       "for 'Gt', 'Lt' operators, the value must be an integer"))
    else:
        supported = ", ".join(go_quote(o) for o in (*_BINARY, EXISTS, DOES_NOT_EXIST))
        errors.append(f"operator: Unsupported value: {go_quote(operator)}: supported values: {supported}")
    for i, value in enumerate(vals):
        value_errors = is_valid_label_value(value)
        if value_errors:
            errors.append(_invalid(f"values[{i}][{key}]", go_quote(value), "; ".join(value_errors)))
    if errors:
        raise ValueError(_aggregate(errors))
    return Requirement(key, operator, tuple(vals))


class Selector:
    """An AND of requirements. With none it matches everything (``empty``); the selector
    of a missing LabelSelector (:meth:`nothing`) matches no object at all."""

    __slots__ = ("_checks", "_nothing", "requirements")

    def __init__(self, requirements: Iterable[Requirement] = (), *, nothing: bool = False) -> None:
        self.requirements: tuple[Requirement, ...] = tuple(sorted(requirements, key=lambda r: r.key))
        self._nothing = nothing
        self._checks = tuple(r.check() for r in self.requirements)

    @classmethod
    def nothing(cls) -> Selector:
        return cls(nothing=True)

    @property
    def empty(self) -> bool:
        """True when the selector does not restrict anything."""
        return not self.requirements and not self._nothing

    def matches(self, labels: Labels) -> bool:
        if self._nothing:
            return False
        for check in self._checks:  # noqa: SIM110 - a plain loop is 3x faster than all(<genexpr>)
            if not check(labels):
                return False
        return True

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return "Selector.nothing()" if self._nothing else f"Selector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selector):
            return NotImplemented
        return (self.requirements, self._nothing) == (other.requirements, other._nothing)

    def __hash__(self) -> int:
        return hash((self.requirements, self._nothing))


# Lexer tokens
_ERROR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(14)
_TOKENS = {")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN, "<": _LT,
           "!=": _NEQ, "notin": _NOTIN, "(": _OPEN}
_SPECIAL = frozenset("=!(),><")
_SPACE = frozenset(" \t\r\n")
_TOKEN_OPS = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GREATER_THAN, _LT: LESS_THAN, _NOTIN: NOT_IN,
              _NEQ: NOT_EQUALS}


def _lex(text: str) -> list[tuple[int, str]]:
    """Every token up to and including the end-of-string token."""
    items: list[tuple[int, str]] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in _SPACE:
            pos += 1
        if pos == end:
            items.append((_EOS, ""))
            return items
        start = pos
        if text[pos] in _SPECIAL:
            token, literal = _ERROR, ""
            while pos < end and text[pos] in _SPECIAL:
                candidate = text[start:pos + 1]
                if candidate in _TOKENS:
                    token, literal = _TOKENS[candidate], candidate
                elif token != _ERROR:
                    break
                pos += 1
            items.append((token, literal))
            pos = start + len(literal)
        else:
            while pos < end and text[pos] not in _SPECIAL and text[pos] not in _SPACE:
                pos += 1
            word = text[start:pos]
            items.append((_TOKENS.get(word, _ID), word))


class _Parser:
    """The recursive-descent parser of labels.Parse, token for token."""

    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.pos = 0

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        return (_ID, lit) if values and tok in (_IN, _NOTIN) else (tok, lit)

    def consume(self, values: bool = True) -> tuple[int, str]:
        item = self.lookahead(values)
        self.pos += 1
        return item

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            tok, lit = self.lookahead()
            if tok == _EOS:
                return requirements
            if tok not in (_ID, _NOT):
                raise ValueError(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                requirements.append(self.requirement())
            except ValueError as exc:
                raise ValueError(f"unable to parse requirement: {exc}") from None
            tok, lit = self.consume()
            if tok == _EOS:
                return requirements
            if tok != _COMMA:
                raise ValueError(f"found '{lit}', expected: ',' or 'end of string'")
            tok, lit = self.lookahead()
            if tok not in (_ID, _NOT):
                raise ValueError(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        key, operator = self.key_and_inferred_operator()
        if operator in (EXISTS, DOES_NOT_EXIST):
            return new_requirement(key, operator, [])
        tok, lit = self.consume(values=False)
        if tok not in _TOKEN_OPS:
            raise ValueError(f"found '{lit}', expected: {', '.join(_BINARY)}")
        operator = _TOKEN_OPS[tok]
        values = self.value_set() if operator in (IN, NOT_IN) else self.exact_value()
        return new_requirement(key, operator, sorted(values))

    def key_and_inferred_operator(self) -> tuple[str, str]:
        operator = ""
        tok, lit = self.consume()
        if tok == _NOT:
            operator = DOES_NOT_EXIST
            tok, lit = self.consume()
        if tok != _ID:
            raise ValueError(f"found '{lit}', expected: identifier")
        errors = is_qualified_name(lit)
        if errors:
            raise ValueError(_invalid("<nil>", go_quote(lit), "; ".join(errors)))
        if self.lookahead()[0] in (_EOS, _COMMA) and operator != DOES_NOT_EXIST:
            operator = EXISTS
        return lit, operator

    def value_set(self) -> set[str]:
        tok, lit = self.consume()
        if tok != _OPEN:
            raise ValueError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead()
        if tok == _CLOSE:
            self.consume()
            return {""}
        if tok not in (_ID, _COMMA):
            raise ValueError(f"found '{lit}', expected: ',', ')' or identifier")
        values = self.identifiers()
        self.consume()  # the ")" identifiers() stopped at
        return values

    def identifiers(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit = self.consume()
            if tok == _ID:
                values.add(lit)
                after, after_lit = self.lookahead()
                if after == _CLOSE:
                    return values
                if after != _COMMA:
                    raise ValueError(f"found '{after_lit}', expected: ',' or ')'")
            elif tok == _COMMA:
                after = self.lookahead()[0]
                if not values or after in (_CLOSE, _COMMA):
                    values.add("")  # "(,", ",)" and ",," stand for the empty value
                if after == _CLOSE:
                    return values
            else:
                raise ValueError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.lookahead()[0] in (_EOS, _COMMA):
            return {""}
        tok, lit = self.consume()
        if tok != _ID:
            raise ValueError(f"found '{lit}', expected: identifier")
        return {lit}


def parse_selector(text: str) -> Selector:
    """labels.Parse. Raises ValueError carrying kube's message for malformed input."""
    # the Go lexer reads a NUL byte as the end of the input
    return Selector(_Parser(text.split("\x00", 1)[0]).parse())


def selector_from_set(labels: Mapping[str, str]) -> Selector:
    """labels.SelectorFromSet: equality on every pair, without validation."""
    return Selector(Requirement(k, EQUALS, (v,)) for k, v in labels.items())


_EXPRESSION_OPS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def selector_from_label_selector(spec: Mapping[str, Any] | None) -> Selector:
    """metav1.LabelSelectorAsSelector: None selects nothing, ``{}`` everything. Raises
    ValueError with kube's message for invalid keys, values or operators."""
    if spec is None:
        return Selector.nothing()
    match_labels: Mapping[str, str] = spec.get("matchLabels") or {}
    expressions: list[Mapping[str, Any]] = spec.get("matchExpressions") or []
    requirements = [new_requirement(k, EQUALS, [v]) for k, v in match_labels.items()]
    for expr in expressions:
        op = expr.get("operator", "")
        if op not in _EXPRESSION_OPS:
            raise ValueError(f"{go_quote(op)} is not a valid label selector operator")
        # Go copies the values with append([]string(nil), ...): an empty list stays nil
        values = expr.get("values") or None
        requirements.append(new_requirement(expr.get("key", ""), _EXPRESSION_OPS[op], values))
    return Selector(requirements)
