"""Key-range arithmetic shared by the storage backends and the watch cache.

A prefix list or watch covers every key that starts with the prefix. Both SQLite (TEXT
compares UTF-8 bytes, which orders like code points) and a sorted Python list (code
point order) can serve that as one half-open range ``[prefix, prefix_end(prefix))``, so
an index or a bisection finds it without scanning other prefixes.
"""

from __future__ import annotations

_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def prefix_end(prefix: str) -> str | None:
    """The smallest string greater than every string that starts with ``prefix``, or
    None when no such bound exists (empty prefix, or only U+10FFFF characters)."""
    while prefix:
        nxt = ord(prefix[-1]) + 1
        if nxt in _SURROGATES:  # not encodable in UTF-8: skip to the next real character
            nxt = _SURROGATES.stop
        if nxt <= _MAX_CODE_POINT:
            return prefix[:-1] + chr(nxt)
        prefix = prefix[:-1]
    return None
