"""Grading a whole assignment: every exercise and quiz of one submission, TensorFlow imported once."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from grader import quiz
from grader.catalog import Catalog, CatalogError, Exercise
from grader.i18n import Msg, TextLike, register
from grader.judge import Options, Oracle, Reporter, exercise_limits, grade
from grader.results import AssignmentResult, CheckResult, ExerciseResult
from grader.sandbox.launcher import forking_supported, zygote
from grader.source import shipped, untouched

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "bad_zip": {
        "ko": "제출 파일을 열 수 없습니다({path}): {error}",
        "en": "Cannot open the submission {path}: {error}",
    },
    "zip_too_large": {
        "ko": "제출 파일 {path}이(가) 너무 큽니다: {what}이(가) {size:,}(으)로 한도 {limit:,}을(를) 넘습니다. 코드와 답안 파일만 "
              "압축해 제출하세요.",
        "en": "The submission {path} is too large: {what} is {size:,}, over the limit of {limit:,}. Hand in your code "
              "and answers files only.",
    },
    "file_too_large": {
        "ko": "{file} 파일이 {mb:.1f} MB로 이 종류 파일의 한도({limit:g} MB)를 넘어 채점하지 않았습니다. 데이터나 출력은 빼고 "
              "코드만 제출하세요.",
        "en": "{file} is {mb:.1f} MB, over the {limit:g} MB limit for such a file, so it was not graded. Hand in the code "
              "without data or outputs.",
    },
})

MAX_ZIP_FILES = 5000
MAX_ZIP_BYTES = 256 * 1024 * 1024  # all members of a zip, as declared and as read
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one member of a zip, or one file of a folder (as declared and as read)
#: The largest file of each kind the judge reads and grades (its source is held in memory several times).
SOURCE_LIMITS_MB = {".py": 4, ".ipynb": 32, ".toml": 1}
_CHUNK = 1 << 20


# --- where a student's files are -----------------------------------------------------------------


class UnpackError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.render("en"))
        self.message = message


SKIPPED_DIRS = {"__pycache__", ".git", ".venv", "node_modules"}


def copy_regular_files(source: Path, target: Path, refused: list[str], base: Path | None = None) -> None:
    """Copy only regular files and folders; links, devices, sockets and FIFOs are refused and named; a file over
    MAX_MEMBER_BYTES (read no further than that) refuses the submission (UnpackError), as a zip member does."""
    base = base or source
    target.mkdir(parents=True, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            relative = str(Path(entry.path).relative_to(base))
            if entry.is_symlink():
                refused.append(relative)
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS:
                    copy_regular_files(Path(entry.path), target / entry.name, refused, base)
            elif entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as src, open(target / entry.name, "wb") as dst:
                    copied = _copy_capped(src, dst, MAX_MEMBER_BYTES)
                if copied is None:  # as for a zip member: the submission is refused, with a message naming the cap
                    os.unlink(target / entry.name)
                    raise _too_large(base, relative, os.stat(entry.path).st_size, MAX_MEMBER_BYTES)
            else:
                refused.append(relative)


def _copy_capped(src, dst, limit: int) -> int | None:
    """Stream ``src`` into ``dst``; None (and stops reading) as soon as more than ``limit`` bytes came."""
    total = 0
    while chunk := src.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            return None
        dst.write(chunk)
    return total


def unpack(submission: Path, into: Path, refused: list[str] | None = None) -> Path:
    """A copy of the submission (a folder or a zip) under ``into``; the original is never touched.

    Only regular files travel: a link (which could point at the reference solution), a device or
    a FIFO is left behind and its name added to ``refused``.
    """
    target = into / "submission"
    refused = [] if refused is None else refused
    if submission.is_symlink():
        raise UnpackError(Msg("bad_zip", path=submission.name, error="a symbolic link"))
    if submission.is_dir():
        copy_regular_files(submission, target, refused)
        return target
    try:
        _extract_capped(submission, target)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, zlib.error) as exc:
        raise UnpackError(Msg("bad_zip", path=submission.name, error=str(exc)[:200])) from None
    entries = [p for p in target.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and not (target / "exercises").exists():
        return entries[0]
    return target


def _too_large(path: Path, what: str, size: int, limit: int) -> UnpackError:
    return UnpackError(Msg("zip_too_large", path=path.name, what=what, size=size, limit=limit))


def _extract_capped(submission: Path, target: Path) -> None:
    """Extract a zip member by member, streaming: every member's declared size, the declared total, and the bytes
    actually inflated (a zip may lie about its sizes) are held to MAX_MEMBER_BYTES and MAX_ZIP_BYTES."""
    with zipfile.ZipFile(submission) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_FILES:
            raise _too_large(submission, "files", len(members), MAX_ZIP_FILES)
        declared = 0
        for member in members:
            name = Path(member.filename)
            if name.is_absolute() or ".." in name.parts or (member.external_attr >> 16) & 0o170000 == 0o120000:
                raise UnpackError(Msg("bad_zip", path=submission.name, error=f"unsafe path {member.filename}"))
            if member.file_size > MAX_MEMBER_BYTES:
                raise _too_large(submission, member.filename, member.file_size, MAX_MEMBER_BYTES)
            declared += member.file_size
        if declared > MAX_ZIP_BYTES:
            raise _too_large(submission, "bytes", declared, MAX_ZIP_BYTES)
        total = 0
        target.mkdir(parents=True, exist_ok=True)
        for member in members:
            path = target.joinpath(*[part for part in Path(member.filename).parts if part not in ("", ".")])
            if member.is_dir():
                path.mkdir(parents=True, exist_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src, open(path, "wb") as dst:
                size = _copy_capped(src, dst, min(MAX_MEMBER_BYTES, MAX_ZIP_BYTES - total))
            if size is None:
                raise _too_large(submission, member.filename, MAX_MEMBER_BYTES + 1, MAX_MEMBER_BYTES)
            total += size


def source_too_large(path: Path) -> Msg | None:
    """A message when the file the judge would read and grade is over its kind's limit (SOURCE_LIMITS_MB)."""
    limit = SOURCE_LIMITS_MB.get(path.suffix.lower(), SOURCE_LIMITS_MB[".py"])
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size <= limit * 2**20:
        return None
    return Msg("file_too_large", file=path.name, mb=size / 2**20, limit=limit)


