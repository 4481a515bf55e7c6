"""A freshly created PKI for each test that needs one."""

from __future__ import annotations

from pathlib import Path

import pytest

from corral.pki.certs import Pki, ensure_pki


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return ensure_pki(tmp_path / "tls")
