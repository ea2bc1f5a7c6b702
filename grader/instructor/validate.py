"""Instructor's proof that an exercise is sound: metadata, reference, stub, wrong and correct submissions.

The sample submissions it grades, and those written as "the reference plus a patch", are read by
``grader/instructor/samples.py``.

Students grade the stub file itself, edited in place, so "not attempted" is decided by the stub's
fingerprints as shipped (``stub.lock``, grader/source.py). ``grade validate --fix`` rewrites them
after the instructor changes a stub; in the course repository (where ``solutions/`` exists) a stub
whose fingerprints differ from ``stub.lock`` is a problem, for a student it simply means "attempted".

``static_problems`` is the cheap part (no grading): metadata, scaffold placeholders, sample
submissions, fingerprints. ``grade release`` and ``grade autograder`` refuse an exercise that fails it.
"""

from __future__ import annotations

import atexit
import dataclasses
import difflib
import shutil
import tempfile
import tomllib
from pathlib import Path

from grader.assignment import SharedSessions
from grader.catalog import LOCK_FILE, Catalog, CatalogError, Exercise, key_line
from grader.checks import collect
from grader.i18n import LANGS, Msg, tr
from grader.instructor.samples import MIN_WRONG_SAMPLES, SUBMISSIONS, Sample, samples
from grader.instructor.scaffold import PLACEHOLDERS, REFERENCE_PLACEHOLDER
from grader.judge import Options, Reporter, grade
from grader.quiz.validate import validate_quiz
from grader.results import ExerciseResult, Finding
from grader.source import fingerprints, lock_text, read_lock, read_source

_POOL: SharedSessions | None = None


def _pool() -> SharedSessions:
    """Validation grades many of the instructor's own samples: they share the warm workers and one oracle."""
    global _POOL
    if _POOL is None:
        _POOL = SharedSessions(Options(), Reporter())
        atexit.register(_POOL.close)
    return _POOL


def grade_quietly(exercise: Exercise, path: Path, seed: int, lang: str = "en") -> ExerciseResult:
    pool = _pool()
    return grade(exercise, path, Options(lang=lang, seed=seed, device="auto"), pool.reporter, oracle=pool.oracle)


def check_metadata(exercise: Exercise) -> list[str]:
    """Problems with what students read: titles, statements, hints in both languages; points add up."""
    problems = []
    for lang in LANGS:
        if not exercise.title.get(lang):
            problems.append(f"title has no '{lang}'")
        if exercise.kind == "exercise" and not exercise.statement(lang).strip():
            problems.append(f"statement.{lang}.md is missing or empty")
    hints = exercise.hints
    if len(hints) < 2:
        problems.append(f"{len(hints)} hints; at least 2 are needed")
    for i, hint in enumerate(hints, 1):
        missing = [lang for lang in LANGS if not (isinstance(hint, dict) and hint.get(lang))]
        if missing:
            problems.append(f"hint {i} has no {', '.join(missing)}")
    if exercise.kind != "exercise":
        return problems
    if not exercise.stub_path.exists():
        problems.append(f"stub {exercise.stub_path.name} is missing")
    if exercise.reference_path is None:
        problems.append("no reference solution in solutions/")
    try:
        specs = collect(exercise.public_checks_module(), hidden=False)
        specs += collect(exercise.hidden_checks_module(), hidden=True)
    except CatalogError as exc:
        return problems + [str(exc)]
    if exercise.hidden_checks_path is None:
        problems.append("no hidden checks in solutions/")
    for spec in specs:
        missing = [lang for lang in LANGS if not spec.title.get(lang)]
        if missing:
            problems.append(f"check {spec.name} has no title in {', '.join(missing)}")
    total = sum(s.points for s in specs)
    if exercise.hidden_checks_path is not None and abs(total - exercise.points) > 1e-9:
        problems.append(f"checks add up to {total:g} points, exercise.toml says {exercise.points:g}")
    return problems


