"""Parse kubectl's column output (``get``, ``api-resources``) into rows keyed by header.

kubectl aligns columns with a tabwriter: every cell starts at its header's offset, and
headers are separated by at least two spaces (a header may hold one space, as in
``NOMINATED NODE``). Several tables (``kubectl get all``) are separated by blank lines.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"\S+(?: \S+)*")


def parse_table(text: str) -> list[dict[str, str]]:
    """Rows of one table; empty cells are ``""``."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = lines[0]
    spans = [(m.group(), m.start()) for m in _HEADER.finditer(header)]
    rows = []
    for line in lines[1:]:
        row = {}
        for index, (name, start) in enumerate(spans):
            end = spans[index + 1][1] if index + 1 < len(spans) else None
            row[name] = line[start:end].strip()
        rows.append(row)
    return rows


def parse_tables(text: str) -> list[list[dict[str, str]]]:
    """Each blank-line-separated table of ``text``."""
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    return [parse_table(block) for block in blocks if block.strip()]


def headers(text: str) -> list[str]:
    """The header names of the first table in ``text``."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return _HEADER.findall(first)
