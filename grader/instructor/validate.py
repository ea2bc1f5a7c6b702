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
from grader.results import ExerciseResult, Finding, Problem, Problems, render_problem
from grader.source import fingerprints, lock_text, read_lock, read_source
import grader.instructor.validate_messages  # noqa: F401 - registers this module's messages

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


def scores_by_seed(exercise: Exercise, path: Path, seeds: int) -> dict[int, float]:
    """The file's score at ``--seed`` 1, 2, ..., ``seeds``. Graded in full at seed 1; at the other seeds only the
    checks whose result depended on the seed there are graded again (:func:`grader.checks.context.seed_checks`: they
    drew from ``ctx.rng``, from a secret draw without a fixed seed, trained a model built from the sandbox's seed, or
    used a shared value computed so); every other check would run the same code on the same inputs."""
    from grader.checks.context import seed_checks, seed_use_reset

    seed_use_reset()
    first = grade_quietly(exercise, path, 1)
    again = seed_checks()
    again = {c.name for c in first.checks} if again is None else again
    scores = {1: first.score}
    if not again:
        return scores
    fixed = first.score - sum(c.points for c in first.checks if c.name in again)
    only = _Only(exercise, again)
    for seed in range(2, seeds + 1):
        scores[seed] = fixed + grade_quietly(only, path, seed).score  # type: ignore[arg-type]
    return scores


class _Only:
    """An exercise graded with only the named checks (the seed-dependent ones): everything else is the exercise's."""

    def __init__(self, exercise: Exercise, names: set[str]) -> None:
        self._exercise, self._names = exercise, names

    def __getattr__(self, name: str) -> object:
        return getattr(self._exercise, name)

    def _only(self, module: object) -> object:
        if module is None:
            return None
        import types

        kept = types.ModuleType(getattr(module, "__name__", "checks"))
        kept.__file__ = getattr(module, "__file__", None)
        for key, value in vars(module).items():
            spec = getattr(value, "__grader_check__", None)
            if spec is not None and spec.name in self._names:
                setattr(kept, key, value)
        return kept

    def public_checks_module(self) -> object:
        return self._only(self._exercise.public_checks_module())

    def hidden_checks_module(self) -> object:
        return self._only(self._exercise.hidden_checks_module())


def check_stability(exercise: Exercise, path: Path, seeds: int) -> str:
    """The same file gets the same score at every seed from 1 to ``seeds``."""
    scores = scores_by_seed(exercise, path, seeds)
    if len(set(scores.values())) <= 1:
        return ""
    return Problem("validate_unstable", scores=", ".join(f"seed {k}: {v:g}" for k, v in scores.items()))


def validate_stability(catalog: Catalog, exercise: Exercise, seeds: int) -> list[Finding]:
    """`grade validate --seeds N`: the reference and every sample (the lessons' answers included) keep one score
    over N seeds."""
    if exercise.kind != "exercise":
        return []
    findings = []
    if exercise.reference_path is not None:
        problem = check_stability(exercise, exercise.reference_path, seeds)
        findings.append(Finding(exercise.name, f"reference: {seeds} seeds", not problem, problem))
    for sample in samples(catalog, exercise):
        with sample.file(exercise) as path:
            problem = check_stability(exercise, path, seeds)
        findings.append(Finding(exercise.name, f"{sample.path.name}: {seeds} seeds", not problem, problem))
    return findings


def check_metadata(exercise: Exercise) -> list[str]:
    """Problems with what students read: titles, statements, hints in both languages; points add up."""
    problems = []
    for lang in LANGS:
        if not exercise.title.get(lang):
            problems.append(Problem("validate_no_title", lang=lang))
        if exercise.kind == "exercise" and not exercise.statement(lang).strip():
            problems.append(Problem("validate_no_statement", lang=lang))
    hints = exercise.hints
    if len(hints) < 2:
        problems.append(Problem("validate_few_hints", n=len(hints)))
    for i, hint in enumerate(hints, 1):
        missing = [lang for lang in LANGS if not (isinstance(hint, dict) and hint.get(lang))]
        if missing:
            problems.append(Problem("validate_hint_missing", i=i, langs=", ".join(missing)))
    if exercise.kind != "exercise":
        return problems
    if not exercise.stub_path.exists():
        problems.append(Problem("validate_no_stub", file=exercise.stub_path.name))
    if exercise.reference_path is None:
        problems.append(Problem("validate_no_reference"))
    try:
        specs = collect(exercise.public_checks_module(), hidden=False)
        specs += collect(exercise.hidden_checks_module(), hidden=True)
    except CatalogError as exc:
        return problems + [Problem("validate_error", error=exc.message)]
    if exercise.hidden_checks_path is None:
        problems.append(Problem("validate_no_hidden"))
    for spec in specs:
        missing = [lang for lang in LANGS if not spec.title.get(lang)]
        if missing:
            problems.append(Problem("validate_check_no_title", check=spec.name, langs=", ".join(missing)))
    total = sum(s.points for s in specs)
    if exercise.hidden_checks_path is not None and abs(total - exercise.points) > 1e-9:
        problems.append(Problem("validate_points_differ", total=total, points=exercise.points))
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
        return [Problem("validate_unreadable", file=path.name, error=str(exc))]
    where = f"exercises/{exercise.name}/{path.name}"
    problems = [Problem("validate_quiz_top_key", where=where, line=key_line(text, k), key=k) for k in data if k != "questions"]
    for i, question in enumerate(data.get("questions", [])):
        for key in question:
            if key not in QUESTION_KEYS:
                close = difflib.get_close_matches(key, QUESTION_KEYS, n=1)
                problems.append(Problem("validate_question_key", where=where, line=key_line(text, "questions", i, key),
                                        n=i + 1, key=key, hint=Msg("validate_did_you_mean", name=close[0]) if close else ""))
        for choice in question.get("choices", []) if isinstance(question.get("choices"), list) else []:
            for key in choice if isinstance(choice, dict) else []:
                if key not in CHOICE_KEYS:
                    problems.append(Problem("validate_choice_key", where=where, n=i + 1, key=key, keys=", ".join(CHOICE_KEYS)))
    return problems


