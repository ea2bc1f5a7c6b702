"""Judge side of the warm workers: start a zygote once, then a confined child per student session."""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

from grader.sandbox import boundary
from grader.sandbox.cgroups import StudentGroup

# the grader's parent first, then the judge's own import paths (PYTHONPATH, .pth files, the user site) that the
# worker's interpreter (-s, a rebuilt environment) would not find itself
_PATHS = "import sys, json; sys.path[0:1] = [sys.argv.pop(1)]; sys.path += [p for p in json.loads(sys.argv.pop(1)) if p not in sys.path]; "
_BOOT = _PATHS + "from grader.sandbox.zygote import main; main()"
_PLAIN_BOOT = _PATHS + "from grader.sandbox.worker import main; main()"


class LaunchError(Exception):
    """The worker could not be started or could not fork a child."""


def child_env(device: str, backend: str = "tensorflow") -> dict[str, str]:
    """The only environment a sandboxed process gets: nothing of the judge's (no seed, tokens or paths)."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
           "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
           "OMP_NUM_THREADS": str(min(os.cpu_count() or 1, 4)), "MPLBACKEND": "Agg"}
    env["KERAS_BACKEND"] = backend
    env["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"  # JAX takes GPU memory as it needs it, not 75 % at start
    if os.environ.get("GRADE_SECCOMP") == "0":  # the warm worker builds no syscall filter (see grader/sandbox/seccomp.py)
        env["GRADE_SECCOMP"] = "0"
    if "LD_LIBRARY_PATH" in os.environ:
        env["LD_LIBRARY_PATH"] = os.environ["LD_LIBRARY_PATH"]
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = "-1" if backend == "tensorflow" else ""
        if backend == "jax":
            env["JAX_PLATFORMS"] = "cpu"
    elif "CUDA_VISIBLE_DEVICES" in os.environ:
        env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
    return env


class Child:
    """One confined student process, seen from the judge: its pipes, a kill switch and how it ended."""

    def __init__(self, fd_req: int, fd_resp: int, out: Any, kill_w: int, status_r: int,
                 group: StudentGroup | None) -> None:
        self.fd_req, self.fd_resp, self.out = fd_req, fd_resp, out
        self.kill_w, self.status_r = kill_w, status_r
        self.group = group
        self.ended: dict | None = None
        self.killed = False

    def kill(self) -> None:
        if self.kill_w >= 0:
            try:
                os.write(self.kill_w, b"k")
            except OSError:
                pass
            os.close(self.kill_w)
            self.kill_w = -1
            self.killed = True

    def wait(self, timeout: float) -> dict | None:
        """How the child ended (``exit``, ``signal`` or a ``verdict``), or None while it still runs."""
        if self.ended is not None or self.status_r < 0:
            return self.ended
        deadline = time.monotonic() + timeout
        data = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.status_r], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                break
            chunk = os.read(self.status_r, 4096)
            if not chunk:
                break
            data += chunk
            if data.endswith(b"\n"):
                break
        else:
            return None
        try:
            self.ended = json.loads(data.decode() or "{}")
        except ValueError:
            self.ended = {}
        hit = self.group.hit() if self.group else None
        if hit and "verdict" not in self.ended:
            self.ended["verdict"] = hit
        return self.ended

    def limit_hit(self) -> str | None:
        return self.group.hit() if self.group else None

    def close(self) -> None:
        self.kill()
        self.wait(5)
        for fd in (self.fd_req, self.fd_resp, self.status_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.fd_req = self.fd_resp = self.status_r = -1
        if self.group is not None:
            self.group.remove()
        if getattr(self, "scratch", None):
            shutil.rmtree(self.scratch, ignore_errors=True)


class Zygote:
    """A warm worker in the outer boundary: numpy (and TensorFlow) imported once, forks on request."""

    def __init__(self, tensorflow: bool, device: str, root: Path | None, backend: str = "tensorflow") -> None:
        self.tensorflow, self.device, self.root, self.backend = tensorflow, device, root, backend
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.info: dict | None = None
        self.lock = threading.Lock()
        self.bwrap = False

    def start(self) -> None:
        """Start importing now; :meth:`spawn` waits for it."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.bwrap = boundary.bwrap_works()
        parent = boundary.INSIDE_PARENT if self.bwrap else str(boundary.GRADER_DIR.parent)
        paths = json.dumps(boundary.import_paths(self.root))
        command = [sys.executable, "-B", "-s", "-c", _BOOT, parent, paths, str(theirs.fileno()),
                   "1" if self.tensorflow else "0"]
        if self.bwrap:
            command = [*boundary.bwrap_command(self.root, self.device), *command]
        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),),
                                         env=child_env(self.device, self.backend), start_new_session=True,
                                         cwd="/tmp" if os.path.isdir("/tmp") else None)
        finally:
            theirs.close()
        self.sock, self.info = ours, None

    def _ready(self, timeout: float) -> dict:
        if self.info is None:
            assert self.sock is not None
            message = self._receive(timeout)
            if "ready" not in message:
                raise LaunchError(message.get("error", "the worker did not start"))
            self.info = message["ready"]
        return self.info

    def _receive(self, timeout: float) -> dict:
        assert self.sock is not None
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            raise LaunchError(f"the worker did not answer within {timeout:g} s")
        data = self.sock.recv(65536)
        if not data:
            raise LaunchError("the worker ended")
        return json.loads(data)

    def spawn(self, config: dict, timeout: float) -> Child:
        """A new confined child; starts (or restarts) the zygote when needed."""
        with self.lock:
            for attempt in range(2):
                if self.proc is None or self.proc.poll() is not None:
                    self._start()
                try:
                    info = self._ready(timeout)
                    return self._fork(config, info)
                except (LaunchError, OSError, ValueError):
                    self._stop()
                    if attempt:
                        raise
            raise LaunchError("unreachable")

    def _fork(self, config: dict, info: dict) -> Child:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        out_r, out_w = os.pipe()
        kill_r, kill_w = os.pipe()
        status_r, status_w = os.pipe()
        memory = int(config.get("tree_memory_bytes") or 0)
        group = StudentGroup.create(memory + 512 * 2**20, int(config.get("processes") or 64)) if memory else None
        cgroup_fds = group.procs_fds() if group else []
        mine = [req_r, resp_w, out_w, kill_r, status_w, *cgroup_fds]
        try:
            if self.bwrap:
                config = {**config, "tmp_dir": boundary.SCRATCH}
            else:
                scratch = tempfile.mkdtemp(prefix="grade-student-")
                os.chmod(scratch, 0o700)
                config = {**config, "read": boundary.read_paths(self.root), "tmp_dir": scratch, "remove_tmp": True}
            config = {**config, "env": child_env(self.device, self.backend),
                      "memory_cgroup": bool(group and "memory" in group.folders)}
            assert self.sock is not None
            socket.send_fds(self.sock, [json.dumps({"config": config}).encode()], mine)
            reply = self._receive(30)
            if "pid" not in reply:
                raise LaunchError(reply.get("error", "fork failed"))
        except BaseException:
            for fd in (req_w, resp_r, out_r, kill_w, status_r):
                os.close(fd)
            if group:
                group.remove()
            raise
        finally:
            for fd in mine:
                os.close(fd)
        layers = (["bubblewrap"] if self.bwrap else []) + (group.layers() if group else [])
        child = Child(req_w, resp_r, os.fdopen(out_r, "rb", buffering=0), kill_w, status_r, group)
        child.outer_layers = layers  # type: ignore[attr-defined]
        child.scratch = None if self.bwrap else config["tmp_dir"]
        return child

    def _stop(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
            self.proc = None
        self.info = None

    def close(self) -> None:
        with self.lock:
            self._stop()


_ZYGOTES: dict[tuple, Zygote] = {}
#: Set by grader.server.client in a student's `grade`: makes this process's warm workers (one borrowed from the
#: user's warm server), or None for a worker of this process.
PROVIDER: Callable[[bool, str, Path | None, str], Zygote | None] | None = None
_REGISTRY_LOCK = threading.Lock()


def zygote(tensorflow: bool, device: str, root: Path | None, backend: str = "tensorflow") -> Zygote:
    """The shared warm worker of this process for that kind of session (``auto`` without a GPU is ``cpu``)."""
    if device == "auto" and not boundary.gpu_present():
        device = "cpu"
    backend = backend if tensorflow else "none"  # a numpy worker imports no Keras at all
    key = (tensorflow, device, backend)  # the oracle (no course root) shares the students' worker
    with _REGISTRY_LOCK:
        if key not in _ZYGOTES:
            made = PROVIDER(tensorflow, device, root, backend) if PROVIDER is not None else None
            _ZYGOTES[key] = made or Zygote(tensorflow, device, root, backend)
        elif root is not None and _ZYGOTES[key].root is None:
            _ZYGOTES[key].root = root  # bound from its next start
        return _ZYGOTES[key]


@atexit.register
def close_all() -> None:
    with _REGISTRY_LOCK:
        for item in _ZYGOTES.values():
            item.close()
        _ZYGOTES.clear()


def forking_supported() -> bool:
    return sys.platform.startswith("linux") and boundary.mode() != "none"


class PlainChild(Child):
    """The fallback without any boundary (macOS, ``GRADE_SANDBOX=none``): a fresh interpreter per session."""

    def __init__(self, config: dict, device: str, backend: str = "tensorflow") -> None:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        env = {**child_env(device, backend)}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-B", "-s", "-c", _PLAIN_BOOT, str(boundary.GRADER_DIR.parent),
                 json.dumps(boundary.import_paths(None)), str(req_r), str(resp_w)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, pass_fds=(req_r, resp_w),
                env=env, start_new_session=True, cwd="/tmp" if os.path.isdir("/tmp") else None)
        finally:
            os.close(req_r)
            os.close(resp_w)
        super().__init__(req_w, resp_r, self.proc.stdout, -1, -1, None)
        self.outer_layers: list[str] = []
        from grader.sandbox import wire

        wire.write_frame(req_w, wire.dumps(config))

    def kill(self) -> None:
        self.killed = True
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def wait(self, timeout: float) -> dict | None:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return {"signal": -code} if code < 0 else {"exit": code}

    def rss_mb(self) -> int:
        try:
            with open(f"/proc/{self.proc.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) // 1024
        except OSError:
            pass
        return 0

    def close(self) -> None:
        self.kill()
        self.wait(5)
        for fd in (self.fd_req, self.fd_resp):
            try:
                os.close(fd)
            except OSError:
                pass
        self.fd_req = self.fd_resp = -1
