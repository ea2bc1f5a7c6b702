"""Results of grading: per check and per exercise, and their Gradescope-compatible JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grader import __version__
from grader.feedback import Advice, Detail, Explanation, detail_text, explanation_key, has_table
from grader.i18n import Msg, Text, TextLike, tr


#: What a check says instead of repeating a common-mistake explanation already given above.
SEE_ABOVE = "mistake_see_above"


@dataclass
class Finding:
    """One line of `grade validate`: what was checked for which exercise, and what is wrong (empty if ok)."""

    exercise: str
    what: str
    ok: bool
    detail: str = ""


@dataclass
class CheckResult:
    name: str
    title: Text
    points: float
    max_points: float
    status: str  # passed | failed | not_attempted
    message: TextLike | None = None
    details: list[Detail] = field(default_factory=list)
    hidden: bool = False
    hint: Text | None = None
    seconds: float = 0.0

    def __post_init__(self) -> None:
        # "(table below)" only when a table follows
        if isinstance(self.message, Msg) and self.message.key == "layers_differ" and not has_table(self.details):
            self.message = Msg("layers_differ_no_table")

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def output(self, lang: str) -> str:
        parts = [tr(self.message, lang)] if self.message else []
        parts += [detail_text(d, lang) for d in self.details]
        return "\n".join(p for p in parts if p)


@dataclass
class ExerciseResult:
    exercise: str
    title: Text
    checks: list[CheckResult]
    seed: int
    lang: str
    device: str = "cpu"
    isolation: list[str] = field(default_factory=list)  # the sandbox's layers that were in force
    backend: str = ""  # Keras' backend, for exercises that run Keras
    seconds: float = 0.0
    output: str = ""
    output_dropped: int = 0
    hidden_run: bool = False
    hints: list[Text] = field(default_factory=list)
    problem: TextLike | None = None  # a verdict for the whole file: syntax error, crash at load
    notes: list[TextLike] = field(default_factory=list)  # how the file was read (e.g. notebook cells left out)
    problem_details: list[Detail] = field(default_factory=list)  # the student's line and a caret, advice
    file: str = ""  # the stub's file name (losses.py), for the next-step messages

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 4)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 4)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        if all(c.status == "not_attempted" for c in self.checks):
            return "not_attempted"
        return "failing"

    @property
    def counts(self) -> tuple[int, int]:
        hidden = sum(1 for c in self.checks if c.hidden)
        return len(self.checks) - hidden, hidden

    def dedupe_explanations(self) -> None:
        """A common mistake is explained once per exercise: later checks it explains point back to it."""
        seen: set[str] = set()
        for check in self.checks:
            kept: list[Detail] = []
            for detail in check.details:
                if isinstance(detail, Explanation):
                    key = explanation_key(detail)
                    if key in seen:
                        if not any(isinstance(d, Advice) and isinstance(d.text, Msg) and d.text.key == SEE_ABOVE for d in kept):
                            kept.append(Advice(Msg(SEE_ABOVE)))
                        continue
                    seen.add(key)
                kept.append(detail)
            check.details = kept

    def summary_text(self, lang: str) -> str:
        public, hidden = self.counts
        lines = [tr(self.problem, lang)] if self.problem else []
        lines += [detail_text(d, lang) for d in self.problem_details]
        lines += [tr(note, lang) for note in self.notes]
        lines.append(tr(Msg("checks_summary", public=public, hidden=hidden), lang))
        if not self.hidden_run:
            lines.append(tr(Msg("hidden_not_run"), lang))
        if self.output:
            lines.append(f"{tr(Msg('student_output'), lang)}:\n{self.output}")
            if self.output_dropped:
                lines.append(tr(Msg("truncated", n=self.output_dropped), lang))
        return "\n".join(lines)


def gradescope_tests(result: ExerciseResult, lang: str, number_prefix: str = "") -> list[dict[str, Any]]:
    from grader.report.structured import test_fields

    tests = []
    for i, check in enumerate(result.checks, start=1):
        tests.append(
            {
                "name": f"{result.exercise}: {tr(check.title, lang)}",
                "number": f"{number_prefix}{i}",
                "score": check.points,
                "max_score": check.max_points,
                "status": "passed" if check.passed else "failed",
                "output": check.output(lang),
                "visibility": "after_due_date" if check.hidden else "visible",
                "tags": [result.exercise, check.name, check.status],
                **test_fields(check, lang),  # mistakes, verdict, feedback as data (grader/report/structured.py)
            }
        )
    return tests


def to_gradescope(result: ExerciseResult) -> dict[str, Any]:
    """Gradescope's results.json, with the grader's own fields beside it."""
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
