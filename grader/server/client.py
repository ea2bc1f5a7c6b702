"""The `grade` side of the warm server: warm workers borrowed from it, or our own when it cannot help.

:func:`enable` makes :func:`grader.sandbox.launcher.zygote` hand out :class:`RemoteZygote`: it forks a student's
confined child exactly as a worker of this process would (this process makes the pipes, the cgroup and the
scratch folder and keeps their ends; the judge stays here), except that the fork request travels through the
server to its warm worker. Whatever goes wrong with the server (none yet, a stale socket, a full disk, a moved
course, a server killed mid-grade) ends in today's path: a worker of this process, and a correct result.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import select
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

from grader.sandbox import launcher
from grader.sandbox.boundary import GRADER_DIR
from grader.sandbox.launcher import Child, LaunchError, Zygote
from grader.server import place


class ServerLost(BaseException):
    """The server went away while a child it forked was in use: the exercise is graded again without it.

    A BaseException, so that no check's ``except Exception`` turns it into a failed check."""


_STATE: dict[str, Any] = {"root": None, "key": None, "path": None, "lost": False, "notify": None, "outcome": None}
_STATE_LOCK = threading.Lock()
_SCOPE = threading.local()
STARTUP_WAIT = 10.0  # seconds a client waits for a server it started to listen (then: its own worker)
BUSY_WAIT = 5.0  # seconds it waits for another client's server that is starting


def enable(root: Path) -> bool:
    """Use the user's warm server for this course from now on (starting it when needed); False where it is off."""
    if not place.enabled() or not launcher.forking_supported():
        return False
    try:
        key = place.key(root)
        path = place.socket_path(key)
    except (OSError, ValueError):
        return False
    if len(os.fsencode(path)) > place.MAX_SOCKET_PATH:
        return False
    with _STATE_LOCK:
        _STATE.update(root=Path(key["root"]), key=key, path=path, lost=False)
    launcher.PROVIDER = _provide
    return True


def active_key() -> dict | None:
    """The key of the server this process uses (grader, interpreter, sandbox settings), or None where it uses none."""
    with _STATE_LOCK:
        return None if _STATE["lost"] or _STATE["root"] is None else _STATE["key"]


def disable() -> None:
    """Workers of this process from now on (the ones already handed out switch at their next fork)."""
    launcher.PROVIDER = None
    _STATE["lost"] = True


def _provide(tensorflow: bool, device: str, root: Path | None, backend: str) -> Zygote | None:
    if _STATE["lost"] or _STATE["root"] is None:
        return None
    if root is not None and root.resolve() != _STATE["root"]:
        return None  # another course than the one this process was started for
    return RemoteZygote(tensorflow, device, _STATE["root"], backend)


