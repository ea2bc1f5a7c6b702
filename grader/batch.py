"""Grading a class: warm workers, a confined child per student and exercise, signed results, resumable.

The judge runs in this process and never runs student code: each student's files are copied
(regular files only) and every exercise runs in a fresh confined child forked from a warm worker
that imported TensorFlow once. Results are written atomically by the judge alone and carry a
MAC keyed by a per-results-folder secret, so ``--resume`` re-grades any file it did not write.
``Runner`` is the seam for other executors (a cluster engine): one submission in, one JSON out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import secrets
import statistics
import threading
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from grader.catalog import Catalog
from grader.classroom import signing
from grader.i18n import Msg, register, tr
from grader.report.json_result import dumps, write_atomic

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "student_timed_out": {
        "ko": "시간 초과: 이 학생의 채점이 {seconds:g}초 안에 끝나지 않아 중단했습니다(다른 학생의 채점은 계속됨).",
        "en": "timed out: grading this student took more than {seconds:g} s and was stopped (the class went on).",
    },
})

SUBMISSION_SUFFIXES = (".zip",)
#: Seconds the judge may spend on one student beyond the exercises' own budgets (start-up, unpacking, reports).
STUDENT_OVERHEAD = 120.0


class StudentTimeout(Exception):
    """A student's grading went past their whole wall-clock budget (:func:`within`)."""


def student_seconds(catalog: Catalog) -> float:
    """A student's whole wall-clock budget: every exercise's twice its time limit (a hang gets the rest of the file
    one more budget, never two), plus STUDENT_OVERHEAD; `grade batch --student-timeout` overrides it."""
    return STUDENT_OVERHEAD + sum(2 * e.time_limit for e in catalog.items if e.kind == "exercise")


def within(seconds: float | None, work: Callable[[], object]) -> object:
    """``work()`` run in a thread of its own whose sandbox sessions all stop at the deadline; if even the judge's
    own part of it (unpacking, parsing) is still running ``seconds`` (+5) later, it is left behind (a daemon thread,
    its result dropped) and StudentTimeout is raised, so that the class goes on."""
    if not seconds:
        return work()
    from grader.sandbox.budget import student_deadline

    box: dict[str, object] = {}

    def run() -> None:
        student_deadline(seconds)
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="student", daemon=True)
    thread.start()
    thread.join(seconds + 5.0)
    if thread.is_alive():
        raise StudentTimeout(seconds)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def timed_out(result: object) -> bool:
    """Whether a student's deadline stopped any of their checks (here or while graded ahead)."""
    return any(getattr(check.message, "key", None) == "student_timeout"
               for item in getattr(result, "results", []) for check in item.checks)


def timed_out_reason(seconds: float, lang: str) -> str:
    return tr(Msg("student_timed_out", seconds=seconds), lang)


@dataclass
class Student:
    id: str
    path: Path


def find_students(folder: Path) -> list[Student]:
    """One folder or zip per student; the name (without .zip) is the student id (any name: long, non-ASCII,
    with dots or spaces; bytes that are not UTF-8 are shown as U+FFFD)."""
    students = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() or entry.suffix.lower() in SUBMISSION_SUFFIXES:
            name = entry.stem if entry.is_file() else entry.name
            students.append(Student(name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), entry))
    return students


def student_seed(base: int, student: str) -> int:
    """Each student gets their own hidden inputs, the same on every run (so a resume changes nothing)."""
    return (base + zlib.crc32(student.encode())) % 1_000_000


class Runner(Protocol):
    def __call__(self, student: Student, output: Path, seed: int, lang: str) -> None: ...


KEY_FILE = signing.KEY_FILE


def results_key(results: Path) -> bytes:
    """The results folder's secret (created on first use, readable by the instructor only)."""
    path = results / KEY_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        pass
    results.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex())
    return key


def write_result(output: Path, data: dict, key: bytes | None) -> None:
    """Write one student's result atomically, signed when a key is given."""
    if key is not None:
        data = signing.signed(key, data)
    write_atomic(output, dumps(data) + "\n")


