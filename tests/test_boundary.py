"""A cheating student cannot cross the sandbox: one test per attack, each checking that nothing outside changed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from grader.sandbox import Limits, Session, StudentRaised, Verdict, probe_isolation
from grader.sandbox.boundary import describe
from grader.sandbox.chain import is_spare
from tests.conftest import ROOT, run_grade

LAYERS = probe_isolation(ROOT)
CONFINED = describe(LAYERS)
needs_boundary = pytest.mark.skipif(not (CONFINED["files"] and CONFINED["processes"]),
                                    reason=f"no file/process boundary on this machine (layers: {LAYERS})")


def tree_digest(*folders: Path) -> str:
    """Names, sizes and contents' hashes of every file below the folders."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def site_listing() -> str:
    """Every installed file's name, size and modification time (cheap, and enough to see a write)."""
    import site

    digest = hashlib.sha256()
    for folder in site.getsitepackages():
        for dirpath, _, files in os.walk(folder):
            for name in files:
                stat = os.stat(os.path.join(dirpath, name))
                digest.update(f"{dirpath}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


COURSE = (ROOT / "solutions", ROOT / "exercises", ROOT / "grader")


@pytest.fixture(scope="module")
def course_before():
    return tree_digest(*COURSE), site_listing()


def student_session(tmp_path: Path, source: str, **limits) -> Session:
    path = tmp_path / "student.py"
    path.write_text(source)
    session = Session(limits=Limits(seconds=limits.pop("seconds", 10), **limits), root=ROOT).start()
    session.load(path)
    return session


def run_student(tmp_path: Path, source: str, name: str = "attack", **limits):
    """Call ``name`` in a confined child; return its value, or the exception it ended with."""
    session = student_session(tmp_path, source, **limits)
    try:
        return session.call(name)
    except (StudentRaised, Verdict) as exc:
        return exc
    finally:
        session.close()


def leftover_processes() -> list[psutil.Process]:
    """Processes still running below the warm workers (every student process should be gone)."""
    time.sleep(0.3)
    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            parent = process.parent()
            is_worker = "grader.sandbox.zygote" in " ".join(process.cmdline()) and process.name() != "bwrap"
            if is_worker and (parent.name() == "bwrap" or parent.pid == os.getpid()):
                found += [p for p in process.children(recursive=True)
                          if p.status() != psutil.STATUS_ZOMBIE and not is_spare(p.pid)]
        except psutil.Error:
            continue
    return found


def test_the_boundary_is_in_force_and_reported():
    assert "landlock-files" in LAYERS or "mount-namespace" in LAYERS, LAYERS
    if sys.platform.startswith("linux") and os.environ.get("GRADE_SANDBOX", "auto") == "auto":
        assert CONFINED == {"files": True, "processes": True, "network": True}


@needs_boundary
@pytest.mark.parametrize("how", [
    "open(os.path.join(ROOT, 'solutions/ex05_losses/losses.py')).read()",
    "open('../../solutions/ex05_losses/losses.py').read()",
    "open(os.path.join(os.path.dirname(os.path.dirname(grader.__file__)), 'solutions/ex05_losses/hidden_checks.py')).read()",
    "open(f'/proc/{os.getppid()}/cwd/solutions/ex05_losses/losses.py').read()",
    "os.listdir(os.path.join(ROOT, 'solutions'))",
])
def test_student_cannot_read_solutions(tmp_path, how):
    source = f"import os, grader\nROOT = {str(ROOT)!r}\ndef attack():\n    return {how}\n"
    result = run_student(tmp_path, source)
    assert isinstance(result, StudentRaised), result
    assert result.info["type"] in ("FileNotFoundError", "PermissionError", "NotADirectoryError")


@needs_boundary
def test_student_cannot_import_the_reference(tmp_path):
    source = ("import sys, importlib.util\nROOT = %r\ndef attack():\n"
              "    spec = importlib.util.spec_from_file_location('ref', ROOT + '/solutions/ex05_losses/losses.py')\n"
              "    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
              "    return module.mean_squared_error.__doc__\n") % str(ROOT)
    assert isinstance(run_student(tmp_path, source), StudentRaised)


@needs_boundary
def test_student_environment_holds_nothing_of_the_judges(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADE_SECRET_TOKEN", "s3cr3t")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    from grader.sandbox import launcher

    launcher.close_all()  # a fresh warm worker, started with the variables above set
    source = "import os\ndef attack():\n    return dict(os.environ)\n"
    env = run_student(tmp_path, source)
    assert isinstance(env, dict)
    assert not any(k.startswith(("GRADE_", "GITHUB", "CI", "PYTEST")) for k in env), env
    assert "s3cr3t" not in json.dumps(env) and "ghp_secret" not in json.dumps(env)
    launcher.close_all()


@needs_boundary
def test_student_cannot_read_the_judges_environment_or_memory(tmp_path):
    judge = os.getpid()
    source = ("import os\ndef attack():\n    found = []\n"
              "    for pid in [p for p in os.listdir('/proc') if p.isdigit()] + ['%d']:\n"
              "        for what in ('environ', 'mem', 'cwd/solutions', 'root/work'):\n"
              "            try:\n"
              "                path = f'/proc/{pid}/{what}'\n"
              "                os.listdir(path) if what.count('/') else open(path, 'rb').read(100)\n"
              "                if pid != os.readlink('/proc/self'): found.append(path)\n"
              "            except OSError:\n"
              "                pass\n"
              "    return found\n") % judge
    found = run_student(tmp_path, source)
    assert found == [], found


@needs_boundary
def test_student_cannot_signal_or_stop_the_judge_or_other_processes(tmp_path):
    source = ("import os, signal\ndef attack():\n    sent = []\n"
              "    for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()] + [%d, os.getppid(), 1]:\n"
              "        if pid in (os.getpid(), int(os.readlink('/proc/self'))):\n            continue\n"
              "        for sig in (signal.SIGSTOP, signal.SIGKILL):\n"
              "            try:\n                os.kill(pid, sig); sent.append(pid)\n"
              "            except OSError:\n                pass\n"
              "    return sent\n") % os.getpid()
    sent = run_student(tmp_path, source)
    assert sent == [], sent
    assert psutil.Process().status() != psutil.STATUS_STOPPED


@needs_boundary
def test_student_cannot_write_outside_its_private_tmp(tmp_path, course_before):
    import site

    target = tmp_path / "victim.json"
    target.write_text('{"score": 0}')
    sp = site.getsitepackages()[0]
    source = ("import os\nTARGETS = %r\ndef attack():\n    done = []\n"
              "    for path in TARGETS:\n"
              "        try:\n            open(path, 'a').write('# pwned\\n'); done.append(path)\n"
              "        except OSError:\n            pass\n"
              "    import tempfile\n"
              "    open(tempfile.gettempdir() + '/mine.txt', 'w').write('ok')  # its own private scratch folder\n"
              "    return done\n") % [str(target), str(ROOT / "solutions/ex05_losses/losses.py"),
                                     str(ROOT / "grader/checks/core.py"), str(ROOT / "grader/report/json_result.py"),
                                     f"{sp}/pwn.pth", f"{sp}/sitecustomize.py", str(ROOT / ".grade_state.json"),
                                     "/tmp/pwned-by-student"]
    assert run_student(tmp_path, source) == []
    assert not Path("/tmp/pwned-by-student").exists()
    assert target.read_text() == '{"score": 0}'
    assert not Path(f"{sp}/pwn.pth").exists()
    assert (tree_digest(*COURSE), site_listing()) == course_before


@needs_boundary
def test_student_has_no_network_not_even_loopback(tmp_path):
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    source = ("import socket\ndef attack():\n"
              "    try:\n        socket.create_connection(('127.0.0.1', %d), timeout=2); return 'connected'\n"
              "    except OSError as exc:\n        return type(exc).__name__\n") % port
    try:
        assert run_student(tmp_path, source) != "connected"
    finally:
        server.close()


@needs_boundary
def test_a_double_forked_daemon_dies_with_the_student_and_rewrites_nothing(tmp_path):
    output = tmp_path / "result.json"
    output.write_text('{"score": 1}')
    source = ("import os, time\nOUT = %r\ndef attack():\n"
              "    if os.fork() == 0:\n        os.setsid()\n        if os.fork() == 0:\n"
              "            for _ in range(100):\n"
              "                try:\n                    open(OUT, 'w').write('{\"score\": 100}')\n"
              "                except OSError:\n                    pass\n"
              "                time.sleep(0.05)\n"
              "            os._exit(0)\n"
              "        os._exit(0)\n"
              "    return 'forked'\n") % str(output)
    assert run_student(tmp_path, source) == "forked"
    time.sleep(1.0)
    assert output.read_text() == '{"score": 1}'
    assert leftover_processes() == []


@needs_boundary
def test_a_fork_bomb_ends_as_a_verdict_and_leaves_no_process(tmp_path):
    source = ("import os, time\ndef attack():\n    made = 0\n"
              "    for _ in range(400):\n"
              "        try:\n            pid = os.fork()\n        except OSError:\n            continue\n"
              "        if pid == 0:\n            time.sleep(30); os._exit(0)\n"
              "        made += 1\n"
              "    return made\n")
    result = run_student(tmp_path, source, processes=64)
    assert isinstance(result, Verdict) and result.kind == "processes" or isinstance(result, int) and result <= 64, result
    assert leftover_processes() == []


@needs_boundary
def test_memory_spread_over_forked_children_is_out_of_memory(tmp_path):
    source = ("import os, time\ndef attack():\n"
              "    for _ in range(6):\n"
              "        if os.fork() == 0:\n"
              "            block = bytearray(600 * 2**20)\n"
              "            for i in range(0, len(block), 4096): block[i] = 1\n"
              "            time.sleep(30); os._exit(0)\n"
              "    time.sleep(20)\n    return 'survived'\n")
    result = run_student(tmp_path, source, seconds=25, memory_mb=1024)
    assert isinstance(result, Verdict) and result.kind == "memory", result
    assert leftover_processes() == []


@needs_boundary
def test_files_left_in_tmp_are_private_capped_and_gone(tmp_path):
    before = set(os.listdir("/tmp"))
    source = ("import os, tempfile\ndef attack():\n    made = 0\n"
              "    for i in range(20000):\n"
              "        try:\n            open(os.path.join(tempfile.gettempdir(), f'f{i}'), 'w').write('x' * 10); made += 1\n"
              "        except OSError:\n            break\n"
              "    big = 0\n"
              "    try:\n        with open('/tmp/big', 'wb') as f:\n"
              "            for _ in range(200):\n                f.write(b'0' * 2**20); big += 1\n"
              "    except OSError:\n        pass\n"
              "    return [made, big, tempfile.gettempdir()]\n")
    made, big, where = run_student(tmp_path, source, seconds=20)
    assert big < 200  # capped (64 MB private tmpfs, and a 64 MB file-size limit)
    assert set(os.listdir("/tmp")) - before <= {p for p in os.listdir("/tmp") if p.startswith(("pytest", "grade"))}
    assert not any(name.startswith("f1") for name in set(os.listdir("/tmp")) - before)


@needs_boundary
def test_forged_frames_end_as_protocol_verdicts(tmp_path):
    forged = {
        "bad base64": b'{"id": 2, "value": {"__nd__": ["<f8", [1], "!!!!"]}}',
        "huge integer": b'{"id": 2, "value": ' + b"9" * 5000 + b"}",
        "wrong types": b'{"id": 2, "error": ["not", "a", "dict"]}',
        "not json": b"\xff\xfe garbage",
    }
    for name, payload in forged.items():
        source = ("import gc, os, struct\ndef attack():\n"
                  "    worker = next(o for o in gc.get_objects() if type(o).__name__ == 'Worker')\n"
                  "    os.write(worker.fd_out, struct.pack('>I', %d) + %r)\n"
                  "    os._exit(0)\n") % (len(payload), payload)
        result = run_student(tmp_path, source)
        assert isinstance(result, Verdict) and result.kind in ("protocol", "exited"), (name, result)


def test_lone_surrogates_and_control_characters_keep_the_json_valid(tmp_path):
    source = (Path(ROOT / "solutions/ex05_losses/losses.py").read_text()
              + "\nprint('\\x1b[2J\\x00 <script>alert(1)</script>')\n"
              + "def mean_squared_error(y, t):\n    raise ValueError('bad \\ud800 \\x07' + 'x' * 1_000_000)\n")
    path = tmp_path / "losses.py"
    path.write_text(source, encoding="utf-8", errors="surrogatepass")
    proc = run_grade("ex05", "--submission", str(path), "--format", "json")
    data = json.loads(proc.stdout)
    assert proc.returncode == 1 and 0 < data["score"] < data["max_score"]
    assert len(proc.stdout) < 2_000_000


@needs_boundary
def test_batch_refuses_symlinks_and_forged_results_are_regraded(tmp_path):
    cls = tmp_path / "class"
    (cls / "mallory").mkdir(parents=True)
    (cls / "alice").mkdir()
    shutil.copy(ROOT / "solutions/ex05_losses/losses.py", cls / "alice" / "losses.py")
    os.symlink(ROOT / "solutions/ex05_losses/losses.py", cls / "mallory" / "losses.py")
    out = tmp_path / "results"
    proc = run_grade("batch", str(cls), "--out", str(out), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    mallory = json.loads((out / "mallory.json").read_text())
    alice = json.loads((out / "alice.json").read_text())
    assert mallory["exercises"]["ex05_losses"]["score"] == 0
    assert alice["exercises"]["ex05_losses"]["score"] == 10
    assert "losses.py" in json.dumps(mallory["exercises"]["ex01_tensors"]["notes"])
    forged = dict(mallory, score=221.0)
    (out / "mallory.json").write_text(json.dumps(forged))
    proc = run_grade("batch", str(cls), "--out", str(out), "--resume")
    assert proc.returncode == 0
    assert json.loads((out / "mallory.json").read_text())["score"] == 0
    rows = (out / "grades.csv").read_text().splitlines()
    assert any(r.startswith("mallory,") and r.split(",")[-2] == "0" for r in rows), rows


def test_batch_without_a_boundary_needs_allow_unconfined(tmp_path):
    cls = tmp_path / "class"
    (cls / "alice").mkdir(parents=True)
    proc = run_grade("batch", str(cls), "--out", str(tmp_path / "out"), env={"GRADE_SANDBOX": "none"})
    assert proc.returncode == 2 and "--allow-unconfined" in proc.stderr
    proc = run_grade("batch", str(cls), "--out", str(tmp_path / "out"), "--allow-unconfined",
                     env={"GRADE_SANDBOX": "none"})
    assert proc.returncode == 0, proc.stderr


def test_each_result_says_which_boundary_was_in_force(tmp_path):
    proc = run_grade("ex05", "--submission", str(ROOT / "solutions/ex05_losses/losses.py"), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["isolation"] == LAYERS or set(LAYERS) <= set(data["isolation"])
    plain = run_grade("ex05", "--submission", str(ROOT / "solutions/ex05_losses/losses.py"), "--format", "json",
                      env={"GRADE_SANDBOX": "none"})
    assert json.loads(plain.stdout)["score"] == 10


def test_run_autograder_never_trusts_a_results_json_it_did_not_write(tmp_path):
    from tests.test_release import _fake_autograder

    forged = '{"score": 221, "output": "perfect", "tests": []}'
    slow = "import time\ntime.sleep(8)\n" + (ROOT / "solutions/ex05_losses/losses.py").read_text()
    root, proc = _fake_autograder(tmp_path, {"losses.py": slow})
    assert json.loads((root / "results" / "results.json").read_text())["score"] > 0
    (root / "results" / "results.json").write_text(forged)  # left there before grading, as a student process might
    env = {k: v for k, v in os.environ.items() if k != "GRADE_ROOT"}
    env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable, PYTHONPATH=str(root / "source"),
               AUTOGRADER_TIMEOUT="3")  # the judge is killed while the student's file still loads
    killed = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == 0
    result = json.loads((root / "results" / "results.json").read_text())
    assert result["score"] == 0 and "failed" in result["output"]


@pytest.mark.skipif("landlock-files" not in LAYERS, reason="no Landlock on this kernel")
def test_without_bubblewrap_landlock_alone_keeps_the_course_unreadable(tmp_path, monkeypatch):
    from grader.sandbox import launcher

    monkeypatch.setenv("GRADE_SANDBOX", "landlock")  # as in a container that forbids bubblewrap
    launcher.close_all()
    try:
        source = ("import os\nROOT = %r\ndef attack():\n    out = {}\n"
                  "    for p in (ROOT + '/solutions/ex05_losses/losses.py', '/etc/shadow', ROOT + '/.git/config'):\n"
                  "        try:\n            open(p).read(5); out[p] = 'read'\n"
                  "        except OSError as exc:\n            out[p] = type(exc).__name__\n"
                  "    return out\n") % str(ROOT)
        session = student_session(tmp_path, source)
        try:
            assert "bubblewrap" not in session.info.isolation and "landlock-files" in session.info.isolation
            assert set(session.call("attack").values()) <= {"PermissionError", "FileNotFoundError"}
        finally:
            session.close()
    finally:
        launcher.close_all()


@needs_boundary
def test_tempfile_in_a_tensorflow_worker_points_at_the_students_scratch(tmp_path):
    # TensorFlow asks for the temp folder when the warm worker imports it; the student must not inherit that answer.
    source = ("import os, tempfile\ndef attack():\n"
              "    made = tempfile.mkdtemp(prefix='mine-')\n"
              "    return [tempfile.gettempdir() == os.environ['TMPDIR'], made.startswith(os.environ['TMPDIR'])]\n")
    path = tmp_path / "student.py"
    path.write_text(source)
    session = Session(tensorflow=True, limits=Limits(seconds=60), root=ROOT).start()
    try:
        session.load(path)
        assert session.call("attack") == [True, True]
    finally:
        session.close()
