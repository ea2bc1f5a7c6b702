"""Grading a class: one `grade all` process per student, results written atomically, resumable.

Each student is graded by a separate `grade all` process working on a copy of the submission,
so two students' code never share a process. ``Runner`` is the seam for other executors (warm
workers that import TensorFlow once, a cluster engine): it turns one submission into one JSON
result file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import statistics
import subprocess
import sys
import zlib
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from grader.catalog import Catalog
from grader.report.json_result import dumps, write_atomic

SUBMISSION_SUFFIXES = (".zip",)


@dataclass
class Student:
    id: str
    path: Path


def find_students(folder: Path) -> list[Student]:
    """One folder or zip per student; the name (without .zip) is the student id."""
    students = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() or entry.suffix.lower() in SUBMISSION_SUFFIXES:
            students.append(Student(entry.stem if entry.is_file() else entry.name, entry))
    return students


def student_seed(base: int, student: str) -> int:
    """Each student gets their own hidden inputs, the same on every run (so a resume changes nothing)."""
    return (base + zlib.crc32(student.encode())) % 1_000_000


class Runner(Protocol):
    def __call__(self, student: Student, output: Path, seed: int, lang: str) -> None: ...


@dataclass
class ProcessRunner:
    """Grade a student with `python -m grader all` in a fresh process, under a wall-clock limit."""

    timeout: float
    device: str = "auto"

    def __call__(self, student: Student, output: Path, seed: int, lang: str) -> None:
        command = [sys.executable, "-m", "grader", "all", "--submission", str(student.path), "--format", "json",
                   "--output", str(output), "--seed", str(seed), "--lang", lang, "--device", self.device]
        env = {**os.environ, "NO_COLOR": "1"}
        try:
            proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=self.timeout, env=env, start_new_session=True)
        except subprocess.TimeoutExpired:
            write_failure(output, student, seed, f"grading took longer than {self.timeout:g} s and was stopped")
            return
        if proc.returncode not in (0, 1) or not _valid(output):
            tail = proc.stderr.decode("utf-8", "replace")[-500:]
            write_failure(output, student, seed, f"grader exited with code {proc.returncode}: {tail}")


def _valid(path: Path) -> bool:
    try:
        return isinstance(json.loads(path.read_text(encoding="utf-8")).get("score"), (int, float))
    except (OSError, ValueError, AttributeError):
        return False


def write_failure(output: Path, student: Student, seed: int, reason: str) -> None:
    write_atomic(output, dumps({"score": 0, "max_score": 0, "output": reason, "tests": [], "exercises": {},
                                "seed": seed, "error": reason, "student": student.id}) + "\n")


def result_path(results: Path, student: str) -> Path:
    return results / f"{student}.json"


def pending(students: list[Student], results: Path, resume: bool) -> list[Student]:
    if not resume:
        return list(students)
    return [s for s in students if not _valid(result_path(results, s.id))]


def run_batch(
    students: list[Student],
    results: Path,
    runner: Runner,
    jobs: int,
    seed: int,
    lang: str,
    on_start: Callable[[Student], None] = lambda s: None,
    on_done: Callable[[Student], None] = lambda s: None,
) -> None:
    """Grade ``students`` with at most ``jobs`` at a time; each result file appears when that student is done."""
    results.mkdir(parents=True, exist_ok=True)
    queue = list(students)
    running: dict[Future, Student] = {}
    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        while queue or running:
            while queue and len(running) < max(jobs, 1):
                student = queue.pop(0)
                on_start(student)
                future = pool.submit(runner, student, result_path(results, student.id), student_seed(seed, student.id), lang)
                running[future] = student
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                student = running.pop(future)
                try:
                    future.result()
                except Exception as exc:  # the runner itself failed: record it, keep going
                    write_failure(result_path(results, student.id), student, student_seed(seed, student.id), repr(exc))
                on_done(student)


def load_results(results: Path, students: list[Student]) -> dict[str, dict]:
    loaded = {}
    for student in students:
        try:
            loaded[student.id] = json.loads(result_path(results, student.id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return loaded


def grades_csv(catalog: Catalog, loaded: dict[str, dict]) -> str:
    """One row per student (sorted), a column per exercise and the total, plus a points row."""
    names = [e.name for e in catalog.items]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *names, "total", "note"])
    max_points = {}
    for data in loaded.values():
        for name, item in (data.get("exercises") or {}).items():
            max_points[name] = item.get("max_score", 0)
    points = [max_points.get(n, next((e.points for e in catalog.items if e.name == n), 0)) for n in names]
    writer.writerow(["(points)", *[f"{p:g}" for p in points], f"{sum(points):g}", ""])
    for student in sorted(loaded):
        data = loaded[student]
        per = data.get("exercises") or {}
        scores = [f"{per[n]['score']:g}" if n in per else "0" for n in names]
        writer.writerow([student, *scores, f"{float(data.get('score', 0)):g}", (data.get("error") or data.get("problem") or "")[:200]])
    return buffer.getvalue()


@dataclass
class ClassSummary:
    students: int
    mean: float
    median: float
    max_score: float
    passing: dict[str, float]  # exercise -> share of students who passed it


def summarise(catalog: Catalog, loaded: dict[str, dict]) -> ClassSummary:
    totals = [float(d.get("score", 0)) for d in loaded.values()]
    passing = {}
    for exercise in catalog.items:
        statuses = [(d.get("exercises") or {}).get(exercise.name, {}).get("status") for d in loaded.values()]
        passing[exercise.name] = sum(1 for s in statuses if s == "passed") / len(statuses) if statuses else 0.0
    max_score = max((float(d.get("max_score", 0)) for d in loaded.values()), default=0.0)
    return ClassSummary(len(totals), statistics.fmean(totals) if totals else 0.0,
                        statistics.median(totals) if totals else 0.0, max_score, passing)


def write_csv(catalog: Catalog, results: Path, students: list[Student]) -> Path:
    path = results / "grades.csv"
    write_atomic(path, grades_csv(catalog, load_results(results, students)))
    return path
