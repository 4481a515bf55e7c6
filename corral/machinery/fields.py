"""Field selectors: the ``fieldSelector`` language of k8s.io/apimachinery/pkg/fields.

A selector is an AND of ``field=value`` / ``field==value`` / ``field!=value`` terms split
on unescaped commas; in values ``\\``, ``,`` and ``=`` are escaped with a backslash. Which
fields a resource offers, and what they hold, is the registry's business
(:mod:`corral.registry.fields`); here a missing field reads as the empty string, as kube's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

EQUALS = "="
NOT_EQUALS = "!="
_TERM_OPERATORS = ("!=", "==", "=")  # tried in this order at each position

Requirement = tuple[str, str, str]  # (field, EQUALS | NOT_EQUALS, value)


def escape_value(value: str) -> str:
    """fields.EscapeValue."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_value(value: str) -> str:
    """fields.UnescapeValue; ValueError with kube's message on a bad escape."""
    if not any(c in value for c in "\\,="):
        return value
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, None)
            if nxt is None:
                raise ValueError("invalid field selector: invalid escape sequence: \\")
            if nxt not in "\\,=":
                raise ValueError(f"invalid field selector: invalid escape sequence: \\{nxt}")
            out.append(nxt)
        elif ch in ",=":
            # Go prints the offending rune with %v: its code point
            raise ValueError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        else:
            out.append(ch)
    return "".join(out)


def _split_terms(text: str) -> Iterator[str]:
    start, escaped = 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            yield text[start:i]
            start = i + 1
    yield text[start:]


def _split_term(term: str) -> tuple[str, str, str] | None:
    for i in range(len(term)):
        for op in _TERM_OPERATORS:
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


@dataclass(frozen=True, slots=True)
class FieldSelector:
    """An AND of field requirements, in kube's order (sorted by the term text)."""

    requirements: tuple[Requirement, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.requirements

    def matches(self, fields: Mapping[str, str]) -> bool:
        return all((fields.get(field, "") == value) == (op == EQUALS) for field, op, value in self.requirements)

    def __str__(self) -> str:
        return ",".join(f"{f}{op}{escape_value(v)}" for f, op, v in self.requirements)


def parse_field_selector(text: str) -> FieldSelector:
    """fields.ParseSelector. Raises ValueError carrying kube's message."""
    requirements: list[Requirement] = []
    for term in sorted(_split_terms(text)) if text else ():
        if not term:
            continue
        split = _split_term(term)
        if split is None:
            raise ValueError(f"invalid selector: '{text}'; can't understand '{term}'")
        field, op, raw = split
        requirements.append((field, NOT_EQUALS if op == NOT_EQUALS else EQUALS, unescape_value(raw)))
    return FieldSelector(tuple(requirements))