#: The keys of a question in a quiz's questions.toml, and of one of its choices (grader/quiz/ reads them).
QUESTION_KEYS = ("id", "kind", "title", "prompt", "hint", "choices", "points", "tries", "abs_tol", "rel_tol", "integer")
CHOICE_KEYS = ("id", "text", "ko", "en")


def question_key_problems(exercise: Exercise) -> list[str]:
    """Unknown (misspelled) keys in a quiz's questions.toml, each with its file and line."""
    if exercise.kind != "quiz":
        return []
    path = exercise.folder / "questions.toml"
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [f"{path.name}: {exc}"]
    where = f"exercises/{exercise.name}/{path.name}"
    problems = [f"{where}:{key_line(text, k)}: unknown key '{k}' (only [[questions]] tables)" for k in data if k != "questions"]
    for i, question in enumerate(data.get("questions", [])):
        for key in question:
            if key not in QUESTION_KEYS:
                close = difflib.get_close_matches(key, QUESTION_KEYS, n=1)
                problems.append(f"{where}:{key_line(text, 'questions', i, key)}: question {i + 1}: unknown key '{key}'"
                                + (f" (did you mean '{close[0]}'?)" if close else ""))
        for choice in question.get("choices", []) if isinstance(question.get("choices"), list) else []:
            for key in choice if isinstance(choice, dict) else []:
                if key not in CHOICE_KEYS:
                    problems.append(f"{where}: question {i + 1}: a choice has the unknown key '{key}' "
                                    f"(keys: {', '.join(CHOICE_KEYS)})")
    return problems


def placeholder_problems(exercise: Exercise) -> list[str]:
    """What still holds the scaffold's text (`grade new`): titles, statements, hints, the stub, the reference."""
    def found(text: str) -> str:
        return next((p for p in PLACEHOLDERS if p in text), "")

    problems = []
    for lang in LANGS:
        if hit := found(str(exercise.title.get(lang, ""))):
            problems.append(f"title ({lang}) still says {hit!r}")
        if exercise.kind == "exercise" and (hit := found(exercise.statement(lang))):
            problems.append(f"statement.{lang}.md still says {hit!r}")
    for i, hint in enumerate(exercise.hints, 1):
        for lang in LANGS:
            if isinstance(hint, dict) and (hit := found(str(hint.get(lang, "")))):
                problems.append(f"hint {i} ({lang}) still says {hit!r}")
    if exercise.kind != "exercise":
        quiz_files = [exercise.folder / "questions.toml"]
        quiz_files += [exercise.solution_folder / "key.toml"] if exercise.solution_folder is not None else []
        for path in quiz_files:
            if path.is_file() and (hit := found(path.read_text(encoding="utf-8"))):
                problems.append(f"{path.name} still says {hit!r}")
        return problems
    for sample in sorted((exercise.folder.parent.parent / SUBMISSIONS / exercise.name).glob("*.py")):
        if hit := found(sample.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"sample {sample.name} still says {hit!r}")
    if exercise.stub_path.exists() and (hit := found(read_source(exercise.stub_path))):
        problems.append(f"stub {exercise.stub_path.name} still says {hit!r}")
    if exercise.reference_path is not None and REFERENCE_PLACEHOLDER in read_source(exercise.reference_path):
        problems.append("the reference solution is still the scaffold's (raises NotImplementedError)")
    return problems


def sample_problems(catalog: Catalog, exercise: Exercise) -> list[str]:
    """At least three wrong samples and one correct sample in tests/submissions/<exercise>/ (quizzes exempt)."""
    if exercise.kind != "exercise":
        return []
    found = samples(catalog, exercise)
    folder = catalog.root / SUBMISSIONS / exercise.name
    if not found:
        return [f"no sample submissions: {SUBMISSIONS.as_posix()}/{exercise.name}/ "
                + ("has no correct_* or wrong_* file" if folder.is_dir() else "is missing")
                + f" (at least {MIN_WRONG_SAMPLES} wrong_* and 1 correct_* are needed; `grade new` writes one of each)"]
    wrong = sum(s.kind == "wrong" for s in found)
    correct = sum(s.kind == "correct" for s in found)
    where = (SUBMISSIONS / exercise.name).as_posix()
    problems = []
    if wrong < MIN_WRONG_SAMPLES:
        problems.append(f"{wrong} wrong_* samples in {where}/; at least {MIN_WRONG_SAMPLES} are needed")
    if correct < 1:
        problems.append(f"no correct_* sample in {where}/")
    return problems


