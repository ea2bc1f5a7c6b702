"""The oracle's rebuilt model facts kept between runs of the student's loop, in the server's private folder.

Rebuilding a model from its exported config in the oracle (:func:`grader.checks.verified.describe`) costs a
fresh TensorFlow process and, for the course's 12.1-million-parameter classifier, a third of a second. Its result
is a pure function of what the student's process exported (config, compile settings, weight shapes), the judge's
probe seed and the grader itself, so a student who grades the same model again gets the same rebuilt facts. Where
the warm server is in use (the student's own loop; never on CI, in ``grade batch`` or ``grade validate``), the
judge keeps each result here, named by a hash of all of that, and reads it back instead of asking the oracle.

What is kept is only what the oracle returned for that student's model. The student's model is still built,
exported and probed on every run (its outputs with the probe's weights must match the rebuilt model's), so a
model whose layers lie about their config is caught exactly as before. The folder is the server's (mode 0700,
outside everything the sandbox can see); entries are decoded by :mod:`grader.sandbox.wire` (never pickle); an
entry that cannot be read is ignored and replaced. At most ``KEEP`` entries are kept (oldest dropped).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from grader.sandbox import wire
from grader.server import client, place

KEEP = 64
SUFFIX = ".facts"


def _folder() -> Path | None:
    """The cache's folder, made private, or None where the warm server is not in use (or the disk refuses)."""
    server_key = client.active_key()
    if server_key is None:
        return None
    try:
        path = place.private_folder() / "facts"
        path.mkdir(mode=0o700, exist_ok=True)
        return path
    except OSError:
        return None


def entry_name(exported: Any, seed: int) -> str | None:
    """The file name for the facts of ``exported`` at probe ``seed`` under this server's key (grader, interpreter,
    sandbox settings), or None where nothing is kept."""
    server_key = client.active_key()
    if server_key is None:
        return None
    digest = hashlib.sha256(place.tag(server_key).encode() + b"\0" + str(int(seed)).encode() + b"\0")
    try:
        digest.update(wire.dumps(exported))
    except (TypeError, ValueError):
        return None
    return digest.hexdigest()[:40] + SUFFIX


def load(exported: Any, seed: int) -> dict | None:
    """The rebuilt facts kept for this model and seed, or None (not kept, unreadable, not a rebuild's result)."""
    name, folder = entry_name(exported, seed), _folder()
    if name is None or folder is None:
        return None
    try:
        raw = (folder / name).read_bytes()
        value = wire.loads(raw)
    except Exception:  # noqa: BLE001  (an entry that cannot be read is never a reason to fail a grading)
        return None
    if not (isinstance(value, dict) and isinstance(value.get("facts"), dict)):
        return None
    try:
        os.utime(folder / name)  # recently used: kept longest
    except OSError:
        pass
    return value


def store(exported: Any, seed: int, rebuilt: Any) -> None:
    """Keep the oracle's result for this model and seed (written whole or not at all); the oldest entries go."""
    name, folder = entry_name(exported, seed), _folder()
    if name is None or folder is None or not (isinstance(rebuilt, dict) and isinstance(rebuilt.get("facts"), dict)):
        return
    from grader.report.json_result import write_atomic

    try:
        write_atomic(folder / name, wire.dumps(rebuilt).decode("utf-8"))  # wire frames are JSON text
        _prune(folder)
    except (OSError, TypeError, ValueError):
        pass  # a full disk: the next run asks the oracle again


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.iterdir():
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass
