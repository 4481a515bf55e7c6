"""Time formats and the AGE text, against the cases of apimachinery's duration_test.go and
metav1.Time's wire form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from corral.machinery.timeutil import format_micro_time, format_time, human_duration, now, parse_time

SECOND, MINUTE, HOUR, DAY, YEAR = 1, 60, 3600, 86400, 365 * 86400
MS = 0.001


def test_now_is_aware_utc() -> None:
    assert now().tzinfo is UTC
    assert abs((datetime.now(UTC) - now()).total_seconds()) < 5


def test_format_time_is_utc_whole_seconds() -> None:
    dt = datetime(2026, 11, 22, 3, 46, 25, 987654, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(dt) == "2026-11-22T01:46:25Z"
    assert format_time(datetime(2026, 11, 22, 1, 46, 25)) == "2026-11-22T01:46:25Z"  # naive is UTC
    assert format_time(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00Z"


def test_format_micro_time_keeps_six_digits() -> None:
    dt = datetime(2026, 11, 22, 1, 46, 25, 123456, tzinfo=UTC)
    assert format_micro_time(dt) == "2026-11-22T01:46:25.123456Z"
    assert format_micro_time(dt.replace(microsecond=0)) == "2026-11-22T01:46:25.000000Z"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-22T01:46:25Z", datetime(2026, 11, 22, 1, 46, 25, tzinfo=UTC)),
    ("2026-11-22T01:46:25.123456Z", datetime(2026, 11, 22, 1, 46, 25, 123456, tzinfo=UTC)),
    ("2026-11-22T01:46:25.5Z", datetime(2026, 11, 22, 1, 46, 25, 500000, tzinfo=UTC)),
    ("2026-11-22T01:46:25.123456789Z", datetime(2026, 11, 22, 1, 46, 25, 123456, tzinfo=UTC)),
    ("2026-11-22T03:46:25+02:00", datetime(2026, 11, 22, 1, 46, 25, tzinfo=UTC)),
    ("2026-11-21T23:16:25-02:30", datetime(2026, 11, 22, 1, 46, 25, tzinfo=UTC)),
])
def test_parse_time(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", [
    "", "2026-11-22", "2026-11-22 01:46:25Z", "2026-11-22T01:46:25", "2026-13-01T00:00:00Z",
    "2026-11-22T25:00:00Z", "2026-11-22T01:46:25Zjunk", "2026-11-22T01:46:25.Z",
])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_round_trip() -> None:
    dt = datetime(2030, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)
    assert parse_time(format_micro_time(dt)) == dt
    assert parse_time(format_time(dt)) == dt.replace(microsecond=0)


@pytest.mark.parametrize(("seconds", "expected"), [
    # duration_test.go TestHumanDuration
    (SECOND, "1s"), (70 * SECOND, "70s"), (190 * SECOND, "3m10s"), (70 * MINUTE, "70m"),
    (47 * HOUR, "47h"), (49 * HOUR, "2d1h"), ((8 * 24 + 2) * HOUR, "8d"), (367 * DAY, "367d"),
    ((365 * 2 * 24 + 25) * HOUR, "2y1d"), ((365 * 8 * 24 + 2) * HOUR, "8y"),
    # TestHumanDurationBoundaries
    (-2 * SECOND, "<invalid>"), (-2 * SECOND + 1e-9, "0s"), (0, "0s"), (SECOND - MS, "0s"),
    (2 * MINUTE - MS, "119s"), (2 * MINUTE, "2m"), (2 * MINUTE + SECOND, "2m1s"),
    (10 * MINUTE - MS, "9m59s"), (10 * MINUTE, "10m"), (10 * MINUTE + SECOND, "10m"),
    (3 * HOUR - MS, "179m"), (3 * HOUR, "3h"), (3 * HOUR + MINUTE, "3h1m"), (8 * HOUR - MS, "7h59m"),
    (8 * HOUR, "8h"), (8 * HOUR + 59 * MINUTE, "8h"), (2 * DAY - MS, "47h"), (2 * DAY, "2d"),
    (2 * DAY + HOUR, "2d1h"), (8 * DAY - MS, "7d23h"), (8 * DAY, "8d"), (8 * DAY + 23 * HOUR, "8d"),
    (2 * YEAR - MS, "729d"), (2 * YEAR, "2y"), (2 * YEAR + 23 * HOUR, "2y"),
    (2 * YEAR + 23 * HOUR + 59 * MINUTE, "2y"), (2 * YEAR + DAY - MS, "2y"), (2 * YEAR + DAY, "2y1d"),
    (3 * YEAR, "3y"), (7 * YEAR, "7y"), (8 * YEAR - MS, "7y364d"), (8 * YEAR, "8y"),
    (8 * YEAR + 364 * DAY, "8y"), (9 * YEAR, "9y"),
    # the AGE texts of a busy cluster
    (5, "5s"), (200, "3m20s"), (600, "10m"), (3 * HOUR + 5 * MINUTE, "3h5m"), (2 * DAY + 3 * HOUR, "2d3h"),
    (45 * DAY, "45d"), (2 * YEAR + 10 * DAY, "2y10d"), (-1.5, "0s"),
])
def test_human_duration(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected
