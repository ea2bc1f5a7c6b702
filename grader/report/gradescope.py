"""Gradescope's ``results.json`` (with the grader's own fields beside it) for one exercise or a whole assignment."""

from __future__ import annotations

from typing import Any

from grader import __version__
from grader.i18n import tr
from grader.report.structured import exercise_fields, test_fields
from grader.results import AssignmentResult, ExerciseResult, Status


def gradescope_tests(result: ExerciseResult, lang: str, number_prefix: str = "") -> list[dict[str, Any]]:
    tests = []
    for i, check in enumerate(result.checks, start=1):
        tests.append(
            {
                "name": f"{result.exercise}: {tr(check.title, lang)}",
                "number": f"{number_prefix}{i}",
                "score": check.points,
                "max_score": check.max_points,
                "status": Status.PASSED if check.passed else Status.FAILED,
                "output": check.output(lang),
                "visibility": "after_due_date" if check.hidden else "visible",
                "tags": [result.exercise, check.name, check.status],
                **test_fields(check, lang),  # mistakes, verdict, feedback as data (grader/report/structured.py)
            }
        )
    return tests


def to_gradescope(result: ExerciseResult | AssignmentResult) -> dict[str, Any]:
    """Gradescope's results.json, with the grader's own fields beside it: one exercise, or a whole assignment
    (its tests numbered exercise.check)."""
    if isinstance(result, AssignmentResult):
        return _assignment_document(result)
    lang = result.lang
    return {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": round(result.seconds, 3),
        "output": result.summary_text(lang),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": gradescope_tests(result, lang),
        "exercise": result.exercise,
        "status": result.status,
        "seed": result.seed,
        "device": result.device,
        "isolation": result.isolation,
        "backend": result.backend,
        "lang": lang,
        "grader_version": __version__,
    }


def _assignment_document(result: AssignmentResult) -> dict[str, Any]:
    tests = []
    for r in result.results:
        tests += gradescope_tests(r, result.lang, number_prefix=f"{r.exercise.split('_')[0]}.")
    lines = [tr(result.problem, result.lang)] if result.problem else []
    lines += [f"{r.exercise}: {r.score:g}/{r.max_score:g} ({r.status})" for r in result.results]
    return {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": round(result.seconds, 3),
        "output": "\n".join(lines),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "exercises": {
            r.exercise: {"score": r.score, "max_score": r.max_score, "status": r.status, "seconds": round(r.seconds, 3),
                         **exercise_fields(r, result.lang)}  # title, verdict, problem, output (report/structured.py)
            for r in result.results
        },
        "problem": tr(result.problem, result.lang) if result.problem else "",
        "seed": result.seed,
        "device": result.device,
        "isolation": sorted({layer for r in result.results for layer in r.isolation}),
        "lang": result.lang,
        "grader_version": __version__,
    }