def placeholder_problems(exercise: Exercise) -> list[str]:
    """What still holds the scaffold's text (`grade new`): titles, statements, hints, the stub, the reference."""
    def found(text: str) -> str:
        return next((p for p in PLACEHOLDERS if p in text), "")

    problems = []
    for lang in LANGS:
        if hit := found(str(exercise.title.get(lang, ""))):
            problems.append(Problem("validate_placeholder_title", lang=lang, text=repr(hit)))
        if exercise.kind == "exercise" and (hit := found(exercise.statement(lang))):
            problems.append(Problem("validate_placeholder_statement", lang=lang, text=repr(hit)))
    for i, hint in enumerate(exercise.hints, 1):
        for lang in LANGS:
            if isinstance(hint, dict) and (hit := found(str(hint.get(lang, "")))):
                problems.append(Problem("validate_placeholder_hint", i=i, lang=lang, text=repr(hit)))
    if exercise.kind != "exercise":
        quiz_files = [exercise.folder / "questions.toml"]
        quiz_files += [exercise.solution_folder / "key.toml"] if exercise.solution_folder is not None else []
        for path in quiz_files:
            if path.is_file() and (hit := found(path.read_text(encoding="utf-8"))):
                problems.append(Problem("validate_placeholder_file", file=path.name, text=repr(hit)))
        return problems
    for sample in sorted((exercise.folder.parent.parent / SUBMISSIONS / exercise.name).glob("*.py")):
        if hit := found(sample.read_text(encoding="utf-8", errors="replace")):
            problems.append(Problem("validate_placeholder_sample", file=sample.name, text=repr(hit)))
    if exercise.stub_path.exists() and (hit := found(read_source(exercise.stub_path))):
        problems.append(Problem("validate_placeholder_stub", file=exercise.stub_path.name, text=repr(hit)))
    if exercise.reference_path is not None and REFERENCE_PLACEHOLDER in read_source(exercise.reference_path):
        problems.append(Problem("validate_placeholder_reference"))
    return problems


def sample_problems(catalog: Catalog, exercise: Exercise) -> list[str]:
    """At least three wrong samples and one correct sample in tests/submissions/<exercise>/ (quizzes exempt)."""
    if exercise.kind != "exercise":
        return []
    found = samples(catalog, exercise)
    folder = catalog.root / SUBMISSIONS / exercise.name
    if not found:
        state = Msg("validate_samples_folder_empty" if folder.is_dir() else "validate_samples_folder_missing")
        return [Problem("validate_no_samples", where=f"{SUBMISSIONS.as_posix()}/{exercise.name}", state=state,
                        min=MIN_WRONG_SAMPLES)]
    wrong = sum(s.kind == "wrong" for s in found)
    correct = sum(s.kind == "correct" for s in found)
    where = (SUBMISSIONS / exercise.name).as_posix()
    problems = []
    if wrong < MIN_WRONG_SAMPLES:
        problems.append(Problem("validate_few_wrong", n=wrong, where=where, min=MIN_WRONG_SAMPLES))
    if correct < 1:
        problems.append(Problem("validate_no_correct", where=where))
    return problems


def fingerprint_problem(exercise: Exercise) -> str:
    """``stub.lock`` is missing or no longer matches the stub.

    Only the course repository (with ``solutions/``) holds the stub as shipped; in a student's copy a
    stub that differs from ``stub.lock`` has simply been attempted, so there it is not a problem."""
    if exercise.kind != "exercise" or not exercise.stub_path.exists():
        return ""
    lock = read_lock(exercise.folder / LOCK_FILE)
    if lock is None:
        return Problem("validate_no_lock", lock=LOCK_FILE)
    if lock[0] and lock[0] != exercise.meta.get("file"):
        return Problem("validate_lock_other_file", lock=LOCK_FILE, locked=lock[0], file=exercise.meta.get("file"))
    if exercise.solution_folder is None:
        return ""
    current = fingerprints(read_source(exercise.stub_path))
    changed = sorted(n for n in set(current) | set(lock[1]) if current.get(n) != lock[1].get(n))
    if changed:
        return Problem("validate_stub_changed", lock=LOCK_FILE, names=", ".join(changed))
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
        Problem("validate_check_raised", exercise=exercise.name, check=c.name, error=str(c.message.params.get("error")))
        for c in result.checks
        if isinstance(c.message, Msg) and c.message.key == "check_error"
    ]
    return Problems(found)


