"""`grade exNN` with the warm server grades before its command line loads (grader.early), and gives what it asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT, run_grade
from tests.test_server import HONEST, WRONG, _env, _grade, _passed, _servers, _submit, _until, course, server_dir  # noqa: F401

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the warm server is Linux only")


@pytest.mark.parametrize("argv, expected", [
    (["ex05"], {"exercise": "ex05"}),
    (["check", "5", "--seed", "7", "-l", "ko"], {"exercise": "5", "seed": "7", "lang": "ko"}),
    (["ex05", "--submission=a.py", "--format", "json", "-o", "out.json"],
     {"exercise": "ex05", "submission": "a.py", "format": "json", "output": "out.json"}),
    (["ex05", "--help"], None),  # the command line answers that alone
    (["ex05", "--answers", "a.toml"], None),  # an option early grading does not know
    (["ex05", "--seed"], None),  # a value missing: the command line says what is wrong
    (["ex05", "--seed", "x"], None),
    (["ex05", "--lang", "fr"], None),
    (["ex05", "--seed", "1", "--seed", "2"], None),
    (["watch", "ex05"], None),
    (["ex05", "ex06"], None),
    ([], None),
])
def test_only_the_check_commands_own_arguments_begin_a_grading(argv, expected):
    from grader.early import parse

    assert parse(argv) == expected


def _begin(course: Path, server_dir: Path, monkeypatch, argv: list[str]):
    from grader import early, prestart
    from grader.sandbox import launcher

    for key, value in _env(course, server_dir).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(launcher, "PROVIDER", None)
    monkeypatch.setattr(early, "_EARLY", None)
    launcher.close_all()
    return prestart.start_worker(argv)


def test_the_command_adopts_the_grading_begun_for_it_and_its_seed(course, server_dir, monkeypatch):
    from grader.catalog import Catalog
    from grader.early import adopt
    from grader.judge import Options
    from grader.sandbox import launcher

    _submit(course, HONEST)
    try:
        begun = _begin(course, server_dir, monkeypatch, ["ex05", "--lang", "en"])
        assert begun is not None and not begun.seed_given
        item = Catalog(course).resolve("ex05")
        asked = Options(lang="en", seed=123, device="auto")  # the command's own random seed is not used...
        early = adopt(item, item.stub_path, asked, None)
        assert early is begun and early.options.seed == begun.options.seed  # ...the grading's is
        from grader.judge import Reporter

        result = early.wait(Reporter())
        assert result.score == result.max_score > 0 and result.seed == begun.options.seed
    finally:
        launcher.close_all()


def test_a_grading_begun_for_other_options_is_dropped_and_never_shown(course, server_dir, monkeypatch):
    from grader.catalog import Catalog
    from grader.early import adopt
    from grader.judge import Options
    from grader.sandbox import launcher

    _submit(course, WRONG)
    try:
        begun = _begin(course, server_dir, monkeypatch, ["ex05", "--lang", "en", "--seed", "4"])
        item = Catalog(course).resolve("ex05")
        assert adopt(item, item.stub_path, Options(lang="ko", seed=4), 4) is None  # another language
        assert begun.done.is_set()  # ended before the command grades: never two gradings of one file at once
        begun = _begin(course, server_dir, monkeypatch, ["ex05", "--lang", "en", "--seed", "4"])
        assert adopt(item, item.stub_path, Options(lang="en", seed=5), 5) is None  # another seed
        begun = _begin(course, server_dir, monkeypatch, ["ex05", "--lang", "en", "--seed", "4"])
        assert adopt(item, item.stub_path, Options(lang="en", seed=4), 4) is begun
    finally:
        launcher.close_all()


def _json(proc: subprocess.CompletedProcess) -> dict:
    data = json.loads(proc.stdout)
    data.pop("execution_time", None)
    for test in data.get("tests", []):
        test.pop("execution_time", None)
        if isinstance(test.get("feedback"), dict):
            test["feedback"].pop("seconds", None)
    return data


def test_grade_exNN_gives_through_the_server_what_it_gives_without(course, server_dir):
    _submit(course, WRONG)
    args = ("--seed", "11", "--format", "json")
    served = _grade(course, server_dir, *args)
    alone = _grade(course, server_dir, *args, "--no-server")
    assert served.returncode == alone.returncode == 1
    assert _servers(server_dir)  # the first was graded through the server (early), the second was not
    assert _json(served) == _json(alone) and _json(served)["score"] < _json(served)["max_score"]
    _submit(course, HONEST)
    honest = _grade(course, server_dir, *args)
    assert honest.returncode == 0 and _json(honest)["score"] == _json(honest)["max_score"]
    text = _grade(course, server_dir, "--seed", "11")  # the terminal view, the student's own command
    assert _passed(text) and "11" in text.stdout


LINGER = '''
import os, time
def _linger():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        os._exit(0)
_linger()
'''


def _below_server(server: dict) -> list[psutil.Process]:
    """The processes below the server other than its warm workers' own (bubblewrap's and the worker's)."""
    from grader.server.memory import worker_pids

    own = {server["pid"]} | {pid for w in server["workers"] if w["pid"] for pid in worker_pids(w["pid"])}
    try:
        tree = psutil.Process(server["pid"]).children(recursive=True)
    except psutil.Error:
        return []
    return [p for p in tree if p.pid not in own and _running(p)]


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _groups_of(pid: int) -> list[Path]:
    from grader.sandbox.cgroups import PREFIX, V1_ROOT, _own_path

    found = []
    for controller in ("memory", "pids"):
        own = _own_path(controller)
        if own is not None:
            found += list((V1_ROOT / controller / own.lstrip("/")).glob(f"{PREFIX}{pid}-*"))
    return found