def fingerprint_problem(exercise: Exercise) -> str:
    """``stub.lock`` is missing or no longer matches the stub.

    Only the course repository (with ``solutions/``) holds the stub as shipped; in a student's copy a
    stub that differs from ``stub.lock`` has simply been attempted, so there it is not a problem."""
    if exercise.kind != "exercise" or not exercise.stub_path.exists():
        return ""
    lock = read_lock(exercise.folder / LOCK_FILE)
    if lock is None:
        return f"no fingerprints of the stub ({LOCK_FILE}): in-place grading cannot tell untouched functions; run `grade validate --fix`"
    if lock[0] and lock[0] != exercise.meta.get("file"):
        return f"{LOCK_FILE} is for {lock[0]}, the stub is {exercise.meta.get('file')}; run `grade validate --fix`"
    if exercise.solution_folder is None:
        return ""
    current = fingerprints(read_source(exercise.stub_path))
    changed = sorted(n for n in set(current) | set(lock[1]) if current.get(n) != lock[1].get(n))
    if changed:
        return (f"the stub differs from its fingerprints in {LOCK_FILE} ({', '.join(changed)}): if you changed the stub "
                "on purpose run `grade validate --fix`, otherwise restore it (`git diff` shows what changed)")
    return ""


def write_fingerprints(exercise: Exercise) -> bool:
    """(Re)write ``stub.lock`` from the current stub; True when it changed."""
    if exercise.kind != "exercise" or not exercise.stub_path.exists():
        return False
    path = exercise.folder / LOCK_FILE
    text = lock_text(exercise.meta["file"], fingerprints(read_source(exercise.stub_path)))
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def static_problems(catalog: Catalog, exercise: Exercise) -> list[str]:
    """Every problem found without grading anything: what `grade release` and `grade autograder` refuse."""
    problems = check_metadata(exercise) + question_key_problems(exercise) + placeholder_problems(exercise)
    problems += sample_problems(catalog, exercise)
    if problem := fingerprint_problem(exercise):
        problems.append(problem)
    return problems


def drafts(catalog: Catalog, items: list[Exercise] | None = None) -> dict[str, list[str]]:
    """The exercises that fail the static validation, by name, with their problems."""
    found = {}
    for item in catalog.items if items is None else items:
        problems = static_problems(catalog, item)
        if problems:
            found[item.name] = problems
    return found


def in_place(exercise: Exercise, source_file: Path, into: Path) -> Exercise:
    """A copy of the exercise folder under ``into`` with ``source_file`` pasted over the stub, as a student does."""
    exercise.public_checks_module()  # loaded from the real folder, before the copy
    folder = into / "exercises" / exercise.name
    shutil.copytree(exercise.folder, folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".grade_state.json"))
    shutil.copyfile(source_file, folder / exercise.meta["file"])
    return dataclasses.replace(exercise, folder=folder)


def check_errors(exercise: Exercise, result: ExerciseResult) -> str:
    """The checks that raised themselves (a bug in the check, e.g. a mistake detector that raised) while grading:
    the student only reads "tell your instructor", so validation names the exercise, the check and the error."""
    found = [
        f"{exercise.name}: check {c.name} raised {c.message.params.get('error')}"
        for c in result.checks
        if isinstance(c.message, Msg) and c.message.key == "check_error"
    ]
    return "; ".join(found)


