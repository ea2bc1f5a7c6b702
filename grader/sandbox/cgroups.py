"""A cgroup per student where the hierarchy is writable: memory and process count of the whole tree."""

from __future__ import annotations

import atexit
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

V1_ROOT = Path("/sys/fs/cgroup")
PREFIX = "dl-grader-"  # then the judge's pid: dl-grader-<pid>-<random>
_SWEPT: set[Path] = set()
_SWEEP_LOCK = threading.Lock()


def _own_path(controller: str) -> str | None:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    return None


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK)


@dataclass
class StudentGroup:
    """Two v1 cgroups (memory, pids) made for one student's processes, removed afterwards."""

    folders: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def create(cls, memory_bytes: int, processes: int) -> "StudentGroup | None":
        if os.environ.get("GRADE_CGROUPS", "1") == "0":
            return None
        group = cls()
        name = f"{PREFIX}{os.getpid()}-{os.urandom(6).hex()}"
        for controller, settings in (("memory", {"memory.limit_in_bytes": memory_bytes}),
                                     ("pids", {"pids.max": processes})):
            own = _own_path(controller)
            base = V1_ROOT / controller / (own or "/").lstrip("/")
            if own is None or not _writable(base):
                continue
            sweep_once(base)
            folder = base / name
            try:
                folder.mkdir()
                for key, value in settings.items():
                    (folder / key).write_text(str(value))
            except OSError:
                _rmdir(folder)
                continue
            group.folders[controller] = folder
        return group if group.folders else None

    def procs_fds(self) -> list[int]:
        """Open ``cgroup.procs`` for the monitor, which writes itself into it (opened here, as the judge)."""
        fds = []
        for folder in self.folders.values():
            try:
                fds.append(os.open(folder / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC))
            except OSError:
                pass
        return fds

    def layers(self) -> list[str]:
        return [f"cgroup-{c}" for c in self.folders]

    def hit(self) -> str | None:
        """``memory`` or ``processes`` when the student's tree ran into a limit."""
        memory = self.folders.get("memory")
        if memory is not None and _number(memory / "memory.failcnt") > 0 and _oom_kills(memory) > 0:
            return "memory"
        pids = self.folders.get("pids")
        if pids is not None and _events(pids / "pids.events").get("max", 0) > 0:
            return "processes"
        return None

    def remove(self) -> None:
        """Remove the cgroups now, or, while the monitor is still exiting (it reports first), soon after in the
        background: the grading thread goes on at once instead of waiting for the last process to leave."""
        busy = [folder for folder in self.folders.values() if not _try_rmdir(folder)]
        if busy:
            _REMOVER.add(busy)


def sweep_once(base: Path) -> list[Path]:
    """Remove, once per judge process and folder, the student cgroups a judge that died (killed mid-batch) left in
    ``base``: its leftover processes are killed first. Groups of a judge still running are never touched."""
    with _SWEEP_LOCK:
        if base in _SWEPT:
            return []
        _SWEPT.add(base)
    return sweep(base)


def sweep_own() -> list[Path]:
    """:func:`sweep` where this process makes its own groups (the warm server, after a client has gone: a `grade`
    that does not wait at exit for its student's process to be gone leaves that group to it)."""
    removed: list[Path] = []
    for controller in ("memory", "pids"):
        own = _own_path(controller)
        if own is not None:
            removed += sweep(V1_ROOT / controller / own.lstrip("/"))
    return removed


def sweep(base: Path) -> list[Path]:
    removed = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for folder in entries:
        pid = _owner(folder.name)
        if pid is None or pid == os.getpid() or _alive(pid) or not folder.is_dir():
            continue
        for leftover in _procs(folder):
            try:
                os.kill(leftover, 9)
            except (ProcessLookupError, PermissionError):
                pass
        _rmdir(folder)
        if not folder.exists():
            removed.append(folder)
    return removed


def _owner(name: str) -> int | None:
    """The judge's pid in a group name of ours (``dl-grader-<pid>-<hex>``), else None."""
    if not name.startswith(PREFIX):
        return None
    pid, _, rest = name[len(PREFIX):].partition("-")
    return int(pid) if pid.isdigit() and rest else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _procs(folder: Path) -> list[int]:
    try:
        return [int(line) for line in (folder / "cgroup.procs").read_text().split() if line.isdigit()]
    except OSError:
        return []


class _Remover:
    """One background thread that removes the cgroups left busy; drained when the judge exits."""

    def __init__(self) -> None:
        self.queue: queue.Queue[Path] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def add(self, folders: list[Path]) -> None:
        for folder in folders:
            self.queue.put(folder)
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="cgroup-remover", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                folder = self.queue.get(timeout=1.0)
            except queue.Empty:
                return
            _rmdir(folder)
            self.queue.task_done()

    def drain(self, timeout: float = 2.0) -> None:
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)


_REMOVER = _Remover()
atexit.register(_REMOVER.drain)


def _number(path: Path) -> int:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def _events(path: Path) -> dict[str, int]:
    try:
        return {k: int(v) for k, v in (line.split() for line in path.read_text().splitlines() if line.strip())}
    except (OSError, ValueError):
        return {}


def _oom_kills(folder: Path) -> int:
    control = _events(folder / "memory.oom_control")
    return control.get("oom_kill", 1)


def _try_rmdir(folder: Path) -> bool:
    """True once the folder is gone; False while processes are still in it."""
    try:
        folder.rmdir()
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True


def _rmdir(folder: Path) -> None:
    """Remove a cgroup as soon as its last process has left (at most ~1 s)."""
    for attempt in range(200):
        if _try_rmdir(folder):
            return
        time.sleep(0.002 if attempt < 50 else 0.01)
