"""Memory of the server's own processes: RSS and PSS, from /proc (smaps_rollup where readable)."""

from __future__ import annotations

import os

from grader.sandbox.chain import SPARE, comm


def _rollup(pid: int) -> tuple[int, int]:
    try:
        rss = pss = 0
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
        return rss, pss
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as statm:
            rss = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        return rss, rss  # PSS unreadable (another user namespace): RSS is its upper bound
    except (OSError, ValueError, IndexError):
        return 0, 0


def usage(pids: list[int]) -> tuple[int, int]:
    """Summed RSS and PSS, in bytes."""
    rss = pss = 0
    for pid in pids:
        one = _rollup(pid)
        rss, pss = rss + one[0], pss + one[1]
    return rss, pss


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(n) for n in children.read().split()]
    except (OSError, ValueError):
        return []


def worker_pids(pid: int) -> list[int]:
    """A warm worker's own processes: bubblewrap's, the worker's and its spare chain's (forked ahead, no
    student's code in it), not the students' processes."""
    found, todo = [pid], [pid]
    while todo:
        current = todo.pop()
        name = comm(current)
        for child in _children(current):
            if name in ("bwrap", SPARE) or comm(child) == SPARE:
                found.append(child)
                todo.append(child)
    return found
