"""`grade batch --scheduler`: a class graded on a real Dask LocalCluster gives the local pool's CSV, even when a
worker is killed mid-batch; a student whose grading keeps killing workers gets a row; the sandbox still holds."""

from __future__ import annotations

import json
import logging
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("distributed")

import dask  # noqa: E402
from distributed import LocalCluster  # noqa: E402

from grader import batch, cluster  # noqa: E402
from grader.sandbox import probe_isolation  # noqa: E402
from grader.sandbox.boundary import describe  # noqa: E402
from tests.conftest import ROOT, run_grade  # noqa: E402

SEED = 7
SUBS = ROOT / "tests/submissions"
REF = (ROOT / "solutions/ex05_losses/losses.py").read_text()


def sample(exercise: str, name: str) -> str:
    return (SUBS / exercise / name).read_text()


def reference(exercise: str, file: str) -> str:
    return (ROOT / "solutions" / exercise / file).read_text()


MAIN = ("ex08_activations", "ex10_xor", "ex06_gradient_descent", "ex05_losses")  # the first attempted: its kind


def make_class(folder: Path) -> dict[str, str]:
    """Fourteen students, mostly numpy (ex05, ex06, ex08), one XOR (TensorFlow); returns student -> kind."""
    kinds: dict[str, str] = {}

    def student(name: str, kind: str, **files: str) -> Path:
        for exercise, source in files.items():
            stub = {"ex05_losses": "losses.py", "ex06_gradient_descent": "gradient_descent.py",
                    "ex08_activations": "activations.py", "ex10_xor": "xor.py"}[exercise]
            target = folder / name / exercise
            target.mkdir(parents=True)
            (target / stub).write_text(source)
        kinds[name] = kind
        return folder / name

    # s01 is slow (it times out) and is graded first: the test kills its worker while it runs
    student("s01_hanging", "not_full", ex05_losses=REF.replace(
        "def mean_squared_error(y, t):", "def mean_squared_error(y, t):\n    while True:\n        pass"))
    student("s02_right", "full", ex05_losses=REF)
    student("s03_wrong_mean", "partial", ex05_losses=sample("ex05_losses", "wrong_mse_mean.py"))
    student("s04_gd_right", "full", ex06_gradient_descent=reference("ex06_gradient_descent", "gradient_descent.py"))
    student("s05_gd_ascent", "partial", ex06_gradient_descent=sample("ex06_gradient_descent", "wrong_gradient_ascent.py"))
    student("s06_act_right", "full", ex08_activations=reference("ex08_activations", "activations.py"),
            ex05_losses=sample("ex05_losses", "wrong_cee_no_delta.py"))
    student("s07_act_overflow", "partial", ex08_activations=sample("ex08_activations", "wrong_softmax_overflow.py"))
    student("s08_crashing", "partial", ex05_losses="import os\n" + REF.replace(
        "def cross_entropy_error(y, t):", "def cross_entropy_error(y, t):\n    os._exit(3)"))
    student("s09_segfault", "partial", ex05_losses="import ctypes\n" + REF.replace(
        "def mean_absolute_error(y, t):", "def mean_absolute_error(y, t):\n    ctypes.string_at(0)"))
    student("s10_memory_hungry", "partial", ex05_losses=REF.replace(
        "def mean_absolute_error(y, t):", "def mean_absolute_error(y, t):\n    hog = [bytearray(10**8) for _ in range(400)]"))
    linked = student("s11_symlink", "full", ex05_losses=REF)
    (linked / "ex05_losses" / "peek.py").symlink_to(ROOT / "solutions/ex05_losses/losses.py")
    student("s12_xor", "full", ex10_xor=sample("ex10_xor", "correct_functional_relu.py"))
    with zipfile.ZipFile(folder / "s13_zipped.zip", "w") as archive:
        archive.writestr("exercises/ex05_losses/losses.py", REF)
        archive.writestr("exercises/ex06_gradient_descent/gradient_descent.py",
                         reference("ex06_gradient_descent", "gradient_descent.py"))
    kinds["s13_zipped"] = "full"
    (folder / "s14_corrupt.zip").write_bytes(b"this is not a zip file")
    kinds["s14_corrupt"] = "zero"
    return kinds


def local_cluster(workers: int = 2) -> LocalCluster:
    with dask.config.set({"distributed.scheduler.allowed-failures": cluster.ALLOWED_FAILURES}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            silence_logs=logging.ERROR)


@pytest.fixture(scope="module")
def dask_cluster():
    started = local_cluster()
    yield started
    started.close()


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    base = tmp_path_factory.mktemp("cluster-class")
    subs = base / "subs"
    subs.mkdir()
    return base, subs, make_class(subs)