def _temporary(prefix: str) -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(prefix + "*"))


@pytest.mark.parametrize("sandbox", ["auto", "landlock"])  # landlock: the student's scratch folder is on /tmp
def test_a_grade_that_does_not_wait_for_its_students_process_leaves_nothing_behind(course, server_dir, sandbox):
    """`grade` shows its result and exits while its student's process is taken down: nothing of it survives."""
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir, GRADE_SANDBOX=sandbox))
    [server] = _servers(server_dir)
    assert _until(lambda: not _below_server(server), 30)  # between runs: the warm workers alone
    before = _temporary("grade-student-") | _temporary("grade-notebook-")
    _submit(course, LINGER + HONEST)  # leaves a sleeping grandchild of its own behind, if it can
    env = {**os.environ, "LANG": "C.UTF-8", "NO_COLOR": "1", **_env(course, server_dir, GRADE_SANDBOX=sandbox)}
    run = subprocess.Popen([sys.executable, "-m", "grader", "ex05", "--lang", "en"], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = run.communicate(timeout=240)
    assert run.returncode == 0 and "All checks passed" in out, out + err  # the answers are right
    notebook = course / "losses.ipynb"  # a notebook: its code is loaded from a temporary file
    from grader.catalog import Catalog
    from tests.test_notebooks import notebook_with, save

    save(notebook_with(Catalog(course).resolve("ex05"), LINGER + HONEST), notebook)
    assert _passed(_grade(course, server_dir, "--submission", str(notebook), GRADE_SANDBOX=sandbox))
    assert _until(lambda: not _below_server(server), 30), _below_server(server)
    assert _until(lambda: not _groups_of(run.pid), 30), _groups_of(run.pid)
    assert _until(lambda: _temporary("grade-student-") | _temporary("grade-notebook-") <= before, 30)
    assert [s["pid"] for s in _servers(server_dir)] == [server["pid"]]
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir, GRADE_SANDBOX=sandbox))  # and the next run is graded as ever


def _cgroup_base() -> Path | None:
    from grader.sandbox.cgroups import V1_ROOT, _own_path, _writable

    own = _own_path("memory")
    base = V1_ROOT / "memory" / (own or "/").lstrip("/")
    return base if own is not None and _writable(base) else None


@pytest.mark.skipif(_cgroup_base() is None, reason="no writable memory cgroup here")
def test_the_server_removes_the_cgroups_a_grade_that_did_not_wait_left(course, server_dir):
    from grader.sandbox.cgroups import PREFIX

    _submit(course, HONEST)
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])  # a `grade` still running
    left = _cgroup_base() / f"{PREFIX}{owner.pid}-0123456789ab"
    left.mkdir()
    try:
        assert _passed(_grade(course, server_dir))  # graded through the server: its client leaves ...
        owner.kill()  # ... and the group's `grade` has ended without removing it
        owner.wait()
        assert _until(lambda: not left.exists(), 30)  # the server swept it (no other run came to do it)
    finally:
        owner.kill()
        if left.exists():
            left.rmdir()


def test_a_students_scratch_folder_on_the_hosts_tmp_goes_with_the_student(monkeypatch, tmp_path):
    """Without bubblewrap the scratch folder is on this machine's /tmp: the monitor removes it as soon as the
    student's processes are gone, before it says so, so a `grade` that does not wait leaves none behind."""
    from grader.sandbox import Limits, Session, launcher

    monkeypatch.setenv("GRADE_SANDBOX", "landlock")
    monkeypatch.setattr(launcher, "PROVIDER", None)
    launcher.close_all()
    path = tmp_path / "student.py"
    path.write_text("import os\nopen(os.path.join(os.environ['TMPDIR'], 'kept.txt'), 'w').write('x')\n"
                    "def answer():\n    return 42\n")
    session = Session(limits=Limits(seconds=20), root=ROOT).start()
    try:
        session.load(path)
        assert session.call("answer") == 42  # the student's code ran, and wrote to its scratch folder
        child = session.child
        scratch = Path(child.scratch)
        assert scratch.is_dir() and scratch.parent == Path(tempfile.gettempdir())
        child.kill()  # what this process's exit does to the kill pipe
        assert child.wait(20) is not None
        assert not scratch.exists()  # the monitor removed it before it reported the end (this process did not)
    finally:
        session.close()
        launcher.close_all()


def test_ctrl_c_before_the_command_line_has_loaded_says_which_grade_stopped_without_a_traceback(course, server_dir):
    import signal
    import time

    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir))  # the same set-up grades to the end when nobody interrupts it
    env = {**os.environ, "LANG": "C.UTF-8", "NO_COLOR": "1", **_env(course, server_dir)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    python = time.perf_counter() - started  # Python's own start: a Ctrl+C before it ends is Python's to report
    for after in (0.02, 0.08, 0.15, 0.3):  # reading the grader, the early grading, the command line importing
        proc = subprocess.Popen([sys.executable, "-m", "grader", "ex05", "--lang", "en"], env=env, cwd=course,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(python + after)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            continue  # graded before the signal came (a fast machine)
        assert "Traceback" not in err, (after, err)
        assert proc.returncode == 130, (after, proc.returncode, err)
        assert "Stopped by Ctrl+C: `grade ex05` did not finish" in err, (after, err)
