"""Quizzes: questions, keys, answer parsing and checking, scoring, the public hashed key, validation.

A quiz is two folders.  ``exercises/qNN_slug/`` holds ``exercise.toml`` (``kind = "quiz"``) and
``questions.toml`` (bilingual questions); ``solutions/qNN_slug/key.toml`` holds the answers and
explanations.  Students get ``exercises/qNN_slug/key.public.toml`` instead (see :func:`hashed_key`):
salted hashes of the normalised answers, and explanations encrypted with a key derived from the
right answer, so they can check locally without reading the key.  Presentation is in ``quiz_view``.
"""

from __future__ import annotations

import json
import math
import random
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from grader.catalog import Catalog, CatalogError, Exercise
from grader.i18n import LANGS, Msg, both
from grader.results import CheckResult, ExerciseResult

QUESTIONS_FILE = "questions.toml"
KEY_FILE = "key.toml"
PUBLIC_KEY_FILE = "key.public.toml"
ANSWERS_FILE = "answers.toml"
PUBLIC_FORMAT = "grader-quiz-key/1"
KINDS = ("single", "multiple", "numeric", "text")
DEFAULT_TRIES = {"single": 2, "multiple": 2, "numeric": 3, "text": 3}
GRID = 20  # grid points per tolerance in the hashed numeric scheme

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
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(Msg("bad_exercise", path=where, error=f"question {i}: {type(exc).__name__}: {exc}")) from exc
        questions.append(q)
    if len({q.id for q in questions}) != len(questions):
        raise CatalogError(Msg("bad_exercise", path=where, error="question ids repeat"))
    return questions


# ---------------------------------------------------------------------------------------------
# answers: reading and normalising

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
# keys


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


def hashed_key(quiz: "Quiz", *, secret: str | None = None, reveal_after_tries: bool = False) -> dict[str, Any]:
    """The public key of ``quiz``: see :func:`grader.quiz_key.hashed_key`."""
    from grader.quiz_key import hashed_key as build

    return build(quiz, secret=secret, reveal_after_tries=reveal_after_tries)


# ---------------------------------------------------------------------------------------------
# the quiz


