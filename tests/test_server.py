"""The warm grading server (grader.server): found, used, refused, stopped, lost, and never in the way."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_grade

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the warm server is Linux only")

HONEST = (ROOT / "solutions" / "ex05_losses" / "losses.py").read_text(encoding="utf-8")
WRONG = HONEST.replace("return np.mean(np.abs(", "return np.sum(np.abs(")
SLOW = HONEST.replace("def mean_absolute_error(y, t):\n", "def mean_absolute_error(y, t):\n"
                      "    import time\n    if not _SLEPT:\n        _SLEPT.append(time.sleep(2))\n") + "_SLEPT = []\n"


@pytest.fixture
def course(tmp_path):
    """A fresh copy of ex05 (numpy: quick) with its solutions, as a student's course folder."""
    root = tmp_path / "course"
    for top in ("exercises", "solutions"):
        shutil.copytree(ROOT / top / "ex05_losses", root / top / "ex05_losses",
                        ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture
def server_dir():
    """A short folder of its own (a socket's path holds at most 107 bytes; pytest's folders can be longer)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="gs-"))
    yield base / "servers"
    for status in _servers(base / "servers"):  # nothing left running after a test
        _kill(status["pid"])
    shutil.rmtree(base, ignore_errors=True)


def _env(course: Path, folder: Path, **extra: str) -> dict:
    return {"GRADE_ROOT": str(course), "GRADE_SERVER": "1", "GRADE_SERVER_DIR": str(folder), "CI": "",
            "GRADE_SERVER_IDLE": "120", **extra}


def _submit(course: Path, text: str) -> None:
    (course / "exercises" / "ex05_losses" / "losses.py").write_text(text, encoding="utf-8")


def _grade(course: Path, folder: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return run_grade("ex05", "--lang", "en", *args, env=_env(course, folder, **extra), timeout=240)


def _servers(folder: Path) -> list[dict]:
    from grader.server.talk import servers

    return servers(folder) if folder.is_dir() else []


def _forks(folder: Path) -> int:
    return sum(w["forks"] for s in _servers(folder) for w in s["workers"])


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _until(condition, seconds: float = 60) -> bool:
    """Wait for a condition (bounded: a server that never does it fails the test, it never hangs it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _passed(proc: subprocess.CompletedProcess) -> bool:
    return proc.returncode == 0 and "All checks passed" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr


def test_the_second_grade_borrows_the_warm_worker_the_first_left_behind(course, server_dir):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir))
    [server] = _servers(server_dir)
    assert server["root"] == str(course.resolve()) and _forks(server_dir) >= 1
    before = _forks(server_dir)
    _submit(course, WRONG)
    wrong = _grade(course, server_dir)
    assert wrong.returncode == 1 and "MAE" in wrong.stdout  # a wrong answer is still caught, through the server
    assert _forks(server_dir) > before and [s["pid"] for s in _servers(server_dir)] == [server["pid"]]
    assert stat.S_IMODE(server_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(server["socket"]).stat().st_mode) == 0o600


def test_grade_server_status_says_what_runs_and_stop_stops_it(course, server_dir):
    _submit(course, HONEST)
    env = _env(course, server_dir)
    assert "No warm grading server" in run_grade("server", "status", "--lang", "en", env=env, timeout=60).stdout
    assert _passed(_grade(course, server_dir))
    [server] = _servers(server_dir)
    shown = run_grade("server", "status", "--lang", "en", env=env, timeout=60).stdout
    assert f"Grading server {server['pid']}: {course.resolve()}" in shown and "numpy worker" in shown
    assert "RSS" in shown and "PSS" in shown and "running since" in shown
    stopped = run_grade("server", "stop", "--lang", "en", env=env, timeout=60)
    assert stopped.returncode == 0 and f"Stopped the grading server {server['pid']}" in stopped.stdout
    assert _until(lambda: not _alive(server["pid"]))
    assert not Path(server["socket"]).exists()


