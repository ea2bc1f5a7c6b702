"""The server process: holds warm workers, and passes each client's pipes to one of them to fork a confined child.

It never runs student code and never sees a student's data: a client (the `grade` process, where the judge runs)
makes the pipes, cgroup and scratch folder of a session exactly as it does with a worker of its own, and sends
their ends here with SCM_RIGHTS; the server hands them unchanged to the warm worker (bubblewrap, namespaces,
Landlock, cgroups, limits: today's boundary) and relays only the worker's small reply (``{"pid": N}``). From then
on the child talks to the judge through those pipes; the server is not on the path.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import select
import signal
import socket
import struct
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from grader.sandbox import boundary, cgroups, confine
from grader.sandbox.launcher import LaunchError, Zygote
from grader.sandbox.zygote import MAX_FDS
from grader.server import place
from grader.server.memory import usage, worker_pids


class Starter:
    """The one long-lived thread that starts every warm worker: bubblewrap's ``--die-with-parent`` follows the
    thread that started it, and a client's thread ends with its client."""

    def __init__(self) -> None:
        self.jobs: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="starter", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:  # blocks on the queue: no timer
            job, done, failed = self.jobs.get()
            try:
                job()
            except BaseException as exc:  # noqa: BLE001 - handed to the thread that asked
                failed.append(exc)
            done.set()

    def call(self, job: Callable[[], None]) -> None:
        if threading.current_thread() is self.thread:
            return job()
        done, failed = threading.Event(), []
        self.jobs.put((job, done, failed))
        done.wait()
        if failed:
            raise failed[0]


_STARTER: Starter | None = None
_STARTER_LOCK = threading.Lock()
SWEEP_AFTER = 2.0  # seconds after a client leaves: its students' processes are gone by then (killed at its exit)