def verified(path: Path, key: bytes | None) -> bool:
    """A result this batch wrote: valid JSON with a score and, with a key, a matching MAC."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or not isinstance(data.get("score"), (int, float)):
        return False
    return key is None or signing.valid(key, data)


def warm_up(catalog: Catalog, device: str) -> None:
    """Start the warm workers' imports (TensorFlow's 3-6 s) now, while the checks load and students are listed."""
    from grader.judge import default_backend
    from grader.sandbox.launcher import forking_supported, zygote

    if not forking_supported():
        return
    if any(e.kind == "exercise" and e.tensorflow for e in catalog.items):
        zygote(True, device, catalog.root, default_backend()).start()
    zygote(False, device, catalog.root).start()


def preload(catalog: Catalog) -> None:
    """Load every check, hidden check and numpy reference before any student code runs (never re-read later).

    A TensorFlow exercise's reference is not imported here: its checks never call it in the judge, and
    importing it would import TensorFlow into the judge (3-6 s, 500 MB) beside the warm worker's."""
    for exercise in catalog.items:
        if exercise.kind != "exercise":
            continue
        exercise.public_checks_module()
        exercise.hidden_checks_module()
        if not exercise.tensorflow:
            exercise.reference_module()


class Ahead:
    """While the TensorFlow worker imports (3-6 s of one core), grade the numpy exercises of the first students on
    the cores that would wait for it; each student's own thread then takes these results instead of grading again.

    Stops as soon as the worker is ready: after that it would only compete with the students' own threads."""

    def __init__(self, catalog: Catalog, students: list[Student], seed: int, lang: str, device: str) -> None:
        from grader.judge import default_backend
        from grader.sandbox.launcher import zygote

        self.catalog, self.students, self.seed, self.lang, self.device = catalog, list(students), seed, lang, device
        self.worker = zygote(True, device, catalog.root, default_backend())
        self.cond = threading.Condition()
        self.claimed: set[str] = set()
        self.current: str | None = None
        self.results: dict[str, dict] = {}
        self.seconds: float | None = None  # a student's whole budget (WarmRunner sets it; default student_seconds)
        self.thread = threading.Thread(target=self._run, name="numpy-ahead", daemon=True)

    @classmethod
    def start_for(cls, catalog: Catalog, students: list[Student], seed: int, lang: str, device: str) -> "Ahead | None":
        """An Ahead already running, where a class has both numpy and TensorFlow exercises to grade."""
        from grader.sandbox.launcher import forking_supported

        kinds = {e.tensorflow for e in catalog.items if e.kind == "exercise"}
        if kinds != {True, False} or not students or not forking_supported():
            return None
        ahead = cls(catalog, students, seed, lang, device)
        ahead.thread.start()
        return ahead

    def ready(self) -> bool:
        return self.worker.info is not None

    def _run(self) -> None:
        from grader.assignment import grade_numpy_items
        from grader.judge import Options
        from grader.sandbox.budget import student_deadline

        for student in self.students:
            with self.cond:
                if self.ready() or student.id in self.claimed:
                    continue
                self.claimed.add(student.id)
                self.current = student.id
            try:
                options = Options(lang=self.lang, seed=student_seed(self.seed, student.id), device=self.device)
                student_deadline(student_seconds(self.catalog) if self.seconds is None else self.seconds)
                found = grade_numpy_items(self.catalog, student.path, options, self.ready)
            except Exception:  # noqa: BLE001 - the student's own thread grades them instead
                found = {}
            finally:
                student_deadline(None)
            with self.cond:
                self.results[student.id], self.current = found, None
                self.cond.notify_all()
            if self.ready():
                return

    def take(self, student: str) -> dict:
        """The items graded ahead for ``student`` (waits while one is being graded); none once taken."""
        with self.cond:
            self.claimed.add(student)
            while self.current == student:
                self.cond.wait()
            return self.results.pop(student, {})


@dataclass
class WarmRunner:
    """Grade a student in this process's judge; their code runs in confined children of the warm workers."""

    catalog: Catalog
    device: str = "auto"
    key: bytes | None = None
    ahead: Ahead | None = None
    seconds: float | None = None  # the student's whole budget (default: student_seconds(catalog)); 0: none

    def __call__(self, student: Student, output: Path, seed: int, lang: str) -> None:
        from grader.assignment import grade_assignment
        from grader.judge import Options
        from grader.report.gradescope import to_gradescope

        options = Options(lang=lang, seed=seed, device=self.device)
        seconds = student_seconds(self.catalog) if self.seconds is None else self.seconds
        if self.ahead is not None:
            self.ahead.seconds = seconds
        done = self.ahead.take(student.id) if self.ahead is not None else None
        begun = time.monotonic()
        try:
            result = within(seconds, lambda: grade_assignment(self.catalog, student.path, options, done=done))
        except StudentTimeout:
            write_failure(output, student, seed, timed_out_reason(seconds, lang), self.key)
            return
        data = to_gradescope(result)
        data["student"] = student.id
        if timed_out(result) or seconds and time.monotonic() - begun >= seconds:  # what was graded stands
            data["error"] = timed_out_reason(seconds, lang)
        write_result(output, data, self.key)