def check_reference(exercise: Exercise, seed: int) -> str:
    """The reference pasted over the stub in place (in a temporary copy) scores full marks."""
    if exercise.reference_path is None:
        return "no reference solution"
    with tempfile.TemporaryDirectory(prefix="grade-validate-") as tmp:
        copy = in_place(exercise, exercise.reference_path, Path(tmp))
        result = grade_quietly(copy, copy.stub_path, seed)
    if errors := check_errors(exercise, result):
        return errors
    if result.passed and result.score == result.max_score:
        return ""
    if result.checks and all(c.status == "not_attempted" for c in result.checks):
        if exercise.fingerprints is not None and fingerprints(read_source(exercise.reference_path)) == exercise.fingerprints:
            return "reference not written yet: it equals the stub's fingerprints"
        return "reference not written yet (it still raises NotImplementedError or equals the stub)"
    graded_apart = grade_quietly(exercise, exercise.reference_path, seed)  # in place only, or the reference itself?
    if graded_apart.passed and graded_apart.score == graded_apart.max_score:
        return "the reference scores full marks from solutions/ but not pasted in place over the stub: " + failures(result)
    return "reference does not score full marks: " + failures(result)


def check_stub(exercise: Exercise, seed: int) -> str:
    result = grade_quietly(exercise, exercise.stub_path, seed)
    if errors := check_errors(exercise, result):
        return errors
    if result.score == 0 and all(c.status == "not_attempted" for c in result.checks):
        return ""
    return "stub should score 0 with every check 'not attempted': " + ", ".join(
        f"{c.name}={c.status}" for c in result.checks if c.status != "not_attempted" or c.points
    )


def check_sample(exercise: Exercise, sample: Sample, seed: int) -> str:
    with sample.file(exercise) as path:
        result = grade_quietly(exercise, path, seed)
    if errors := check_errors(exercise, result):
        return errors
    if sample.kind == "correct":
        return "" if result.passed else "correct submission fails: " + failures(result)
    by_name = {c.name: c for c in result.checks}
    if result.passed:
        return "wrong submission passes every check"
    unknown = [n for n in sample.expect_fail if n not in by_name]
    if unknown:
        return f"expect-fail names unknown checks: {', '.join(unknown)}"
    passing = [n for n in sample.expect_fail if by_name[n].passed]
    if passing:
        return f"expected to fail {', '.join(passing)}, which passed"
    if sample.expect_message:
        texts = [by_name[n].output("en") for n in sample.expect_fail] or [c.output("en") for c in result.checks]
        if not any(sample.expect_message.lower() in t.lower() for t in texts):
            return f"no failing check says {sample.expect_message!r}"
    return ""


def failures(result: ExerciseResult) -> str:
    return "; ".join(f"{c.name}: {c.output('en')[:200]}" for c in result.checks if not c.passed) or (
        tr(result.problem, "en") if result.problem else "no checks"
    )


def validate_static(catalog: Catalog, exercise: Exercise) -> list[Finding]:
    """The findings that need no grading (`grade validate --static`, and the refusal of `grade release`)."""
    findings = [
        Finding(exercise.name, "metadata", not (p := check_metadata(exercise) + question_key_problems(exercise)),
                "; ".join(p)),
        Finding(exercise.name, "placeholders", not (p := placeholder_problems(exercise)), "; ".join(p)),
    ]
    if exercise.kind == "exercise":
        findings.append(Finding(exercise.name, "samples", not (p := sample_problems(catalog, exercise)), "; ".join(p)))
        findings.append(Finding(exercise.name, "fingerprints", not (f := fingerprint_problem(exercise)), f))
    return findings


def validate_exercise(catalog: Catalog, exercise: Exercise, seed: int = 1, static: bool = False) -> list[Finding]:
    findings = validate_static(catalog, exercise)
    if static:
        return findings
    if exercise.kind != "exercise":
        return findings + validate_quiz(catalog, exercise, seed)
    for what, problem in (("reference in place", check_reference(exercise, seed)), ("stub", check_stub(exercise, seed))):
        findings.append(Finding(exercise.name, what, not problem, problem))
    for sample in samples(catalog, exercise):
        problem = check_sample(exercise, sample, seed)
        findings.append(Finding(exercise.name, sample.path.name, not problem, problem))
    return findings
