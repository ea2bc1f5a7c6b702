"""Instructor's proof that an exercise is sound: metadata, reference, stub, wrong and correct submissions.

Sample submissions live in ``tests/submissions/<exercise folder>/``: ``correct_*.py`` must score
full marks; ``wrong_*.py`` must fail the checks named in its header::

    # expect-fail: mse_lesson_example, mse_random
    # expect-message: half of the sum
"""

from __future__ import annotations

import atexit
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.catalog import Catalog, CatalogError, Exercise
from grader.checks import collect
from grader.i18n import LANGS, tr
from grader.judge import Options, grade
from grader.results import ExerciseResult

if TYPE_CHECKING:
    from grader.assignment import SharedSessions

SUBMISSIONS = Path("tests") / "submissions"


@dataclass
class Finding:
    exercise: str
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Sample:
    path: Path
    kind: str  # correct | wrong
    expect_fail: tuple[str, ...] = ()
    expect_message: str = ""


def samples(catalog: Catalog, exercise: Exercise) -> list[Sample]:
    folder = catalog.root / SUBMISSIONS / exercise.name
    found = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        kind = path.name.split("_", 1)[0]
        if kind not in ("correct", "wrong") or path.suffix not in (".py", ".ipynb", ".toml"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        fails = re.search(r"expect-fail:\s*([\w ,]+)", text)
        message = re.search(r"expect-message:\s*(.+)", text)
        found.append(
            Sample(
                path,
                kind,
                tuple(n.strip() for n in fails.group(1).split(",") if n.strip()) if fails else (),
                message.group(1).strip().rstrip('",') if message else "",
            )
        )
    return found


_POOL: "SharedSessions | None" = None


def _pool() -> "SharedSessions":
    """Validation grades many of the instructor's own samples: one warm child per kind serves them all."""
    global _POOL
    if _POOL is None:
        from grader.assignment import SharedSessions
        from grader.judge import Reporter

        _POOL = SharedSessions(Options(), Reporter())
        atexit.register(_POOL.close)
    return _POOL


def grade_quietly(exercise: Exercise, path: Path, seed: int, lang: str = "en") -> ExerciseResult:
    pool = _pool()
    return grade(exercise, path, Options(lang=lang, seed=seed, device="auto"), session=pool.get(exercise), oracle=pool.oracle)


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


def check_reference(exercise: Exercise, seed: int) -> str:
    if exercise.reference_path is None:
        return "no reference solution"
    result = grade_quietly(exercise, exercise.reference_path, seed)
    if result.passed and result.score == result.max_score:
        return ""
    if result.checks and all(c.status == "not_attempted" for c in result.checks):
        return "reference not written yet (it still raises NotImplementedError or equals the stub)"
    return "reference does not score full marks: " + failures(result)


def check_stub(exercise: Exercise, seed: int) -> str:
    result = grade_quietly(exercise, exercise.stub_path, seed)
    if result.score == 0 and all(c.status == "not_attempted" for c in result.checks):
        return ""
    return "stub should score 0 with every check 'not attempted': " + ", ".join(
        f"{c.name}={c.status}" for c in result.checks if c.status != "not_attempted" or c.points
    )


def check_sample(exercise: Exercise, sample: Sample, seed: int) -> str:
    result = grade_quietly(exercise, sample.path, seed)
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


def validate_exercise(catalog: Catalog, exercise: Exercise, seed: int = 1) -> list[Finding]:
    findings = [Finding(exercise.name, "metadata", not (p := check_metadata(exercise)), "; ".join(p))]
    if exercise.kind != "exercise":
        from grader import quiz

        return findings + quiz.validate_quiz(catalog, exercise, seed)
    for what, problem in (("reference", check_reference(exercise, seed)), ("stub", check_stub(exercise, seed))):
        findings.append(Finding(exercise.name, what, not problem, problem))
    for sample in samples(catalog, exercise):
        problem = check_sample(exercise, sample, seed)
        findings.append(Finding(exercise.name, sample.path.name, not problem, problem))
    return findings
