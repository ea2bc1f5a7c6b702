"""Validation of a quiz (`grade validate`): both languages complete, the key matches the questions and
the retry policy, an all-right answers file scores full marks with the exact and the public key, an
empty one scores 0, and the shipped answers.toml is the blank template."""

from __future__ import annotations

import tomli_w

from grader.catalog import Catalog, Exercise
from grader.errors import AnswersFileError, CatalogError
from grader.i18n import LANGS
from grader.quiz.answers import read_answers, right_answers
from grader.quiz.keys import ExactKey, load_quiz
from grader.quiz.model import ANSWERS_FILE, Quiz, bilingual
from grader.quiz.public_key import HashedKey, hashed_key
from grader.results import Finding, Status


def validate_quiz(catalog: Catalog, exercise: Exercise, seed: int = 1) -> list[Finding]:
    """Both languages complete, keys match the questions, all-right scores full marks, empty scores 0."""
    def finding(what: str, problems: list[str]) -> Finding:
        return Finding(exercise.name, what, not problems, "; ".join(problems))

    try:
        quiz = load_quiz(exercise)
    except CatalogError as exc:
        return [finding("quiz", [str(exc)])]
    problems = []
    for q in quiz.questions:
        texts = [("title", q.title), ("prompt", q.prompt)] + [(f"choice {c.id}", c.text) for c in q.choices]
        texts += [("hint", q.hint)] if q.hint else []
        if isinstance(quiz.key, ExactKey):
            texts.append(("explanation", bilingual(quiz.key.entries[q.id].get("explanation", ""), q.id)))
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
    public = Quiz(exercise, quiz.questions, HashedKey(exercise.name, hashed_key(quiz)), quiz.policy)
    for label, variant in (("exact", quiz), ("public", public)):
        full = variant.grade(read_answers(variant, tomli_w.dumps(right_answers(quiz))), seed=seed)
        empty = variant.grade({}, seed=seed)
        findings.append(finding(f"all_right_{label}", [] if full.score == full.max_score == exercise.points else [
            f"an all-right answers file scores {full.score:g}/{full.max_score:g}"]))
        findings.append(finding(f"empty_{label}", [] if empty.score == 0 else [f"an empty answers file scores {empty.score:g}"]))
    template = exercise.folder / ANSWERS_FILE
    problems = []
    try:
        blank = quiz.grade(read_answers(quiz, template.read_text(encoding="utf-8"), str(template)))
        if blank.score != 0 or any(c.status != Status.NOT_ATTEMPTED for c in blank.checks):
            problems.append("the shipped answers.toml is not blank")
    except (OSError, AnswersFileError) as exc:
        problems.append(f"answers.toml: {exc}")
    findings.append(finding("answers_template", problems))
    return findings

