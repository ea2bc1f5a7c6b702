"""Quizzes: the question model, reading and checking one answer, the retry policy and scoring.

A quiz is two folders.  ``exercises/qNN_slug/`` holds ``exercise.toml`` (``kind = "quiz"``, the
retry policy) and ``questions.toml`` (bilingual questions); ``solutions/qNN_slug/key.toml`` holds the
answers and explanations.  Students get ``exercises/qNN_slug/key.public.toml`` instead (scrypt hashes
and AES-GCM, see ``quiz_key``).  The answers file (``answers.toml``: answers and tries) is read and
written by ``quiz_answers``; validation is in ``quiz_validate``; the interactive session in ``quiz_view``.
"""

from __future__ import annotations

import math
import random
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from grader.catalog import CatalogError, Exercise
from grader.i18n import LANGS, Msg, both
from grader.results import CheckResult, ExerciseResult

QUESTIONS_FILE = "questions.toml"
KEY_FILE = "key.toml"
PUBLIC_KEY_FILE = "key.public.toml"
ANSWERS_FILE = "answers.toml"
PUBLIC_FORMAT = "grader-quiz-key/2"
KINDS = ("single", "multiple", "numeric", "text")
DEFAULT_TRIES = {"single": 2, "multiple": 2, "numeric": 3, "text": 3}
#: What each wrong try multiplies a question's points by: choices score on the first try only,
#: numeric and text answers lose half per wrong try (``[retry_factor]`` in exercise.toml).
DEFAULT_RETRY_FACTOR = {"single": 0.0, "multiple": 0.0, "numeric": 0.5, "text": 0.5}
GRID = 20  # grid points per tolerance in the hashed numeric scheme

