"""`make bench`, part 4: nbgrader 0.9 `autograde` against `grade batch` on the same N correct submissions.

Both grade the same three exercises (the losses, the Sequential model, the XOR training):
nbgrader as one notebook ``ps1.ipynb`` with autograded answer cells and hidden tests, the grader
as one folder per student with ``losses.py``, ``sequential.py`` and ``xor.py``. nbgrader lives in
its own virtual environment (``.bench/nbgrader-venv``); its notebook kernel is the course's own
interpreter (registered as a kernelspec inside ``.bench``), so that venv needs no TensorFlow.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
NB_VENV = BENCH / "nbgrader-venv"
NBGRADER_PIN = "nbgrader==0.9.6"
KERNEL = "dlgrader-bench"
EXERCISES = ("ex05_losses", "ex02_sequential", "ex10_xor")


class Skip(Exception):
    """This part cannot run here; the message says why."""


def ensure_nbgrader() -> Path:
    """nbgrader in its own venv (installed once; pinned). Raises Skip when it cannot be installed."""
    exe = NB_VENV / "bin" / "nbgrader"
    if exe.exists():
        return exe
    BENCH.mkdir(exist_ok=True)
    log = BENCH / "nbgrader-install.log"
    with log.open("w") as out:
        steps = [[sys.executable, "-m", "venv", str(NB_VENV)], [str(NB_VENV / "bin" / "pip"), "install", "--quiet", NBGRADER_PIN]]
        for step in steps:
            try:
                code = subprocess.run(step, stdout=out, stderr=subprocess.STDOUT, timeout=900).returncode
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise Skip(f"cannot install {NBGRADER_PIN}: {exc}") from None
            if code != 0:
                shutil.rmtree(NB_VENV, ignore_errors=True)
                raise Skip(f"cannot install {NBGRADER_PIN} (pip exit {code}; see {log.relative_to(ROOT)})")
    if not exe.exists():
        raise Skip(f"{NBGRADER_PIN} installed no nbgrader command")
    return exe


# --- the nbgrader assignment ------------------------------------------------------------------------

def reference(name: str) -> str:
    from grader.catalog import Catalog, find_root

    item = Catalog(find_root()).resolve(name.split("_")[0])
    return item.reference_path.read_text(encoding="utf-8")


def body(source: str) -> str:
    """A reference file without its module docstring."""
    lines = source.splitlines()
    if lines and lines[0].startswith('"""') and lines[0].count('"""') == 2:
        lines = lines[1:]
    return "\n".join(lines).strip() + "\n"


def solution_cell(grade_id: str, code: str) -> dict:
    return cell(f"### BEGIN SOLUTION\n{code}### END SOLUTION\n",
                {"grade": False, "solution": True, "locked": False, "task": False, "grade_id": grade_id})


def test_cell(grade_id: str, points: int, visible: str, hidden: str) -> dict:
    return cell(f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}### END HIDDEN TESTS\n",
                {"grade": True, "solution": False, "locked": True, "task": False, "grade_id": grade_id, "points": points})


def cell(source: str, nbgrader: dict | None = None, kind: str = "code") -> dict:
    data = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        data.update(execution_count=None, outputs=[])
    if nbgrader is not None:
        data["metadata"]["nbgrader"] = {**nbgrader, "schema_version": 3}
    return data


LOSSES_VISIBLE = """import numpy as np
t = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
assert abs(mean_squared_error(np.array(y), np.array(t)) - 0.0975) < 1e-6
assert abs(cross_entropy_error(np.array(y), np.array(t)) - 0.510825457) < 1e-6
"""
LOSSES_HIDDEN = """rng = np.random.default_rng(12345)
for _ in range(20):
    y = rng.random((4, 10)); y /= y.sum(axis=1, keepdims=True)
    t = np.eye(10)[rng.integers(0, 10, 4)]
    assert np.isclose(mean_squared_error(y, t), 0.5 * np.sum((y - t) ** 2))
    assert np.isclose(cross_entropy_error(y, t), -np.sum(t * np.log(y + 1e-7)) / 4)
    assert np.isclose(mean_absolute_error(y, t), np.mean(np.abs(y - t)))
assert np.isclose(cross_entropy_error(np.array([0.0, 1.0]), np.array([1.0, 0.0])), -np.log(1e-7))
"""
SEQUENTIAL_VISIBLE = """model = build_model()
assert isinstance(model, keras.Sequential)
"""
SEQUENTIAL_HIDDEN = """import numpy as np
assert tuple(model.inputs[0].shape) == (None, 100, 100, 3)
kinds = [(type(l).__name__, getattr(l, "units", None), getattr(getattr(l, "activation", None), "__name__", None))
         for l in model.layers]
