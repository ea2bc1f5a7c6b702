"""The warm worker: imports numpy (and TensorFlow) once, then forks one confined child per request.

Runs inside the outer boundary (bubblewrap, where available). For each ``spawn`` request the
judge sends the ends of its pipes; the zygote forks a *monitor* that gives the student a user,
PID, network, IPC and mount namespace of its own, a private size-capped /tmp, a Landlock
domain and resource limits, then forks the student's process in there. The monitor stays
outside the student's domain: it kills the whole namespace when the judge asks (or goes away),
watches memory and process count, and reports how the student's process ended.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import select
import shutil
import signal
import socket
import sys
import time
from typing import Any

from grader.sandbox import confine, landlock

MAX_FDS = 8
PSS_EVERY = 0.05  # seconds between looks at the student tree's memory (PSS) without a memory cgroup
PSS_EVERY_WITH_CGROUP = 0.5


def _ready_imports(tensorflow: bool) -> dict[str, Any]:
    import numpy  # noqa: F401

    from grader.sandbox import seccomp, worker  # noqa: F401  (imported once, before any fork)

    seccomp.build()  # the students' syscall filter, built once here (libseccomp), loaded by each student

    info: dict[str, Any] = {"tensorflow": None}
    if tensorflow:  # a Keras worker, on the backend KERAS_BACKEND names
        import keras

        from grader.sandbox import keras_facts  # noqa: F401

        info.update(keras=keras.__version__, backend=keras.backend.backend())
        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            info["tensorflow"] = tf.__version__
        elif importlib.util.find_spec("tensorflow") is not None:
            import tensorflow  # noqa: F401  (Keras loads it lazily for its data utilities: once, here, quietly)
    return info


def main() -> None:
    ctl = socket.socket(fileno=int(sys.argv[1]))
    tensorflow = sys.argv[2] == "1"
    signal.signal(signal.SIGCHLD, lambda *_: _reap())  # monitors are reaped as soon as they end
    try:
        info = _ready_imports(tensorflow)
    except BaseException as exc:  # noqa: BLE001 - reported to the judge
        ctl.send(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
        return
    ctl.send(json.dumps({"ready": info}).encode())
    while True:
        _reap()
        ready, _, _ = select.select([ctl], [], [])  # SIGCHLD reaps: no timer wakes an idle worker
        if not ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(ctl, 65536, MAX_FDS)
        except OSError:
            return
        if not data:
            os._exit(0)
        request = json.loads(data)
        try:
            pid = _spawn(request, fds, ctl, info)
            ctl.send(json.dumps({"pid": pid}).encode())
        except OSError as exc:
            ctl.send(json.dumps({"error": str(exc)}).encode())
        finally:
            for fd in fds:
                os.close(fd)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _spawn(request: dict, fds: list[int], ctl: socket.socket, info: dict) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        ctl.close()
        Monitor(request["config"], fds, info).run()
    finally:
        os._exit(0)


class Monitor:
    """Forked from the zygote: builds the student's namespaces and watches the student's processes."""

    def __init__(self, config: dict, fds: list[int], info: dict) -> None:
        self.config = config
        self.req, self.resp, self.out, self.kill, self.status = fds[:5]
        self.cgroups = fds[5:]
        self.info = info
        self.layers: list[str] = []
        self.verdict: dict | None = None

    def run(self) -> None:
        os.setsid()
        confine.close_fds_except({self.req, self.resp, self.out, self.kill, self.status, *self.cgroups})
        for fd in self.cgroups:  # the judge made a cgroup for this student: enter it, the children follow
            try:
                os.write(fd, b"0\n")
            except OSError:
                pass
            os.close(fd)
        self._namespaces()
        status_r, status_w = os.pipe()
        init = os.fork()
        if init == 0:
            os.close(status_r)
            os.close(self.kill)
            os.close(self.status)
            Init(self, status_w).run()
            os._exit(0)
        for fd in (status_w, self.req, self.resp, self.out):
            os.close(fd)
        self.watch(init, status_r)

    def _namespaces(self) -> None:
        if not self.config.get("namespaces", True):
            return
        try:
            confine.own_user_namespace()
            self.layers.append("user-namespace")
        except OSError:
            return
        try:
            confine.unshare(confine.CLONE_NEWPID | confine.CLONE_NEWNET | confine.CLONE_NEWIPC | confine.CLONE_NEWUTS
                            | confine.CLONE_NEWNS)
            confine.private_mounts()
            self.layers += ["pid-namespace", "network-namespace", "mount-namespace"]
        except OSError:
            pass

    def watch(self, init: int, status_r: int) -> None:
        """Until the student's process ends: obey the kill pipe, enforce the tree's limits."""
        in_pidns = "pid-namespace" in self.layers
        if not in_pidns:
            confine.prctl(confine.PR_SET_CHILD_SUBREAPER, 1)
        poller = select.poll()
        poller.register(self.kill, select.POLLIN | select.POLLHUP)
        poller.register(status_r, select.POLLIN | select.POLLHUP)
        processes = int(self.config.get("processes") or 0)
        memory = int(self.config.get("tree_memory_bytes") or 0)
        # PSS costs the kernel a walk of every mapping (~4 ms for a TensorFlow process): where the student's
        # cgroup already holds the tree's memory, it is the backstop and the PSS look comes ten times less often
        pss_every = PSS_EVERY_WITH_CGROUP if self.config.get("memory_cgroup") else PSS_EVERY
        next_pss = 0.0
        proc_ready = not in_pidns
        baseline: int | None = None
        ended: dict | None = None
        while ended is None:
            for fd, _ in poller.poll(50):
                if fd == self.kill:
                    self._kill(init, in_pidns)
                    ended = {"killed": True}
                    break
                data = os.read(status_r, 4096)
                if data.startswith(b"P"):
                    proc_ready, data = True, data[1:]
                    if not data:
                        continue
                if not data:
                    ended = _status(os.waitpid(init, 0)[1])
                    break
                ended = json.loads(data.decode())
            if ended is not None or not proc_ready:
                continue
            pids = [init, *confine.descendants(init)]
            if processes and len(pids) > processes + 2:
                self.verdict = {"verdict": "processes", "count": len(pids)}
            elif memory and time.monotonic() >= next_pss:
                next_pss = time.monotonic() + pss_every
                used = sum(_pss(pid) for pid in pids)
                baseline = used if baseline is None else min(baseline, used)
                if used - baseline > memory:
                    self.verdict = {"verdict": "memory", "mb": (used - baseline) // 2**20}
            if self.verdict:
                self._kill(init, in_pidns)
                ended = self.verdict
        if not in_pidns:
            for pid in confine.descendants(os.getpid()):
                _signal(pid, signal.SIGKILL)
        try:
            os.waitpid(init, 0)
        except ChildProcessError:
            pass
        if self.config.get("remove_tmp"):  # a scratch folder on the host's /tmp: gone with its student, even
            self._remove_scratch(str(self.config.get("tmp_dir")))  # when the judge did not wait
        ended["layers"] = self.layers
        try:
            os.write(self.status, json.dumps(ended).encode() + b"\n")
        except OSError:
            pass

    def _remove_scratch(self, folder: str) -> None:
        """The student's private tmpfs (mounted there in the namespace this monitor shares) first, then the folder."""
        if "mount-namespace" in self.layers:
            try:
                confine.detach(folder)
            except OSError:
                pass
        shutil.rmtree(folder, ignore_errors=True)

    def _kill(self, init: int, in_pidns: bool) -> None:
        _signal(init, signal.SIGKILL)  # the namespace's init: every process in it dies too
        if not in_pidns:
            for pid in confine.descendants(os.getpid()):
                _signal(pid, signal.SIGKILL)