# names that moved to grader.quiz_answers / quiz_validate / quiz_key, still importable from here
_MOVED = {
    "AnswerSheet": "grader.quiz_answers", "answers_template": "grader.quiz_answers",
    "grade_answers_file": "grader.quiz_answers", "grade_missing": "grader.quiz_answers",
    "load_answers_toml": "grader.quiz_answers", "read_answer_sheet": "grader.quiz_answers",
    "right_answers": "grader.quiz_answers", "save_answers": "grader.quiz_answers",
    "validate_quiz": "grader.quiz_validate", "hashed_key": "grader.quiz_key",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'grader.quiz' has no attribute {name!r}")


def text(key: str, **params: Any) -> dict[str, str]:
    """A quiz message in every language."""
    return both(Msg("quiz_" + key, **params))


def _join(*parts: dict[str, str] | None, sep: str = "\n") -> dict[str, str]:
    return {lang: sep.join(p[lang] for p in parts if p and p.get(lang)) for lang in LANGS}


class AnswerError(Exception):
    """An answer that cannot be read (not a wrong answer): a bilingual message naming the question."""

    def __init__(self, message: dict[str, str]) -> None:
        super().__init__(message["en"])
        self.message = message


class AnswersFileError(Exception):
    """An answers file that cannot be graded; ``problems`` are bilingual messages."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(p["en"] for p in problems))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# questions


@dataclass
class Choice:
    id: str
    text: dict[str, str]


@dataclass
class Question:
    id: str
    kind: str
    title: dict[str, str]
    prompt: dict[str, str]
    points: float = 1.0
    tries: int = 2
    choices: list[Choice] = field(default_factory=list)
    abs_tol: float | None = None
    rel_tol: float | None = None
    integer: bool = False
    hint: dict[str, str] | None = None

    def choice_ids(self) -> list[str]:
        return [c.id for c in self.choices]

    def shuffled(self, seed: int) -> list[Choice]:
        """The choices in the order shown for ``seed`` (the key refers to ids, never positions)."""
        order = list(self.choices)
        random.Random(f"{seed}:{self.id}").shuffle(order)
        return order

    def tolerance_note(self) -> dict[str, str] | None:
        if self.kind != "numeric":
            return None
        if self.abs_tol:
            return text("tol_abs", tol=self.abs_tol)
        if self.rel_tol:
            return text("tol_rel", pct=round(self.rel_tol * 100, 6))
        return text("tol_int" if self.integer else "tol_exact")

    def full_prompt(self) -> dict[str, str]:
        return _join(self.prompt, self.tolerance_note(), sep=" ")


def _bilingual(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {lang: value for lang in LANGS}
    if isinstance(value, dict) and all(isinstance(value.get(lang), str) for lang in LANGS):
        return {lang: value[lang] for lang in LANGS}
    return {lang: value.get(lang, "") if isinstance(value, dict) else "" for lang in LANGS}


def parse_questions(data: dict[str, Any], where: str) -> list[Question]:
    questions = []
    for i, raw in enumerate(data.get("questions", []), 1):
        try:
            kind = raw["kind"]
            if kind not in KINDS:
                raise ValueError(f"kind must be one of {', '.join(KINDS)}")
            prompt = raw["prompt"]
            choices = [
                Choice(str(c["id"]), _bilingual(c["text"] if "text" in c else c, where)) for c in raw.get("choices", [])
            ]
            q = Question(
                id=str(raw["id"]),
                kind=kind,
                title=_bilingual(raw.get("title", prompt), where),
                prompt=_bilingual(prompt, where),
                points=float(raw.get("points", 1)),
                tries=int(raw.get("tries", DEFAULT_TRIES[kind])),
                choices=choices,
                abs_tol=raw.get("abs_tol"),
                rel_tol=raw.get("rel_tol"),
                integer=bool(raw.get("integer", False)),
                hint=_bilingual(raw["hint"], where) if "hint" in raw else None,
            )
            if q.tries < 1:
                raise ValueError("tries must be at least 1")
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(Msg("bad_exercise", path=where, error=f"question {i}: {type(exc).__name__}: {exc}")) from exc
        questions.append(q)
    if len({q.id for q in questions}) != len(questions):
        raise CatalogError(Msg("bad_exercise", path=where, error="question ids repeat"))
    if any(q.id in ("tries", "answers") for q in questions):
        raise CatalogError(Msg("bad_exercise", path=where, error="'tries' and 'answers' are reserved, not question ids"))
    return questions


# ---------------------------------------------------------------------------------------------
# the retry policy


@dataclass
class RetryPolicy:
    """What each wrong try costs, per question kind (``[retry_factor]`` in the quiz's exercise.toml)."""

    factor: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_RETRY_FACTOR))
    explain_after_tries: bool = True  # show (and release) the explanation once the tries are used up

    @classmethod
    def from_meta(cls, meta: dict[str, Any], where: str = "exercise.toml") -> "RetryPolicy":
        raw = meta.get("retry_factor", {})
        factor = dict(DEFAULT_RETRY_FACTOR)
        if not isinstance(raw, dict) or set(raw) - set(KINDS):
            raise CatalogError(Msg("bad_exercise", path=where, error=f"retry_factor: keys must be among {', '.join(KINDS)}"))
        for kind, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise CatalogError(Msg("bad_exercise", path=where, error=f"retry_factor.{kind} must be a number from 0 to 1"))
            factor[kind] = float(value)
        return cls(factor, bool(meta.get("explain_after_tries", True)))

    def multiplier(self, kind: str, tries: int) -> float:
        """The share of the points kept when the answer was given on try number ``tries`` (1 = first)."""
        return self.factor[kind] ** max(0, tries - 1)

    def statement(self) -> dict[str, str]:
        """The policy in words, for the quiz header and the answers file (both languages)."""
        groups: dict[float, list[str]] = {}
        for kind in KINDS:
            groups.setdefault(self.factor[kind], []).append(kind)
        lines = []
        for value, kinds in groups.items():
            names = {lang: ", ".join(text("kind_" + k)[lang] for k in kinds) for lang in LANGS}
            key = {0.0: "policy_first_try", 0.5: "policy_halves", 1.0: "policy_free"}.get(value, "policy_factor")
            message = text(key, factor=value)
            lines.append({lang: f"{names[lang]}: {message[lang]}" for lang in LANGS})
        return _join(*lines)


