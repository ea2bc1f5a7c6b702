"""The graded source of each student's exercises, kept signed in RESULTS/sources/ for the similarity report.

The result JSON keeps scores and feedback, not the code; `grade batch` keeps here what the similarity report
compares (the source the judge grades: a notebook's answer cells as extracted), so that `grade report RESULTS`
works later, away from the submissions. The folder is the instructor's (0700); student code never runs with it.
"""

from __future__ import annotations

import ast
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from grader.classroom.signing import signed, valid

FOLDER = "sources"
COURSE_FILE = ".course.json"  # a dot name: never a student's (grader.batch.find_students skips them)
MAX_SOURCE = 200_000  # characters kept per exercise; a larger file is cut there


@dataclass
class ExerciseInfo:
    stub: str  # the source as shipped: its passages are boilerplate, never evidence
    answer_tokens: int  # the reference's tokens outside the stub (0: no reference)
    functions: int  # functions the reference defines

    @property
    def tokens_per_function(self) -> float:
        return self.answer_tokens / max(self.functions, 1)


def folder(results: Path) -> Path:
    return results / FOLDER


def file_for(results: Path, student: str) -> Path:
    """A student's kept file: named as their result file is (grader.batch.result_path), in RESULTS/sources/."""
    from grader.batch import result_path

    return folder(results) / result_path(results, student).name


def answer_size(stub: str, reference: str) -> tuple[int, int]:
    """The reference's tokens on lines that are not the stub's (code only), and how many functions it defines."""
    from pygments import token
    from pygments.lexers import PythonLexer

    given = {line.strip() for line in stub.splitlines()}
    answer = "\n".join(line for line in reference.splitlines() if line.strip() not in given)
    tokens = [v for t, v in PythonLexer().get_tokens(answer)
              if v.strip() and not (t in token.Text or t in token.Comment or t in token.String.Doc)]
    try:
        functions = sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(ast.parse(reference)))
    except (SyntaxError, ValueError):
        functions = 1
    return len(tokens), max(functions, 1)


def course_info(catalog: Any) -> dict[str, ExerciseInfo]:
    """Each code exercise's stub and the size of its reference answer (read in the judge; the reference never leaves)."""
    info = {}
    for exercise in catalog.items:
        if exercise.kind != "exercise":
            continue
        try:
            stub = exercise.stub_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            stub = ""
        reference = exercise.reference_path
        tokens, functions = answer_size(stub, reference.read_text(encoding="utf-8", errors="replace")) if reference else (0, 1)
        info[exercise.name] = ExerciseInfo(stub, tokens, functions)
    return info


def student_sources(catalog: Any, submission: Path) -> dict[str, str]:
    """The source the judge grades for each of ``submission``'s code exercises (a copy is read; nothing runs)."""
    from grader.assignment import UnpackError, find_submission_file, unpack
    from grader.submission import extract

    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="grade-sources-") as tmp:
        try:
            copy = unpack(submission, Path(tmp), [])
        except UnpackError:
            return found
        for exercise in catalog.items:
            if exercise.kind != "exercise":
                continue
            path = find_submission_file(exercise, copy)
            if path is None:
                continue
            try:
                stub = exercise.stub_path.read_text(encoding="utf-8", errors="replace")
                extracted = extract(path, stub, exercise)
            except (OSError, ValueError):
                continue
            if extracted.problem is None and extracted.source.strip():
                found[exercise.name] = extracted.source[:MAX_SOURCE]
    return found


def _write(path: Path, data: dict, key: bytes) -> None:
    from grader.report.json_result import write_atomic

    write_atomic(path, json.dumps(signed(key, data), ensure_ascii=False, sort_keys=True) + "\n")


def _ready(results: Path) -> Path:
    target = folder(results)
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    return target


def keep(catalog: Any, students: Iterable[Any], results: Path, key: bytes, regraded: Iterable[str]) -> None:
    """Keep the sources of the students just graded (``regraded``) and of any whose kept file is missing or unsigned."""
    target = _ready(results)
    _write(target / COURSE_FILE, {"exercises": {name: vars(i) for name, i in course_info(catalog).items()}}, key)
    fresh = set(regraded)
    for student in students:
        path = file_for(results, student.id)
        if student.id not in fresh and load_student(path, key) is not None:
            continue
        _write(path, {"student": student.id, "sources": student_sources(catalog, student.path)}, key)


def load_student(path: Path, key: bytes | None) -> dict[str, str] | None:
    """A kept file's sources, or None when it is missing, broken or not signed with ``key``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not valid(key, data) or not isinstance(data.get("sources"), dict):
        return None
    return {str(k): str(v) for k, v in data["sources"].items()}


@dataclass
class Kept:
    exercises: dict[str, ExerciseInfo]
    sources: dict[str, dict[str, str]]  # student -> exercise -> source
    unsigned: list[str]  # files left out: edited by hand, or signed with another key


def load(results: Path, key: bytes | None, students: Iterable[str]) -> Kept | None:
    """What `grade batch` kept for ``students``; None where it kept nothing (an older results folder)."""
    base = folder(results)
    try:
        course = json.loads((base / COURSE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    unsigned: list[str] = []
    if not valid(key, course):
        return Kept({}, {}, [f"{FOLDER}/{COURSE_FILE}"])
    exercises = {}
    for name, raw in (course.get("exercises") or {}).items():
        try:
            exercises[name] = ExerciseInfo(str(raw["stub"]), int(raw["answer_tokens"]), int(raw["functions"]))
        except (KeyError, TypeError, ValueError):
            continue
    sources = {}
    for student in students:
        path = file_for(results, student)
        if not path.is_file():
            continue
        kept = load_student(path, key)
        if kept is None:
            unsigned.append(f"{FOLDER}/{path.name}")
        else:
            sources[student] = kept
    return Kept(exercises, sources, unsigned)