class Init:
    """PID 1 of the student's namespace: mounts its private scratch folder, runs the student, reaps."""

    def __init__(self, monitor: Monitor, status_w: int) -> None:
        self.monitor = monitor
        self.status_w = status_w

    def run(self) -> None:
        monitor = self.monitor
        config = monitor.config
        confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
        # The private scratch folder is never /tmp itself: the Python installation may live below /tmp
        # (a CI checkout), and a tmpfs over /tmp would hide the modules that are imported lazily.
        tmp = config.get("tmp_dir") or "/tmp"
        mounted = False
        if "mount-namespace" in monitor.layers:
            try:
                size = int(config.get("tmp_mb", 64))
                confine.mount("tmpfs", tmp, "tmpfs", confine.MS_NOSUID | confine.MS_NODEV, f"size={size}m,mode=1777")
                monitor.layers.append("private-tmp")
                mounted = True
            except OSError:
                pass
        if not mounted:  # no mount namespace: a folder of its own below the scratch folder
            tmp = os.path.join(tmp, f"student-{os.getpid()}")
            os.makedirs(tmp, exist_ok=True)
        os.write(self.status_w, b"P")
        student = os.fork()
        if student == 0:
            os.close(self.status_w)
            Student(monitor, tmp).run()
            os._exit(0)
        for fd in (monitor.req, monitor.resp, monitor.out):
            os.close(fd)
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                os._exit(0)
            if pid == student:
                os.write(self.status_w, json.dumps(_status(status)).encode())
                os._exit(0)


class Student:
    """The student's process: fully confined, then the ordinary worker loop."""

    def __init__(self, monitor: Monitor, tmp: str) -> None:
        self.monitor = monitor
        self.tmp = tmp

    def run(self) -> None:
        monitor, config = self.monitor, self.monitor.config
        layers = list(monitor.layers)
        devnull = os.open("/dev/null", os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(monitor.out, 1)
        os.dup2(monitor.out, 2)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace",
                                      write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace",
                                      write_through=True)
        confine.close_fds_except({monitor.req, monitor.resp})
        os.chdir(self.tmp)
        os.environ.clear()
        os.environ.update(config.get("env", {}), HOME=self.tmp, TMPDIR=self.tmp)
        import tempfile

        tempfile.tempdir = self.tmp  # the zygote may have cached /tmp (TensorFlow asks at import)
        policy = landlock.Policy(read=config.get("read", ["/"]), write=[self.tmp], files=["/dev/null", "/dev/zero"])
        try:
            layers += landlock.restrict(policy)
        except OSError:
            pass
        confine.apply_rlimits(memory=config.get("memory_bytes") if config.get("limit_address_space") else None,
                              file_size=config.get("file_bytes"), processes=config.get("processes"),
                              cpu_seconds=config.get("cpu_seconds"))
        layers.append("rlimits")
        if "user-namespace" in layers:
            try:
                confine.drop_capabilities()
                layers.append("no-capabilities")
            except OSError:
                pass
        from grader.sandbox import seccomp

        layers += seccomp.load()  # last: the calls above are made before it binds
        from grader.sandbox.worker import serve_forked

        serve_forked(monitor.req, monitor.resp, config, {**monitor.info, "isolation": layers})


def _status(status: int) -> dict:
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    return {"exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1}


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return confine.resident_bytes(pid)
    return 0
