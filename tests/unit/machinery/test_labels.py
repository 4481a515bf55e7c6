"""Label selectors against the cases of apimachinery's selector_test.go and the error texts
kube-apiserver answers with, plus a round-trip property over generated selectors."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corral.machinery.labels import (
    Requirement,
    Selector,
    go_quote,
    new_requirement,
    parse_selector,
    selector_from_label_selector,
    selector_from_set,
)

_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
              "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
              "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
_NAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
             "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")


@pytest.mark.parametrize("text", [
    "x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5",
])
def test_good_selectors_restring_without_spaces(text: str) -> None:
    assert str(parse_selector(text)) == text.replace(" ", "")


@pytest.mark.parametrize(("text", "expected"), [
    ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
    ("  a = b  ,\tc\n", "a=b,c"),
    ("x=a,a=x", "a=x,x=a"),  # requirements sort by key
    ("a==b", "a==b"),
    ("in in (in),notin notin (x)", "in in (in),notin notin (x)"),  # keywords are identifiers in values
    ("k in (b,a,b)", "k in (a,b)"),
    ("k in (a,)", "k in (,a)"),
    ("k in (,a)", "k in (,a)"),
    ("example.com/app=web", "example.com/app=web"),
    ("a=b\x00,junk!!", "a=b"),  # the Go lexer stops at NUL
])
def test_parse_normalises(text: str, expected: str) -> None:
    assert str(parse_selector(text)) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("x=a||y=b", f'unable to parse requirement: values[0][x]: Invalid value: "a||y": {_VALUE_MSG}'),
    ("x==a==b", "found '==', expected: ',' or 'end of string'"),
    ("!x=a", "found '=', expected: ',' or 'end of string'"),
    ("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, "
            "the value must be an integer"),
    ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    ("a,", "found '', expected: identifier after ','"),
    ("a=b,,c", "found ',', expected: identifier after ','"),
    (",a", "found ',', expected: !, identifier, or 'end of string'"),
    ("a in b", "unable to parse requirement: found 'b' expected: '('"),
    ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("a in (b c)", "unable to parse requirement: found 'c', expected: ',' or ')'"),
    ("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
    ("a in (b,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
    ("a=(b", "unable to parse requirement: found '(', expected: identifier"),
    ("!!a", "unable to parse requirement: found '!', expected: identifier"),
    ("-a", f'unable to parse requirement: <nil>: Invalid value: "-a": name part {_NAME_MSG}'),
    ("x/y/z", f'unable to parse requirement: <nil>: Invalid value: "x/y/z": a qualified name {_NAME_MSG} '
              "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
    ("/a", 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'),
    ("Ex.com/a", 'unable to parse requirement: <nil>: Invalid value: "Ex.com/a": prefix part a lowercase '
                 "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                 "must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 r"validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
    ("a" * 64, f'unable to parse requirement: <nil>: Invalid value: "{"a" * 64}": name part must be no more '
               "than 63 characters"),
    ("a=" + "b" * 64, f'unable to parse requirement: values[0][a]: Invalid value: "{"b" * 64}": must be no '
                      "more than 63 characters"),
    ("a>1.5", "unable to parse requirement: values[0]: Invalid value: \"1.5\": for 'Gt', 'Lt' operators, "
              "the value must be an integer"),
    ("a>b@", "unable to parse requirement: [values[0]: Invalid value: \"b@\": for 'Gt', 'Lt' operators, the "
             f'value must be an integer, values[0][a]: Invalid value: "b@": {_VALUE_MSG}]'),
])
def test_bad_selectors_carry_kube_messages(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_selector(text)
    assert str(err.value) == message


@pytest.mark.parametrize(("text", "labels"), [
    ("", {"x": "y"}), ("x=y", {"x": "y"}), ("x=y,z=w", {"x": "y", "z": "w"}),
    ("x!=y,z!=w", {"x": "z", "z": "a"}), ("notin=in", {"notin": "in"}), ("x", {"x": "z"}),
    ("!x", {"y": "z"}), ("x>1", {"x": "2"}), ("x<1", {"x": "0"}), ("x<1", {"x": "-5"}),
    ("x!=y", {}), ("x notin (a,b)", {}), ("x notin (a,b)", {"x": "c"}), ("x in (a,b)", {"x": "b"}),
    ("x in (a,)", {"x": ""}), ("x=", {"x": ""}), ("x>9223372036854775806", {"x": "9223372036854775807"}),
])
def test_matches(text: str, labels: dict[str, str]) -> None:
    assert parse_selector(text).matches(labels)


@pytest.mark.parametrize(("text", "labels"), [
    ("x=z", {}), ("x=y", {"x": "z"}), ("x=y,z=w", {"x": "w", "z": "w"}), ("x!=y,z!=w", {"x": "z", "z": "w"}),
    ("x", {"y": "z"}), ("!x", {"x": "z"}), ("x>1", {"x": "0"}), ("x<1", {"x": "2"}), ("x>1", {}),
    ("x>1", {"x": "abc"}), ("x>1", {"x": "2.5"}), ("x>1", {"x": " 2"}), ("x>1", {"x": "1_000"}),
    ("x>1", {"x": "99999999999999999999"}), ("x in (a,b)", {"x": "c"}), ("x in (a,b)", {}),
    ("x notin (a,b)", {"x": "a"}), ("x=", {}),
])
def test_does_not_match(text: str, labels: dict[str, str]) -> None:
    assert not parse_selector(text).matches(labels)


def test_empty_and_nothing() -> None:
    assert parse_selector("").empty and parse_selector("   ").empty
    assert not parse_selector("a").empty
    nothing = selector_from_label_selector(None)
    assert not nothing.empty and not nothing.matches({}) and str(nothing) == ""
    everything = selector_from_label_selector({})
    assert everything.empty and everything.matches({"any": "thing"})
    assert nothing != everything


def test_requirement_strings() -> None:
    assert str(Requirement("x", "in", ("def", "abc"))) == "x in (abc,def)"
    assert str(Requirement("x", "notin", ("",))) == "x notin ()"
    assert str(Requirement("y", "!=", ("jkl",))) == "y!=jkl"
    assert str(Requirement("z", "!", ())) == "!z"
    assert str(Requirement("z", "exists", ())) == "z"
    assert str(Requirement("x", "gt", ("2",))) == "x>2"
    assert str(Requirement("y", "lt", ("8",))) == "y<8"
    assert str(Selector([Requirement("z", "!=", ("a",)), Requirement("x", "=", ("abc",)),
                         Requirement("y", "==", ("jkl",))])) == "x=abc,y==jkl,z!=a"


def test_new_requirement_checks_operator_arity() -> None:
    with pytest.raises(ValueError, match=r"^values: Invalid value: \[\]string\{\"a\", \"b\"\}: exact-match"):
        new_requirement("k", "=", ["a", "b"])
    with pytest.raises(ValueError, match=r"^operator: Unsupported value: \"~\": supported values: \"in\""):
        new_requirement("k", "~", [])
    assert new_requirement("k", "in", ["b", "a"]).values == ("b", "a")


def test_label_selector_object() -> None:
    sel = selector_from_label_selector({
        "matchLabels": {"b": "1", "a": "2"},
        "matchExpressions": [{"key": "c", "operator": "In", "values": ["z", "y"]},
                             {"key": "d", "operator": "NotIn", "values": ["x"]},
                             {"key": "e", "operator": "Exists"},
                             {"key": "f", "operator": "DoesNotExist"}],
    })
    assert str(sel) == "a=2,b=1,c in (y,z),d notin (x),e,!f"
    assert sel.matches({"a": "2", "b": "1", "c": "y", "e": ""})
    assert not sel.matches({"a": "2", "b": "1", "c": "y", "e": "", "f": "1"})
    assert not sel.matches({"a": "2", "b": "1", "c": "x", "e": ""})
    assert str(selector_from_label_selector({"matchLabels": {}, "matchExpressions": []})) == ""


@pytest.mark.parametrize(("spec", "message"), [
    ({"matchExpressions": [{"key": "c", "operator": "In", "values": []}]},
     "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
    ({"matchExpressions": [{"key": "c", "operator": "NotIn"}]},
     "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"),
    ({"matchExpressions": [{"key": "c", "operator": "Exists", "values": ["a"]}]},
     'values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist'),
    ({"matchExpressions": [{"key": "c", "operator": "Gt", "values": ["1"]}]},
     '"Gt" is not a valid label selector operator'),
    ({"matchLabels": {"a b": "x"}}, f'key: Invalid value: "a b": name part {_NAME_MSG}'),
    ({"matchLabels": {"a": "x y"}}, f'values[0][a]: Invalid value: "x y": {_VALUE_MSG}'),
])
def test_label_selector_errors(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as err:
        selector_from_label_selector(spec)
    assert str(err.value) == message


def test_selector_from_set() -> None:
    sel = selector_from_set({"b": "2", "a": "1"})
    assert str(sel) == "a=1,b=2"
    assert sel.matches({"a": "1", "b": "2", "c": "3"}) and not sel.matches({"a": "1"})
    assert selector_from_set({}).empty


def test_go_quote() -> None:
    assert go_quote('a"b\\c\n\t\x01é') == '"a\\"b\\\\c\\n\\t\\x01é"'
    assert go_quote("\u200b") == '"\\u200b"'


def test_matching_ten_thousand_objects_is_fast() -> None:
    rng = random.Random(7)
    objects = [{"app": rng.choice(["web", "db", "cache"]), "tier": rng.choice(["a", "b"]), "n": str(i)}
               for i in range(10_000)]
    sel = parse_selector("app in (web,db),tier!=b")
    matched = [o for o in objects if o["app"] in ("web", "db") and o["tier"] != "b"]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = [o for o in objects if sel.matches(o)]
        best = min(best, time.perf_counter() - start)
    assert result == matched
    assert best < 0.05  # about 2 ms on one core; generous for a shared machine


_ALNUM = "abcXYZ019"
_DNS_LABELS = st.builds(lambda a, mid, b: a + mid + b, st.sampled_from("abz09"),
                        st.text(alphabet="ab-09", max_size=4), st.sampled_from("az9"))
_PREFIXES = st.lists(_DNS_LABELS, min_size=1, max_size=3).map(".".join)
_NAMES = st.one_of(st.sampled_from(_ALNUM), st.builds(lambda a, mid, b: a + mid + b, st.sampled_from(_ALNUM),
                                                      st.text(alphabet="aZ9-_.", max_size=8),
                                                      st.sampled_from(_ALNUM)))
_KEYS = st.one_of(_NAMES, st.builds(lambda p, n: f"{p}/{n}", _PREFIXES, _NAMES))
_VALUES = st.one_of(st.just(""), _NAMES)
_INTS = st.integers(min_value=0, max_value=10**6).map(str)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def _requirement_text(draw: st.DrawFn) -> str:
    key: str = draw(_KEYS)
    sp = draw(_SPACE)
    kind = draw(st.sampled_from(["=", "==", "!=", "in", "notin", "exists", "!", ">", "<"]))
    if kind == "exists":
        return key
    if kind == "!":
        return f"!{sp}{key}"
    if kind in (">", "<"):
        return f"{key}{sp}{kind}{sp}{draw(_INTS)}"
    if kind in ("in", "notin"):
        values = draw(st.lists(_VALUES, min_size=1, max_size=4))
        return f"{key} {kind}{sp}({sp}{f'{sp},{sp}'.join(values)}{sp})"
    return f"{key}{sp}{kind}{sp}{draw(_VALUES)}"


@given(st.lists(_requirement_text(), max_size=5).map(",".join))
def test_string_form_parses_back_to_an_equal_selector(text: str) -> None:
    sel = parse_selector(text)
    again = parse_selector(str(sel))
    assert again == sel
    assert str(again) == str(sel)


@given(st.text(alphabet="ab=!(),<> in1", max_size=20))
def test_any_text_either_fails_cleanly_or_round_trips(text: str) -> None:
    try:
        sel = parse_selector(text)
    except ValueError:
        return
    assert parse_selector(str(sel)) == sel
