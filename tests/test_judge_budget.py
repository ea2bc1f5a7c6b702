"""The judge's own time and memory: one student's frames, zips, files, hangs or odd name never stall or crash a class."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.sandbox import Limits, Session, Verdict
from grader.sandbox.cgroups import PREFIX, V1_ROOT, _own_path, _writable
from tests.conftest import ROOT, run_grade

REF = (ROOT / "solutions/ex05_losses/losses.py").read_text()
HANGUL_ID = "가" * 40 + "힣" * 40  # 80 syllables: 240 bytes, a file name of its own but too long with .json and a temp suffix


def mini_course(tmp_path: Path, names=("ex05_losses",)) -> Path:
    course = tmp_path / "course"
    for name in names:
        shutil.copytree(ROOT / "exercises" / name, course / "exercises" / name)
        shutil.copytree(ROOT / "solutions" / name, course / "solutions" / name)
    return course


def rows(path: Path) -> dict[str, list[str]]:
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {row[0]: row for row in table[2:]}


def honest(folder: Path, name: str, source: str = REF) -> None:
    (folder / name / "ex05_losses").mkdir(parents=True)
    (folder / name / "ex05_losses" / "losses.py").write_text(source, encoding="utf-8")


def test_huge_or_many_valued_replies_are_refused_with_a_verdict_naming_the_cap(tmp_path):
    source = REF + (
        "\ndef huge():\n    return 'x' * 190_000_000\n"
        "\ndef many():\n    return [0] * 5_000_000\n"
        "\ndef small():\n    return 42\n")
    path = tmp_path / "student.py"
    path.write_text(source)
    with Session(limits=Limits(seconds=60, memory_mb=2048), root=ROOT).start() as session:
        session.load(path)
        for name, words in (("huge", ("83,886,080", "bytes")), ("many", ("1,000,000", "values"))):
            with pytest.raises(Verdict) as caught:
                session.call(name)
            text = caught.value.message.render("en")
            assert caught.value.kind == "protocol" and all(w in text for w in words), text
        assert session.call("small") == 42  # honest work in the same set-up: a fresh child, the right answer


HOSTILE_FRAME = """import gc, os, struct
def hostile():  # a 70 MB frame (under the byte cap) of 35 million JSON values, written straight to the reply pipe
    worker = next(o for o in gc.get_objects() if type(o).__name__ == 'Worker')
    payload = b'{"id": 2, "value": [' + b'0,' * 35_000_000 + b'0]}'
    view = memoryview(struct.pack('>I', len(payload)) + payload)
    while view:
        view = view[os.write(worker.fd_out, view):]
def honest():
    return [1.0] * 1000
