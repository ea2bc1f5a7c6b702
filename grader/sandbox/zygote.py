"""The warm worker: imports numpy (and TensorFlow) once, then hands each request a confined child.

Runs inside the outer boundary (bubblewrap, where available). For each ``spawn`` request the judge sends the
ends of its pipes; the zygote hands them to a *spare* chain it forked while idle (a monitor, the namespace's
init and the student's process, :mod:`grader.sandbox.chain`): confined ahead, TensorFlow's runtime started, where
the last request's scratch folder, paths and environment are this one's too, else confined at the request. The
next spare is forked once no student of this worker runs, so it never takes a core from one.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import signal
import socket
import sys
from dataclasses import dataclass
from typing import Any

from grader.sandbox import chain
from grader.sandbox.chain import MAX_FDS

__all__ = ["MAX_FDS", "main"]


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


@dataclass
class Spare:
    """A chain forked ahead (its monitor's pid and the zygote's end of its socket), for one request."""

    pid: int
    sock: socket.socket
    plan: dict | None  # what it was confined for ahead (None: it waits for its request to be confined)

    def hand(self, data: bytes, fds: list[int]) -> int:
        socket.send_fds(self.sock, [data], fds)
        self.sock.close()
        return self.pid

    def discard(self) -> None:
        self.sock.close()  # the monitor reads the end of its socket and leaves; its namespace goes with it


class Zygote:
    """The request loop: a spare chain ready while idle, monitors reaped as they end."""

    def __init__(self, ctl: socket.socket, info: dict) -> None:
        self.ctl = ctl
        self.info = info
        self.spare: Spare | None = None
        self.running: set[int] = set()  # monitors of students still running
        self.plan: dict | None = None  # the next spare's, from the last request
        self.wake_r, wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # reaped in the loop, woken through the wake-up pipe

    def serve(self) -> None:
        while True:
            self._reap()
            if self.spare is None and not self.running:
                self.spare = self._fork_spare(self.plan)
            ready, _, _ = select.select([self.ctl, self.wake_r], [], [])  # no timer wakes an idle worker
            if self.wake_r in ready:
                try:
                    os.read(self.wake_r, 512)
                except BlockingIOError:
                    pass
            if self.ctl not in ready:
                continue
            try:
                data, fds, _, _ = socket.recv_fds(self.ctl, 65536, MAX_FDS)
            except OSError:
                return
            if not data:
                os._exit(0)
            try:
                pid = self._spawn(data, fds)
                self.ctl.send(json.dumps({"pid": pid}).encode())
            except OSError as exc:
                self.ctl.send(json.dumps({"error": str(exc)}).encode())
            finally:
                for fd in fds:
                    os.close(fd)

    def _spawn(self, data: bytes, fds: list[int]) -> int:
        config = json.loads(data)["config"]
        self.plan = plan_of(config)
        for attempt in range(2):
            spare, self.spare = self.spare, None
            if spare is not None and spare.plan is not None and not fits(spare.plan, self.plan):
                spare.discard()  # confined ahead for another scratch folder, other paths or environment
                spare = None
            if spare is None:
                spare = self._fork_spare(None)
            try:
                pid = spare.hand(data, fds)
            except OSError:  # the spare is gone (killed from outside): another one
                spare.discard()
                if attempt:
                    raise
                continue
            self.running.add(pid)
            return pid
        raise OSError("no spare")

    def _fork_spare(self, plan: dict | None) -> Spare:
        sys.stdout.flush()
        sys.stderr.flush()
        ours, theirs = chain.pair()
        pid = os.fork()
        if pid:
            theirs.close()
            return Spare(pid, ours, plan)
        try:
            chain.name(chain.SPARE)
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            chain.Monitor(theirs, self.info, plan).run()
        finally:
            os._exit(0)

    def _reap(self) -> None:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.running.discard(pid)
            if self.spare is not None and self.spare.pid == pid:
                self.spare.discard()
                self.spare = None


def plan_of(config: dict) -> dict | None:
    """What a spare can be confined for before its request: the same scratch folder (bubblewrap's, the same for
    every student of this worker), readable paths and environment as the last request; None where the folder is
    made per request (without bubblewrap)."""
    if config.get("remove_tmp") or not config.get("tmp_dir"):
        return None
    return {"tmp_dir": config["tmp_dir"], "tmp_mb": config.get("tmp_mb"), "read": config.get("read"),
            "env": config.get("env")}


def fits(plan: dict, wanted: dict | None) -> bool:
    """Whether a spare confined for ``plan`` can take a request that wants ``wanted`` (the size of its scratch
    folder is set at the request)."""
    return wanted is not None and all(plan.get(key) == wanted.get(key) for key in ("tmp_dir", "read", "env"))


def main() -> None:
    ctl = socket.socket(fileno=int(sys.argv[1]))
    tensorflow = sys.argv[2] == "1"
    try:
        info = _ready_imports(tensorflow)
    except BaseException as exc:  # noqa: BLE001 - reported to the judge
        ctl.send(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
        return
    chain.ORIGINAL = chain.comm() or chain.ORIGINAL
    zygote = Zygote(ctl, info)
    ctl.send(json.dumps({"ready": info}).encode())
    zygote.serve()
