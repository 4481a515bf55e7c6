"""Static bearer tokens from a file in kube-apiserver's ``--token-auth-file`` CSV format:
``token,user,uid[,"group1,group2"]`` per line.

Unlike kube-apiserver, edits take effect while running: the file is looked at again at most
once a second and re-read when it changed. A file that no longer parses keeps the previous
tokens (and is reported), a deleted file revokes them all.

Tokens are kept only as SHA-256 digests and looked up by digest: the lookup is O(1), and
since a client cannot steer the digest of what it sends, the time a lookup takes tells it
nothing about how close its guess is to a real token.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from corral.auth.user import UserInfo
from corral.pki.files import private_dir, write_atomic

log = logging.getLogger("corral.auth")

RECHECK_SECONDS = 1.0

_Stamp = tuple[int, int, int]  # inode, size, mtime in ns: replaced or rewritten files differ


def _digest(token: str) -> bytes:
    # surrogateescape: header bytes that are not UTF-8 reach us as lone surrogates.
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


def parse_token_file(text: str, source: str) -> dict[bytes, UserInfo]:
    """Users by token digest, with kube's rules: at least three columns, rows with an empty
    token skipped, a later duplicate wins, the optional fourth column split on commas."""
    users: dict[bytes, UserInfo] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text), strict=True), start=1):
        if not row:
            continue
        if len(row) < 3:
            raise ValueError(f"token file '{source}' must have at least 3 columns "
                             f"(token, user name, user uid), found {len(row)}")
        token, name, uid = row[:3]
        if not token:
            log.warning("empty token in token file '%s', record %d", source, number)
            continue
        key = _digest(token)
        if key in users:
            log.warning("duplicate token in token file '%s', record %d", source, number)
        groups = tuple(g for g in row[3].split(",") if g) if len(row) > 3 else ()
        users[key] = UserInfo(name, uid=uid, groups=groups)
    return users


class TokenFile:
    """The tokens of one file, kept current with it."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.monotonic) -> None:
        """Load ``path`` (absent means no tokens); a file that does not parse is an error."""
        self.path = path
        self._clock = clock
        self._stamp = self._stat()
        self._users = self._read() if self._stamp is not None else {}
        self._checked_at = clock()

    def authenticate(self, token: str) -> UserInfo | None:
        self._refresh()
        return self._users.get(_digest(token)) if token else None

    def add(self, user: str, uid: str, groups: Sequence[str]) -> str:
        """Append a user with a new random token to the file and return the token."""
        if not user:
            raise ValueError("the user name must not be empty")
        if any(ch in field for field in (user, uid, *groups) for ch in "\r\n"):
            raise ValueError("user, uid and groups must not contain line breaks")
        if any(not group or "," in group for group in groups):
            raise ValueError("group names must be non-empty and free of commas")
        token = secrets.token_urlsafe(32)
        row = [token, user, uid, *([",".join(groups)] if groups else [])]
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow(row)
        private_dir(self.path.parent)
        try:
            current = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = ""
        if current and not current.endswith("\n"):
            current += "\n"
        text = current + line.getvalue()
        users = parse_token_file(text, str(self.path))  # refuses to extend a file that does not parse
        write_atomic(self.path, text.encode("utf-8"))
        self._users = users
        self._stamp = self._stat()
        self._checked_at = self._clock()
        return token

    def _stat(self) -> _Stamp | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def _read(self) -> dict[bytes, UserInfo]:
        return parse_token_file(self.path.read_text(encoding="utf-8"), str(self.path))

    def _refresh(self) -> None:
        now = self._clock()
        if now - self._checked_at < RECHECK_SECONDS:
            return
        self._checked_at = now
        stamp = self._stat()
        if stamp == self._stamp:
            return
        self._stamp = stamp
        if stamp is None:
            self._users = {}
            log.info("token file %s removed; no tokens are valid", self.path)
            return
        try:
            self._users = self._read()
        except (OSError, ValueError, csv.Error) as exc:
            log.error("token file %s not reloaded, keeping the previous tokens: %s", self.path, exc)
            return
        log.info("token file %s reloaded (%d tokens)", self.path, len(self._users))
