"""Which answer key grades a quiz: the instructor's exact key (``solutions/qNN_slug/key.toml``), or,
where the course ships without solutions, the students' hashed key (:mod:`grader.quiz.public_key`)."""

from __future__ import annotations

from typing import Any

from grader.catalog import Exercise
from grader.errors import CatalogError
from grader.i18n import Msg
from grader.quiz.answers import normalise_text, text_forms
from grader.quiz.model import (
    KEY_FILE, PUBLIC_KEY_FILE, QUESTIONS_FILE, Question, QuestionVerdict, Quiz, RetryPolicy, bilingual,
    multiple_fraction, numeric_close, parse_questions, read_toml, verdict_for,
)
from grader.quiz.public_key import HashedKey


class ExactKey:
    """The instructor's key (solutions/qNN_slug/key.toml): answers and explanations in the clear."""

    public = False

    def __init__(self, entries: dict[str, dict[str, Any]]) -> None:
        self.entries = entries

    def judge(self, question: Question, value: Any) -> QuestionVerdict:
        entry = self.entries[question.id]
        answer, explanation = entry["answer"], bilingual(entry.get("explanation", ""), question.id)
        if question.kind == "single":
            return verdict_for(question, float(value == answer), explanation)
        if question.kind == "multiple":
            fraction, n_right, n_wrong = multiple_fraction(value, set(answer), question.choice_ids())
            return verdict_for(question, fraction, explanation, (n_right, len(answer), n_wrong))
        if question.kind == "text":
            accepted = {normalise_text(a) for a in answer}
            return verdict_for(question, float(bool(text_forms(value) & accepted)), explanation)
        return verdict_for(question, float(numeric_close(value, float(answer), question)), explanation)

    def ids(self) -> set[str]:
        """The questions the key has an answer for."""
        return set(self.entries)

    def reveal(self, question: Question) -> dict[str, str] | None:
        return bilingual(self.entries[question.id].get("explanation", ""), question.id)


def load_quiz(exercise: Exercise, *, public: bool | None = None) -> Quiz:
    """The quiz with the exact key when solutions/ has it, else the public hashed key."""
    questions = parse_questions(read_toml(exercise.folder / QUESTIONS_FILE), str(exercise.folder / QUESTIONS_FILE))
    policy = RetryPolicy.from_meta(exercise.meta, str(exercise.folder / "exercise.toml"))
    exact = exercise.solution_folder / KEY_FILE if exercise.solution_folder else None
    if public is not True and exact is not None and exact.exists():
        key: Any = ExactKey(read_toml(exact))
    elif public is not False and (exercise.folder / PUBLIC_KEY_FILE).exists():
        key = HashedKey(exercise.name, read_toml(exercise.folder / PUBLIC_KEY_FILE), str(exercise.folder / PUBLIC_KEY_FILE))
    else:
        raise CatalogError(Msg("bad_exercise", path=str(exercise.folder), error="no answer key (key.toml or key.public.toml)"))
    missing = [q.id for q in questions if q.id not in key.ids()]
    if missing:
        raise CatalogError(Msg("bad_exercise", path=str(exercise.folder), error=f"no key for {', '.join(missing)}"))
    return Quiz(exercise, questions, key, policy)