# ---------------------------------------------------------------------------------------------
# answers: reading and normalising one answer

_QUOTES = "'\"`‘’“”"
_DOTTED = re.compile(r"[a-z_]\w*(\.[a-z_]\w*)+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?(e[+-]?\d+)?")


def normalise_text(value: str) -> str:
    """Case, spaces and quotes removed, a trailing ``()`` dropped: ``" Model.Compile() "`` -> ``model.compile``."""
    value = unicodedata.normalize("NFKC", value).casefold()
    value = "".join(ch for ch in value if not ch.isspace() and ch not in _QUOTES)
    while value.endswith("()"):
        value = value[:-2]
    return value


def text_forms(value: str) -> set[str]:
    """The normalised answer, and the last part of a dotted name (``model.compile`` also reads ``compile``)."""
    norm = normalise_text(value)
    forms = {norm}
    if _DOTTED.fullmatch(norm):
        forms.add(norm.rsplit(".", 1)[1])
    return forms


def parse_number(raw: Any, qid: str = "?") -> float:
    """``1010``, ``"1,010"``, ``"1 010"``, ``"1.01e3"`` are all 1010.0."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise AnswerError(text("bad_type", qid=qid, expected=both(Msg("quiz_expected_numeric")), got=type(raw).__name__))
    if isinstance(raw, str):
        s = unicodedata.normalize("NFKC", raw).strip().lower().replace("\u2212", "-")
        s = re.sub(r"[\s_]", "", s)
        if _GROUPED.fullmatch(s):
            s = s.replace(",", "")
        if not _NUMBER.fullmatch(s):
            raise AnswerError(text("not_number", qid=qid, raw=raw))
        raw = s
    value = float(raw)
    if not math.isfinite(value):
        raise AnswerError(text("not_number", qid=qid, raw=raw))
    return value


def parse_answer(question: Question, raw: Any) -> Any:
    """The answer in canonical form (choice id, sorted tuple of ids, float, str); None when blank."""
    qid = question.id
    if raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw):
        return None
    if question.kind == "numeric":
        return parse_number(raw, qid)
    if question.kind == "text":
        if not isinstance(raw, str):
            raise AnswerError(text("bad_type", qid=qid, expected=both(Msg("quiz_expected_text")), got=type(raw).__name__))
        return raw.strip()
    if question.kind == "single":
        if not isinstance(raw, str):
            raise AnswerError(text("bad_type", qid=qid, expected=both(Msg("quiz_expected_single")), got=type(raw).__name__))
        return _choice_id(question, raw)
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,\s]+", raw) if part]
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise AnswerError(text("bad_type", qid=qid, expected=both(Msg("quiz_expected_multiple")), got=type(raw).__name__))
    return tuple(sorted({_choice_id(question, r) for r in raw}))


def _choice_id(question: Question, raw: str) -> str:
    wanted = normalise_text(raw)
    for choice in question.choices:
        if wanted == normalise_text(choice.id) or any(wanted == normalise_text(t) for t in choice.text.values()):
            return choice.id
    raise AnswerError(text("not_choice", qid=question.id, raw=raw, ids=", ".join(question.choice_ids())))


# ---------------------------------------------------------------------------------------------
# verdicts and the exact key


@dataclass
class Verdict:
    fraction: float
    status: str  # right | partial | wrong | unanswered
    message: dict[str, str]
    explanation: dict[str, str] | None = None  # unlocked: given only for a right answer

    @property
    def right(self) -> bool:
        return self.status == "right"


def _multiple_fraction(picked: tuple[str, ...], right: set[str], all_ids: list[str]) -> tuple[float, int, int]:
    """Each right pick earns 1/R, each wrong pick costs 1/W (so picking everything earns 0); never below 0."""
    n_right = sum(1 for p in picked if p in right)
    n_wrong = len(picked) - n_right
    wrong_total = len(all_ids) - len(right)
    fraction = n_right / len(right) - (n_wrong / wrong_total if wrong_total else 0)
    return max(0.0, round(fraction, 6)), n_right, n_wrong


def _verdict(question: Question, fraction: float, explanation: dict[str, str] | None, picks: tuple[int, int, int] | None = None) -> Verdict:
    if fraction >= 1 - 1e-9:
        return Verdict(1.0, "right", text("right"), explanation)
    if picks is not None and fraction > 0:
        right, total, wrong = picks
        return Verdict(fraction, "partial", text("partial", right=right, total=total, wrong=wrong))
    return Verdict(0.0, "wrong", text("wrong"))


class ExactKey:
    """The instructor's key (solutions/qNN_slug/key.toml): answers and explanations in the clear."""

    public = False

    def __init__(self, entries: dict[str, dict[str, Any]]) -> None:
        self.entries = entries

    def judge(self, question: Question, value: Any) -> Verdict:
        entry = self.entries[question.id]
        answer, explanation = entry["answer"], _bilingual(entry.get("explanation", ""), question.id)
        if question.kind == "single":
            return _verdict(question, float(value == answer), explanation)
        if question.kind == "multiple":
            fraction, n_right, n_wrong = _multiple_fraction(value, set(answer), question.choice_ids())
            return _verdict(question, fraction, explanation, (n_right, len(answer), n_wrong))
        if question.kind == "text":
            accepted = {normalise_text(a) for a in answer}
            return _verdict(question, float(bool(text_forms(value) & accepted)), explanation)
        return _verdict(question, float(numeric_close(value, float(answer), question)), explanation)

    def reveal(self, question: Question) -> dict[str, str] | None:
        return _bilingual(self.entries[question.id].get("explanation", ""), question.id)