assert kinds == [("Flatten", None, None), ("Dense", 400, "relu"), ("Dense", 200, "relu"), ("Dense", 100, "softmax")], kinds
assert model.count_params() == 12_100_700
out = np.asarray(model(np.random.default_rng(0).random((2, 100, 100, 3), dtype=np.float32)))
assert out.shape == (2, 100) and np.allclose(out.sum(axis=1), 1, atol=1e-4) and (out >= 0).all()
"""
XOR_VISIBLE = """xor_model = build_xor_model()
assert xor_model.optimizer is not None, "compile the model"
"""
XOR_HIDDEN = """import numpy as np
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([0, 1, 1, 0], dtype=np.float32)
assert tuple(xor_model.inputs[0].shape) == (None, 2) and tuple(xor_model.outputs[0].shape) == (None, 1)
assert any(getattr(getattr(l, "activation", None), "__name__", "linear") != "linear" for l in xor_model.layers[:-1])
x, y = np.tile(X, (64, 1)), np.tile(Y, 64)
for epoch in range(8):  # the grader's learns_xor: full batches of the four points until every output is within 0.3
    xor_model.fit(x, y, epochs=epoch + 1, initial_epoch=epoch, batch_size=4, shuffle=False, verbose=0)
    out = np.asarray(xor_model(X, training=False)).reshape(-1)
    if np.max(np.abs(out - Y)) <= 0.3:
        break
assert np.array_equal(out > 0.5, Y > 0.5), out
rng = np.random.default_rng(7)  # the grader's hidden jittered_points
corners = rng.integers(0, 2, size=(40, 2))
jittered = (corners + rng.normal(0, 0.08, size=corners.shape)).astype(np.float32)
pred = np.asarray(xor_model(jittered, training=False)).reshape(-1) > 0.5
assert np.mean(pred == (corners[:, 0] ^ corners[:, 1])) >= 0.9
"""


def source_notebook() -> dict:
    cells = [
        cell("# ps1: losses, a Sequential model, XOR", kind="markdown"),
        cell("import os\nos.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')\nimport numpy as np",
             {"grade": False, "solution": False, "locked": True, "task": False, "grade_id": "setup"}),
        solution_cell("losses", body(reference("ex05_losses"))),
        test_cell("test_losses", 10, LOSSES_VISIBLE, LOSSES_HIDDEN),
        solution_cell("sequential", body(reference("ex02_sequential"))),
        test_cell("test_sequential", 11, SEQUENTIAL_VISIBLE, SEQUENTIAL_HIDDEN),
        solution_cell("xor", body(reference("ex10_xor"))),
        test_cell("test_xor", 10, XOR_VISIBLE, XOR_HIDDEN),
    ]
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": KERNEL, "display_name": "dl-grader bench", "language": "python"},
                         "language_info": {"name": "python"}}}


def nb_env(course: Path) -> dict:
    """nbgrader's environment: the bench kernelspec first on JUPYTER_PATH, no user config picked up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    env.update(JUPYTER_PATH=str(course / "jupyter"), JUPYTER_CONFIG_DIR=str(course / "jupyter-config"),
               JUPYTER_DATA_DIR=str(course / "jupyter-data"), JUPYTER_RUNTIME_DIR=str(course / "jupyter-runtime"),
               IPYTHONDIR=str(course / "ipython"), TF_CPP_MIN_LOG_LEVEL="3", JUPYTER_PLATFORM_DIRS="1",
               PATH=f"{NB_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")  # nbgrader calls `alembic`
    return env


def build_course(course: Path, n: int) -> None:
    """source/ps1/ps1.ipynb, the kernelspec, generate_assignment, and N correct submissions."""
    shutil.rmtree(course, ignore_errors=True)
    (course / "source" / "ps1").mkdir(parents=True)
    kernel = course / "jupyter" / "kernels" / KERNEL
    kernel.mkdir(parents=True)
    python = str(ROOT / ".venv" / "bin" / "python")
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "dl-grader bench",
        "language": "python", "env": {"TF_CPP_MIN_LOG_LEVEL": "3"}}))
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        "c.Execute.timeout = 600\n"
        f"c.ExecutePreprocessor.kernel_name = {KERNEL!r}\n")
    (course / "source" / "ps1" / "ps1.ipynb").write_text(json.dumps(source_notebook(), indent=1))
    nbgrader(course, "generate_assignment", "ps1", "--force")
    release = json.loads((course / "release" / "ps1" / "ps1.ipynb").read_text())
    answers = {"losses": "ex05_losses", "sequential": "ex02_sequential", "xor": "ex10_xor"}
    for item in release["cells"]:
        meta = item.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            item["source"] = body(reference(answers[meta["grade_id"]]))
    for i in range(n):
        folder = course / "submitted" / f"student{i + 1:02d}" / "ps1"
        folder.mkdir(parents=True)
        (folder / "ps1.ipynb").write_text(json.dumps(release, indent=1))
        (folder / "timestamp.txt").write_text("2026-12-01 12:00:00.000000 UTC")


