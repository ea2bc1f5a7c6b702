"""Hardening: a syscall filter, only the release's files of the course in the sandbox, every import path bound."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.sandbox import probe_isolation
from grader.sandbox.boundary import describe, import_paths
from tests.conftest import ROOT, run_grade

LAYERS = probe_isolation(ROOT)
needs_boundary = pytest.mark.skipif(not (describe(LAYERS)["files"] and describe(LAYERS)["processes"]),
                                    reason=f"no file/process boundary on this machine (layers: {LAYERS})")
needs_seccomp = pytest.mark.skipif("seccomp" not in LAYERS, reason=f"no seccomp filter here (layers: {LAYERS})")
REF = (ROOT / "solutions/ex05_losses/losses.py").read_text()


def probing(check: str) -> str:
    """The reference of ex05 whose first function raises if ``check`` (an expression) is true: full marks prove the
    attack failed, and honest work in the same set-up is graded as ever."""
    return ("import ctypes, errno, os, socket\n" + REF.replace(
        "def mean_squared_error(y, t):",
        f"def mean_squared_error(y, t):\n    if {check}:\n        raise RuntimeError('the attack worked')", 1))


SYSCALLS = '''
libc = ctypes.CDLL(None, use_errno=True)


def _call(number, *args):
    return libc.syscall(number, *args) >= 0


def _opens(family, kind):
    try:
        socket.socket(family, kind).close()
        return True
    except OSError:
        return False


def reached():
    """Each refused interface that still worked (x86-64 numbers; other machines: the families only)."""
    found = [name for name, family, kind in (("AF_VSOCK", 40, 1), ("AF_ALG", 38, 5), ("AF_KEY", 15, 3),
                                              ("AF_PACKET", 17, 3), ("AF_BLUETOOTH", 31, 1)) if _opens(family, kind)]
    if os.uname().machine == "x86_64":
        ring = ctypes.create_string_buffer(120)
        calls = {"io_uring_setup": (425, 4, ring), "bpf": (321, 0, 0, 0), "perf_event_open": (298, 0, 0, -1, -1, 0),
                 "userfaultfd": (323, 0), "keyctl": (250, 0, -3, 0), "add_key": (248, b"user", b"k", b"v", 1, -3),
                 "request_key": (249, b"user", b"k", 0, 0), "unshare(CLONE_NEWUSER)": (272, 0x10000000)}
        found += [name for name, (number, *args) in calls.items() if _call(number, *args)]
    return found
'''


@needs_seccomp
def test_the_syscall_filter_refuses_vsock_io_uring_bpf_perf_userfaultfd_and_keys(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text(probing("reached()") + SYSCALLS)
    proc = run_grade("ex05", "--submission", str(path), "--format", "json")
    data = json.loads(proc.stdout)
    assert "seccomp" in data["isolation"]
    assert data["score"] == 10, [t["output"][:300] for t in data["tests"] if t["score"] < t["max_score"]]
    proc = run_grade("ex05", "--submission", str(ROOT / "solutions/ex05_losses/losses.py"), "--format", "json",
                     env={"GRADE_SECCOMP": "0"})
    data = json.loads(proc.stdout)
    assert "seccomp" not in data["isolation"] and data["score"] == 10  # grading goes on where no filter loads


@needs_seccomp
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_keras_grades_under_the_syscall_filter(backend):
    if backend == "jax":
        pytest.importorskip("jax")
    proc = run_grade("ex02", "--submission", str(ROOT / "solutions/ex02_sequential/sequential.py"), "--format", "json",
                     "--device", "cpu", "--backend", backend)
    data = json.loads(proc.stdout)
    assert "seccomp" in data["isolation"]
    assert data["score"] == data["max_score"], [t["output"][:300] for t in data["tests"] if t["score"] < t["max_score"]]


@needs_boundary
def test_right_answers_left_in_the_course_are_not_readable_by_students_nor_shipped(tmp_path):
    import tomli_w

    from grader import quiz
    from grader.catalog import Catalog
    from grader.instructor.autograder import build_autograder

    course = tmp_path / "course"
    for top in ("exercises", "solutions"):
        shutil.copytree(ROOT / top, course / top, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, course / name)
    catalog = Catalog(course)
    q01 = catalog.resolve("q01")
    answers = q01.folder / "answers.toml"  # as an instructor who ran `grade q01` in the course leaves it
    answers.write_text(tomli_w.dumps(quiz.right_answers(quiz.load_quiz(q01, public=False))), encoding="utf-8")
    (course / ".grade_state.json").write_text('{"exercises": {}}')
    (q01.folder / ".grade_state.json").write_text('{"exercises": {}}')
    student = tmp_path / "losses.py"
    student.write_text(probing(f"any(os.path.exists(p) for p in {[str(answers), str(q01.folder / '.grade_state.json')]!r})"
                               f" or not os.path.exists({str(q01.folder / 'exercise.toml')!r})"))
    proc = run_grade("ex05", "--submission", str(student), "--format", "json", env={"GRADE_ROOT": str(course)})
    data = json.loads(proc.stdout)
    assert data["score"] == 10, [t["output"][:300] for t in data["tests"] if t["score"] < t["max_score"]]
    names = build_autograder(catalog, tmp_path / "autograder.zip", allow_draft=True)
    assert not [n for n in names if n.startswith("exercises/") and n.endswith(("answers.toml", ".grade_state.json"))]
    assert "exercises/q01_keras_basics/questions.toml" in names and "solutions/q01_keras_basics/key.toml" in names
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        assert "exercises/ex05_losses/losses.py" in archive.namelist()


def _module(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text("def twice(x):\n    return 2 * x\n")
    return folder


@needs_boundary
def test_packages_on_pythonpath_or_a_pth_file_are_importable_by_the_worker(tmp_path):
    source = "import dlg_probe_pythonpath\n" + REF
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "losses.py").write_text(source)
    extra = _module(tmp_path / "extra", "dlg_probe_pythonpath")
    proc = run_grade("ex05", "--submission", str(tmp_path / "a" / "losses.py"), "--format", "json",
                     env={"PYTHONPATH": str(extra)})
    assert json.loads(proc.stdout)["score"] == 10, proc.stdout[-2000:]
    # a .pth file in a site folder, as `pip install -e` or a distribution's own packages add them
    site_dir, target = tmp_path / "site", _module(tmp_path / "by_pth", "dlg_probe_pth")
    site_dir.mkdir()
    (site_dir / "probe.pth").write_text(f"{target}\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "losses.py").write_text("import dlg_probe_pth\n" + REF)
    boot = ("import site, sys; site.addsitedir(sys.argv.pop(1)); sys.argv[0] = 'grade'; "
            "from grader.prestart import main; main()")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", boot, str(site_dir), "ex05", "--submission",
                           str(tmp_path / "b" / "losses.py"), "--format", "json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={**env, "GRADE_ROOT": str(ROOT), "NO_COLOR": "1"})
    assert json.loads(proc.stdout)["score"] == 10, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_import_paths_never_bind_the_solutions_or_the_course_root(monkeypatch):
    monkeypatch.setattr(sys, "path", [*sys.path, str(ROOT), str(ROOT / "solutions" / "ex05_losses"), str(ROOT / "solutions")])
    bound = import_paths(ROOT)
    assert not [p for p in bound if p == str(ROOT) or p.startswith(str(ROOT / "solutions"))]
    assert os.path.realpath(sys.prefix) in bound or any(os.path.realpath(p) in bound for p in __import__("site").getsitepackages())


def test_import_paths_never_bind_over_the_sandboxs_own_tmp_nor_the_scripts_folder(monkeypatch, tmp_path):
    # a judge run as `python /tmp/script.py` has /tmp as sys.path[0]: bound read-only over the sandbox's own /tmp, it
    # left TensorFlow no temporary folder ("No usable temporary directory"), and a script in a home folder would have
    # shown that whole folder to every student
    script = tmp_path / "grade_my_class.py"
    script.write_text("", encoding="utf-8")
    package_dir = tmp_path / "site"
    package_dir.mkdir()
    monkeypatch.setattr(sys, "argv", [str(script)])
    monkeypatch.setattr(sys, "path", [str(tmp_path), "/tmp", *sys.path, str(package_dir)])
    bound = import_paths(ROOT)
    assert str(tmp_path) not in bound and "/tmp" not in bound
    assert os.path.realpath(package_dir) in bound  # a package folder under /tmp (PYTHONPATH) is still bound


def test_a_judge_run_from_a_script_in_tmp_grades_a_keras_exercise(tmp_path):
    script = Path("/tmp") / f"grade-from-tmp-{os.getpid()}.py"
    script.write_text(
        "from pathlib import Path\nfrom grader.catalog import Catalog\nfrom grader.judge import Options, grade\n"
        f"root = Path({str(ROOT)!r})\n"
        "r = grade(Catalog(root).resolve('ex02'), root / 'solutions/ex02_sequential/sequential.py', Options(lang='en', seed=1))\n"
        "print(r.score, r.max_score)\n", encoding="utf-8")
    try:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd="/tmp",
                              env={**env, "GRADE_SERVER": "0"})
    finally:
        script.unlink()
    assert proc.stdout.split()[-2:] == ["11.0", "11.0"], proc.stdout[-2000:] + proc.stderr[-2000:]
