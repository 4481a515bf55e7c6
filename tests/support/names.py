"""Unique object names, so tests can share one server without seeing each other's objects."""

from __future__ import annotations

import uuid


def unique(prefix: str) -> str:
    """``prefix`` plus a random suffix: a valid DNS-1123 label for any short prefix."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
