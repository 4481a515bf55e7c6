"""Resource quantities: parsing and the canonical form kube-apiserver prints them in."""

from __future__ import annotations

import pytest

from corral.machinery.quantity import (
    FORMAT_ERROR,
    MILLI,
    SUFFIX_ERROR,
    canonical,
    canonical_text,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("500m", "500m"),
        ("0.5", "500m"),
        ("1.5", "1500m"),
        ("2000", "2k"),
        ("1000000000", "1G"),
        ("128Mi", "128Mi"),
        ("1024Mi", "1Gi"),
        ("1.5Gi", "1536Mi"),
        ("0.5Ki", "512"),
        ("1e3", "1e3"),
        ("12e6", "12e6"),
        ("1E", "1E"),
        ("+5", "5"),
        ("-1", "-1"),
        (1, "1"),
        (0.25, "250m"),
        ("0", "0"),
    ],
)
def test_canonical_form(raw: object, printed: str) -> None:
    assert canonical(parse_quantity(raw)) == printed


def test_resource_lists_round_up_to_milli() -> None:
    assert canonical_text("0.0001", MILLI) == "1m"
    assert canonical_text("0.0001") == "100u"
    assert canonical_text("1n") == "1n"


def test_values_compare_exactly() -> None:
    assert parse_quantity("1Gi").value == parse_quantity("1073741824").value
    assert parse_quantity("500m").value < parse_quantity("0.6").value


@pytest.mark.parametrize(
    ("raw", "error"),
    [("lots", FORMAT_ERROR), ("", FORMAT_ERROR), ("1K", SUFFIX_ERROR), ("1Ki5", SUFFIX_ERROR), (True, FORMAT_ERROR)],
)
def test_bad_quantities(raw: object, error: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_quantity(raw)
    assert str(caught.value) == error
    assert canonical_text(raw) == raw