def nbgrader(course: Path, *args: str, timeout: float = 1800) -> float:
    started = time.perf_counter()
    exe = str(NB_VENV / "bin" / "nbgrader")
    try:
        done = subprocess.run([exe, *args], cwd=course, env=nb_env(course), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Skip(f"nbgrader {args[0]} ran past {timeout:.0f} s") from None
    seconds = time.perf_counter() - started
    (course / f"nbgrader-{args[0]}.log").write_text(done.stdout + done.stderr)
    errors = [line for line in (done.stdout + done.stderr).splitlines() if "[ERROR]" in line or "Traceback" in line]
    if done.returncode != 0 or errors:
        tail = " | ".join(errors[:3]) or (done.stdout + done.stderr).strip().splitlines()[-1:]
        raise Skip(f"nbgrader {args[0]} failed (exit {done.returncode}): {tail} (log: {course / f'nbgrader-{args[0]}.log'})")
    return seconds


def nbgrader_scores(course: Path) -> list[float]:
    """Each student's total from the gradebook (to prove every notebook was graded as correct)."""
    import sqlite3

    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute("select s.student_id, sum(coalesce(g.manual_score, g.auto_score, 0)) from grade g "
                          "join submitted_notebook n on g.notebook_id = n.id join submitted_assignment s "
                          "on n.assignment_id = s.id group by s.student_id").fetchall()
    return [float(score) for _, score in rows]


# --- the same submissions for grade batch -----------------------------------------------------------

def grader_submissions(folder: Path, n: int) -> None:
    from grader.catalog import Catalog, find_root

    catalog = Catalog(find_root())
    shutil.rmtree(folder, ignore_errors=True)
    for i in range(n):
        student = folder / f"student{i + 1:02d}"
        student.mkdir(parents=True)
        for name in EXERCISES:
            item = catalog.resolve(name.split("_")[0])
            shutil.copy(item.reference_path, student / item.meta["file"])


def grade_batch(submissions: Path, results: Path, jobs: int, env: dict, extra: tuple[str, ...] = ()) -> tuple[float, dict]:
    shutil.rmtree(results, ignore_errors=True)
    command = [sys.executable, "-m", "grader", "batch", str(submissions), "--out", str(results), "--jobs", str(jobs),
               "--seed", "1", *extra]
    started, clock = time.perf_counter(), time.time()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        raise Skip(f"grade batch --jobs {jobs} failed (exit {done.returncode}): {' | '.join(tail)}")
    scores, isolation = [], set()
    for path in sorted(results.glob("student*.json")):
        data = json.loads(path.read_text())
        per = data.get("exercises") or {}
        scores.append(sum(float(per.get(e, {}).get("score", 0)) for e in EXERCISES))
        isolation.add(",".join(data.get("isolation") or []))
    return seconds, {"scores": scores, "isolation": sorted(isolation),
                     **pace(clock, [p.stat().st_mtime for p in results.glob("student*.json")])}


def pace(clock: float, finished: list[float]) -> dict:
    """From when each student's result appeared: the wait for the first, then seconds per further student."""
    finished = sorted(finished)
    if not finished:
        return {}
    steady = (finished[-1] - finished[0]) / (len(finished) - 1) if len(finished) > 1 else None
    return {"first_result_after": finished[0] - clock, "steady_per_submission": steady}


def run(n: int, env: dict) -> dict:
    """Both sides, timed in this run. Raises Skip (with the reason) when nbgrader cannot run here."""
    out: dict = {"n": n, "nbgrader_version": NBGRADER_PIN.split("==")[1]}
    submissions = BENCH / "batch-submissions"
    grader_submissions(submissions, n)
    out["default_jobs"] = os.cpu_count() or 1  # what `grade batch` runs without --jobs: one student per core
    out["jobs"] = sorted({1, out["default_jobs"]})
    for jobs in out["jobs"]:
        seconds, info = grade_batch(submissions, BENCH / f"batch-results-j{jobs}", jobs, env)
        out[f"grade_batch_jobs{jobs}"] = {"seconds": seconds, "per_submission": seconds / n, **info}
    try:
        ensure_nbgrader()
        course = BENCH / "nbgrader-course"
        build_course(course, n)
        clock = time.time()
        seconds = nbgrader(course, "autograde", "ps1", "--force")
        graded = [p.stat().st_mtime for p in (course / "autograded").glob("*/ps1/ps1.ipynb")]
        out["nbgrader"] = {"seconds": seconds, "per_submission": seconds / n, "scores": nbgrader_scores(course),
                           **pace(clock, graded)}
    except Skip as exc:
        out["nbgrader"] = {"skipped": str(exc)}
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    env = {**os.environ, "GRADE_ROOT": str(ROOT), "NO_COLOR": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    print(json.dumps(run(int(os.environ.get("BENCH_N", "24")), env), indent=1))
