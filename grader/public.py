"""What of a course's exercises/ folder students may see: the one rule for the release, the autograder and the sandbox."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

#: Never shipped nor mounted: answers files (an instructor who ran `grade q01` in the course leaves the right answers
#: there), quiz keys and secrets, progress/state files and any other hidden file, caches and checkpoints.
PRIVATE_PATTERNS = ("answers.toml", "key.toml", "heldout.key", "hidden_checks.py", ".*", "__pycache__", "*.pyc",
                    "*.egg-info", "results", "*.bak", "*~")


def private(name: str) -> bool:
    """Whether a file or folder called ``name`` stays out of everything students get."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in PRIVATE_PATTERNS)


def public_files(exercises_dir: Path) -> list[Path]:
    """The regular files of ``exercises/`` that ship to students (stubs, statements, public checks, exercise.toml,
    stub.lock, quiz questions and public keys), sorted; links are never followed nor listed."""
    found: list[Path] = []
    if not exercises_dir.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(exercises_dir):
        dirnames[:] = sorted(d for d in dirnames if not private(d) and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not private(name) and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def ignore_private(folder: str, names: list[str]) -> set[str]:
    """``shutil.copytree``'s ``ignore``: the private names of a folder."""
    return {name for name in names if private(name)}