"""


def test_a_hostile_reply_costs_the_judge_at_most_twice_the_frame_cap_over_an_honest_run(tmp_path):
    script = tmp_path / "peak.py"
    script.write_text(
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from grader.sandbox import Limits, Session, Verdict\n"
        "with Session(limits=Limits(seconds=60, memory_mb=1024)).start() as s:\n"
        "    s.load(Path(sys.argv[1]))\n"
        "    try:\n"
        "        print(s.call(sys.argv[2]) is None)\n"
        "    except Verdict as verdict:\n"
        "        print(verdict.kind)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    (tmp_path / "student.py").write_text(HOSTILE_FRAME)

    def peak(kind: str) -> tuple[str, int]:
        proc = subprocess.run([sys.executable, str(script), str(tmp_path / "student.py"), kind], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout.split()[-2], int(proc.stdout.split()[-1])

    (honest_ends, honest_kb), (hostile_ends, hostile_kb) = peak("honest"), peak("hostile")
    assert honest_ends == "False" and hostile_ends == "protocol"
    from grader.sandbox.wire import MAX_REPLY

    # the budget: one frame never costs the judge more than two copies of the cap (bytes and text, or text and
    # values); decoded, these 35 M values would cost it about 400 MB
    assert hostile_kb - honest_kb <= 2 * MAX_REPLY // 1024, (honest_kb, hostile_kb)


def test_a_zip_bomb_and_an_oversized_source_get_a_row_naming_the_cap_and_the_class_goes_on(tmp_path):
    course = mini_course(tmp_path)
    subs = tmp_path / "subs"
    honest(subs, "a_right")
    with zipfile.ZipFile(subs / "b_bomb.zip", "w", zipfile.ZIP_DEFLATED) as bomb:
        with bomb.open("ex05_losses/losses.py", "w") as member:  # 100 MB of spaces: about 100 KB zipped
            for _ in range(100):
                member.write(b" " * 2**20)
    honest(subs, "c_big_source", REF + "#" * (5 * 2**20) + "\n")
    out = tmp_path / "out"
    proc = run_grade("batch", str(subs), "--out", str(out), "--jobs", "2", env={"GRADE_ROOT": str(course)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = rows(out / "grades.csv")
    assert float(table["a_right"][1]) == 10
    assert float(table["b_bomb"][1]) == 0 and "67,108,864" in table["b_bomb"][-1]
    assert float(table["c_big_source"][1]) == 0 and "4 MB" in table["c_big_source"][-1]


def test_any_student_id_is_graded_as_a_row_never_a_crash(tmp_path):
    subs = tmp_path / "subs"
    ids = [HANGUL_ID, "dots.and spaces", "Ünïcødé ü", "x" * 250]
    for name in ids:
        honest(subs, name)
    with zipfile.ZipFile(subs / (HANGUL_ID[:79] + "z.zip"), "w") as archive:
        archive.writestr("exercises/ex05_losses/losses.py", REF)
    ids.append(HANGUL_ID[:79] + "z")
    (subs / ("나" * 80 + ".zip")).write_bytes(b"not a zip")  # broken, with a long name: still a row
    out = tmp_path / "out"
    proc = run_grade("batch", str(subs), "--out", str(out), "--jobs", "2",
                     env={"GRADE_ROOT": str(mini_course(tmp_path))})
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = rows(out / "grades.csv")
    assert all(float(table[i][1]) == 10 for i in ids), {i: table.get(i) for i in ids}
    assert float(table["나" * 80][1]) == 0 and "zip" in table["나" * 80][-1].lower()
    assert (out / "report.html").is_file()
    assert all(len(p.name.encode()) < 255 for p in out.iterdir())


def test_a_stuck_student_gets_a_timed_out_row_and_the_class_goes_on(tmp_path):
    hang = "\n    while True:\n        pass"
    stuck = REF
    for name in ("mean_squared_error", "cross_entropy_error", "mean_absolute_error"):
        stuck = stuck.replace(f"def {name}(y, t):", f"def {name}(y, t):{hang}")
    subs = tmp_path / "subs"
    honest(subs, "a_right")
    honest(subs, "b_stuck", stuck)
    out = tmp_path / "out"
    proc = run_grade("batch", str(subs), "--out", str(out), "--jobs", "2", "--student-timeout", "6",
                     env={"GRADE_ROOT": str(mini_course(tmp_path))})
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = rows(out / "grades.csv")
    assert float(table["a_right"][1]) == 10
    assert "timed out" in table["b_stuck"][-1] and float(table["b_stuck"][1]) < 10


def test_hanging_functions_never_get_the_exercises_budget_back_twice(tmp_path):
    source = ("def first():\n    while True:\n        pass\n"
              "def second():\n    while True:\n        pass\n"
              "def third():\n    return 3\n")
    path = tmp_path / "student.py"
    path.write_text(source)
    with Session(limits=Limits(seconds=2)).start() as session:
        session.load(path)
        kinds = []
        for name in ("first", "second", "third"):
            try:
                kinds.append(session.call(name))
            except Verdict as verdict:
                kinds.append(verdict.message.key)
    # the first hang gives the rest of the file one more budget; the second uses it up: nothing more runs
    assert kinds == ["timeout", "timeout", "timeout_skipped"]
    with Session(limits=Limits(seconds=2)).start() as session:  # honest work in the same set-up
        session.load(path)
        assert session.call("third") == 3


def test_each_student_process_has_a_cpu_time_limit_and_going_past_it_is_a_verdict(tmp_path):
    path = tmp_path / "student.py"
    path.write_text("import resource\n"
                    "def cpu():\n    return resource.getrlimit(resource.RLIMIT_CPU)\n"
                    "def spin():  # lowers its own limit (allowed) to reach it before the wall clock\n"
                    "    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)\n"
                    "    resource.setrlimit(resource.RLIMIT_CPU, (1, hard))\n"
                    "    while True:\n        pass\n"
                    "def honest():\n    return sum(range(1000))\n")
    with Session(limits=Limits(seconds=20)).start() as session:
        session.load(path)
        soft, hard = session.call("cpu")
        assert 0 < soft <= 2 * 20 * (os.cpu_count() or 1) + 10 + 1 and hard == soft + 5
        with pytest.raises(Verdict) as caught:
            session.call("spin")
        assert caught.value.message.key == "cpu_limit"
        assert session.call("honest") == 499500  # the rest of the file in a fresh child


def _cgroup_base() -> Path | None:
    own = _own_path("memory")
    base = V1_ROOT / "memory" / (own or "/").lstrip("/")
    return base if own is not None and _writable(base) else None


@pytest.mark.skipif(_cgroup_base() is None, reason="no writable memory cgroup here")
def test_cgroups_left_by_a_killed_judge_are_removed_by_the_next_run(tmp_path):
    base = _cgroup_base()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = base / f"{PREFIX}{dead.pid}-0123456789ab"  # what a judge killed mid-batch leaves
    left.mkdir()
    mine = base / f"{PREFIX}{os.getpid()}-0123456789ab"  # a running judge's group is never touched
    mine.mkdir()
    try:
        proc = run_grade("ex05", "--submission", str(ROOT / "solutions/ex05_losses/losses.py"), "--format", "json")
        assert json.loads(proc.stdout)["score"] == 10  # the next run grades as before ...
        assert not left.exists() and mine.exists()  # ... and has removed the dead judge's group, only that one
    finally:
        for folder in (left, mine):
            if folder.exists():
                folder.rmdir()
