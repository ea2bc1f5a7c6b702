"""Shared fixtures: the course catalog of this repository, and a runner for the `grade` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("GRADE_ROOT", str(ROOT))
os.environ["NO_COLOR"] = "1"
os.environ.setdefault("GRADE_SERVER", "0")  # no warm server left behind by a test; tests/test_server.py turns it on


@pytest.fixture(scope="session")
def catalog():
    from grader.catalog import Catalog

    return Catalog(ROOT)


def run_grade(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `grade` as a student would, in a separate process."""
    # the machine's locale never decides a test's language: English unless the test says otherwise
    inherited = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "GRADE_LANG")}
    full_env = {**inherited, "LANG": "C.UTF-8", "GRADE_ROOT": str(ROOT), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
