"""Ports and IP addresses as pods and services spell them (IsValidPortName,
ValidatePortNumOrName and IsValidIP of kube's validation)."""

from __future__ import annotations

import ipaddress
from typing import Any

from corral.machinery.errors import Cause
from corral.machinery.names import inclusive_range_error
from corral.registry.validation.fielderrors import each_invalid, invalid, not_supported, required

PROTOCOLS = ("SCTP", "TCP", "UDP")


def port_name_errors(name: str) -> list[str]:
    """validation.IsValidPortName: IANA service names."""
    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not name or any(not (c.isascii() and (c.islower() or c.isdigit() or c == "-")) for c in name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not any("a" <= c <= "z" for c in name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def validate_port_num_or_name(port: Any, path: str) -> list[Cause]:
    if isinstance(port, int) and not isinstance(port, bool):
        return [] if 1 <= port <= 65535 else [invalid(path, port, inclusive_range_error(1, 65535))]
    return each_invalid(path, str(port), port_name_errors(str(port)))


def validate_ip(value: Any, path: str) -> list[Cause]:
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    return []


def validate_protocol(protocol: Any, path: str) -> list[Cause]:
    """A port's protocol: required (defaulting fills it in) and one of kube's three."""
    if not protocol:
        return [required(path)]
    return [] if protocol in PROTOCOLS else [not_supported(path, protocol, PROTOCOLS)]


def validate_port_number(port: Any, path: str) -> list[Cause]:
    """A port that must be a number (services, endpoints), unlike a container's target port."""
    if isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535:
        return []
    return [invalid(path, port, inclusive_range_error(1, 65535))]