@pytest.fixture(scope="module")
def local_pool(klass, catalog):
    """The same class graded by today's local pool (the reference CSV), and its seconds per submission."""
    base, subs, _ = klass
    out = base / "local"
    key = batch.results_key(out)
    students = batch.find_students(subs)
    batch.preload(catalog)
    started = time.monotonic()
    batch.run_batch(students, out, batch.WarmRunner(catalog, key=key), 2, SEED, "en", key=key)
    seconds = time.monotonic() - started
    batch.write_csv(catalog, out, students, key)
    return out, seconds / len(students)


@pytest.fixture(scope="module")
def on_cluster(klass, catalog, dask_cluster):
    """The class on the LocalCluster; after the first result the test SIGKILLs a worker that is grading."""
    base, subs, _ = klass
    out = base / "dask"
    key = batch.results_key(out)
    students = batch.find_students(subs)
    killed: list[str] = []
    order: list[str] = []
    with cluster.DaskRunner(catalog, dask_cluster.scheduler_address, key=key) as runner:
        pids = runner.client.run(os.getpid)

        def done(student):
            order.append(student.id)
            if killed:
                return
            for address, keys in runner.client.processing().items():
                if keys and address in pids:
                    killed.extend(str(k) for k in keys)
                    os.kill(pids[address], signal.SIGKILL)
                    return

        started = time.monotonic()
        runner.run(students, out, SEED, "en", on_done=done)
        seconds = time.monotonic() - started
    batch.write_csv(catalog, out, students, key)
    return out, seconds / len(students), killed, order


def test_cluster_gives_the_local_pools_csv_with_a_worker_killed_mid_batch(klass, local_pool, on_cluster):
    _, _, kinds = klass
    local, local_seconds = local_pool
    remote, remote_seconds, killed, order = on_cluster
    print(f"per submission: local pool {local_seconds:.2f} s, LocalCluster(2) {remote_seconds:.2f} s "
          "(worker start-up, a killed worker and its retried student included)")
    assert killed, "no worker was grading when the first result came"
    assert sorted(order) == sorted(kinds)
    assert (remote / "grades.csv").read_bytes() == (local / "grades.csv").read_bytes()
    rows = [line.split(",") for line in (remote / "grades.csv").read_text().splitlines()[2:]]
    assert len(rows) == len(kinds) >= 12
    for student in kinds:
        data = json.loads((remote / f"{student}.json").read_text())
        assert batch.verified(remote / f"{student}.json", batch.results_key(remote))
        assert "error" not in data, data.get("error")  # nobody got a failure row, the killed one included
        kind = kinds[student]
        main = next(name for name in MAIN if data["exercises"][name]["status"] != "not_attempted") if kind != "zero" else None
        score, best = (data["exercises"][main]["score"], data["exercises"][main]["max_score"]) if main else (data["score"], 1)
        expected = {"full": score == best, "partial": 0 < score < best, "not_full": score < best, "zero": score == 0}
        assert expected[kind], (student, kind, score)
    assert "peek.py" in json.dumps(json.loads((remote / "s11_symlink.json").read_text()))  # refused, and said so


def test_the_same_students_get_the_same_seed_everywhere(klass, local_pool, on_cluster):
    _, _, kinds = klass
    for student in kinds:
        local = json.loads((local_pool[0] / f"{student}.json").read_text())
        remote = json.loads((on_cluster[0] / f"{student}.json").read_text())
        assert local["seed"] == remote["seed"] == batch.student_seed(SEED, student)
        assert local["exercises"].keys() == remote["exercises"].keys()


def dies_or_raises(digest, student, packed, *args):
    """A task for the test: one student's grading kills its worker every time, another's raises every time."""
    if student == "x_kills_workers":
        os._exit(1)
    if student == "x_raises":
        raise RuntimeError("the grader broke on this one")
    return cluster.grade_submission(digest, student, packed, *args)


def test_a_student_who_keeps_killing_workers_gets_a_row_and_the_batch_goes_on(tmp_path, catalog, dask_cluster):
    subs = tmp_path / "subs"
    for name in ("x_kills_workers", "x_raises", "y_right"):
        (subs / name / "ex05_losses").mkdir(parents=True)
        (subs / name / "ex05_losses" / "losses.py").write_text(REF)
    out = tmp_path / "out"
    key = batch.results_key(out)
    students = batch.find_students(subs)
    started = time.monotonic()
    with cluster.DaskRunner(catalog, dask_cluster.scheduler_address, key=key, task=dies_or_raises) as runner:
        runner.run(students, out, SEED, "en", jobs=1)
    assert time.monotonic() - started < 240
    killer = json.loads((out / "x_kills_workers.json").read_text())
    assert killer["score"] == 0 and "KilledWorker" in killer["error"] and "every try" in killer["error"]
    raiser = json.loads((out / "x_raises.json").read_text())
    assert "RuntimeError: the grader broke on this one" in raiser["error"]
    assert json.loads((out / "y_right.json").read_text())["exercises"]["ex05_losses"]["status"] == "passed"
    assert all(batch.verified(out / f"{s.id}.json", key) for s in students)