def find_submission_file(exercise: Exercise, folder: Path) -> Path | None:
    """The student's file for ``exercise`` in a copy of exercises/, a flat folder, or notebooks."""
    stub = exercise.meta.get("file") or "answers.toml"
    if exercise.kind == "quiz":
        stub = "answers.toml"
    candidates = [
        folder / exercise.name / stub,
        folder / "exercises" / exercise.name / stub,
        folder / stub,
    ]
    for path in candidates:
        if path.is_file():
            return path
    try:
        from grader.submission import find_in_dir
    except ImportError:
        return None
    for base in (folder / exercise.name, folder / "exercises" / exercise.name, folder):
        if base.is_dir():
            found = find_in_dir(base, exercise)
            if found is not None:
                return found
    return None


def not_submitted(exercise: Exercise, options: Options) -> ExerciseResult:
    """Every check 'not attempted': the file is missing from the submission."""
    from grader.checks import collect

    if exercise.kind == "quiz":  # reads as a missing exercise does: "not submitted", not "not attempted"
        result = quiz.grade_missing(exercise, options)
        for check in result.checks:
            check.message = Msg("file_not_submitted", file=exercise.meta.get("file") or "answers.toml")
        return result
    specs = collect(exercise.public_checks_module(), hidden=False)
    if options.hidden:
        specs += collect(exercise.hidden_checks_module(), hidden=True)
    message = Msg("file_not_submitted", file=exercise.meta.get("file", ""))
    checks = [
        CheckResult(s.name, s.title, 0.0, s.points, "not_attempted", message, hidden=s.hidden)
        for s in specs
    ]
    return ExerciseResult(exercise.name, exercise.title, checks, options.seed, options.lang,
                          hidden_run=options.hidden and exercise.hidden_checks_path is not None, hints=exercise.hints)


def grader_error(exercise: Exercise, options: Options, message: TextLike) -> ExerciseResult:
    """The whole item failed to grade (broken checks, broken quiz file): its points are lost, the rest stands."""
    check = CheckResult("grader_error", exercise.title, 0.0, exercise.points, "failed", message)
    return ExerciseResult(exercise.name, exercise.title, [check], options.seed, options.lang, problem=message)


def reference_submission(catalog: Catalog, folder: Path, only: set[str] | None = None) -> Path:
    """A student's copy of exercises/ holding every reference solution and every right quiz answer."""
    import tomli_w

    for item in catalog.items:
        if only is not None and item.id not in only:
            continue
        target = folder / item.name
        target.mkdir(parents=True, exist_ok=True)
        if item.kind == "quiz":
            answers = quiz.right_answers(quiz.load_quiz(item, public=False))
            (target / quiz.ANSWERS_FILE).write_text(tomli_w.dumps(answers), encoding="utf-8")
        elif item.reference_path is not None:
            shutil.copy(item.reference_path, target / item.meta["file"])
    return folder


# --- grading --------------------------------------------------------------------------------------


@dataclass
class SharedSessions:
    """What the exercises of one submission share: the warm workers and the trusted oracle.

    Every exercise gets a fresh confined child of its own; the warm workers (one with numpy, one
    with TensorFlow, per judge process) are shared, so TensorFlow is imported once in all.
    """

    options: Options
    reporter: Reporter
    oracle: Oracle | None = None

    def __post_init__(self) -> None:
        self.oracle = Oracle(self.options)  # trusted TensorFlow for expected values, shared too

    def warm(self, work: list[tuple[Exercise, Path | None]]) -> None:
        """Start TensorFlow's import at once, while the numpy exercises grade (if any TF file was attempted)."""
        tf = [e for e, path in work if e.kind == "exercise" and e.tensorflow and attempted(e, path)]
        if tf and forking_supported():
            zygote(True, self.options.device, tf[0].folder.parent.parent).start()

    def close(self) -> None:
        self.oracle.close()


