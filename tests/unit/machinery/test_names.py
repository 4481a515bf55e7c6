"""Name, label and key syntax checks: apimachinery's exact messages, and agreement with the
regexes they quote."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from corral.machinery import names

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
QUALIFIED_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)

# small alphabets that hit every branch of the grammars
_NAMEISH = st.text(alphabet="ab9-._/A%", max_size=12)


def test_subdomain_message_is_apimachinerys() -> None:
    assert names.is_dns1123_subdomain("Example.com") == [SUBDOMAIN_MSG]
    assert names.is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]
    assert names.is_dns1123_subdomain("my.app-1") == []


def test_label_reports_dots_separately_from_bad_characters() -> None:
    assert names.is_dns1123_label("my.name") == ["must not contain dots"]
    assert names.is_dns1123_label("My_Name") == [LABEL_MSG]
    assert names.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]


def test_dns1035_label_must_start_with_a_letter() -> None:
    assert names.is_dns1035_label("1abc") == [DNS1035_MSG]
    assert names.is_dns1035_label("abc-1") == []


def test_qualified_name_parts() -> None:
    assert names.is_qualified_name("app.kubernetes.io/name") == []
    assert names.is_qualified_name("/name") == ["prefix part must be non-empty"]
    assert names.is_qualified_name("Example.com/x") == ["prefix part " + SUBDOMAIN_MSG]
    assert names.is_qualified_name("a/") == ["name part must be non-empty", QUALIFIED_MSG]
    assert names.is_qualified_name("-x") == [QUALIFIED_MSG]
    assert names.is_qualified_name("a/b/c")[0].startswith("a qualified name must consist of")
    assert names.is_qualified_name("a" * 64) == ["name part must be no more than 63 characters"]


def test_label_values() -> None:
    assert names.is_valid_label_value("") == []
    assert names.is_valid_label_value("my_value.1") == []
    assert names.is_valid_label_value("bad value") == [LABEL_VALUE_MSG]


def test_config_keys() -> None:
    assert names.is_config_map_key("game.properties") == []
    assert names.is_config_map_key("..data") == ["must not start with '..'"]
    assert names.is_config_map_key("a b") == [
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
        "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    ]


def test_path_segment_names() -> None:
    assert names.is_valid_path_segment_name("..") == ["may not be '..'"]
    assert names.is_valid_path_segment_name("a/b%c") == ["may not contain '/'", "may not contain '%'"]
    assert names.is_valid_path_segment_name("system:admin") == []
    assert names.path_segment_name(".", True) == []  # a prefix gets a suffix appended


def test_generate_name_prefix_may_end_with_a_dash() -> None:
    assert names.dns1123_subdomain_name("web-", True) == []
    assert names.dns1123_subdomain_name("web-", False) == [SUBDOMAIN_MSG]


@given(st.text(alphabet="abz09-.", max_size=70))
def test_subdomain_errors_iff_regex_or_length_fails(value: str) -> None:
    ok = re.fullmatch(names.DNS1123_SUBDOMAIN_FMT, value) is not None and len(value) <= 253
    assert (names.is_dns1123_subdomain(value) == []) == ok


@given(st.text(alphabet="abz09-.", max_size=70))
def test_label_errors_iff_regex_or_length_fails(value: str) -> None:
    ok = re.fullmatch(names.DNS1123_LABEL_FMT, value) is not None and len(value) <= 63
    assert (names.is_dns1123_label(value) == []) == ok


@given(st.text(alphabet="abz09-", max_size=70))
def test_dns1035_errors_iff_regex_or_length_fails(value: str) -> None:
    ok = re.fullmatch(names.DNS1035_LABEL_FMT, value) is not None and len(value) <= 63
    assert (names.is_dns1035_label(value) == []) == ok


@given(st.text(alphabet="aZ9-_.", max_size=70))
def test_label_value_errors_iff_regex_or_length_fails(value: str) -> None:
    ok = re.fullmatch(names.LABEL_VALUE_FMT, value) is not None and len(value) <= 63
    assert (names.is_valid_label_value(value) == []) == ok


@given(_NAMEISH, st.text(alphabet="aZ9-_.", max_size=66))
def test_qualified_name_errors_iff_prefix_and_name_valid(prefix: str, name: str) -> None:
    key = f"{prefix}/{name}" if prefix else name
    parts = key.split("/")
    if len(parts) == 1:
        ok = re.fullmatch(names.QUALIFIED_NAME_FMT, key) is not None and len(key) <= 63
    elif len(parts) == 2:
        ok = (
            names.is_dns1123_subdomain(parts[0]) == []
            and parts[0] != ""
            and re.fullmatch(names.QUALIFIED_NAME_FMT, parts[1]) is not None
            and len(parts[1]) <= 63
        )
    else:
        ok = False
    assert (names.is_qualified_name(key) == []) == ok