def test_a_submission_graded_on_the_cluster_cannot_read_the_solutions(tmp_path, catalog, dask_cluster):
    held = describe(probe_isolation(ROOT))
    if not (held["files"] and held["processes"]):
        pytest.skip("no file/process boundary on this machine")
    out = tmp_path / "out"
    key = batch.results_key(out)
    with cluster.DaskRunner(catalog, dask_cluster.scheduler_address, key=key) as runner:
        copies = runner.client.run(lambda: {d: str(p) for d, p in cluster._COURSES.items()})
        course = next(iter(copies.values()))[runner.digest]  # where the worker unpacked the course
        assert Path(course, "solutions/ex05_losses/losses.py").read_text() == REF
        cheat = REF
        for function, path in (("mean_squared_error", f"{course}/solutions/ex05_losses/losses.py"),
                               ("cross_entropy_error", str(ROOT / "solutions/ex05_losses/losses.py")),
                               ("mean_absolute_error", f"{course}/solutions/ex05_losses/hidden_checks.py")):
            cheat = cheat.replace(f"def {function}(y, t):", f"def {function}(y, t):\n    return open({path!r}).read()")
        (tmp_path / "subs/cheater/ex05_losses").mkdir(parents=True)
        (tmp_path / "subs/cheater/ex05_losses/losses.py").write_text(cheat)
        runner.run(batch.find_students(tmp_path / "subs"), out, SEED, "en")
    data = json.loads((out / "cheater.json").read_text())
    text = json.dumps(data, ensure_ascii=False)
    assert data["score"] == 0, text[:2000]
    assert "FileNotFoundError" in text or "PermissionError" in text
    secret = next(line for line in REF.splitlines() if "return" in line and len(line.strip()) > 12)
    assert secret.strip() not in text


def test_the_readme_command_grades_on_local_2_and_resume_works_across_schedulers(tmp_path):
    subs = tmp_path / "class"
    for name, source in (("a_right", REF), ("b_wrong", sample("ex05_losses", "wrong_mse_mean.py"))):
        (subs / name / "ex05_losses").mkdir(parents=True)
        (subs / name / "ex05_losses" / "losses.py").write_text(source)
    out = tmp_path / "results"
    proc = run_grade("batch", str(subs), "--out", str(out), "--scheduler", "local:2", "--seed", str(SEED), "--lang", "en")
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line.split(",") for line in (out / "grades.csv").read_text().splitlines()]
    column = rows[0].index("ex05_losses")
    assert float(rows[2][column]) == 10 and 0 < float(rows[3][column]) < 10
    assert (out / "report.html").is_file()
    before = (out / "grades.csv").read_bytes()
    stamp = (out / "a_right.json").stat().st_mtime_ns
    (out / "b_wrong.json").write_text('{"score": 99}')  # forged: --resume grades it again, locally
    local = run_grade("batch", str(subs), "--out", str(out), "--resume", "--jobs", "1", "--seed", str(SEED), "--lang", "en")
    assert local.returncode == 0, local.stderr[-3000:]
    assert (out / "a_right.json").stat().st_mtime_ns == stamp
    assert (out / "grades.csv").read_bytes() == before
    bad = run_grade("batch", str(subs), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9", "--resume")
    assert bad.returncode == 0  # nothing left to grade: no scheduler needed
    (out / "a_right.json").unlink()
    bad = run_grade("batch", str(subs), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9", "--resume", timeout=120,
                    env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"})
    assert bad.returncode == 2 and "scheduler" in bad.stderr.lower()


def test_a_stuck_student_on_the_cluster_gets_a_timed_out_row_and_the_class_goes_on(tmp_path, catalog, dask_cluster):
    subs = tmp_path / "subs"
    stuck = REF
    for name in ("mean_squared_error", "cross_entropy_error", "mean_absolute_error"):
        stuck = stuck.replace(f"def {name}(y, t):", f"def {name}(y, t):\n    while True:\n        pass")
    for name, source in (("a_right", REF), ("b_stuck", stuck)):
        (subs / name / "ex05_losses").mkdir(parents=True)
        (subs / name / "ex05_losses" / "losses.py").write_text(source)
    out = tmp_path / "out"
    key = batch.results_key(out)
    with cluster.DaskRunner(catalog, dask_cluster.scheduler_address, key=key, student_timeout=6) as runner:
        runner.run(batch.find_students(subs), out, SEED, "en", jobs=2)
    right = json.loads((out / "a_right.json").read_text())
    assert right["exercises"]["ex05_losses"]["status"] == "passed" and "error" not in right
    stuck_row = json.loads((out / "b_stuck.json").read_text())
    assert "timed out" in stuck_row["error"] and stuck_row["exercises"]["ex05_losses"]["status"] != "passed"
    assert batch.verified(out / "b_stuck.json", key)
