"""Cron schedules as CronJob validation reads them: robfig/cron/v3's ParseStandard, five
fields or a descriptor (``@hourly``, ``@every 1h30m``), with its error texts."""

from __future__ import annotations

import re

# minute, hour, day of month, month, day of week: (minimum, maximum, names)
_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (
        1,
        12,
        {
            m: i + 1
            for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
        },
    ),
    (0, 6, {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}),
)
_DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)?")
_INT = re.compile(r"[+-]?[0-9]+")


def _parse_int(expr: str) -> int:
    if not _INT.fullmatch(expr):
        raise ValueError(f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": invalid syntax')
    number = int(expr)
    if number < 0:
        raise ValueError(f"negative number ({number}) not allowed: {expr}")
    return number


def _parse_int_or_name(expr: str, names: dict[str, int]) -> int:
    return names[expr.lower()] if expr.lower() in names else _parse_int(expr)


def _check_range(expr: str, low: int, high: int, names: dict[str, int]) -> None:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    if low_and_high[0] in ("*", "?"):
        start, end = low, high
    else:
        start = _parse_int_or_name(low_and_high[0], names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _parse_int_or_name(low_and_high[1], names)
        else:
            raise ValueError(f"too many hyphens: {expr}")
    if len(range_and_step) == 2:
        step = _parse_int(range_and_step[1])
        if len(low_and_high) == 1:
            end = high  # "N/step" means "N-max/step"
    elif len(range_and_step) > 2:
        raise ValueError(f"too many slashes: {expr}")
    else:
        step = 1
    if start < low:
        raise ValueError(f"beginning of range ({start}) below minimum ({low}): {expr}")
    if end > high:
        raise ValueError(f"end of range ({end}) above maximum ({high}): {expr}")
    if start > end:
        raise ValueError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise ValueError(f"step of range should be a positive number: {expr}")


def _check_duration(text: str) -> None:
    """time.ParseDuration's syntax, with its error texts."""
    rest = text.lstrip("+-")
    if rest == "0":
        return
    if not rest:
        raise ValueError(f'time: invalid duration "{text}"')
    while rest:
        match = _DURATION_PART.match(rest)
        number, unit = (match.group(1), match.group(2)) if match else ("", None)
        if not number or number == ".":
            raise ValueError(f'time: invalid duration "{text}"')
        if unit is None:
            following = rest[len(number) :]
            if not following:
                raise ValueError(f'time: missing unit in duration "{text}"')
            bad = re.match(r"[^0-9.]*", following)
            raise ValueError(f'time: unknown unit "{bad.group(0) if bad else following}" in duration "{text}"')
        rest = rest[match.end() :] if match else ""


def schedule_error(schedule: str) -> str | None:
    """Why robfig/cron's standard parser rejects ``schedule``, or None."""
    spec = schedule
    if not spec:
        return "empty spec string"
    try:
        if spec.startswith(("TZ=", "CRON_TZ=")):
            spec = spec[spec.find(" ") :].strip() if " " in spec else ""
        if spec.startswith("@"):
            if spec.startswith("@every "):
                _check_duration(spec[len("@every ") :])
            elif spec not in _DESCRIPTORS:
                return f"unrecognized descriptor: {spec}"
            return None
        fields = spec.split()
        if len(fields) != 5:
            return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
        for field, (low, high, names) in zip(fields, _FIELDS, strict=True):
            for expr in (part for part in field.split(",") if part):
                _check_range(expr, low, high, names)
    except ValueError as exc:
        if spec.startswith("@every "):
            return f"failed to parse duration {spec}: {exc}"
        return str(exc)
    return None
