"""A student's three processes (monitor, the namespace's init, the student), forked ahead and confined on request.

The zygote forks a *spare* chain while it is idle: the monitor takes a user, PID, network, IPC and mount
namespace of its own and forks the namespace's init, which forks the student's process; all three wait, named
:data:`SPARE`, with no student code loaded and no file of any student open. A request hands the monitor the
judge's pipes and configuration; the init mounts the private /tmp, and the student's process enters the
student's cgroups and confines itself (Landlock, limits, capabilities, seccomp) before it reads a line of the
student's file, unless it was confined ahead (:class:`Student`). A TensorFlow process takes 10-40 ms to fork, so a request no longer waits for three forks.
The monitor stays outside the student's domain: it kills the whole namespace when the judge asks (or goes
away), watches memory and process count, and reports how the student's process ended.
"""

from __future__ import annotations

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

SPARE = "grade-spare"  # the name (/proc/PID/comm) of a chain's processes until a request takes it
ORIGINAL = "python"  # the student's process takes back the zygote's name (set by the zygote)
PSS_EVERY = 0.05  # seconds between looks at the student tree's memory (PSS) without a memory cgroup
PSS_EVERY_WITH_CGROUP = 0.5
MAX_FDS = 8
_MESSAGE = 1 << 20


def pair() -> tuple[socket.socket, socket.socket]:
    """A socket pair that keeps messages whole and carries file descriptors (the chain's hand-over)."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def receive(sock: socket.socket) -> tuple[dict, list[int]] | None:
    """The request handed down the chain, None when the other end went away first."""
    try:
        data, fds, _, _ = socket.recv_fds(sock, _MESSAGE, MAX_FDS)
    except OSError:
        return None
    if not data:
        return None
    return json.loads(data), fds


def comm(pid: int | str = "self") -> str:
    """A process's name (``/proc/PID/comm``), empty where it is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/comm") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def name(text: str) -> None:
    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(text)
    except OSError:
        pass


def is_spare(pid: int) -> bool:
    """Whether ``pid`` is a process of a spare chain (waiting, no student's code in it)."""
    return comm(pid) == SPARE


def _enter(cgroups: list[int]) -> None:
    """Into the student's cgroups (their ``cgroup.procs``, opened by the judge): each process moves itself."""
    for fd in cgroups:
        try:
            os.write(fd, b"0\n")
        except OSError:
            pass
        os.close(fd)


class Monitor:
    """Forked from the zygote: builds the student's namespaces and watches the student's processes."""

    def __init__(self, sock: socket.socket, info: dict, plan: dict | None = None) -> None:
        self.sock = sock
        self.info = info
        self.plan = plan
        self.config: dict = {}
        self.layers: list[str] = []
        self.verdict: dict | None = None
        self.kill = self.status = -1

    def run(self) -> None:
        os.setsid()
        confine.close_fds_except({self.sock.fileno()})
        self._namespaces()
        status_r, status_w = os.pipe()
        down, below = pair()
        init = os.fork()
        if init == 0:
            self.sock.close()
            down.close()
            os.close(status_r)
            Init(below, status_w, self.info, list(self.layers), self.plan).run()
            os._exit(0)
        os.close(status_w)
        below.close()
        taken = receive(self.sock)  # here the spare waits for its request
        self.sock.close()
        if taken is None:  # the zygote is gone: so is the namespace (its init dies with this process)
            os._exit(0)
        request, fds = taken
        self.config = request["config"]
        req, resp, out, self.kill, self.status = fds[:5]
        cgroups = fds[5:]  # handed on to the student's process, which enters them: the monitor and the init stay
        name("grade-monitor")  # out (one move, not three; and a student's memory never gets the monitor killed)
        try:
            socket.send_fds(down, [json.dumps({"config": self.config}).encode()],
                            [req, resp, out, *cgroups])
        except OSError:
            pass  # the init is gone: its end is reported by watch()
        for fd in (req, resp, out, *cgroups):
            os.close(fd)
        down.close()
        self.watch(init, status_r)

    def _namespaces(self) -> None:
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

    def __init__(self, sock: socket.socket, status_w: int, info: dict, layers: list[str], plan: dict | None) -> None:
        self.sock = sock
        self.status_w = status_w
        self.info = info
        self.layers = layers
        self.plan = plan

    def run(self) -> None:
        confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
        plan = self.plan
        if plan is not None:  # the scratch folder is known ahead: mounted now, and the student confined in it
            plan = {**plan, "tmp": self._scratch(plan["tmp_dir"], plan.get("tmp_mb"))}
        down, below = pair()
        student = os.fork()
        if student == 0:
            os.close(self.status_w)
            self.sock.close()
            down.close()
            Student(below, self.info, list(self.layers), plan).run()
            os._exit(0)
        below.close()
        taken = receive(self.sock)
        self.sock.close()
        if taken is None:  # the monitor is gone before a request: this namespace ends with its init
            os._exit(0)
        request, fds = taken
        config = request["config"]
        req, resp, out = fds[:3]
        cgroups = fds[3:]
        name("grade-init")
        if plan is None:
            tmp = self._scratch(config.get("tmp_dir"), config.get("tmp_mb"))
        else:
            tmp = plan["tmp"]
            if "private-tmp" in self.layers and config.get("tmp_mb") != plan.get("tmp_mb"):
                self._resize(tmp, config.get("tmp_mb"))
        os.write(self.status_w, b"P")
        try:
            socket.send_fds(down, [json.dumps({"config": config, "layers": self.layers, "tmp": tmp}).encode()],
                            [req, resp, out, *cgroups])
        except OSError:
            pass
        for fd in (req, resp, out, *cgroups):
            os.close(fd)
        down.close()
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                os._exit(0)
            if pid == student:
                os.write(self.status_w, json.dumps(_status(status)).encode())
                os._exit(0)

    def _scratch(self, folder: str | None, size_mb: Any) -> str:
        # The private scratch folder is never /tmp itself: the Python installation may live below /tmp
        # (a CI checkout), and a tmpfs over /tmp would hide the modules that are imported lazily.
        tmp = folder or "/tmp"
        if "mount-namespace" in self.layers:
            try:
                confine.mount("tmpfs", tmp, "tmpfs", confine.MS_NOSUID | confine.MS_NODEV,
                              f"size={int(size_mb or 64)}m,mode=1777")
                self.layers.append("private-tmp")
                return tmp
            except OSError:
                pass
        tmp = os.path.join(tmp, f"student-{os.getpid()}")  # no mount namespace: a folder of its own below it
        os.makedirs(tmp, exist_ok=True)
        return tmp

    @staticmethod
    def _resize(tmp: str, size_mb: Any) -> None:
        try:
            confine.mount("tmpfs", tmp, "tmpfs", confine.MS_REMOUNT | confine.MS_NOSUID | confine.MS_NODEV,
                          f"size={int(size_mb or 64)}m,mode=1777")
        except OSError:
            pass


