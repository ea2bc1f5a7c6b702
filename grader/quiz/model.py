"""The quiz model: questions, the retry policy, a question's verdict and the quiz's scoring.

A quiz is two folders.  ``exercises/qNN_slug/`` holds ``exercise.toml`` (``kind = "quiz"``, the
retry policy) and ``questions.toml`` (bilingual questions); ``solutions/qNN_slug/key.toml`` holds the
answers and explanations (:mod:`grader.quiz.keys`).  Students get ``exercises/qNN_slug/key.public.toml``
instead (scrypt hashes and AES-GCM, :mod:`grader.quiz.public_key`).  Reading answers and the answers
file is :mod:`grader.quiz.answers`; grading one within an assignment :mod:`grader.quiz.grading`;
validation :mod:`grader.quiz.validate`; the interactive session :mod:`grader.quiz.view`.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from typing import Any

from grader.catalog import Exercise
from grader.errors import CatalogError
from grader.i18n import LANGS, Msg, both, register
from grader.results import CheckResult, ExerciseResult, Status

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "quiz_right": {
        "ko": "정답입니다.",
        "en": "Right.",
    },
    "quiz_right_fewer_points": {
        "ko": "답은 맞았지만 만점은 아닙니다.",
        "en": "The answer is right, but not for full points.",
    },
    "quiz_wrong": {
        "ko": "틀렸습니다.",
        "en": "Wrong.",
    },
    "quiz_partial": {
        "ko": "부분 정답: 맞게 고른 것 {right}/{total}개, 잘못 고른 것 {wrong}개.",
        "en": "Partly right: {right} of {total} right picks; wrong picks: {wrong}.",
    },
    "quiz_unanswered": {
        "ko": "답하지 않았습니다.",
        "en": "Not answered.",
    },
    "quiz_explanation": {
        "ko": "해설: {text}",
        "en": "Explanation: {text}",
    },
    "quiz_tol_abs": {
        "ko": "(허용 오차 ±{tol:g})",
        "en": "(tolerance ±{tol:g})",
    },
    "quiz_tol_rel": {
        "ko": "(상대 오차 {pct:g}% 이내)",
        "en": "(within {pct:g}% relative error)",
    },
    "quiz_tol_int": {
        "ko": "(정수로 답하세요)",
        "en": "(answer with an integer)",
    },
    "quiz_tol_exact": {
        "ko": "(정확한 값)",
        "en": "(exact value)",
    },
    # the retry policy, the answers file, the hashed key (issue 9)
    "quiz_kind_single": {"ko": "객관식", "en": "single choice"},
    "quiz_kind_multiple": {"ko": "복수 선택", "en": "multiple choice"},
    "quiz_kind_numeric": {"ko": "수치", "en": "numeric"},
    "quiz_kind_text": {"ko": "단답형", "en": "short text"},
    "quiz_policy_intro": {
        "ko": "채점 방식(기회를 모두 쓰면 해설을 보여 줍니다):",
        "en": "Scoring (once your tries are used up, the explanation is shown):",
    },
    "quiz_policy_first_try": {
        "ko": "첫 번째 시도에서 맞혀야 점수를 받습니다. 두 번째 시도부터는 맞혀도 0점이지만 해설은 볼 수 있습니다.",
        "en": "full marks on the first try only; a later right answer scores 0 but still shows the explanation.",
    },
    "quiz_policy_halves": {
        "ko": "틀릴 때마다 받을 수 있는 점수가 절반으로 줄어듭니다.",
        "en": "each wrong try halves the points.",
    },
    "quiz_policy_free": {
        "ko": "다시 시도해도 감점이 없습니다.",
        "en": "retries cost nothing.",
    },
    "quiz_policy_factor": {
        "ko": "틀릴 때마다 받을 수 있는 점수에 {factor:g}을(를) 곱합니다.",
        "en": "each wrong try multiplies the points by {factor:g}.",
    },
    "quiz_retry_points": {
        "ko": "{tries}번째 시도에서 낸 답이라 {points:g}/{max:g}점입니다.",
        "en": "Given on try {tries}: {points:g} of {max:g} points.",
    },
    "quiz_retry_points_one": {
        "ko": "{tries}번째 시도에서 낸 답이라 {points:g}/1점입니다.",
        "en": "Given on try {tries}: {points:g} of 1 point.",
    },
    "quiz_after_tries": {
        "ko": "기회 {limit}번을 다 쓴 뒤({tries}번째 시도)에 낸 답이라 점수에 들어가지 않습니다.",
        "en": "Given on try {tries}, after the {limit} tries allowed: not scored.",
    },
    "quiz_after_tries_one": {
        "ko": "기회 1번을 다 쓴 뒤({tries}번째 시도)에 낸 답이라 점수에 들어가지 않습니다.",
        "en": "Given on try {tries}, after the 1 try allowed: not scored.",
    },
    "quiz_hint_missed": {
        "ko": "{i}번 문항({title})을 다시 살펴보세요. {hint}",
        "en": "Look again at question {i} ({title}). {hint}",
    },
    "quiz_hint_review": {
        "ko": "해설을 읽고 수업 자료에서 그 부분을 복습하세요.",
        "en": "Read its explanation and review that part of the lesson.",
    },
})

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
#: Example numbers for "cannot read as a number (e.g. …)": the first set that answers no numeric question of the quiz.
NUMBER_EXAMPLES = (
    (12345.0, "12345, 12,345, 1.2345e4"),
    (2468.0, "2468, 2,468, 2.468e3"),
    (36.75, "36.75, 3.675e1"),
    (987654.0, "987654, 987,654, 9.87654e5"),
)
GRID = 20  # grid points per tolerance in the hashed numeric scheme
#: The message that names each kind of question.
KIND_NAMES = {"single": "quiz_kind_single", "multiple": "quiz_kind_multiple", "numeric": "quiz_kind_numeric",
              "text": "quiz_kind_text"}

def text(key: str, **params: Any) -> dict[str, str]:
    """A quiz message (its full key, e.g. ``quiz_right``) in every language."""
    return both(Msg(key, **params))


def join_texts(*parts: dict[str, str] | None, sep: str = "\n") -> dict[str, str]:
    return {lang: sep.join(p[lang] for p in parts if p and p.get(lang)) for lang in LANGS}


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
            return text("quiz_tol_abs", tol=self.abs_tol)
        if self.rel_tol:
            return text("quiz_tol_rel", pct=round(self.rel_tol * 100, 6))
        return text("quiz_tol_int" if self.integer else "quiz_tol_exact")

    def full_prompt(self) -> dict[str, str]:
        return join_texts(self.prompt, self.tolerance_note(), sep=" ")


def bilingual(value: Any, where: str) -> dict[str, str]:
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
                Choice(str(c["id"]), bilingual(c["text"] if "text" in c else c, where)) for c in raw.get("choices", [])
            ]
            q = Question(
                id=str(raw["id"]),
                kind=kind,
                title=bilingual(raw.get("title", prompt), where),
                prompt=bilingual(prompt, where),
                points=float(raw.get("points", 1)),
                tries=int(raw.get("tries", DEFAULT_TRIES[kind])),
                choices=choices,
                abs_tol=raw.get("abs_tol"),
                rel_tol=raw.get("rel_tol"),
                integer=bool(raw.get("integer", False)),
                hint=bilingual(raw["hint"], where) if "hint" in raw else None,
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
            names = {lang: ", ".join(text(KIND_NAMES[k])[lang] for k in kinds) for lang in LANGS}
            key = {0.0: "quiz_policy_first_try", 0.5: "quiz_policy_halves", 1.0: "quiz_policy_free"}.get(
                value, "quiz_policy_factor")
            message = text(key, factor=value)
            lines.append({lang: f"{names[lang]}: {message[lang]}" for lang in LANGS})
        return join_texts(*lines)


# ---------------------------------------------------------------------------------------------
# verdicts


@dataclass
class QuestionVerdict:
    fraction: float
    status: str  # right | partial | wrong | unanswered
    message: dict[str, str]
    explanation: dict[str, str] | None = None  # unlocked: given only for a right answer

    @property
    def right(self) -> bool:
        return self.status == "right"


def multiple_fraction(picked: tuple[str, ...], right: set[str], all_ids: list[str]) -> tuple[float, int, int]:
    """Each right pick earns 1/R, each wrong pick costs 1/W (so picking everything earns 0); never below 0."""
    n_right = sum(1 for p in picked if p in right)
    n_wrong = len(picked) - n_right
    wrong_total = len(all_ids) - len(right)
    fraction = n_right / len(right) - (n_wrong / wrong_total if wrong_total else 0)
    return max(0.0, round(fraction, 6)), n_right, n_wrong


def verdict_for(question: Question, fraction: float, explanation: dict[str, str] | None, picks: tuple[int, int, int] | None = None) -> QuestionVerdict:
    if fraction >= 1 - 1e-9:
        return QuestionVerdict(1.0, "right", text("quiz_right"), explanation)
    if picks is not None and fraction > 0:
        right, total, wrong = picks
        return QuestionVerdict(fraction, "partial", text("quiz_partial", right=right, total=total, wrong=wrong))
    return QuestionVerdict(0.0, "wrong", text("quiz_wrong"))


def numeric_close(value: float, answer: float, question: Question) -> bool:
    if question.abs_tol:
        return abs(value - answer) <= question.abs_tol * (1 + 1e-9)
    if question.rel_tol:
        return abs(value - answer) <= question.rel_tol * abs(answer) * (1 + 1e-9)
    return abs(value - answer) <= 1e-9 * max(1.0, abs(answer))


# ---------------------------------------------------------------------------------------------
# the quiz


def one_or_many(one: str, many: str, n: float) -> str:
    """The message key for ``n`` of something: ``one`` when ``n`` is 1 (English needs it)."""
    return one if n == 1 else many


@dataclass
class Quiz:
    exercise: Exercise
    questions: list[Question]
    key: Any  # grader.quiz.keys.ExactKey or grader.quiz.public_key.HashedKey
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    _examples: str | None = field(default=None, init=False, repr=False, compare=False)

    def number_examples(self) -> str:
        """Example numbers for a message, none of them the answer to any numeric question here ("" if all are)."""
        if self._examples is None:
            numeric = [q for q in self.questions if q.kind == "numeric"]
            self._examples = next((shown for value, shown in NUMBER_EXAMPLES
                                   if not any(self.key.judge(q, value).right for q in numeric)), "")
        return self._examples

    @property
    def name(self) -> str:
        return self.exercise.name

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def number(self, question: Question) -> int:
        return self.questions.index(question) + 1

    def judge(self, question: Question, value: Any) -> QuestionVerdict:
        if value is None:
            return QuestionVerdict(0.0, "unanswered", text("quiz_unanswered"))
        return self.key.judge(question, value)

    def reveal(self, question: Question) -> dict[str, str] | None:
        """The explanation after the allowed tries (None where the public key keeps it locked)."""
        if not self.policy.explain_after_tries:
            return None
        return self.key.reveal(question)

    def header(self) -> dict[str, str]:
        """What the quiz header says about tries and points (both languages)."""
        return join_texts(text("quiz_policy_intro"), self.policy.statement())

    def score(self, question: Question, verdict: QuestionVerdict, tries: int) -> float:
        """The points for ``verdict`` given on try ``tries``, after the retry policy; 0 past the tries allowed."""
        if tries > question.tries:
            return 0.0
        return round(question.points * verdict.fraction * self.policy.multiplier(question.kind, tries), 4)

    def retry_note(self, question: Question, verdict: QuestionVerdict, tries: int) -> dict[str, str] | None:
        """What a later try cost ("on try 2: 0 of 1 point"), for an answer that earns something."""
        if verdict.status not in ("right", "partial") or tries <= 1:
            return None
        if tries > question.tries:
            key = one_or_many("quiz_after_tries_one", "quiz_after_tries", question.tries)
            return text(key, tries=tries, limit=question.tries)
        points = self.score(question, verdict, tries)
        key = one_or_many("quiz_retry_points_one", "quiz_retry_points", question.points)
        return text(key, tries=tries, points=points, max=question.points)

    def check_result(self, question: Question, verdict: QuestionVerdict, tries: int = 1) -> CheckResult:
        """One question as a check: points after the retry policy, the explanation when it is unlocked."""
        tries = max(1, tries)
        points = self.score(question, verdict, tries)
        if verdict.status == "unanswered":
            status = Status.NOT_ATTEMPTED
        else:
            status = Status.PASSED if points >= question.points - 1e-9 else Status.FAILED
        lead = verdict.message
        if verdict.status == "right" and status == Status.FAILED:  # a ✗ never stands beside a bare "Right."
            lead = text("quiz_right_fewer_points")
        message = join_texts(lead, self.retry_note(question, verdict, tries))
        explanation = verdict.explanation
        if explanation is None and verdict.status in ("wrong", "partial") and tries >= question.tries:
            explanation = self.reveal(question)
        if explanation:
            message = join_texts(message, text("quiz_explanation", text=explanation))
        hint = None
        if status == Status.FAILED and (verdict.status != "right" or tries > question.tries):  # missed
            extra = question.hint or text("quiz_hint_review")
            hint = text("quiz_hint_missed", i=self.number(question), title=question.title, hint=extra)
        return CheckResult(name=question.id, title=question.title, points=points, max_points=question.points,
                           status=status, message=message, hint=hint)

    def grade(self, answers: dict[str, Any], *, tries: dict[str, int] | None = None, seed: int = 0, lang: str = "en",
              seconds: float = 0.0, verdicts: dict[str, QuestionVerdict] | None = None) -> ExerciseResult:
        """An ExerciseResult with one check per question (``tries``: the try each answer was given on, 1 if absent)."""
        checks = []
        for q in self.questions:
            verdict = (verdicts or {}).get(q.id) or self.judge(q, answers.get(q.id))
            checks.append(self.check_result(q, verdict, (tries or {}).get(q.id, 1)))
        missed = [c.hint for c in checks if c.status == Status.FAILED and c.hint]
        return ExerciseResult(  # the first hint names a question the student missed
            exercise=self.name, title=self.exercise.title, checks=checks, seed=seed, lang=lang, device="-",
            seconds=seconds, hidden_run=True, hints=missed[:1] + list(self.exercise.hints),
        )


def read_toml(path: Any) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(Msg("bad_exercise", path=str(path), error=str(exc))) from exc
