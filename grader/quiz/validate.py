"""Validation of a quiz (`grade validate`): both languages complete, the key matches the questions and
the retry policy, an all-right answers file scores full marks with the exact and the public key, an
empty one scores 0, and the shipped answers.toml is the blank template."""

from __future__ import annotations

import tomli_w

from grader.catalog import Catalog, Exercise
from grader.errors import AnswersFileError, CatalogError
from grader.i18n import LANGS, register
from grader.quiz.answers import read_answers, right_answers
from grader.quiz.keys import ExactKey, load_quiz
from grader.quiz.model import ANSWERS_FILE, Quiz, bilingual
from grader.quiz.public_key import HashedKey, hashed_key
from grader.results import Finding, Problem, Problems, Status

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "quiz_check_missing_language": {"ko": "{qid}: {what}에 {langs} 문장이 없습니다",
                                    "en": "{qid}: {what} has no {langs}"},
    "quiz_check_points": {"ko": "문항 배점의 합이 {total:g}점인데 exercise.toml에는 {points:g}점입니다",
                          "en": "questions add up to {total:g} points, exercise.toml says {points:g}"},
    "quiz_check_unknown_in_key": {"ko": "키에 없는 문항의 답이 있습니다: {ids}",
                                  "en": "key has answers for unknown questions: {ids}"},
    "quiz_check_few_choices": {"ko": "{qid}: 보기가 둘보다 적습니다", "en": "{qid}: fewer than two choices"},
    "quiz_check_not_a_choice": {"ko": "{qid}: 키의 답 {answer}이(가) 보기에 없습니다",
                                "en": "{qid}: key {answer} is not a choice"},
    "quiz_check_choice_list": {"ko": "{qid}: 키의 답 {answer}은(는) 보기로 된, 비어 있지 않은 리스트여야 합니다",
                               "en": "{qid}: key {answer} must be a non-empty list of choices"},
    "quiz_check_not_a_number": {"ko": "{qid}: 키의 답 {answer}이(가) 숫자가 아닙니다",
                                "en": "{qid}: key {answer} is not a number"},
    "quiz_check_relative_zero": {"ko": "{qid}: 상대 허용 오차에는 0이 아닌 답이 필요합니다",
                                 "en": "{qid}: a relative tolerance needs a non-zero answer"},
    "quiz_check_text_list": {"ko": "{qid}: 키는 정답으로 인정할 답들의 리스트여야 합니다",
                             "en": "{qid}: key must be a list of accepted answers"},
    "quiz_check_all_right": {"ko": "모두 맞힌 답안 파일이 {score:g}/{max_score:g}점입니다",
                             "en": "an all-right answers file scores {score:g}/{max_score:g}"},
    "quiz_check_empty": {"ko": "빈 답안 파일이 {score:g}점입니다", "en": "an empty answers file scores {score:g}"},
    "quiz_check_template_not_blank": {"ko": "배포하는 answers.toml이 비어 있지 않습니다",
                                      "en": "the shipped answers.toml is not blank"},
    "quiz_check_template_unreadable": {"ko": "answers.toml: {error}", "en": "answers.toml: {error}"},
})


def validate_quiz(catalog: Catalog, exercise: Exercise, seed: int = 1) -> list[Finding]:
    """Both languages complete, keys match the questions, all-right scores full marks, empty scores 0."""
    def finding(what: str, problems: list[str]) -> Finding:
        return Finding(exercise.name, what, not problems, Problems(problems))

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
                problems.append(Problem("quiz_check_missing_language", qid=q.id, what=what, langs=", ".join(missing)))
    findings = [finding("questions", problems)]
    if not isinstance(quiz.key, ExactKey):
        return findings
    problems = []
    total = sum(q.points for q in quiz.questions)
    if abs(total - exercise.points) > 1e-9:
        problems.append(Problem("quiz_check_points", total=total, points=exercise.points))
    extra = set(quiz.key.entries) - {q.id for q in quiz.questions}
    if extra:
        problems.append(Problem("quiz_check_unknown_in_key", ids=", ".join(sorted(extra))))
    for q in quiz.questions:
        answer = quiz.key.entries[q.id].get("answer")
        ids = q.choice_ids()
        if q.kind in ("single", "multiple") and len(ids) < 2:
            problems.append(Problem("quiz_check_few_choices", qid=q.id))
        if q.kind == "single" and answer not in ids:
            problems.append(Problem("quiz_check_not_a_choice", qid=q.id, answer=repr(answer)))
        if q.kind == "multiple" and (not isinstance(answer, list) or not answer or set(answer) - set(ids)):
            problems.append(Problem("quiz_check_choice_list", qid=q.id, answer=repr(answer)))
        if q.kind == "numeric" and (isinstance(answer, bool) or not isinstance(answer, (int, float))):
            problems.append(Problem("quiz_check_not_a_number", qid=q.id, answer=repr(answer)))
        if q.kind == "numeric" and q.rel_tol and answer == 0:
            problems.append(Problem("quiz_check_relative_zero", qid=q.id))
        if q.kind == "text" and (not isinstance(answer, list) or not answer or not all(isinstance(a, str) for a in answer)):
            problems.append(Problem("quiz_check_text_list", qid=q.id))
    findings.append(finding("key", problems))
    if problems:
        return findings
    public = Quiz(exercise, quiz.questions, HashedKey(exercise.name, hashed_key(quiz)), quiz.policy)
    for label, variant in (("exact", quiz), ("public", public)):
        full = variant.grade(read_answers(variant, tomli_w.dumps(right_answers(quiz))), seed=seed)
        empty = variant.grade({}, seed=seed)
        findings.append(finding(f"all_right_{label}", [] if full.score == full.max_score == exercise.points else [
            Problem("quiz_check_all_right", score=full.score, max_score=full.max_score)]))
        findings.append(finding(f"empty_{label}", [] if empty.score == 0 else [Problem("quiz_check_empty", score=empty.score)]))
    template = exercise.folder / ANSWERS_FILE
    problems = []
    try:
        blank = quiz.grade(read_answers(quiz, template.read_text(encoding="utf-8"), str(template)))
        if blank.score != 0 or any(c.status != Status.NOT_ATTEMPTED for c in blank.checks):
            problems.append(Problem("quiz_check_template_not_blank"))
    except (OSError, AnswersFileError) as exc:
        problems.append(Problem("quiz_check_template_unreadable", error=str(exc)))
    findings.append(finding("answers_template", problems))
    return findings