class Student:
    """The student's process: fully confined, then the ordinary worker loop.

    With a plan (the scratch folder, what may be read and the environment known ahead), a spare confines itself
    before its request (Landlock, capabilities, seccomp) and starts TensorFlow's runtime there
    (:func:`grader.sandbox.warmup.start`); the request then brings only its cgroups, pipes and limits."""

    def __init__(self, sock: socket.socket, info: dict, layers: list[str], plan: dict | None) -> None:
        self.sock = sock
        self.info = info
        self.layers = layers
        self.plan = plan

    def run(self) -> None:
        plan = self.plan
        if plan is not None:
            self._settle(plan["tmp"], plan.get("env") or {})
            landlocked = self._landlock(plan.get("read"), plan["tmp"])
            last = self._confine_last()
            from grader.sandbox import warmup

            warmup.start(self.info)
        taken = receive(self.sock)
        if taken is None:
            os._exit(0)
        request, fds = taken
        config, tmp = request["config"], request["tmp"]
        layers = list(request["layers"])
        req, resp, out = fds[:3]
        _enter(fds[3:])
        name(ORIGINAL)
        devnull = os.open("/dev/null", os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace",
                                      write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace",
                                      write_through=True)
        confine.close_fds_except({req, resp})
        if plan is None:
            self._settle(tmp, config.get("env", {}))
            landlocked = self._landlock(config.get("read"), tmp)
        confine.apply_rlimits(memory=config.get("memory_bytes") if config.get("limit_address_space") else None,
                              file_size=config.get("file_bytes"), processes=config.get("processes"),
                              cpu_seconds=config.get("cpu_seconds"))
        if plan is None:
            last = self._confine_last()
        layers += [*landlocked, "rlimits", *last]
        from grader.sandbox.worker import serve_forked

        serve_forked(req, resp, config, {**self.info, "isolation": layers})

    @staticmethod
    def _settle(tmp: str, env: dict) -> None:
        os.chdir(tmp)
        os.environ.clear()
        os.environ.update(env, HOME=tmp, TMPDIR=tmp)
        import tempfile

        tempfile.tempdir = tmp  # the zygote may have cached /tmp (TensorFlow asks at import)

    @staticmethod
    def _landlock(read: list[str] | None, tmp: str) -> list[str]:
        """Reads as ``read`` says (everything by default: bubblewrap shows only what may be read), writes in ``tmp``."""
        policy = landlock.Policy(read=read or ["/"], write=[tmp], files=["/dev/null", "/dev/zero"])
        try:
            return landlock.restrict(policy)
        except OSError:
            return []

    def _confine_last(self) -> list[str]:
        """No capability left, then the syscall filter (last: the calls above are made before it binds)."""
        caps = []
        if "user-namespace" in self.layers:
            try:
                confine.drop_capabilities()
                caps = ["no-capabilities"]
            except OSError:
                pass
        from grader.sandbox import seccomp

        return caps + seccomp.load()


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