class Link:
    """The connection to the server that a child was forked through: gone means the server is gone."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.lost = False

    def gone(self) -> bool:
        if self.lost or self.sock.fileno() < 0:
            return self.lost
        try:
            data = self.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return False
        except OSError:
            data = b""
        self.lost = not data
        return self.lost

    def close(self) -> None:
        self.gone()
        self.sock.close()


class RemoteChild(Child):
    """A child forked by the server's worker; ending without a word while the server is gone is the server's end."""

    link: Link
    closing: bool = False

    @classmethod
    def adopt(cls, child: Child, link: Link) -> "RemoteChild":
        remote = cls.__new__(cls)
        remote.__dict__.update(child.__dict__)
        remote.link, remote.closing = link, False
        return remote

    def wait(self, timeout: float) -> dict | None:
        ended = super().wait(timeout)
        if ended is not None and not ({"exit", "signal", "verdict", "killed"} & set(ended)) and not self.closing \
                and getattr(_SCOPE, "depth", 0) and self.link.gone():
            raise ServerLost()
        return ended

    def close(self) -> None:
        self.closing = True
        super().close()


class RemoteZygote(Zygote):
    """A warm worker of the server, seen from here as one of ours; falls back to one of ours on any trouble."""

    def __init__(self, tensorflow: bool, device: str, root: Path | None, backend: str = "tensorflow") -> None:
        super().__init__(tensorflow, device, root, backend)
        self.local: Zygote | None = None
        self.link: Link | None = None

    def _own(self) -> Zygote:
        if self.local is None:
            self.local = Zygote(self.tensorflow, self.device, self.root, self.backend)
        return self.local

    def _remote(self) -> bool:
        return self.local is None and not _STATE["lost"]

    def start(self) -> None:
        with self.lock:
            if self._remote() and self.link is None:
                try:
                    self._connect(wait=False)
                except (LaunchError, OSError, ValueError):
                    self._drop()
                    self._own()
            if not self._remote():
                self._own().start()

    def spawn(self, config: dict, timeout: float) -> Child:
        with self.lock:
            for attempt in range(2 if self._remote() else 0):
                try:
                    if self.link is None:
                        self._connect(wait=True)
                    if self.link is None:
                        raise LaunchError("no server")
                    child = self._fork(config, self._ready(timeout))
                    return RemoteChild.adopt(child, self.link)
                except (LaunchError, OSError, ValueError):
                    gone = self.link is not None and self.link.gone()
                    self._drop()
                    if attempt or not gone:  # a server that went away since the last run: one fresh try
                        break
            self._own()
        return self._own().spawn(config, timeout)

    def _connect(self, wait: bool) -> None:
        """Connect and say which worker; no server there: start one (and, with ``wait``, wait until it listens)."""
        path = _STATE["path"]
        sock = _dial(path)
        if sock is None:
            notify = _launch([[self.tensorflow, self.device, self.backend]])
            if not wait:
                return
            sock = _await_server(path, notify)
        with _STATE_LOCK:
            if _STATE["notify"] is not None and _STATE["outcome"] is None:
                _STATE["outcome"] = "listening"  # the server this process started is up: its word is no news
        sock.send(json.dumps({"hello": {"key": _STATE["key"], "protocol": place.PROTOCOL,
                                        "tensorflow": self.tensorflow, "device": self.device,
                                        "backend": self.backend, "timeout": 120}}).encode())
        self.link, self.sock, self.info = Link(sock), sock, None

    def _ready(self, timeout: float) -> dict:
        if self.info is None:
            message = self._receive(timeout)
            if "ready" not in message:
                raise LaunchError(str(message.get("error", "the server's worker did not start")))
            self.info, self.bwrap = message["ready"], bool(message.get("bwrap"))
        return self.info

    def _drop(self) -> None:
        if self.link is not None:
            self.link.close()
        self.link = self.sock = None
        self.info = None

    def _stop(self) -> None:
        self._drop()
        if self.local is not None:
            self.local.close()


def _dial(path: Path) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.settimeout(5)
    try:
        sock.connect(str(path))
    except (FileNotFoundError, ConnectionRefusedError):
        sock.close()
        return None
    except OSError:
        sock.close()
        raise
    sock.settimeout(None)
    return sock


def _launch(warm: list) -> int | None:
    """Start a server in the background (once per process); its readiness comes on the returned pipe."""
    with _STATE_LOCK:
        if _STATE["notify"] is not None and _STATE["outcome"] is None:
            return _STATE["notify"]  # still starting: its word is awaited once
        if _STATE["notify"] is not None:  # the one started before has ended since: a fresh one
            os.close(_STATE["notify"])
            _STATE["notify"] = None
        place.private_folder()  # OSError (a full disk, a folder not ours): no server, our own worker
        read_end, write_end = os.pipe()
        try:
            subprocess.Popen(place.command(str(GRADER_DIR.parent), write_end, _STATE["key"], warm),
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             pass_fds=(write_end,), start_new_session=True, cwd="/")
        except OSError:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
        _STATE["notify"], _STATE["outcome"] = read_end, None
        return read_end


def _await_server(path: Path, notify: int | None) -> socket.socket:
    """Wait for the server this process started; a server another client is starting is waited for a little too."""
    deadline = time.monotonic() + BUSY_WAIT
    with _STATE_LOCK:
        if notify is not None and _STATE.get("outcome") is None:
            ready, _, _ = select.select([notify], [], [], STARTUP_WAIT)
            _STATE["outcome"] = os.read(notify, 64).strip().decode(errors="replace") if ready else "late"
        outcome = _STATE.get("outcome")
    if outcome not in ("ready", "busy"):
        raise LaunchError(f"the server did not start ({outcome})")
    if outcome == "ready":  # ours listens: one try
        deadline = time.monotonic()
    while True:
        sock = _dial(path)
        if sock is not None:
            return sock
        if time.monotonic() >= deadline:
            raise LaunchError("no server listens")
        time.sleep(0.02)  # another client's server holds the lock and is about to listen (bounded: BUSY_WAIT)


def carry_scope(fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` made to run on another thread as on this one: a server lost there ends in :class:`ServerLost` too
    (raised where the caller collects the thread's outcome), so the grading falls back as a whole."""
    depth = getattr(_SCOPE, "depth", 0)

    def run() -> Any:
        _SCOPE.depth = depth
        return fn()

    return run


def falls_back(grade: Callable) -> Callable:
    """Decorates the judge's ``grade``: graded again with workers of this process when the server was lost."""
    signature = inspect.signature(grade)

    @functools.wraps(grade)
    def grading(*args: Any, **kwargs: Any) -> Any:
        depth = getattr(_SCOPE, "depth", 0)
        _SCOPE.depth = depth + 1
        try:
            return grade(*args, **kwargs)
        except ServerLost:
            if depth:
                raise
            disable()
        finally:
            _SCOPE.depth = depth
        bound = signature.bind_partial(*args, **kwargs).arguments
        for shared in (bound.get("session"), bound.get("oracle")):
            _reset(getattr(shared, "session", shared))
        return grade(*args, **kwargs)

    return grading


def _reset(session: Any) -> None:
    """A session whose child was the lost server's: closed, so that its next request starts a fresh child."""
    if session is None or not isinstance(getattr(session, "child", None), RemoteChild):
        return
    with session.lock:
        session.close()
        session.dead = None