def attempted(exercise: Exercise, path: Path | None) -> bool:
    """Cheap test: has the student changed anything of the stub as shipped (its ``stub.lock``)?"""
    if path is None:
        return False
    if path.suffix != ".py":
        return True
    try:
        stub = exercise.stub_path.read_text(encoding="utf-8") if exercise.stub_path.exists() else ""
        prints = shipped(exercise.fingerprints, stub)
        return not prints or not untouched(path.read_text(encoding="utf-8", errors="replace"), prints) >= set(prints)
    except OSError:
        return True


def grade_one(
    exercise: Exercise, path: Path | None, options: Options, reporter: Reporter, shared: SharedSessions | None
) -> ExerciseResult:
    if path is None:
        return not_submitted(exercise, options)
    too_large = source_too_large(path)
    if too_large is not None:
        return grader_error(exercise, options, too_large)
    if exercise.kind == "quiz":
        return quiz.grade_answers_file(exercise, path, options)
    return grade(exercise, path, options, reporter, oracle=shared.oracle if shared else None)


def iter_assignment(
    catalog: Catalog, submission: Path | None, options: Options, reporter: Reporter | None = None, jobs: int = 1,
    done: dict[str, ExerciseResult] | None = None,
) -> Iterator[ExerciseResult]:
    """Grade every item, ``jobs`` at a time (each in its own confined child), yielding the results in order.

    ``done``: items of this submission already graded, with these options (:func:`grade_numpy_items`)."""
    reporter = reporter or Reporter()
    done = done or {}
    items = catalog.items
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        folder = None
        refused: list[str] = []
        if submission is not None:
            folder = unpack(submission, Path(tmp), refused)
        shared = SharedSessions(options, reporter)

        def one(exercise: Exercise, path: Path | None) -> ExerciseResult:
            reporter.status(exercise.name)
            try:
                graded = done[exercise.name] if exercise.name in done else grade_one(exercise, path, options, reporter, shared)
                if refused and exercise is items[0]:
                    graded.notes.append(Msg("refused_files", names=", ".join(refused[:10])))
                return graded
            except CatalogError as exc:
                return grader_error(exercise, options, exc.message)
            except Exception as exc:  # a grader bug in one item must not lose the others
                return grader_error(exercise, options, Msg("check_error", error=f"{type(exc).__name__}: {exc}"))

        try:
            work = [(e, _path_for(e, folder)) for e in items]
            shared.warm(work)
            if jobs <= 1:
                for exercise, path in work:
                    yield one(exercise, path)
                return
            # the longest (TensorFlow) items first, so that the numpy ones fill the gaps
            order = sorted(range(len(work)), key=lambda i: not (work[i][0].kind == "exercise" and work[i][0].tensorflow))
            pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
            try:
                futures = {i: pool.submit(one, *work[i]) for i in order}
                for i in range(len(work)):
                    yield futures[i].result()
            finally:
                pool.shutdown(wait=True, cancel_futures=True)  # a consumer that stops early stops the rest
        finally:
            shared.close()


def default_jobs() -> int:
    """Items graded side by side by `grade all`: one per core, at most four (each may be a TensorFlow child)."""
    return max(1, min(4, os.cpu_count() or 1))


def _path_for(exercise: Exercise, folder: Path | None) -> Path | None:
    if folder is not None:
        return find_submission_file(exercise, folder)
    if exercise.kind == "quiz":
        return exercise.folder / "answers.toml"
    return exercise.stub_path


def grade_assignment(
    catalog: Catalog, submission: Path | None, options: Options, reporter: Reporter | None = None, jobs: int = 1,
    done: dict[str, ExerciseResult] | None = None,
) -> AssignmentResult:
    started = time.monotonic()
    result = AssignmentResult([], lang=options.lang, seed=options.seed)
    try:
        for item in iter_assignment(catalog, submission, options, reporter, jobs, done):
            result.results.append(item)
    except UnpackError as exc:
        result.problem = exc.message
        result.results = [not_submitted(e, options) for e in catalog.items]
    except CatalogError:
        raise
    result.seconds = time.monotonic() - started
    return result


def grade_numpy_items(catalog: Catalog, submission: Path, options: Options, stop: Callable[[], bool]) -> dict[str, ExerciseResult]:
    """The numpy exercises of one submission, graded as :func:`iter_assignment` grades them, until ``stop()``
    (checked before each): what `grade batch` does with a core that would wait for TensorFlow's import."""
    done: dict[str, ExerciseResult] = {}
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        try:
            folder = unpack(submission, Path(tmp), [])
        except UnpackError:
            return done  # the student's own pass reports it
        for exercise in catalog.items:
            if exercise.kind != "exercise" or exercise.tensorflow:
                continue
            if stop():
                break
            path = find_submission_file(exercise, folder)
            if path is None:
                continue
            try:
                done[exercise.name] = grade_one(exercise, path, options, Reporter(), None)
            except Exception:  # noqa: BLE001 - graded again, and reported, by the student's own pass
                continue
    return done
