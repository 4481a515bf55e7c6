"""The code standards as tests: layering contracts (import-linter), strict typing of the
package (mypy --strict), and lint (ruff). A violation fails the suite like a bug does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [
    ["-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
    ["-m", "mypy", "corral"],
    ["-m", "ruff", "check", "corral", "bench", "tests"],
], ids=["import-contracts", "mypy-strict", "ruff"])
def test_tool_is_clean(argv: list[str]) -> None:
    result = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
