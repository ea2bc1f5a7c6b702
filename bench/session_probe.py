"""`make bench`, parts 2 and 5, measured inside one judge process (run as a child of bench.py).

Prints one JSON object: the per-session cost (start a Session, load a small file, close it) for
numpy and TensorFlow sessions, after one warm-up session; and, where warm workers are in force,
the memory of the warm TensorFlow worker and of one student's child after an XOR training.
``GRADE_SANDBOX`` decides the configuration (``none``: a fresh interpreter per session).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SMALL_FILE = "def answer():\n    return 42\n"


def smaps(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private pages) in MB from /proc/<pid>/smaps_rollup.

    PSS splits each shared page among every process mapping it (the zygote's forks, but also any
    other process on the machine using the same TensorFlow libraries); USS counts only the pages no
    other process maps (for a forked child: what it added); ``anon`` is the anonymous (heap) part
    of RSS, which another worker could not share.
    """
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                fields[parts[0][:-1]] = int(parts[1]) / 1024
    return {"rss": fields.get("Rss", 0.0), "pss": fields.get("Pss", 0.0),
            "uss": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0), "anon": fields.get("Anonymous", 0.0)}


def session_seconds(tensorflow: bool, runs: int, path: Path) -> tuple[float, list[str]]:
    from grader.sandbox import Limits, Session

    times, layers = [], []
    for i in range(runs + 1):  # the first one starts the warm worker: not counted
        started = time.perf_counter()
        session = Session(tensorflow=tensorflow, device="cpu", limits=Limits(seconds=60), root=ROOT).start()
        try:
            session.load(path)
            assert session.call("answer") == 42
            layers = list(session.info.isolation)
        finally:
            session.close()
        if i:
            times.append(time.perf_counter() - started)
    return statistics.median(times), layers


def zygote_processes() -> list:
    """The warm workers below this judge: python processes running grader.sandbox.zygote, not their forks."""
    import psutil

    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            if "grader.sandbox.zygote" not in " ".join(process.cmdline()) or process.name() == "bwrap":
                continue
            parent = process.parent()
            if parent is not None and "grader.sandbox.zygote" in " ".join(parent.cmdline()) and parent.name() != "bwrap":
                continue  # a fork of the worker (a monitor or a student's process)
            found.append(process)
        except psutil.Error:
            continue
    return found


def memory(tmp: Path) -> dict:
    """The TensorFlow worker's and one trained student child's RSS/PSS."""
    import numpy as np
    import psutil

    from grader.sandbox import Limits, Session
    from grader.catalog import Catalog, find_root

    item = Catalog(find_root()).resolve("ex10")
    # ex10's own memory cap (2048 MB for a Keras exercise): TensorFlow's threads reserve address space in training
    session = Session(tensorflow=True, device="cpu", limits=Limits(seconds=120, memory_mb=item.memory_mb),
                      root=ROOT).start()
    try:
        session.load(item.reference_path)
        model = session.call("build_xor_model")
        x = np.tile(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32), (64, 1))
        y = np.tile(np.array([0, 1, 1, 0], dtype=np.float32), 64)
        session.fit(model, x, y, epochs=4, batch_size=4, verbose=0)
        workers = [p for p in zygote_processes() if p.cmdline()[-1] == "1"]  # the TensorFlow worker's flag
        if not workers:
            return {"error": "no warm TensorFlow worker process found (cmdline with grader.sandbox.zygote)"}
        worker = workers[0]
        descendants = []
        for process in worker.children(recursive=True):
            try:
                descendants.append((process.pid, smaps(process.pid)))
            except (OSError, psutil.Error):
                continue
        if not descendants:
            return {"error": "no student child below the warm TensorFlow worker"}
        student = max(descendants, key=lambda item: item[1].get("pss", 0))
        tree = {key: sum(m.get(key, 0) for _, m in descendants) for key in ("rss", "pss", "uss", "anon")}
        return {"worker_pid": worker.pid, "worker": smaps(worker.pid), "student": student[1],
                "student_tree": tree, "student_processes": len(descendants),
                "judge": smaps(psutil.Process().pid)}
    except PermissionError as exc:
        return {"error": f"cannot read smaps_rollup: {exc}"}
    finally:
        session.close()


def describe(exc: Exception) -> str:
    """An exception in one line; a sandbox verdict with its message."""
    message = getattr(exc, "message", None)
    text = message.render("en") if hasattr(message, "render") else str(exc)
    return f"{type(exc).__name__} {getattr(exc, 'kind', '')}: {text}"[:300]


def main() -> None:
    from grader.sandbox import launcher

    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-session-") as tmp:
        path = Path(tmp) / "small.py"
        path.write_text(SMALL_FILE)
        warm = launcher.forking_supported()
        out["warm_workers"] = warm
        for name, tensorflow, runs in (("numpy", False, 5), ("tensorflow", True, 5 if warm else 2)):
            try:
                seconds, layers = session_seconds(tensorflow, runs, path)
                out[name] = {"seconds": seconds, "isolation": layers}
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                out[name] = {"error": describe(exc)}
        if warm:
            for attempt in range(2):  # one retry: a loaded machine can make a training session fail
                try:
                    out["memory"] = memory(Path(tmp))
                    break
                except Exception as exc:  # noqa: BLE001
                    out["memory"] = {"error": describe(exc)}
    launcher.close_all()
    print("BENCH-JSON " + json.dumps(out))


if __name__ == "__main__":
    main()