def check_reference(exercise: Exercise, seed: int) -> str:
    """The reference pasted over the stub in place (in a temporary copy) scores full marks."""
    if exercise.reference_path is None:
        return Problem("validate_no_reference_short")
    with tempfile.TemporaryDirectory(prefix="grade-validate-") as tmp:
        copy = in_place(exercise, exercise.reference_path, Path(tmp))
        result = grade_quietly(copy, copy.stub_path, seed)
    if errors := check_errors(exercise, result):
        return errors
    if result.passed and result.score == result.max_score:
        return ""
    if result.checks and all(c.status == "not_attempted" for c in result.checks):
        if exercise.fingerprints is not None and fingerprints(read_source(exercise.reference_path)) == exercise.fingerprints:
            return Problem("validate_reference_is_stub")
        return Problem("validate_reference_unwritten")
    graded_apart = grade_quietly(exercise, exercise.reference_path, seed)  # in place only, or the reference itself?
    if graded_apart.passed and graded_apart.score == graded_apart.max_score:
        return Problem("validate_reference_only_apart", failures=both_failures(result))
    return Problem("validate_reference_not_full", failures=both_failures(result))


def check_stub(exercise: Exercise, seed: int) -> str:
    result = grade_quietly(exercise, exercise.stub_path, seed)
    if errors := check_errors(exercise, result):
        return errors
    if result.score == 0 and all(c.status == "not_attempted" for c in result.checks):
        return ""
    return Problem("validate_stub_scores", checks=", ".join(
        f"{c.name}={c.status}" for c in result.checks if c.status != "not_attempted" or c.points
    ))


def check_sample(exercise: Exercise, sample: Sample, seed: int) -> str:
    with sample.file(exercise) as path:
        result = grade_quietly(exercise, path, seed)
    if errors := check_errors(exercise, result):
        return errors
    if sample.kind == "correct":
        return "" if result.passed else Problem("validate_correct_fails", failures=both_failures(result))
    by_name = {c.name: c for c in result.checks}
    if result.passed:
        return Problem("validate_wrong_passes")
    unknown = [n for n in sample.expect_fail if n not in by_name]
    if unknown:
        return Problem("validate_unknown_expected", names=", ".join(unknown))
    passing = [n for n in sample.expect_fail if by_name[n].passed]
    if passing:
        return Problem("validate_expected_fail_passed", names=", ".join(passing))
    if sample.expect_message:
        texts = [by_name[n].output("en") for n in sample.expect_fail] or [c.output("en") for c in result.checks]
        if not any(sample.expect_message.lower() in t.lower() for t in texts):
            return Problem("validate_message_missing", text=repr(sample.expect_message))
    return ""


def failures(result: ExerciseResult, lang: str = "en") -> str:
    return "; ".join(f"{c.name}: {c.output(lang)[:200]}" for c in result.checks if not c.passed) or (
        tr(result.problem, lang) if result.problem else tr(Msg("validate_no_checks"), lang)
    )


def both_failures(result: ExerciseResult) -> dict[str, str]:
    """:func:`failures` in every language (a message parameter rendered in the message's language)."""
    return {lang: failures(result, lang) for lang in LANGS}


def validate_static(catalog: Catalog, exercise: Exercise) -> list[Finding]:
    """The findings that need no grading (`grade validate --static`, and the refusal of `grade release`)."""
    findings = [
        Finding(exercise.name, "metadata", not (p := check_metadata(exercise) + question_key_problems(exercise)),
                Problems(p)),
        Finding(exercise.name, "placeholders", not (p := placeholder_problems(exercise)), Problems(p)),
    ]
    if exercise.kind == "exercise":
        findings.append(Finding(exercise.name, "samples", not (p := sample_problems(catalog, exercise)), Problems(p)))
        findings.append(Finding(exercise.name, "fingerprints", not (f := fingerprint_problem(exercise)), f))
    return findings


def validate_exercise(catalog: Catalog, exercise: Exercise, seed: int = 1, static: bool = False,
                      seeds: int = 0) -> list[Finding]:
    """Every finding about one exercise; with ``seeds`` > 1 also whether each file keeps one score over that many
    seeds (:func:`validate_stability`)."""
    findings = validate_static(catalog, exercise)
    if static:
        return findings
    if seeds > 1:
        findings += validate_stability(catalog, exercise, seeds)
    if exercise.kind != "exercise":
        return findings + validate_quiz(catalog, exercise, seed)
    for what, problem in (("reference in place", check_reference(exercise, seed)), ("stub", check_stub(exercise, seed))):
        findings.append(Finding(exercise.name, what, not problem, problem))
    for sample in samples(catalog, exercise):
        problem = check_sample(exercise, sample, seed)
        findings.append(Finding(exercise.name, sample.path.name, not problem, problem))
    return findings
