"""Warm workers: TensorFlow imported once, a fresh confined child per student, nothing shared between students."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import psutil
import pytest

from grader import batch
from grader.catalog import Catalog
from grader.judge import Options, grade
from grader.sandbox import launcher
from tests.conftest import ROOT

CATALOG = Catalog(ROOT)
SAMPLES = ROOT / "tests" / "submissions"
NUMPY_EXERCISES = [e for e in CATALOG.items if e.kind == "exercise" and not e.tensorflow]


def summary(result, full: bool = True) -> list:
    """What a student sees of a result: each check's status and score (and its text, for numpy exercises)."""
    return [(c.name, c.status, c.points, c.output("en") if full else "") for c in result.checks]


def samples(exercise) -> list[Path]:
    folder = SAMPLES / exercise.name
    return sorted(folder.glob("*.py")) if folder.is_dir() else []


def grade_cold(exercise, path, monkeypatch, seed=3):
    with monkeypatch.context() as patch:
        patch.setenv("GRADE_SANDBOX", "none")  # a fresh interpreter per session, no warm worker
        return grade(exercise, path, Options(seed=seed))


@pytest.mark.parametrize("exercise", NUMPY_EXERCISES, ids=lambda e: e.id)
def test_warm_and_cold_paths_give_identical_results_for_every_numpy_sample(exercise, monkeypatch):
    for path in samples(exercise):
        warm = grade(exercise, path, Options(seed=3))
        cold = grade_cold(exercise, path, monkeypatch)
        assert summary(warm) == summary(cold), path.name


def test_warm_and_cold_paths_give_identical_results_for_a_training_exercise(monkeypatch):
    exercise = CATALOG.resolve("ex10")
    for path in samples(exercise):
        warm = grade(exercise, path, Options(seed=3))
        cold = grade_cold(exercise, path, monkeypatch)
        assert summary(warm, full=False) == summary(cold, full=False), path.name


TAMPERING_NUMPY = '''
import builtins, threading, time
import numpy as np
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.sum = lambda *a, **k: 0.0
builtins.abs = lambda x: 0
np.random.seed(12345)
threading.Thread(target=lambda: [time.sleep(0.01) for _ in iter(int, 1)], daemon=True).start()
def mean_squared_error(y, t):
    return 0.0
'''

TAMPERING_KERAS = '''
import threading, time
import keras
import numpy as np
keras.config.set_floatx("float16")
keras.utils.clear_session()
keras.utils.set_random_seed(999)
keras.Model.fit = lambda self, *a, **k: None
keras.layers.Dense.__call__ = lambda self, *a, **k: None
threading.Thread(target=lambda: [time.sleep(0.01) for _ in iter(int, 1)], daemon=True).start()
'''


@pytest.mark.parametrize("name,tamper", [("ex05", TAMPERING_NUMPY), ("ex10", TAMPERING_KERAS)])
def test_a_tampering_student_does_not_change_the_next_students_result(name, tamper, tmp_path):
    exercise = CATALOG.resolve(name)
    good = next(p for p in samples(exercise) if p.name.startswith("correct"))
    alone = grade(exercise, good, Options(seed=4))
    evil = tmp_path / good.name
    evil.write_text(good.read_text() + "\n" + tamper)
    grade(exercise, evil, Options(seed=4))  # same warm worker, just before
    after = grade(exercise, good, Options(seed=4))
    assert summary(after, full=name == "ex05") == summary(alone, full=name == "ex05")
    assert after.score == after.max_score


def _class(tmp_path: Path, n: int) -> Path:
    cls = tmp_path / "class"
    for i in range(n):
        folder = cls / f"s{i:02d}"
        folder.mkdir(parents=True)
        (folder / "losses.py").write_text((ROOT / "solutions/ex05_losses/losses.py").read_text())
        ex10 = next(p for p in samples(CATALOG.resolve("ex10")) if p.name.startswith("correct"))
        (folder / "xor.py").write_text(ex10.read_text())
    return cls


def _zygotes() -> list[psutil.Process]:
    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            if "grader.sandbox.zygote" in " ".join(process.cmdline()) and process.name() != "bwrap" \
                    and "grader.sandbox.zygote" not in " ".join(process.parent().cmdline()):
                found.append(process)
        except psutil.Error:
            pass
    return found


def test_a_worker_killed_mid_batch_is_replaced_and_every_row_is_filled(tmp_path):
    file_of_ex10 = CATALOG.resolve("ex10").meta["file"]
    cls = _class(tmp_path, 4)
    for folder in cls.iterdir():
        (folder / "xor.py").rename(folder / file_of_ex10)
    out = tmp_path / "results"
    key = batch.results_key(out)
    students = batch.find_students(cls)
    killed = threading.Event()

    def kill_workers(student):
        if not killed.is_set():
            killed.set()
            for process in _zygotes():
                os.kill(process.pid, signal.SIGKILL)

    runner = batch.WarmRunner(CATALOG, device="cpu", key=key)
    batch.run_batch(students, out, runner, 2, 0, "en", on_done=kill_workers, key=key)
    assert killed.is_set()
    loaded = batch.load_results(out, students, key)
    assert sorted(loaded) == [s.id for s in students]
    for data in loaded.values():
        assert data["exercises"]["ex05_losses"]["score"] == 10
        assert data["exercises"]["ex10_xor"]["score"] == data["exercises"]["ex10_xor"]["max_score"]
    launcher.close_all()


def _started_workers() -> set[tuple]:
    from grader.sandbox import launcher

    return {key for key, worker in launcher._ZYGOTES.items() if worker.proc is not None}


@pytest.mark.parametrize("argv, expected", [
    (["ex05", "--submission", "x.py", "--format", "json"], (False, "cpu", "none")),  # numpy: no Keras at all
    (["check", "ex13"], (False, "cpu", "none")),
    (["--lang", "ko", "ex02", "--device", "cpu"], (True, "cpu", "tensorflow")),  # an option's value before the name
    (["ex02", "--device", "cpu"], (True, "cpu", "tensorflow")),
    (["ex01", "--backend", "jax", "--device", "cpu"], (True, "cpu", "tensorflow")),  # ex01 is TensorFlow-only
    (["batch", "students/", "--out", "results/"], None),  # not an exercise: its command starts its own workers
    (["q01"], None),  # a quiz runs no code
    (["no-such-exercise"], None),
    (["--help"], None),
])
def test_grade_exercise_starts_its_warm_worker_before_the_command_line_loads(argv, expected, monkeypatch):
    from grader import prestart
    from grader.sandbox import boundary, launcher

    if not launcher.forking_supported() or boundary.gpu_present():
        pytest.skip("no warm workers here, or a GPU changes which worker `auto` means")
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    launcher.close_all()
    try:
        prestart.start_worker(argv)
        assert _started_workers() == ({expected} if expected else set())
    finally:
        launcher.close_all()
