"""Time as the Kubernetes API writes and reads it.

``metav1.Time`` travels as RFC 3339 in UTC with whole seconds, ``metav1.MicroTime`` with
six fractional digits; clients send either, sometimes with an offset or nanoseconds.
:func:`human_duration` is apimachinery's ``duration.HumanDuration``: the short "3m20s",
"2d3h" text that AGE and similar Table columns show.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))"
)


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def format_time(dt: datetime) -> str:
    """``metav1.Time`` text: UTC, whole seconds (``2026-11-22T01:46:25Z``). Naive means UTC."""
    t = _utc(dt)
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"


def format_micro_time(dt: datetime) -> str:
    """``metav1.MicroTime`` text: UTC with microseconds (``2026-11-22T01:46:25.123456Z``)."""
    return format_time(dt)[:-1] + f".{_utc(dt).microsecond:06d}Z"


def parse_time(text: str) -> datetime:
    """An RFC 3339 timestamp (``Z`` or an offset, any fractional digits) as an aware UTC
    datetime; digits past microseconds are dropped. Raises ValueError on anything else."""
    m = _RFC3339.fullmatch(text)
    if m is None:
        raise ValueError(f'parsing time "{text}" as RFC 3339: cannot parse')
    year, month, day, hour, minute, second, fraction, _, sign, off_h, off_m = m.groups()
    micro = int((fraction or "").ljust(6, "0")[:6])
    parsed = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro,
                      tzinfo=UTC)
    if sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        parsed = parsed - offset if sign == "+" else parsed + offset
    return parsed


def human_duration(seconds: float) -> str:
    """``duration.HumanDuration``: about two or three significant figures of a duration.

    Up to two seconds into the future reads as "0s" (clock skew); further is "<invalid>".
    """
    whole = int(seconds)  # truncates toward zero, as Go's int(d.Seconds())
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 60 * 2:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        s = whole % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if days == 0 else f"{hours // 24 // 365}y{days}d"
    return f"{hours // 24 // 365}y"
