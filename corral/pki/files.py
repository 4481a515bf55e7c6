"""Writing secrets to disk so that no reader ever sees a half-written or world-readable file.

Keys, certificates and token files are replaced atomically (temporary file in the same
directory, fsync, rename) and created with their final mode, so a crash leaves either the
old or the new content and a private key is never briefly readable by others.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE = 0o600
PUBLIC = 0o644


def private_dir(path: Path) -> None:
    """Create ``path`` (and parents) if needed and make it accessible to its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)


def write_atomic(path: Path, data: bytes, mode: int = PRIVATE) -> None:
    """Replace ``path`` with ``data`` in one step; the file has ``mode`` from its creation."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
