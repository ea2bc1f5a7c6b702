"""`grade watch ex05`: grades again each time the student saves the file; Ctrl+C ends it cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from tests.conftest import ROOT

REFERENCE = ROOT / "solutions" / "ex05_losses" / "losses.py"
STUB = ROOT / "exercises" / "ex05_losses" / "losses.py"


def _wait_for(proc: subprocess.Popen, lines: list[str], text: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while sum(text in line for line in lines) < count:
        assert time.monotonic() < deadline, "".join(lines)
        line = proc.stdout.readline()
        assert line or proc.poll() is None, "".join(lines)
        lines.append(line)


def test_watch_regrades_on_save_and_stops_cleanly_on_ctrl_c(tmp_path):
    work = tmp_path / "losses.py"
    shutil.copy(STUB, work)
    env = {**os.environ, "GRADE_ROOT": str(ROOT), "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "grader", "watch", "ex05", "--submission", str(work), "--lang", "en",
                             "--seed", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        _wait_for(proc, lines, "Waiting for you to save", 1)
        assert any("Score 0/10" in line for line in lines)
        time.sleep(0.5)
        shutil.copy(REFERENCE, work)  # the student saves a finished file
        _wait_for(proc, lines, "Waiting for you to save", 2)
        assert any("Score 10/10" in line for line in lines)
        assert any("ex05 passes!" in line and "grade watch ex" in line for line in lines)
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "Stopped watching." in rest and "Traceback" not in rest + "".join(lines)


def test_watch_refuses_a_missing_file_with_exit_code_2(tmp_path):
    from tests.conftest import run_grade

    proc = run_grade("watch", "ex05", "--submission", str(tmp_path / "nope.py"), "--lang", "en")
    assert proc.returncode == 2 and "No such file" in proc.stderr
