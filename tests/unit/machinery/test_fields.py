"""Field selector syntax, escaping and matching, after apimachinery's fields/selector_test.go."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corral.machinery.fields import (
    EQUALS,
    NOT_EQUALS,
    FieldSelector,
    escape_value,
    parse_field_selector,
    unescape_value,
)


@pytest.mark.parametrize(("text", "requirements"), [
    ("", ()),
    (",", ()),
    ("metadata.name=x,status.phase!=Running",
     (("metadata.name", EQUALS, "x"), ("status.phase", NOT_EQUALS, "Running"))),
    ("x==a", (("x", EQUALS, "a"),)),
    ("x=a==b", None),  # an unescaped "=" in the value
    ("b=1,a=2", (("a", EQUALS, "2"), ("b", EQUALS, "1"))),  # sorted by term text
    ("x=", (("x", EQUALS, ""),)),
    ("=x", (("", EQUALS, "x"),)),
    ("x!=", (("x", NOT_EQUALS, ""),)),
    (r"x=a\,b", (("x", EQUALS, "a,b"),)),
    (r"x=a\=b,y=\\", (("x", EQUALS, "a=b"), ("y", EQUALS, "\\"))),
    ("x=a b", (("x", EQUALS, "a b"),)),
    (" x = a", ((" x ", EQUALS, " a"),)),  # nothing is trimmed
    ("spec.x=1,,spec.y=2", (("spec.x", EQUALS, "1"), ("spec.y", EQUALS, "2"))),
])
def test_parse(text: str, requirements: tuple[tuple[str, str, str], ...] | None) -> None:
    if requirements is None:
        with pytest.raises(ValueError):
            parse_field_selector(text)
        return
    sel = parse_field_selector(text)
    assert sel.requirements == requirements
    assert sel.empty == (not requirements)


@pytest.mark.parametrize(("text", "message"), [
    ("x", "invalid selector: 'x'; can't understand 'x'"),
    ("a=1,b", "invalid selector: 'a=1,b'; can't understand 'b'"),
    ("x=a=b", "invalid field selector: unescaped character in value: 61"),
    (r"x=a\b", r"invalid field selector: invalid escape sequence: \b"),
    ("x=a\\", "invalid field selector: invalid escape sequence: \\"),
])
def test_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_field_selector(text)
    assert str(err.value) == message


def test_matches_with_missing_fields_as_empty() -> None:
    sel = parse_field_selector("metadata.name=web,status.phase!=Running")
    assert sel.matches({"metadata.name": "web", "status.phase": "Pending"})
    assert sel.matches({"metadata.name": "web"})
    assert not sel.matches({"metadata.name": "web", "status.phase": "Running"})
    assert not sel.matches({"metadata.name": "db"})
    assert parse_field_selector("spec.nodeName=").matches({})
    assert not parse_field_selector("spec.nodeName!=").matches({})
    assert FieldSelector().matches({"anything": "x"})


def test_string_form_escapes_values() -> None:
    sel = parse_field_selector(r"b!=x\,y,a==p\=q\\")
    assert str(sel) == r"a=p\=q\\,b!=x\,y"
    assert parse_field_selector(str(sel)) == sel


def test_escape_helpers() -> None:
    assert escape_value("a\\b,c=d") == r"a\\b\,c\=d"
    assert unescape_value(r"a\\b\,c\=d") == "a\\b,c=d"
    assert unescape_value("plain") == "plain"


@given(st.dictionaries(st.text(alphabet="abc.xyz", min_size=1, max_size=6),
                       st.text(alphabet="ab,=\\ !é", max_size=6), max_size=4),
       st.booleans())
def test_escaped_selectors_round_trip(fields: dict[str, str], negate: bool) -> None:
    op = NOT_EQUALS if negate else EQUALS
    sel = parse_field_selector(",".join(f"{k}{op}{escape_value(v)}" for k, v in fields.items()))
    assert sorted(sel.requirements) == sorted((k, op, v) for k, v in fields.items())
    assert sel.matches(fields) == (not negate or not fields)
    assert parse_field_selector(str(sel)) == sel