def numeric_close(value: float, answer: float, question: Question) -> bool:
    if question.abs_tol:
        return abs(value - answer) <= question.abs_tol * (1 + 1e-9)
    if question.rel_tol:
        return abs(value - answer) <= question.rel_tol * abs(answer) * (1 + 1e-9)
    return abs(value - answer) <= 1e-9 * max(1.0, abs(answer))


# ---------------------------------------------------------------------------------------------
# the quiz


def _plural(key: str, n: float) -> str:
    return key + ("_one" if n == 1 else "")


@dataclass
class Quiz:
    exercise: Exercise
    questions: list[Question]
    key: Any  # ExactKey or grader.quiz_key.HashedKey
    policy: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def name(self) -> str:
        return self.exercise.name

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def number(self, question: Question) -> int:
        return self.questions.index(question) + 1

    def judge(self, question: Question, value: Any) -> Verdict:
        if value is None:
            return Verdict(0.0, "unanswered", text("unanswered"))
        return self.key.judge(question, value)

    def reveal(self, question: Question) -> dict[str, str] | None:
        """The explanation after the allowed tries (None where the public key keeps it locked)."""
        if not self.policy.explain_after_tries:
            return None
        return self.key.reveal(question)

    def header(self) -> dict[str, str]:
        """What the quiz header says about tries and points (both languages)."""
        return _join(text("policy_intro"), self.policy.statement())

    def read_answers(self, source: str, path: str = ANSWERS_FILE) -> dict[str, Any]:
        """Parsed answers from the text of an answers file; every problem at once in AnswersFileError."""
        from grader.quiz_answers import read_answer_sheet

        sheet = read_answer_sheet(self, source, path)
        if sheet.problems:
            raise AnswersFileError(list(sheet.problems.values()))
        return sheet.values

    def parse_answers(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
        """Canonical answers by question id, and the problems (unknown ids, unreadable answers) by id."""
        from grader.quiz_answers import parse_sheet

        sheet = parse_sheet(self, raw)
        return sheet.values, sheet.problems

    def score(self, question: Question, verdict: Verdict, tries: int) -> float:
        """The points for ``verdict`` given on try ``tries``, after the retry policy."""
        return round(question.points * verdict.fraction * self.policy.multiplier(question.kind, tries), 4)

    def retry_note(self, question: Question, verdict: Verdict, tries: int) -> dict[str, str] | None:
        """What a later try cost ("on try 2: 0 of 1 point"), for an answer that earns something."""
        if verdict.status not in ("right", "partial") or tries <= 1:
            return None
        points = self.score(question, verdict, tries)
        return text(_plural("retry_points", question.points), tries=tries, points=points, max=question.points)

    def check_result(self, question: Question, verdict: Verdict, tries: int = 1) -> CheckResult:
        """One question as a check: points after the retry policy, the explanation when it is unlocked."""
        tries = max(1, tries)
        points = self.score(question, verdict, tries)
        status = {"unanswered": "not_attempted"}.get(verdict.status, "passed" if points >= question.points - 1e-9 else "failed")
        message = _join(verdict.message, self.retry_note(question, verdict, tries))
        explanation = verdict.explanation
        if explanation is None and verdict.status in ("wrong", "partial") and tries >= question.tries:
            explanation = self.reveal(question)
        if explanation:
            message = _join(message, text("explanation", text=explanation))
        hint = None
        if status == "failed" and verdict.status != "right":  # missed, not merely right on a later try
            extra = question.hint or text("hint_review")
            hint = text("hint_missed", i=self.number(question), title=question.title, hint=extra)
        return CheckResult(name=question.id, title=question.title, points=points, max_points=question.points,
                           status=status, message=message, hint=hint)

    def grade(self, answers: dict[str, Any], *, tries: dict[str, int] | None = None, seed: int = 0, lang: str = "en",
              seconds: float = 0.0, verdicts: dict[str, Verdict] | None = None) -> ExerciseResult:
        """An ExerciseResult with one check per question (``tries``: the try each answer was given on, 1 if absent)."""
        checks = []
        for q in self.questions:
            verdict = (verdicts or {}).get(q.id) or self.judge(q, answers.get(q.id))
            checks.append(self.check_result(q, verdict, (tries or {}).get(q.id, 1)))
        missed = [c.hint for c in checks if c.status == "failed" and c.hint]
        return ExerciseResult(  # the first hint names a question the student missed
            exercise=self.name, title=self.exercise.title, checks=checks, seed=seed, lang=lang, device="-",
            seconds=seconds, hidden_run=True, hints=missed[:1] + list(self.exercise.hints),
        )


def _read_toml(path: Any) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(Msg("bad_exercise", path=str(path), error=str(exc))) from exc


def load_quiz(exercise: Exercise, *, public: bool | None = None) -> Quiz:
    """The quiz with the exact key when solutions/ has it, else the public hashed key."""
    questions = parse_questions(_read_toml(exercise.folder / QUESTIONS_FILE), str(exercise.folder / QUESTIONS_FILE))
    policy = RetryPolicy.from_meta(exercise.meta, str(exercise.folder / "exercise.toml"))
    exact = exercise.solution_folder / KEY_FILE if exercise.solution_folder else None
    from grader.quiz_key import HashedKey

    if public is not True and exact is not None and exact.exists():
        key: Any = ExactKey(_read_toml(exact))
    elif public is not False and (exercise.folder / PUBLIC_KEY_FILE).exists():
        key = HashedKey(exercise.name, _read_toml(exercise.folder / PUBLIC_KEY_FILE), str(exercise.folder / PUBLIC_KEY_FILE))
    else:
        raise CatalogError(Msg("bad_exercise", path=str(exercise.folder), error="no answer key (key.toml or key.public.toml)"))
    missing = [q.id for q in questions if q.id not in (key.entries if isinstance(key, ExactKey) else key.records)]
    if missing:
        raise CatalogError(Msg("bad_exercise", path=str(exercise.folder), error=f"no key for {', '.join(missing)}"))
    return Quiz(exercise, questions, key, policy)
