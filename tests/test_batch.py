"""`grade batch`: a class graded by warm workers, a confined child per student; bad submissions never stop or corrupt it."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_grade

REF = (ROOT / "solutions/ex05_losses/losses.py").read_text()
SAMPLES = ROOT / "tests/submissions/ex05_losses"

BROKEN = {
    "hanging": REF.replace("def mean_squared_error(y, t):", "def mean_squared_error(y, t):\n    while True:\n        pass"),
    "crashing": "import os\n" + REF.replace("def cross_entropy_error(y, t):", "def cross_entropy_error(y, t):\n    os._exit(3)"),
    "memory_hungry": REF.replace("def mean_absolute_error(y, t):", "def mean_absolute_error(y, t):\n    hog = [bytearray(10**8) for _ in range(400)]"),
    "flooding": "print('spam ' * 2_000_000)\n" + REF,
    "exiting": "import sys\nsys.exit(1)\n" + REF,
    "syntax_error": REF.replace("def mean_squared_error(y, t):", "def mean_squared_error(y, t)"),
}


def make_class(folder: Path) -> dict[str, str]:
    """Twelve students and what each should get; returns student -> expectation."""
    expect = {}

    def folder_student(name: str, source: str, kind: str) -> None:
        target = folder / name / "ex05_losses"
        target.mkdir(parents=True)
        (target / "losses.py").write_text(source)
        expect[name] = kind

    folder_student("s01_right", REF, "full")
    folder_student("s02_right_loops", (SAMPLES / "correct_loops.py").read_text(), "full")
    folder_student("s03_wrong_mean", (SAMPLES / "wrong_mse_mean.py").read_text(), "partial")
    folder_student("s04_wrong_delta", (SAMPLES / "wrong_cee_no_delta.py").read_text(), "partial")
    folder_student("s05_hardcoded", (SAMPLES / "wrong_hardcoded_example.py").read_text(), "partial")
    for i, (kind, source) in enumerate(BROKEN.items(), start=6):
        zero = kind in ("exiting", "syntax_error")  # a hanging function costs that function's checks only
        folder_student(f"s{i:02d}_{kind}", source, "zero" if zero else ("full" if kind == "flooding" else "partial"))
    with zipfile.ZipFile(folder / "s12_zipped.zip", "w") as z:
        z.writestr("exercises/ex05_losses/losses.py", REF)
    expect["s12_zipped"] = "full"
    (folder / "s13_corrupt.zip").write_bytes(b"this is not a zip file")
    expect["s13_corrupt"] = "zero"
    return expect


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    subs = base / "subs"
    subs.mkdir()
    expect = make_class(subs)
    before = {p: p.read_bytes() for p in subs.rglob("*") if p.is_file()}
    proc = run_grade("batch", str(subs), "--out", str(base / "results"), "--jobs", "2", "--seed", "7", timeout=900)
    return base, subs, expect, before, proc


def test_batch_fills_every_row_with_the_right_verdict(graded):
    base, _, expect, _, proc = graded
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = read_csv(base / "results" / "grades.csv")
    header, points, students = rows[0], rows[1], rows[2:]
    column = header.index("ex05_losses")
    assert points[0] == "(points)" and float(points[column]) == 10
    assert [r[0] for r in students] == sorted(expect)
    for row in students:
        score = float(row[column])
        kind = expect[row[0]]
        assert (score == 10) if kind == "full" else (0 < score < 10) if kind == "partial" else (score == 0), (row, kind)
    corrupt = next(r for r in students if r[0] == "s13_corrupt")
    assert "zip" in corrupt[-1].lower()


def test_batch_writes_one_valid_json_per_student(graded):
    base, _, expect, _, _ = graded
    for student in expect:
        data = json.loads((base / "results" / f"{student}.json").read_text())
        assert isinstance(data["score"], (int, float))
    assert not list((base / "results").glob(".*.tmp"))


def test_batch_never_modifies_submissions(graded):
    _, subs, _, before, _ = graded
    after = {p: p.read_bytes() for p in subs.rglob("*") if p.is_file()}
    assert after == before


def test_batch_killed_part_way_and_resumed_gives_the_same_csv(graded):
    base, subs, expect, _, _ = graded
    out = base / "interrupted"
    env = {**os.environ, "GRADE_ROOT": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "grader", "batch", str(subs), "--out", str(out), "--jobs", "1", "--seed", "7"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 3:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(out.glob("*.json")))
    assert 3 <= done < len(expect)
    resumed = run_grade("batch", str(subs), "--out", str(out), "--jobs", "2", "--seed", "7", "--resume", timeout=900)
    assert resumed.returncode == 0
    assert read_csv(out / "grades.csv") == read_csv(base / "results" / "grades.csv")


def test_resume_skips_students_already_graded(graded, tmp_path):
    base, subs, _, _, _ = graded
    out = tmp_path / "copy"
    shutil.copytree(base / "results", out)
    stamp = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    proc = run_grade("batch", str(subs), "--out", str(out), "--resume")
    assert proc.returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")} == stamp


def test_the_judge_of_a_batch_never_imports_tensorflow(tmp_path):
    # the warm worker imports TensorFlow once; the judge (this command's own process) must not import it again
    student = tmp_path / "class" / "s01" / "ex10_xor"
    student.mkdir(parents=True)
    shutil.copy(ROOT / "solutions/ex10_xor/xor.py", student / "xor.py")
    out = tmp_path / "results"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "grader", "batch", str(tmp_path / "class"),
                           "--out", str(out), "--jobs", "1", "--seed", "3"],
                          cwd=ROOT, env={**os.environ, "GRADE_ROOT": str(ROOT), "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads((out / "s01.json").read_text())
    assert data["exercises"]["ex10_xor"]["score"] == data["exercises"]["ex10_xor"]["max_score"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "numpy" in imported  # the measurement works
    assert not {"tensorflow", "keras"} & imported


def text(message) -> str:
    return message.render("en") if hasattr(message, "render") else str(message)


def test_numpy_items_graded_ahead_of_tensorflow_are_what_the_students_own_pass_gives(tmp_path):
    """While TensorFlow imports, `grade batch` grades numpy exercises ahead (batch.Ahead); a student's thread
    takes those results instead: they must be exactly what it would have found itself, hostile files included."""
    from grader import batch
    from grader.assignment import grade_assignment
    from grader.catalog import Catalog
    from grader.judge import Options

    make_class(tmp_path)
    catalog = Catalog(ROOT)
    students = batch.find_students(tmp_path)
    ahead = batch.Ahead(catalog, students, seed=7, lang="en", device="cpu")
    ahead.ready = lambda: False  # as if TensorFlow were still importing: every student's numpy items go ahead
    ahead._run()
    for student in students:
        done = ahead.take(student.id)
        assert set(done) == (set() if "corrupt" in student.id else {"ex05_losses"})  # a broken zip: its own pass says so
        options = Options(lang="en", seed=batch.student_seed(7, student.id), device="cpu")
        taken = grade_assignment(catalog, student.path, options, done=done)
        own = grade_assignment(catalog, student.path, options)
        for a, b in zip(taken.results, own.results):
            assert (a.exercise, a.score, a.status, text(a.problem)) == (b.exercise, b.score, b.status, text(b.problem))
            assert [(c.name, c.status, c.points, text(c.message)) for c in a.checks] == \
                [(c.name, c.status, c.points, text(c.message)) for c in b.checks], student.id
        assert ahead.take(student.id) == {}  # taken once


def test_a_student_taken_before_the_ahead_pass_reaches_them_is_not_graded_ahead(tmp_path):
    from grader import batch
    from grader.catalog import Catalog

    make_class(tmp_path)
    students = batch.find_students(tmp_path)
    ahead = batch.Ahead(Catalog(ROOT), students[:2], seed=0, lang="en", device="cpu")
    ahead.ready = lambda: False
    assert ahead.take(students[1].id) == {}  # the student's own thread came first
    ahead._run()
    assert set(ahead.results) == {students[0].id}
