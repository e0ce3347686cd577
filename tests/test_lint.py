"""The code stays ruff-clean and mypy-clean (STYLE.md): checked like any other behaviour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    # bench/ arrives with the benchmark branch: checked wherever it exists
    folders = [name for name in ("studylog", "tests", "bench") if (ROOT / name).is_dir()]
    result = run("ruff", "check", *folders)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = run("mypy", "studylog")
    assert result.returncode == 0, result.stdout + result.stderr
