"""Hostile submissions end as verdicts: the grader survives, the JSON stays valid, the score is 0."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox import Limits, Session, StudentRaised, Verdict
from tests.conftest import run_grade

GOOD = Path(__file__).resolve().parent.parent / "solutions" / "ex05_losses" / "losses.py"


def grade_json(tmp_path: Path, source: str, *extra: str) -> tuple[dict, int, float]:
    path = tmp_path / "losses.py"
    path.write_text(source)
    started = time.monotonic()
    proc = run_grade("ex05", "--submission", str(path), "--format", "json", "--seed", "5", *extra)
    elapsed = time.monotonic() - started
    return json.loads(proc.stdout), proc.returncode, elapsed


def test_infinite_loop_times_out_within_limit_plus_two_seconds(tmp_path):
    source = GOOD.read_text().replace("def mean_squared_error(y, t):", "def mean_squared_error(y, t):\n    while True:\n        pass")
    session = Session(limits=Limits(seconds=1.5)).start()
    (tmp_path / "loop.py").write_text(source)
    session.load(tmp_path / "loop.py")
    started = time.monotonic()
    with pytest.raises(Verdict) as verdict:
        session.call("mean_squared_error", np.zeros(3), np.zeros(3))
    assert verdict.value.kind == "timeout"
    assert time.monotonic() - started < 1.5 + 2
    session.close()


def test_infinite_loop_submission_scores_zero_for_that_function_and_json_is_valid(tmp_path):
    source = GOOD.read_text().replace("def mean_squared_error(y, t):", "def mean_squared_error(y, t):\n    while True:\n        pass")
    result, code, elapsed = grade_json(tmp_path, source)
    assert code == 1
    assert result["score"] < result["max_score"]
    mse = [t for t in result["tests"] if "MSE" in t["name"]]
    assert mse and all(t["score"] == 0 for t in mse)
    assert "Timed out" in mse[0]["output"]
    assert elapsed < 10 + 15  # the exercise's limit plus start-up, never a hang


def test_sys_exit_at_import_scores_zero(tmp_path):
    result, code, _ = grade_json(tmp_path, "import sys\nsys.exit(0)\n" + GOOD.read_text())
    assert code == 1 and result["score"] == 0
    assert "sys.exit" in result["output"]  # said once, at the top
    assert all("did not load" in t["output"] for t in result["tests"])


def test_os_exit_inside_a_function_scores_zero_for_its_checks(tmp_path):
    source = GOOD.read_text().replace("def cross_entropy_error(y, t):", "def cross_entropy_error(y, t):\n    import os\n    os._exit(0)")
    result, code, _ = grade_json(tmp_path, source)
    assert code == 1
    cee = [t for t in result["tests"] if "ross-entropy" in t["name"]]
    assert cee and all(t["score"] == 0 for t in cee)
    assert "ended the process" in cee[0]["output"]
    mae = [t for t in result["tests"] if "MAE" in t["name"]]
    assert all(t["status"] == "passed" for t in mae)  # the rest still grades


def test_fifty_gigabyte_allocation_is_out_of_memory(tmp_path):
    source = GOOD.read_text().replace("def mean_squared_error(y, t):", "def mean_squared_error(y, t):\n    big = np.ones(50 * 10**9 // 8)")
    result, code, _ = grade_json(tmp_path, source)
    mse = [t for t in result["tests"] if "MSE" in t["name"]]
    assert all(t["score"] == 0 for t in mse)
    assert "memory" in mse[0]["output"]


def test_printed_fake_json_result_does_not_reach_stdout(tmp_path):
    fake = '{"score": 100, "max_score": 10, "tests": []}'
    source = f"print('{fake}')\nimport sys\nsys.stdout.write('{fake}')\n" + "def mean_squared_error(y, t):\n    print('" + fake + "')\n    return 1.0\n"
    result, code, _ = grade_json(tmp_path, source)
    assert code == 1 and result["score"] == 0
    assert result["exercise"] == "ex05_losses"


def test_monkeypatched_allclose_and_isclose_do_not_fool_the_judge(tmp_path):
    source = (
        "import math, numpy as np\n"
        "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
        "math.isclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
        "def mean_squared_error(y, t):\n    return 123.0\n"
        "def cross_entropy_error(y, t):\n    return 123.0\n"
        "def mean_absolute_error(y, t):\n    return 123.0\n"
    )
    result, code, _ = grade_json(tmp_path, source)
    assert code == 1 and result["score"] == 0


def test_objects_equal_to_everything_score_zero(tmp_path):
    source = (
        "class Anything(float):\n    def __eq__(self, other):\n        return True\n    __ne__ = lambda s, o: False\n"
        "class Obj:\n    def __eq__(self, other):\n        return True\n    def __float__(self):\n        return 0.0975\n"
        "def mean_squared_error(y, t):\n    return Anything(99.0)\n"
        "def cross_entropy_error(y, t):\n    return Obj()\n"
        "def mean_absolute_error(y, t):\n    return Obj()\n"
    )
    result, code, _ = grade_json(tmp_path, source)
    assert code == 1 and result["score"] == 0
    assert any("returned a Obj" in t["output"] for t in result["tests"])


def test_output_flood_is_truncated_and_json_stays_valid(tmp_path):
    source = "print('x' * 5_000_000)\n" + GOOD.read_text()
    result, code, _ = grade_json(tmp_path, source)
    assert code == 0 and result["score"] == result["max_score"]
    assert len(result["output"]) < 20_000
    assert "bytes cut" in result["output"]


def test_grading_never_modifies_the_students_file(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text(GOOD.read_text())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    proc = run_grade("ex05", "--submission", str(path), "--format", "json", "--seed", "1")
    assert proc.returncode == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["losses.py"]


def test_student_exception_carries_only_student_traceback_lines(tmp_path):
    path = tmp_path / "s.py"
    path.write_text("def f():\n    return 1 / 0\n")
    with Session() as session:
        session.load(path)
        with pytest.raises(StudentRaised) as raised:
            session.call("f")
    info = raised.value.info
    assert info["type"] == "ZeroDivisionError"
    assert "line 2" in info["traceback"] and "worker.py" not in info["traceback"]


def test_session_restarts_after_a_crash_and_keeps_grading(tmp_path):
    path = tmp_path / "s.py"
    path.write_text("import os\ndef die():\n    os._exit(7)\ndef ok():\n    return 42\n")
    with Session() as session:
        session.load(path)
        with pytest.raises(Verdict) as verdict:
            session.call("die")
        assert verdict.value.kind == "exited"
        assert session.call("ok") == 42


def test_numpy_exercises_never_import_tensorflow_in_judge_or_sandbox(tmp_path):
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from grader.catalog import Catalog, find_root\n"
        "from grader.judge import Options, grade\n"
        "from grader.sandbox import Session\n"
        "item = Catalog(find_root()).resolve('ex05')\n"
        "result = grade(item, item.reference_path, Options(seed=1))\n"
        "assert result.passed\n"
        "with Session() as s:\n"
        "    child = s.run('import sys\\nresult = any(m.split(\".\")[0] in (\"tensorflow\", \"keras\") for m in sys.modules)')\n"
        "parent = any(m.split('.')[0] in ('tensorflow', 'keras') for m in sys.modules)\n"
        "print(parent, child)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False"], out.stderr[-1000:]


def test_a_students_cgroups_are_gone_once_the_judge_has_exited(tmp_path):
    """Closing a session does not wait for the monitor to leave its cgroups; they are removed in the background,
    and at the latest when the judge exits."""
    script = tmp_path / "judge.py"
    script.write_text(
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})\n"
        "from grader.sandbox import Limits, Session\n"
        "folders = []\n"
        "for _ in range(3):\n"
        "    session = Session(limits=Limits(seconds=10)).start()\n"
        f"    session.load({str(GOOD)!r})\n"
        "    group = getattr(session.child, 'group', None)\n"
        "    folders += [str(f) for f in (group.folders.values() if group else [])]\n"
        "    session.close()\n"
        "print(json.dumps(folders))\n")
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    folders = json.loads(done.stdout.strip().splitlines()[-1])
    if not folders:
        pytest.skip("no writable cgroup hierarchy here: students get no cgroup of their own")
    assert len(folders) == 6  # memory and pids, for each of the three sessions
    assert [f for f in folders if Path(f).exists()] == []