@dataclass
class Quiz:
    exercise: Exercise
    questions: list[Question]
    key: Any  # ExactKey or grader.quiz_key.HashedKey

    @property
    def name(self) -> str:
        return self.exercise.name

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def judge(self, question: Question, value: Any) -> Verdict:
        if value is None:
            return Verdict(0.0, "unanswered", text("unanswered"))
        return self.key.judge(question, value)

    def reveal(self, question: Question) -> dict[str, str] | None:
        """The explanation after the allowed tries (None where the public key keeps it locked)."""
        return self.key.reveal(question)

    def read_answers(self, source: str, path: str = "answers.toml") -> dict[str, Any]:
        """Parsed answers from the text of an answers file; every problem at once in AnswersFileError."""
        parsed, problems = self.parse_answers(load_answers_toml(source, path))
        if problems:
            raise AnswersFileError(list(problems.values()))
        return parsed

    def parse_answers(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
        """Canonical answers by question id, and the problems (unknown ids, unreadable answers) by id."""
        if isinstance(raw.get("answers"), dict) and "answers" not in {q.id for q in self.questions}:
            raw = raw["answers"]
        ids = {q.id: q for q in self.questions}
        problems, parsed = {}, {}
        for qid, value in raw.items():
            if qid not in ids:
                problems[qid] = text("unknown_question", qid=qid, ids=", ".join(ids))
                continue
            try:
                parsed[qid] = parse_answer(ids[qid], value)
            except AnswerError as exc:
                problems[qid] = exc.message
        return parsed, problems

    def grade(self, answers: dict[str, Any], *, seed: int = 0, lang: str = "en", seconds: float = 0.0,
              verdicts: dict[str, Verdict] | None = None) -> ExerciseResult:
        """An ExerciseResult with one check per question; explanations only for right answers."""
        checks = []
        for q in self.questions:
            verdict = (verdicts or {}).get(q.id) or self.judge(q, answers.get(q.id))
            status = {"right": "passed", "unanswered": "not_attempted"}.get(verdict.status, "failed")
            message = verdict.message
            if verdict.explanation:
                message = _join(message, text("explanation", text=verdict.explanation))
            checks.append(
                CheckResult(
                    name=q.id, title=q.title, points=round(q.points * verdict.fraction, 4), max_points=q.points,
                    status=status, message=message,
                )
            )
        return ExerciseResult(
            exercise=self.name, title=self.exercise.title, checks=checks, seed=seed, lang=lang, device="-",
            seconds=seconds, hidden_run=True, hints=self.exercise.hints,
        )


def load_answers_toml(source: str, path: str = "answers.toml") -> dict[str, Any]:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:  # the message names the line and column
        raise AnswersFileError([text("bad_toml", path=path, error=str(exc))]) from None


def _read_toml(path: Any) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(Msg("bad_exercise", path=str(path), error=str(exc))) from exc


def load_quiz(exercise: Exercise, *, public: bool | None = None) -> Quiz:
    """The quiz with the exact key when solutions/ has it, else the public hashed key."""
    questions = parse_questions(_read_toml(exercise.folder / QUESTIONS_FILE), str(exercise.folder / QUESTIONS_FILE))
    exact = exercise.solution_folder / KEY_FILE if exercise.solution_folder else None
    from grader.quiz_key import HashedKey

    if public is not True and exact is not None and exact.exists():
        key: Any = ExactKey(_read_toml(exact))
    elif public is not False and (exercise.folder / PUBLIC_KEY_FILE).exists():
        key = HashedKey(exercise.name, _read_toml(exercise.folder / PUBLIC_KEY_FILE))
    else:
        raise CatalogError(Msg("bad_exercise", path=str(exercise.folder), error="no answer key (key.toml or key.public.toml)"))
    missing = [q.id for q in questions if q.id not in (key.entries if isinstance(key, ExactKey) else key.records)]
    if missing:
        raise CatalogError(Msg("bad_exercise", path=str(exercise.folder), error=f"no key for {', '.join(missing)}"))
    return Quiz(exercise, questions, key)


# ---------------------------------------------------------------------------------------------
# answers files and validation


def grade_missing(exercise: Exercise, options: Any) -> ExerciseResult:
    """Every question 'not attempted' (the quiz is missing from a submission)."""
    return load_quiz(exercise).grade({}, seed=options.seed, lang=options.lang)


def grade_answers_file(exercise: Exercise, path: Any, options: Any) -> ExerciseResult:
    """Grade a student's answers (``answers.toml`` or a quiz notebook) within a whole assignment.

    Unlike ``grade q01 --answers`` (exit code 2), an unreadable answer costs only its question: it
    is marked failed with the reason, the other answers are graded.
    """
    from pathlib import Path

    quiz = load_quiz(exercise)
    path = Path(path)
    problem = None
    notes: list = []
    if path.suffix == ".ipynb":
        from grader.submission import quiz_answers

        read = quiz_answers(path)
        raw, problem = ({} if read.problem else {k: v for k, v in read.answers.items()}), read.problem
        notes = list(read.notes)
    else:
        try:
            raw = load_answers_toml(path.read_text(encoding="utf-8"), path.name)
        except (OSError, UnicodeDecodeError):
            raw, problem = {}, text("no_answers_file", path=path.name)
        except AnswersFileError as exc:
            raw, problem = {}, exc.problems[0]
    parsed, problems = quiz.parse_answers(raw)
    verdicts = {qid: Verdict(0.0, "wrong", message) for qid, message in problems.items()}
    result = quiz.grade(parsed, seed=options.seed, lang=options.lang, verdicts=verdicts)
    result.notes = notes
    extra = [m for qid, m in problems.items() if qid not in {q.id for q in quiz.questions}]
    if problem is not None or extra:
        result.problem = problem if problem is not None else extra[0]
    return result


def right_answers(quiz: Quiz) -> dict[str, Any]:
    """An answers file's content with every answer right (needs the exact key)."""
    out = {}
    for q in quiz.questions:
        answer = quiz.key.entries[q.id]["answer"]
        out[q.id] = answer[0] if q.kind == "text" else answer
    return out


def _comment(value: str, indent: str = "# ") -> list[str]:
    return [f"{indent}{line}".rstrip() for line in value.strip().splitlines()]


def answers_template(quiz: Quiz) -> str:
    """The answers.toml that students fill in: every question in a comment, every answer blank."""
    lines = [
        f"# {quiz.name}: {quiz.exercise.title['ko']} / {quiz.exercise.title['en']}",
        "# 답을 채우고 `grade " + quiz.exercise.id + "`를 실행하세요. / Fill in your answers and run `grade " + quiz.exercise.id + "`.",
        '# 객관식은 보기 id("..."), 복수 선택은 id의 리스트(["a", "b"]), 수치는 숫자, 단답형은 문자열로 씁니다.',
        '# Single choice: a choice id ("..."); multiple choice: a list of ids (["a", "b"]); numeric: a number; text: a string.',
        "",
    ]
    for i, q in enumerate(quiz.questions, 1):
        prompt = q.full_prompt()
        lines += _comment(f"{i}. {prompt['ko']}") + _comment(f"   {prompt['en']}")
        for c in q.choices:
            shown = c.text["ko"] if c.text["ko"] == c.text["en"] else f"{c.text['ko']} / {c.text['en']}"
            lines.append(f"#    {json.dumps(c.id)}: {' '.join(shown.split())}")
        lines += [f"{q.id} = {'[]' if q.kind == 'multiple' else chr(34) * 2}", ""]
    return "\n".join(lines)


def validate_quiz(catalog: Catalog, exercise: Exercise, seed: int = 1) -> list[Any]:
    """Both languages complete, keys match the questions, all-right scores full marks, empty scores 0."""
    from grader.validate import Finding

    def finding(what: str, problems: list[str]) -> Any:
        return Finding(exercise.name, what, not problems, "; ".join(problems))

    try:
        quiz = load_quiz(exercise)
    except CatalogError as exc:
        return [finding("quiz", [str(exc)])]
    problems = []
    for q in quiz.questions:
        texts = [("title", q.title), ("prompt", q.prompt)] + [(f"choice {c.id}", c.text) for c in q.choices]
        if isinstance(quiz.key, ExactKey):
            texts.append(("explanation", _bilingual(quiz.key.entries[q.id].get("explanation", ""), q.id)))
        for what, value in texts:
            missing = [lang for lang in LANGS if not value.get(lang, "").strip()]
            if missing:
                problems.append(f"{q.id}: {what} has no {', '.join(missing)}")
    findings = [finding("questions", problems)]
    if not isinstance(quiz.key, ExactKey):
        return findings
    problems = []
    total = sum(q.points for q in quiz.questions)
    if abs(total - exercise.points) > 1e-9:
        problems.append(f"questions add up to {total:g} points, exercise.toml says {exercise.points:g}")
    extra = set(quiz.key.entries) - {q.id for q in quiz.questions}
    if extra:
        problems.append(f"key has answers for unknown questions: {', '.join(sorted(extra))}")
    for q in quiz.questions:
        answer = quiz.key.entries[q.id].get("answer")
        ids = q.choice_ids()
        if q.kind in ("single", "multiple") and len(ids) < 2:
            problems.append(f"{q.id}: fewer than two choices")
        if q.kind == "single" and answer not in ids:
            problems.append(f"{q.id}: key {answer!r} is not a choice")
        if q.kind == "multiple" and (not isinstance(answer, list) or not answer or set(answer) - set(ids)):
            problems.append(f"{q.id}: key {answer!r} must be a non-empty list of choices")
        if q.kind == "numeric" and (isinstance(answer, bool) or not isinstance(answer, (int, float))):
            problems.append(f"{q.id}: key {answer!r} is not a number")
        if q.kind == "numeric" and q.rel_tol and answer == 0:
            problems.append(f"{q.id}: a relative tolerance needs a non-zero answer")
        if q.kind == "text" and (not isinstance(answer, list) or not answer or not all(isinstance(a, str) for a in answer)):
            problems.append(f"{q.id}: key must be a list of accepted answers")
    findings.append(finding("key", problems))
    if problems:
        return findings
    from grader.quiz_key import HashedKey

    public = Quiz(exercise, quiz.questions, HashedKey(exercise.name, hashed_key(quiz)))
    for label, variant in (("exact", quiz), ("public", public)):
        full = variant.grade(variant.read_answers(_dump_toml(right_answers(quiz))), seed=seed)
        empty = variant.grade({}, seed=seed)
        findings.append(finding(f"all_right_{label}", [] if full.score == full.max_score == exercise.points else [
            f"an all-right answers file scores {full.score:g}/{full.max_score:g}"]))
        findings.append(finding(f"empty_{label}", [] if empty.score == 0 else [f"an empty answers file scores {empty.score:g}"]))
    template = exercise.folder / ANSWERS_FILE
    problems = []
    try:
        blank = quiz.grade(quiz.read_answers(template.read_text(encoding="utf-8"), str(template)))
        if blank.score != 0 or any(c.status != "not_attempted" for c in blank.checks):
            problems.append("the shipped answers.toml is not blank")
    except (OSError, AnswersFileError) as exc:
        problems.append(f"answers.toml: {exc}")
    findings.append(finding("answers_template", problems))
    return findings


def _dump_toml(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(data)
