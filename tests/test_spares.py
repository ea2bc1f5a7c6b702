"""Spare chains (grader.sandbox.chain): forked ahead by a warm worker, confined before the student's code, fair."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from grader.sandbox import Limits, Session, launcher
from grader.sandbox.chain import is_spare
from tests.conftest import ROOT, run_grade
from tests.test_boundary import needs_boundary

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="warm workers fork on Linux only")

PROBE_SOURCE = '''
import os

THREADS_AT_LOAD = len(os.listdir("/proc/self/task"))


def at_load():
    return THREADS_AT_LOAD


def model():
    import keras

    m = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4), keras.layers.Dense(2, name=None)])
    return [layer.name for layer in m.layers], m.get_weights(), keras.ops.convert_to_numpy(keras.random.uniform((3,)))


def threads():
    """Seccomp mode, effective capabilities and no_new_privs of every thread of this process."""
    found = []
    for tid in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{tid}/status") as status:
            fields = dict(line.split(":", 1) for line in status.read().splitlines() if ":" in line)
        found.append([fields["Seccomp"].strip(), fields["CapEff"].strip(), fields["NoNewPrivs"].strip()])
    return found


def cgroup():
    with open("/proc/self/cgroup") as handle:
        return handle.read()
'''


def _session(tmp_path: Path) -> Session:
    path = tmp_path / "student.py"
    path.write_text(PROBE_SOURCE)
    session = Session(tensorflow=True, device="cpu", limits=Limits(seconds=60), root=ROOT).start()
    session.load(path)
    return session


@needs_boundary
def test_a_student_process_started_ahead_builds_the_same_model_and_every_thread_is_confined(tmp_path):
    launcher.close_all()  # a fresh worker: its first child is confined at its request, the later ones ahead
    seen = []
    for _ in range(3):
        session = _session(tmp_path)
        try:
            seen.append((session.call("at_load"), session.call("model"), session.call("threads"),
                         list(session.info.isolation)))
        finally:
            session.close()
        # the worker forks the next spare once no student of its runs: a student's request waits for none
        assert _until(lambda: [p for p in _spares(os.getpid()) if p.num_threads() > 1], 60), "no warm spare"
    cold, warm = seen[0], seen[-1]
    assert cold[0] == 1, "the first child of a fresh worker has no thread but its own when the file loads"
    assert warm[0] > 1, "a later child comes from a spare whose TensorFlow runtime (its threads) started ahead"
    for threads_at_load, (names, weights, drawn), threads, layers in seen:
        assert names == cold[1][0] == ["dense", "dense_1"]  # Keras' names start afresh: nothing left of the warm-up
        assert all(np.array_equal(a, b) for a, b in zip(weights, cold[1][1])) and len(weights) == 4
        assert np.array_equal(drawn, cold[1][2])  # the same seeding: the same numbers
        assert layers == cold[3]  # confined alike, whether ahead of the request or at it
        for seccomp, capabilities, no_new_privs in threads:  # the runtime's threads too, started before the request
            if "seccomp" in layers:
                assert seccomp == "2" and no_new_privs == "1", threads
            if "no-capabilities" in layers:
                assert int(capabilities, 16) == 0, threads


@needs_boundary
def test_a_student_process_started_ahead_is_in_its_own_cgroup(tmp_path):
    session = _session(tmp_path)
    try:
        session.call("at_load")
        group = session.child.group if session.child is not None else None
        if group is None:
            pytest.skip("no writable cgroup hierarchy here")
        lines = session.call("cgroup").splitlines()
        for controller, folder in group.folders.items():
            line = next(line for line in lines if controller in line.split(":")[1].split(","))
            assert line.split(":", 2)[2].endswith(folder.name), (controller, line)
    finally:
        session.close()


# --- through the warm server, as a student's `grade` uses it -------------------------------------------------

# the course copy (ex05: numpy, quick) and the short server folder of the server's own tests
from tests.test_server import HONEST, WRONG, course, server_dir  # noqa: E402,F401


def _grade(course: Path, folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"GRADE_ROOT": str(course), "GRADE_SERVER": "1", "GRADE_SERVER_DIR": str(folder), "CI": "",
           "GRADE_SERVER_IDLE": "120"}
    return run_grade(*args, env=env, timeout=240)


def _spares(server_pid: int) -> list[psutil.Process]:
    try:
        return [p for p in psutil.Process(server_pid).children(recursive=True) if is_spare(p.pid)]
    except psutil.Error:
        return []


def _until(condition, seconds: float):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()


def test_the_server_keeps_a_spare_that_holds_no_student_file_is_replaced_when_killed_and_ends_with_it(course,
                                                                                                   server_dir):
    from grader.server.talk import servers

    exercise = course / "exercises" / "ex05_losses" / "losses.py"
    exercise.write_text(HONEST, encoding="utf-8")
    first = _grade(course, server_dir, "ex05", "--format", "json")
    assert first.returncode == 0, first.stderr
    [server] = servers(server_dir)
    spares = _until(lambda: len(_spares(server["pid"])) == 3 and _spares(server["pid"]), 30)
    assert spares, _spares(server["pid"])  # a monitor, the namespace's init, the student's process: waiting
    for process in spares:  # nothing of a student's is open in a spare, nor is it in a student's folder
        assert not any(str(course) in f.path for f in process.open_files()), process.open_files()
        assert not process.cwd().startswith(str(course)), process.cwd()
    os.kill(min(p.pid for p in spares), signal.SIGKILL)  # the spare's monitor: its chain goes with it
    again = _grade(course, server_dir, "ex05", "--format", "json")
    assert again.returncode == 0, again.stderr  # a fresh child all the same, full marks
    exercise.write_text(WRONG, encoding="utf-8")
    wrong = _grade(course, server_dir, "ex05", "--format", "json")
    assert wrong.returncode == 1, wrong.stderr
    [still] = servers(server_dir)
    assert still["pid"] == server["pid"]  # one server throughout: the spares keep it under its memory cap (PSS)
    workers_mb = sum(w.get("pss_mb") or 0 for w in still["workers"])
    assert workers_mb < 2048, still
    spares = _until(lambda: _spares(server["pid"]), 30)
    assert spares
    stopped = _grade(course, server_dir, "server", "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert _until(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in spares), 30)