def _valid(path: Path) -> bool:
    return verified(path, None)


def write_failure(output: Path, student: Student, seed: int, reason: str, key: bytes | None = None) -> None:
    write_result(output, {"score": 0, "max_score": 0, "output": reason, "tests": [], "exercises": {},
                          "seed": seed, "error": reason, "student": student.id}, key)


#: Longest id (UTF-8 bytes) used as is in a file name: with ``.json`` and write_atomic's temporary name
#: (``.ID.json.XXXXXXXX.tmp``) it stays well under the 255 bytes a file name may have.
MAX_NAME_BYTES = 200


def result_name(student: str) -> str:
    """The result file's stem for ``student``: the id itself where it is a plain file name of at most
    MAX_NAME_BYTES, else its first characters and a hash of the whole id (distinct ids, distinct files)."""
    raw = student.encode("utf-8", "replace")
    plain = (student not in ("", ".", "..") and not student.startswith(".") and "/" not in student
             and "\0" not in student and "\\" not in student)
    if plain and len(raw) <= MAX_NAME_BYTES:
        return student
    digest = hashlib.sha256(raw).hexdigest()[:16]
    head = "".join(c if c.isalnum() or c in "-_" else "_" for c in student)
    while len(head.encode("utf-8")) > 120:
        head = head[:-1]
    return f"{head}~{digest}"


def result_path(results: Path, student: str) -> Path:
    return results / f"{result_name(student)}.json"


def pending(students: list[Student], results: Path, resume: bool, key: bytes | None = None) -> list[Student]:
    """The students still to grade: all, or with ``resume`` those without a result this batch signed."""
    if not resume:
        return list(students)
    return [s for s in students if not verified(result_path(results, s.id), key)]


def run_batch(
    students: list[Student],
    results: Path,
    runner: Runner,
    jobs: int,
    seed: int,
    lang: str,
    on_start: Callable[[Student], None] = lambda s: None,
    on_done: Callable[[Student], None] = lambda s: None,
    key: bytes | None = None,
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
                    write_failure(result_path(results, student.id), student, student_seed(seed, student.id), repr(exc), key)
                on_done(student)


def load_results(results: Path, students: list[Student], key: bytes | None = None) -> dict[str, dict]:
    """Each student's result; with a key, a file this batch did not sign counts as missing."""
    loaded = {}
    for student in students:
        path = result_path(results, student.id)
        if key is not None and not verified(path, key):
            continue
        try:
            loaded[student.id] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return loaded


def grades_csv(catalog: Catalog, loaded: dict[str, dict]) -> str:
    """One row per student (sorted), a column per exercise and the total, plus a points row."""
    from grader.report.safe_text import csv_cell  # ids and notes are the students' text: never a formula (OWASP)

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
        writer.writerow([csv_cell(student), *scores, f"{float(data.get('score', 0)):g}", csv_cell(_note(data, names))])
    return buffer.getvalue()


def _note(data: dict, names: list[str]) -> str:
    """The note column: the submission's own problem, then each item's (e.g. a malformed quiz answers file)."""
    notes = [str(data.get("error") or data.get("problem") or "")[:200]]
    per = data.get("exercises") or {}
    for name in names:
        problem = (per.get(name) or {}).get("problem") if isinstance(per.get(name), dict) else None
        if problem:
            notes.append(f"{name}: {' '.join(str(problem).split())[:300]}")
        adjusted = (per.get(name) or {}).get("adjusted") if isinstance(per.get(name), dict) else None
        if isinstance(adjusted, dict):  # grade adjust: the new score's reason (grader/classroom/adjustments.py)
            notes.append(f"{name}: {' '.join(str(adjusted.get('note', '')).split())[:300]}")
    return " | ".join(n for n in notes if n)


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


def write_csv(catalog: Catalog, results: Path, students: list[Student], key: bytes | None = None) -> Path:
    from grader.classroom.adjustments import apply_from  # RESULTS/adjustments.toml, each entry signed

    path = results / "grades.csv"
    signing = key if key is not None else (results_key(results) if (results / KEY_FILE).is_file() else None)
    loaded, _ = apply_from(results, load_results(results, students, key), signing)
    write_atomic(path, grades_csv(catalog, loaded))
    return path