def _as_user(uid: int, path: Path) -> str:
    """Connect to ``path`` as another user (a forked child that drops to ``uid``) and ask for the status."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as conn:
                    conn.settimeout(10)
                    conn.connect(str(path))
                    conn.send(json.dumps({"status": True}).encode())
                    answer = conn.recv(65536)
                    outcome = "answered" if answer else "closed"
            except PermissionError:
                outcome = "permission"
            except (ConnectionResetError, BrokenPipeError):  # accepted, then closed unanswered: refused
                outcome = "closed"
            except OSError as exc:
                outcome = f"error {exc}"
            os.write(write_end, outcome.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as result:
        outcome = result.read()
    os.waitpid(pid, 0)
    return outcome


@pytest.mark.skipif(os.getuid() != 0, reason="switching to another user needs root")
def test_another_user_cannot_use_the_server(course, server_dir):
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="grade-servers-"))  # pytest's own folders are closed to other users
    os.chmod(base, 0o755)
    try:
        _another_user_cannot_use(course, base / "servers")
    finally:
        for status in _servers(base / "servers"):
            _kill(status["pid"])
        shutil.rmtree(base, ignore_errors=True)


def _another_user_cannot_use(course: Path, server_dir: Path) -> None:
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir))
    [server] = _servers(server_dir)
    path = Path(server["socket"])
    assert _as_user(65534, path) == "permission"  # the 0700 folder and the 0600 socket keep others out
    os.chmod(server_dir, 0o755)  # with the files opened up, the server itself still refuses (SO_PEERCRED)
    os.chmod(path, 0o666)
    assert _as_user(65534, path) == "closed"
    assert _servers(server_dir)[0]["pid"] == server["pid"]  # this user is still served


ATTACK = '''
import os, signal, socket
try:
    _s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    _s.settimeout(5)
    _s.connect({path!r})
    _s.send(b'{{"stop": true}}')
    _s.recv(100)
except OSError:
    pass
for _pid in range(1, 4096):  # every process it can see, but itself
    if _pid != os.getpid():
        try:
            os.kill(_pid, signal.SIGKILL)
        except OSError:
            pass
for _place in ("/tmp", os.environ.get("HOME", "/tmp"), os.getcwd()):
    try:
        open(os.path.join(_place, "np_patch.py"), "w").write("import numpy; numpy.sum = lambda *a, **k: 0")
    except OSError:
        pass
'''


@pytest.mark.parametrize("sandbox", ["auto", "landlock"])
def test_a_students_code_cannot_reach_the_server_nor_the_next_run(course, server_dir, sandbox):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir, GRADE_SANDBOX=sandbox))
    [server] = _servers(server_dir)
    _submit(course, ATTACK.format(path=server["socket"]) + HONEST)
    attacked = _grade(course, server_dir, GRADE_SANDBOX=sandbox)
    assert _passed(attacked)  # its own answers are right; the attack reached nothing
    forks = _forks(server_dir)
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir, GRADE_SANDBOX=sandbox))
    assert [s["pid"] for s in _servers(server_dir)] == [server["pid"]] and _forks(server_dir) > forks


def test_two_terminals_grading_at_once_share_one_server(course, server_dir):
    other = course.parent / "other.py"
    other.write_text(WRONG, encoding="utf-8")
    _submit(course, HONEST)
    env = {**os.environ, "LANG": "C.UTF-8", "NO_COLOR": "1", **_env(course, server_dir)}
    command = [sys.executable, "-m", "grader", "ex05", "--lang", "en"]
    runs = [subprocess.Popen(command + extra, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for extra in ([], ["--submission", str(other)], [])]
    results = [(run.communicate(timeout=240)[0], run.returncode) for run in runs]
    assert [code for _, code in results] == [0, 1, 0]
    assert "All checks passed" in results[0][0] and "All checks passed" in results[2][0]
    assert len(_servers(server_dir)) == 1


def test_a_server_killed_mid_grade_leaves_a_correct_result_and_no_alarm(course, server_dir):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir))
    [server] = _servers(server_dir)
    _submit(course, SLOW)
    env = {**os.environ, "LANG": "C.UTF-8", "NO_COLOR": "1", **_env(course, server_dir)}
    forks = _forks(server_dir)
    run = subprocess.Popen([sys.executable, "-m", "grader", "ex05", "--lang", "en"], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _until(lambda: _forks(server_dir) > forks, 120)  # the student's child runs, forked by the server
    os.kill(server["pid"], signal.SIGKILL)
    out, err = run.communicate(timeout=240)
    assert run.returncode == 0 and "All checks passed" in out, out + err
    assert "Traceback" not in out + err and "server" not in (out + err).lower()


def test_a_stale_socket_file_is_replaced_by_a_fresh_server(course, server_dir):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir))
    [server] = _servers(server_dir)
    os.kill(server["pid"], signal.SIGKILL)  # its socket file stays behind, with nobody listening
    assert _until(lambda: not _alive(server["pid"]))
    assert Path(server["socket"]).exists() and not _servers(server_dir)
    assert _passed(_grade(course, server_dir))
    assert _until(lambda: [s["socket"] for s in _servers(server_dir)] == [server["socket"]])
    assert _servers(server_dir)[0]["pid"] != server["pid"]


def test_a_full_disk_grades_without_a_server(course, server_dir):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1)")
    full = server_dir.parent / "full"  # a short path: the server would be used there, but for the full disk
    full.mkdir()
    _submit(course, HONEST)
    script = (f'mount -t tmpfs -o size=64k,nr_inodes=16 tmpfs "{full}" || exit 77; '
              f'dd if=/dev/zero of="{full}/fill" bs=4k 2>/dev/null; i=0; while touch "{full}/f$i" 2>/dev/null; '
              f'do i=$((i+1)); done; exec "{sys.executable}" -m grader ex05 --lang en')
    env = {**os.environ, "LANG": "C.UTF-8", "NO_COLOR": "1", **_env(course, full / "servers")}
    proc = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=240)
    if proc.returncode == 77:
        pytest.skip("cannot mount a small tmpfs here")
    assert _passed(proc), proc.stdout + proc.stderr


def test_a_moved_course_is_graded_correctly_by_a_server_of_its_own(course, server_dir):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir))
    [old] = _servers(server_dir)
    moved = course.parent / "moved"
    course.rename(moved)
    _submit(moved, WRONG)
    wrong = _grade(moved, server_dir)
    assert wrong.returncode == 1 and "MAE" in wrong.stdout
    assert _until(lambda: [s["root"] for s in _servers(server_dir)] == [str(moved.resolve())])
    assert _until(lambda: not _alive(old["pid"]))  # the old course's server was stopped by the new one


def test_no_server_on_ci_nor_with_no_server(course, server_dir):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir, GRADE_SERVER="", CI="true"))
    assert _passed(_grade(course, server_dir, "--no-server"))
    assert not server_dir.exists()
    off = run_grade("server", "status", "--lang", "en", env=_env(course, server_dir, GRADE_SERVER="", CI="true"))
    assert "off here (CI=true)" in off.stdout


def test_grade_batch_never_starts_the_server(monkeypatch, server_dir):
    from grader import prestart
    from grader.sandbox import launcher

    monkeypatch.setenv("GRADE_SERVER", "1")
    monkeypatch.setenv("GRADE_SERVER_DIR", str(server_dir))
    monkeypatch.setattr(launcher, "PROVIDER", None)
    prestart.start_worker(["batch", str(ROOT / "examples"), "--out", "x"])
    assert launcher.PROVIDER is None and not server_dir.exists()


def test_an_idle_server_exits_and_removes_its_socket(course, server_dir):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir, GRADE_SERVER_IDLE="2"))
    [server] = _servers(server_dir)
    assert _until(lambda: not _servers(server_dir), 60)  # asking for its status is no use: it still exits
    assert _until(lambda: not _alive(server["pid"]), 60)
    assert not Path(server["socket"]).exists()


def test_a_server_past_its_memory_cap_exits_after_grading(course, server_dir):
    _submit(course, HONEST)
    proc = _grade(course, server_dir, GRADE_SERVER_MEMORY_MB="1")
    assert _passed(proc)
    assert _until(lambda: not _servers(server_dir) and not list(server_dir.glob("*.sock")), 60)


def test_an_edited_grader_is_another_server(tmp_path):
    from grader.server import place

    package = tmp_path / "grader"
    shutil.copytree(ROOT / "grader", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = place.grader_version(package)
    assert place.grader_version(package) == before
    (package / "judge.py").write_text((package / "judge.py").read_text() + "\n# edited\n")
    assert place.grader_version(package) != before
    key = place.key(ROOT)
    assert key["grader"] == before  # the same files: the same grader
    assert place.socket_path({**key, "grader": place.grader_version(package)}) != place.socket_path(key)


def test_a_worker_restarted_for_one_client_stays_warm_for_the_next(course, server_dir):
    _submit(course, HONEST)
    assert _passed(_grade(course, server_dir))
    [worker] = _servers(server_dir)[0]["workers"]
    _kill(worker["pid"])  # the server starts it again for the next client, from that client's thread
    assert _until(lambda: not _alive(worker["pid"]))
    assert _passed(_grade(course, server_dir))
    [restarted] = _servers(server_dir)[0]["workers"]
    assert _passed(_grade(course, server_dir))
    [still] = _servers(server_dir)[0]["workers"]
    assert restarted["pid"] != worker["pid"] and still["pid"] == restarted["pid"] and still["forks"] > restarted["forks"]


def test_grade_all_is_graded_through_the_server_too(course, server_dir):
    shutil.copytree(ROOT / "exercises" / "ex08_activations", course / "exercises" / "ex08_activations")
    shutil.copytree(ROOT / "solutions" / "ex08_activations", course / "solutions" / "ex08_activations")
    _submit(course, HONEST)
    (course / "exercises" / "ex08_activations" / "activations.py").write_text(
        (ROOT / "solutions" / "ex08_activations" / "activations.py").read_text(encoding="utf-8"), encoding="utf-8")
    env = _env(course, server_dir)
    first = run_grade("all", "--lang", "en", "--seed", "1", env=env, timeout=240)
    assert first.returncode == 0 and "2 of 2 items passed" in first.stdout
    forks = _forks(server_dir)
    again = run_grade("all", "--lang", "en", "--seed", "1", env=env, timeout=240)
    assert again.returncode == 0 and "2 of 2 items passed" in again.stdout and _forks(server_dir) >= forks + 2


def test_a_process_that_grades_again_outlives_its_server(course, server_dir, monkeypatch):
    """`grade watch` and a notebook's kernel grade again in one process: a server gone meanwhile is replaced."""
    from grader.catalog import Catalog
    from grader.judge import Options, grade
    from grader.sandbox import launcher
    from grader.server import client

    for name, value in _env(course, server_dir).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(launcher, "PROVIDER", None)
    launcher.close_all()
    saved = dict(client._STATE)
    try:
        _submit(course, HONEST)
        item = Catalog(course).resolve("ex05")
        assert client.enable(course)
        assert grade(item, item.stub_path, Options(seed=1)).passed
        [server] = _servers(server_dir)
        _kill(server["pid"])
        assert _until(lambda: not _alive(server["pid"]))
        again = grade(item, item.stub_path, Options(seed=2))
        assert again.passed, [(c.name, c.status, str(c.message)[:300]) for c in again.checks if c.status != "passed"]
        [fresh] = _servers(server_dir)
        assert fresh["pid"] != server["pid"] and _forks(server_dir) >= 1
    finally:
        launcher.close_all()
        launcher.PROVIDER = None
        client._STATE.clear()
        client._STATE.update(saved)
