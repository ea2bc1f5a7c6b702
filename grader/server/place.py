"""Whether this process may use a warm server, and where that user's, course's and grader's server listens."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

IDLE_SECONDS = 900.0  # a server with no client for this long exits (GRADE_SERVER_IDLE)
MEMORY_CAP_MB = 2048  # a server whose warm workers pass this (PSS) drops them and exits (GRADE_SERVER_MEMORY_MB)
MAX_SOCKET_PATH = 107  # sun_path holds 108 bytes with the final NUL: a longer path means no server (today's path)
PROTOCOL = 1  # what a client and a server say to each other (grader.server.daemon)
BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); from grader.server.daemon import main; main()"
_OFF = ("0", "off", "no", "false")
_ON = ("1", "on", "yes", "true")


def enabled() -> bool:
    """``GRADE_SERVER`` (``1``/``0``) decides; otherwise on, except on CI (``CI=true``) and off Linux."""
    value = os.environ.get("GRADE_SERVER", "").strip().lower()
    if value in _OFF or not sys.platform.startswith("linux"):
        return False
    if value in _ON:
        return True
    return os.environ.get("CI", "").strip().lower() not in _ON


def idle_seconds() -> float:
    try:
        return max(float(os.environ.get("GRADE_SERVER_IDLE", IDLE_SECONDS)), 1.0)
    except ValueError:
        return IDLE_SECONDS


def memory_cap_mb() -> int:
    try:
        return max(int(os.environ.get("GRADE_SERVER_MEMORY_MB", MEMORY_CAP_MB)), 1)
    except ValueError:
        return MEMORY_CAP_MB


def folder() -> Path:
    """``GRADE_SERVER_DIR``, else ``$XDG_RUNTIME_DIR/dl-grader``, else the user's cache folder (per uid)."""
    explicit = os.environ.get("GRADE_SERVER_DIR", "").strip()
    if explicit:
        return Path(explicit)
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime and os.path.isdir(runtime) and os.stat(runtime).st_uid == os.getuid():
        return Path(runtime) / "dl-grader"
    cache = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "dl-grader" / f"server-{os.getuid()}"


def private_folder() -> Path:
    """The folder, made if needed: ours and mode 0700, or OSError (then no server is used)."""
    path = folder()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise PermissionError(f"{path} is not a folder of this user")
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(path, 0o700)
    return path


def grader_version(package: Path | None = None) -> str:
    """A hash of every file of the installed grader package: an edited or upgraded grader is another server."""
    package = package or Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder_path, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder_path, name)
            digest.update(os.path.relpath(path, package).encode() + b"\0")
            try:
                with open(path, "rb") as handle:
                    digest.update(handle.read())
            except OSError:
                digest.update(b"?")
    return digest.hexdigest()[:16]


def key(root: Path) -> dict:
    """What a server is for: user, course folder, grader version, interpreter, and the environment its workers get."""
    return {
        "uid": os.getuid(),
        "root": str(root.resolve()),
        "grader": grader_version(),
        "python": sys.executable,
        "sandbox": os.environ.get("GRADE_SANDBOX", "auto").strip().lower(),
        "cgroups": os.environ.get("GRADE_CGROUPS", "1"),
        "env": {name: os.environ.get(name) for name in ("LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES", "PYTHONPATH",
                                                        "GRADE_SECCOMP")},
    }


def tag(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:12]


def socket_path(server_key: dict, base: Path | None = None) -> Path:
    """``<course>-<key>.sock``: the course part lets a new server find and stop its course's older ones."""
    return (base or folder()) / f"{tag(server_key['root'])}-{tag(server_key)}.sock"


def lock_path(socket_file: Path) -> Path:
    return socket_file.with_suffix(".lock")


def command(parent: str, notify: int, server_key: dict, warm: list) -> list[str]:
    """The server's command line: detached by the client that starts it, which reads ``notify`` for its word."""
    return [sys.executable, "-B", "-s", "-c", BOOT, parent, str(notify), json.dumps(server_key), json.dumps(warm)]