class Held(Zygote):
    """One warm worker of the server; forks on behalf of clients, one request at a time."""

    def __init__(self, kind: tuple[bool, str, str], root: Path) -> None:
        tensorflow, device, backend = kind
        super().__init__(tensorflow, device, root, backend)
        self.since = time.time()
        self.forks = 0
        self.users = 0  # open client connections that use it

    def _start(self) -> None:
        global _STARTER
        with _STARTER_LOCK:
            if _STARTER is None:
                _STARTER = Starter()
        _STARTER.call(super()._start)

    def ready(self, timeout: float) -> dict:
        with self.lock:
            for attempt in range(2):
                if self.proc is None or self.proc.poll() is not None:
                    self._start()
                    self.since = time.time()
                try:
                    return self._ready(timeout)
                except (LaunchError, OSError, ValueError):
                    self._stop()
                    if attempt:
                        raise
            raise LaunchError("unreachable")

    def relay(self, data: bytes, fds: list[int], timeout: float) -> bytes:
        """Pass a client's fork request (its pipes' ends) to the worker; the worker's reply, unread."""
        with self.lock:
            for attempt in range(2):
                if self.proc is None or self.proc.poll() is not None:
                    self._start()
                try:
                    self._ready(timeout)
                    assert self.sock is not None
                    socket.send_fds(self.sock, [data], fds)
                    reply = self._receive(30)
                    self.forks += 1
                    return json.dumps(reply).encode()
                except (LaunchError, OSError, ValueError):
                    self._stop()
                    if attempt:
                        raise
            raise LaunchError("unreachable")

    def describe(self) -> dict:
        proc = self.proc
        alive = proc is not None and proc.poll() is None
        rss = pss = 0
        if alive and proc is not None:
            rss, pss = usage(worker_pids(proc.pid))
        kind = "keras" if self.tensorflow else "numpy"
        return {"kind": kind, "backend": self.backend if self.tensorflow else "", "device": self.device,
                "pid": proc.pid if alive and proc else None, "ready": bool(alive and self.info), "since": self.since,
                "forks": self.forks, "clients": self.users, "rss_mb": rss // 2**20, "pss_mb": pss // 2**20}


class Server:
    """Listens on the user's private socket; a thread per client; exits when idle, stopped or too big."""

    def __init__(self, key: dict, path: Path) -> None:
        self.key, self.path, self.root = key, path, Path(key["root"])
        self.idle = place.idle_seconds()
        self.cap_mb = place.memory_cap_mb()
        self.since = time.time()
        self.last_used = time.monotonic()
        self.workers: dict[tuple, Held] = {}
        self.lock = threading.Lock()
        self.clients = 0
        self.stopping = False
        self.draining = False
        self.wake_r, self.wake_w = os.pipe()
        self.listener: socket.socket | None = None
        self.inode = -1
        self.lock_fd = -1

    # --- life cycle ---------------------------------------------------------------------------------

    def claim(self) -> bool:
        """Take the course's lock file: False when another server holds it (it is starting or running)."""
        self.lock_fd = os.open(place.lock_path(self.path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.stat(place.lock_path(self.path)).st_ino != os.fstat(self.lock_fd).st_ino:
                raise BlockingIOError("the lock file was replaced: another server took the fresh one")
        except OSError:
            os.close(self.lock_fd)
            self.lock_fd = -1
            return False
        return True

    def listen(self) -> None:
        try:
            os.unlink(self.path)  # a stale socket file: its server is gone (we hold the lock)
        except FileNotFoundError:
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        old = os.umask(0o177)
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(old)
        os.chmod(self.path, 0o600)
        self.inode = os.stat(self.path).st_ino
        listener.listen(16)
        self.listener = listener

    def serve(self) -> None:
        """Accept until stopped, or idle for ``idle`` seconds with no client (no timer runs meanwhile)."""
        assert self.listener is not None
        while not self.stopping:
            with self.lock:
                waiting = None if self.clients or self.draining else self.idle - (time.monotonic() - self.last_used)
            if waiting is not None and waiting <= 0:
                break
            if self.draining and not self.clients:
                break
            watched = [self.wake_r] if self.draining else [self.listener, self.wake_r]
            ready, _, _ = select.select(watched, [], [], waiting)
            if self.wake_r in ready:
                os.read(self.wake_r, 512)
            if self.listener in ready and not self.draining:
                try:
                    conn, _ = self.listener.accept()
                except OSError:
                    continue
                if not self.allowed(conn):
                    conn.close()
                    continue
                with self.lock:
                    self.clients += 1
                threading.Thread(target=self.client, args=(conn,), daemon=True).start()

    def wake(self) -> None:
        try:
            os.write(self.wake_w, b"w")
        except OSError:
            pass

    def unlisten(self) -> None:
        """No new clients: the socket file goes (if still ours) and the lock is free for a fresh server."""
        if self.listener is not None:
            try:
                if os.stat(self.path).st_ino == self.inode:  # not a fresh server's socket by the same name
                    os.unlink(self.path)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        if self.lock_fd >= 0:
            try:
                os.unlink(place.lock_path(self.path))  # still locked: a starter that opened it finds it replaced
            except OSError:
                pass
            os.close(self.lock_fd)
            self.lock_fd = -1

    def close(self) -> None:
        self.unlisten()
        for held in list(self.workers.values()):
            held.close()

    # --- who may connect ------------------------------------------------------------------------------

    def allowed(self, conn: socket.socket) -> bool:
        """Only this user, and never a process below this server (a student's child of a warm worker)."""
        try:
            pid, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                              struct.calcsize("3i")))
        except OSError:
            return False
        return uid == os.getuid() and pid > 0 and not _below(pid, os.getpid())

    # --- a client --------------------------------------------------------------------------------------

    def client(self, conn: socket.socket) -> None:
        held: Held | None = None
        try:
            message = json.loads(conn.recv(65536) or b"{}")
            if "status" in message:
                conn.send(json.dumps({"status": self.status()}).encode())
            elif "stop" in message:
                conn.send(json.dumps({"stopping": os.getpid()}).encode())
                self.stopping = True
            elif "hello" in message:
                held = self.hello(conn, message["hello"])
                if held is not None:
                    self.forks_for(conn, held)
        except (OSError, ValueError, LaunchError, TypeError, KeyError):
            pass
        finally:
            conn.close()
            with self.lock:
                self.clients -= 1
                if held is not None:  # grading is use; a look at the status (or another server's) is not
                    held.users -= 1
                    self.last_used = time.monotonic()
            self.wake()
            if held is not None:
                self.check_memory()  # once the client is done: never while its student runs beside it
                # the cgroups of the students' processes that client did not wait for
                sweeper = threading.Timer(SWEEP_AFTER, cgroups.sweep_own)
                sweeper.daemon = True
                sweeper.start()

    def hello(self, conn: socket.socket, hello: dict) -> Held | None:
        if hello.get("key") != self.key or hello.get("protocol") != place.PROTOCOL:
            conn.send(json.dumps({"error": "this server is for another course, grader or environment"}).encode())
            return None
        kind = (bool(hello["tensorflow"]), str(hello["device"]), str(hello["backend"]))
        held = self.worker(kind)
        try:
            info = held.ready(float(hello.get("timeout") or 120))
            conn.send(json.dumps({"ready": info, "bwrap": held.bwrap}).encode())
        except (LaunchError, OSError, ValueError) as exc:
            with self.lock:
                held.users -= 1
            try:
                conn.send(json.dumps({"error": str(exc)[:300]}).encode())
            except OSError:
                pass
            return None
        return held

    def worker(self, kind: tuple[bool, str, str]) -> Held:
        """The warm worker of that kind (numpy, or Keras on a backend and device), started if new."""
        with self.lock:
            held = self.workers.get(kind)
            if held is None:
                held = self.workers[kind] = Held(kind, self.root)
            held.users += 1
        held.start()
        return held

    def forks_for(self, conn: socket.socket, held: Held) -> None:
        while not self.stopping:
            data, fds, _, _ = socket.recv_fds(conn, 65536, MAX_FDS)
            if not data:
                return
            try:
                reply = held.relay(data, fds, 60)
            except (LaunchError, OSError, ValueError) as exc:
                reply = json.dumps({"error": str(exc)[:300]}).encode()
            finally:
                for fd in fds:
                    os.close(fd)
            conn.send(reply)

    # --- what it holds ---------------------------------------------------------------------------------

    def status(self) -> dict:
        rss, pss = usage([os.getpid()])
        return {"pid": os.getpid(), "since": self.since, "root": self.key["root"], "grader": self.key["grader"],
                "socket": str(self.path), "idle_seconds": self.idle, "memory_cap_mb": self.cap_mb,
                "clients": self.clients - 1, "draining": self.draining,
                "rss_mb": rss // 2**20, "pss_mb": pss // 2**20,
                "workers": [held.describe() for held in list(self.workers.values())]}

    def total_mb(self) -> int:
        pids = [os.getpid()]
        for held in list(self.workers.values()):
            if held.proc is not None and held.proc.poll() is None:
                pids += worker_pids(held.proc.pid)
        return usage(pids)[1] // 2**20  # PSS: the spare chains share nearly all of their worker's pages

    def check_memory(self) -> None:
        """Past the cap: idle workers go first; still past it, no new clients, and exit when the last one leaves."""
        if self.total_mb() <= self.cap_mb:
            return
        with self.lock:
            for kind, held in list(self.workers.items()):
                if held.users == 0:
                    held.close()
                    del self.workers[kind]
        if self.total_mb() > self.cap_mb and not self.draining:
            self.draining = True
            self.unlisten()
            self.wake()


def _below(pid: int, ancestor: int) -> bool:
    """Whether ``pid`` descends from ``ancestor`` (parent links; this server is a subreaper, so orphans stay)."""
    seen = 0
    while pid > 1 and seen < 4096:
        if pid == ancestor:
            return True
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return True  # gone or unreadable: not known to be outside, so refused
        seen += 1
    return False


def _reap_orphans(server: Server) -> None:
    """Reap processes re-parented here (this server is their subreaper), never a warm worker's own process."""
    own = {held.proc.pid for held in list(server.workers.values()) if held.proc is not None}
    while True:
        try:
            found = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if found is None or found.si_pid in own:
            return
        try:
            os.waitpid(found.si_pid, os.WNOHANG)
        except ChildProcessError:
            return


def _stop_older(server: Server) -> None:
    """Stop this course's servers of another grader version, and servers of a course folder that is gone."""
    from grader.server.talk import ask

    course = server.path.name.split("-", 1)[0]
    for other in server.path.parent.glob("*.sock"):
        if other == server.path:
            continue
        status = (ask(other, {"status": True}, 2.0) or {}).get("status") or {}
        same_course = other.name.startswith(course + "-") and status.get("grader") != server.key["grader"]
        gone = status.get("root") and not os.path.isdir(status["root"])
        if status and (same_course or gone):
            ask(other, {"stop": True}, 2.0)


def main() -> None:
    """``python -c <boot> <parent> <notify fd> <key json> <warm json>``: detached by the client that starts it."""
    notify = int(sys.argv[1])
    key, warm = json.loads(sys.argv[2]), json.loads(sys.argv[3])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    outcome, server = b"busy\n", None
    try:
        server = Server(key, place.socket_path(key, place.private_folder()))
        signal.signal(signal.SIGTERM, lambda *_: _stop_soon(server))
        if server.claim():
            boundary.bwrap_works()  # its probe (a child of ours) is over before orphans are reaped here
            confine.prctl(confine.PR_SET_CHILD_SUBREAPER, 1)
            signal.signal(signal.SIGCHLD, lambda *_: _reap_orphans(server))
            for kind in warm:  # the first client's worker starts importing now, before anything else here
                server.worker((bool(kind[0]), str(kind[1]), str(kind[2]))).users -= 1
            server.listen()
            outcome = b"ready\n"
    except Exception:  # noqa: BLE001 - told to the client, which grades on its own
        outcome = b"failed\n"
    finally:
        try:
            os.write(notify, outcome)
        except OSError:
            pass
        os.close(notify)
    if server is None or outcome != b"ready\n":
        if server is not None:
            server.close()
        return
    threading.Thread(target=_stop_older, args=(server,), daemon=True).start()
    try:
        server.serve()
    finally:
        server.close()


def _stop_soon(server: Server) -> None:
    server.stopping = True
    server.wake()
