"""Results of grading: a check's, an exercise's and an assignment's, their :class:`Status`, `grade validate`'s findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from grader.feedback import Advice, Detail, Explanation, detail_text, explanation_key, has_table
from grader.i18n import Msg, Text, TextLike, register, tr

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "mistake_see_above": {
        "ko": "위에서 설명한 것과 같은 흔한 실수입니다.",
        "en": "The same common mistake as explained above.",
    },
})


class Status(StrEnum):
    """What a check or an exercise came to, with its label (both languages), colour and marks.

    A check is ``passed``, ``failed`` or ``not_attempted``; an exercise (and a student's progress on one) is
    ``passed``, ``failing`` or ``not_attempted``.  The members are strings: JSON, the progress file and
    comparisons with plain strings (``status == "passed"``) are unchanged.
    """

    PASSED = "passed"
    FAILED = "failed"
    FAILING = "failing"
    NOT_ATTEMPTED = "not_attempted"

    @property
    def label(self) -> Msg:
        """The status in words: ``tr(status.label, lang)``."""
        return Msg(_LABELS[self])

    @property
    def colour(self) -> str:
        """Its colour in the terminal (a rich style)."""
        return _COLOURS[self]

    @property
    def mark(self) -> str:
        """One character for a table of checks."""
        return _MARKS[self]

    @property
    def icon(self) -> str:
        """An emoji, for Markdown (GitHub's job summary)."""
        return _ICONS[self]


_LABELS = {Status.PASSED: "status_passed", Status.FAILED: "failed", Status.FAILING: "status_failing",
           Status.NOT_ATTEMPTED: "status_not_attempted"}
_COLOURS = {Status.PASSED: "green", Status.FAILED: "red", Status.FAILING: "red", Status.NOT_ATTEMPTED: "yellow"}
_MARKS = {Status.PASSED: "✓", Status.FAILED: "✗", Status.FAILING: "✗", Status.NOT_ATTEMPTED: "–"}
_ICONS = {Status.PASSED: "✅", Status.FAILED: "❌", Status.FAILING: "❌", Status.NOT_ATTEMPTED: "⬜"}


#: What a check says instead of repeating a common-mistake explanation already given above.
SEE_ABOVE = "mistake_see_above"


class Problem(str):
    """One problem `grade validate` found: its English text (a plain ``str``, so lists of problems read, join and
    compare as before) and its message, which `grade validate --lang ko` shows in Korean."""

    message: Msg

    def __new__(cls, key: str, **params: object) -> "Problem":
        message = Msg(key, **params)
        self = super().__new__(cls, message.render("en"))
        self.message = message
        return self

    def render(self, lang: str) -> str:
        return self.message.render(lang)


class Problems(str):
    """Problems joined by "; " (a ``Finding.detail``): English as a ``str``, any language by :meth:`render`."""

    problems: tuple[str, ...]

    def __new__(cls, problems: "list[str] | tuple[str, ...] | str") -> "Problems":
        items = (problems,) if isinstance(problems, str) else tuple(problems)
        self = super().__new__(cls, "; ".join(p for p in items if p))
        self.problems = tuple(p for p in items if p)
        return self

    def render(self, lang: str) -> str:
        return "; ".join(render_problem(p, lang) for p in self.problems)


def render_problem(problem: str, lang: str) -> str:
    """A problem (or a finding's detail) in ``lang``: bilingual where it was written with :class:`Problem`."""
    return problem.render(lang) if isinstance(problem, (Problem, Problems)) else problem


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
    status: Status  # passed | failed | not_attempted (a plain string is converted)
    message: TextLike | None = None
    details: list[Detail] = field(default_factory=list)
    hidden: bool = False
    hint: Text | None = None
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.status = Status(self.status)
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
    def status(self) -> Status:
        if self.passed:
            return Status.PASSED
        if all(c.status == Status.NOT_ATTEMPTED for c in self.checks):
            return Status.NOT_ATTEMPTED
        return Status.FAILING

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


@dataclass
class AssignmentResult:
    """Every exercise and quiz of one submission (`grade all`, `grade batch`, the autograder)."""

    results: list[ExerciseResult]
    seconds: float = 0.0
    lang: str = "en"
    seed: int = 0
    problem: TextLike | None = None  # e.g. a corrupt zip

    @property
    def score(self) -> float:
        return round(sum(r.score for r in self.results), 4)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_score for r in self.results), 4)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def device(self) -> str:
        devices = sorted({r.device for r in self.results if r.device not in ("cpu", "-", "")})
        return ", ".join(devices) or "cpu"
