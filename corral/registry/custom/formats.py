"""The string formats a CRD schema may name (``format: date-time``, ``uuid``, ``ipv4``...)
and the checks kube-openapi's default format registry makes for them.

Only the formats apiextensions-apiserver supports are validated; any other ``format``
(``int32``, ``double``, made-up names) is ignored, as kube strips it before building the
validator. Names are normalised the way go-openapi normalises them: dashes do not count.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable
from datetime import date
from email.utils import parseaddr
from urllib.parse import urlsplit

_LD = r"[^\W_]"  # a letter or digit, any script (Go: [a-zA-Z0-9\p{S}\p{L}] without symbols)
_HOSTNAME = re.compile(
    rf"^({_LD}((-?{_LD}{{0,62}})?)|({_LD}(((?:{_LD}|-){{0,61}}{_LD})?)(\.)){{1,}}([^\W\d_]){{2,63}})$")
_UUID = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
_UUID3 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
_UUID4 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")
_UUID5 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")
_TIME = re.compile(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$")
_DURATION_PART = re.compile(r"((\d+)\s*([A-Za-zµ]+))")
_GO_DURATION = re.compile(r"^[-+]?(\d*\.?\d+(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$")
_DURATION_UNITS = ("ns", "nano", "us", "micro", "ms", "milli", "s", "sec", "m", "min", "h", "hr", "hour",
                   "d", "day", "w", "wk", "week")
_MAC = re.compile(r"^([0-9A-Fa-f]{2}[:-]){5,19}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\.){2,9}[0-9A-Fa-f]{4}$")
_HEXCOLOR = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGBCOLOR = re.compile(
    r"^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,"
    r"\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$")
_SSN = re.compile(r"^\d{3}[- ]?\d{2}[- ]?\d{4}$")
_ISBN10 = re.compile(r"^(?:[0-9]{9}X|[0-9]{10})$")
_ISBN13 = re.compile(r"^(?:[0-9]{13})$")
_CREDIT_CARD = re.compile(
    r"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)"
    r"[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|"
    r"(?:2131|1800|35\d{3})\d{11}|6[27][0-9]{14})$")
_BSON = re.compile(r"^[0-9a-fA-F]{24}$")


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_date_time(text: str) -> bool:
    if len(text) < 4:
        return False
    parts = text.lower().split("t")
    if len(parts) < 2 or not _is_date(parts[0]):
        return False
    match = _TIME.search(parts[1])
    return match is not None and match.group(1) <= "23" and match.group(2) <= "59" and match.group(3) <= "59"


def _is_duration(text: str) -> bool:
    if _GO_DURATION.match(text):
        return True
    for _, _, unit in _DURATION_PART.findall(text):
        unit = unit.strip().lower()
        if any(unit == u or unit.startswith(u) for u in _DURATION_UNITS):
            return True
    return False


def _is_hostname(text: str) -> bool:
    return bool(_HOSTNAME.match(text)) and len(text) <= 255 and all(len(p) <= 63 for p in text.split("."))


def _is_ip(text: str, version: int) -> bool:
    try:
        return ipaddress.ip_address(_sloppy(text)).version == version
    except ValueError:
        return False


def _sloppy(text: str) -> str:
    """Go's ParseIPSloppy: leading zeros in IPv4 octets are tolerated."""
    if "." in text and ":" not in text:
        return ".".join(str(int(p)) if p.isdigit() else p for p in text.split("."))
    return text


def _is_cidr(text: str) -> bool:
    address, _, bits = text.partition("/")
    if not bits.isdigit():
        return False
    try:
        ipaddress.ip_network(f"{_sloppy(address)}/{bits}", strict=False)
    except ValueError:
        return False
    return True


def _is_uri(text: str) -> bool:
    """govalidator.IsRequestURI: url.ParseRequestURI succeeds (absolute URI or path)."""
    if not text or " " in text:
        return False
    if text.startswith("/"):
        return True
    parts = urlsplit(text)
    return bool(parts.scheme)


def _is_email(text: str) -> bool:
    _, address = parseaddr(text)
    return bool(address) and "@" in address


def _is_byte(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _isbn_ok(text: str) -> bool:
    digits = re.sub(r"[\s-]", "", text)
    if _ISBN10.match(digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if _ISBN13.match(digits):
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def _is_credit_card(text: str) -> bool:
    digits = re.sub(r"[^0-9]", "", text)
    if not _CREDIT_CARD.match(digits):
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


_CHECKS: dict[str, Callable[[str], bool]] = {
    "bsonobjectid": lambda s: bool(_BSON.match(s)),
    "uri": _is_uri,
    "email": _is_email,
    "hostname": _is_hostname,
    "ipv4": lambda s: "." in s and _is_ip(s, 4),
    "ipv6": lambda s: ":" in s and _is_ip(s, 6),
    "cidr": _is_cidr,
    "mac": lambda s: bool(_MAC.match(s)),
    "uuid": lambda s: bool(_UUID.match(s)),
    "uuid3": lambda s: bool(_UUID3.match(s)),
    "uuid4": lambda s: bool(_UUID4.match(s)),
    "uuid5": lambda s: bool(_UUID5.match(s)),
    "isbn": _isbn_ok,
    "isbn10": lambda s: bool(_ISBN10.match(re.sub(r"[\s-]", "", s))) and _isbn_ok(s),
    "isbn13": lambda s: bool(_ISBN13.match(re.sub(r"[\s-]", "", s))) and _isbn_ok(s),
    "creditcard": _is_credit_card,
    "ssn": lambda s: bool(_SSN.match(s)),
    "hexcolor": lambda s: bool(_HEXCOLOR.match(s)),
    "rgbcolor": lambda s: bool(_RGBCOLOR.match(s)),
    "byte": _is_byte,
    "password": lambda s: True,
    "date": _is_date,
    "duration": _is_duration,
    "datetime": _is_date_time,
}


def supported(name: str) -> str:
    """``name`` if CRD schemas validate that format, else "" (the format is ignored)."""
    return name if name.replace("-", "") in _CHECKS else ""


def conforms(name: str, value: str) -> bool:
    """Whether ``value`` is valid in the (supported) format ``name``."""
    return _CHECKS[name.replace("-", "")](value)
