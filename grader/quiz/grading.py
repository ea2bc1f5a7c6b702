"""Grading a quiz within a whole assignment (`grade all`, `grade batch`, the autograder): the
student's answers file or quiz notebook, or nothing at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.errors import AnswersFileError
from grader.quiz.answers import parse_sheet, read_answer_sheet, read_answers_source
from grader.quiz.keys import load_quiz
from grader.quiz.model import QuestionVerdict, Quiz, join_texts, text
from grader.results import CheckResult, ExerciseResult, Status
from grader.quiz.notebook import quiz_answers

from grader.i18n import register

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "quiz_file_unreadable": {
        "ko": "답안 파일을 읽을 수 없어 채점하지 못했습니다: {problem}",
        "en": "The answers file could not be read, so this question was not graded: {problem}",
    },
})


def grade_missing(exercise: Any, options: Any) -> ExerciseResult:
    """Every question 'not attempted' (the quiz is missing from a submission)."""
    return load_quiz(exercise).grade({}, seed=options.seed, lang=options.lang)


def _unreadable(quiz: Quiz, problem: dict[str, str], options: Any) -> ExerciseResult:
    """The file cannot be read at all: every question failed with the reason (never 'not attempted')."""
    message = text("quiz_file_unreadable", problem=problem)
    checks = [CheckResult(q.id, q.title, 0.0, q.points, Status.FAILED, message) for q in quiz.questions]
    return ExerciseResult(quiz.name, quiz.exercise.title, checks, options.seed, options.lang, device="-",
                          hidden_run=True, hints=quiz.exercise.hints, problem=problem)


def grade_answers_file(exercise: Any, path: Any, options: Any) -> ExerciseResult:
    """Grade a student's answers (``answers.toml`` or a quiz notebook) within a whole assignment.

    Unlike ``grade q01 --answers`` (exit code 2), an unreadable answer costs only its question: it
    is marked failed with the reason (file, line, question), the other answers are graded; the
    result's ``problem`` lists every problem.  A file that is not TOML fails every question.
    """
    quiz = load_quiz(exercise)
    path = Path(path)
    notes: list = []
    if path.suffix == ".ipynb":
        read = quiz_answers(path)
        notes = list(read.notes)
        if read.problem:
            result = _unreadable(quiz, read.problem, options)
            result.notes = notes
            return result
        sheet = parse_sheet(quiz, dict(read.answers), None, path.name)
    else:
        try:
            source = read_answers_source(path, path.name)
        except FileNotFoundError:
            return _unreadable(quiz, text("quiz_no_answers_file", path=path.name), options)
        except AnswersFileError as exc:
            return _unreadable(quiz, exc.problems[0], options)
        try:
            sheet = read_answer_sheet(quiz, source, path.name)
        except AnswersFileError as exc:
            return _unreadable(quiz, exc.problems[0], options)
    verdicts = {qid: QuestionVerdict(0.0, "wrong", message) for qid, message in sheet.problems.items()}
    result = quiz.grade(sheet.values, tries=sheet.tries, seed=options.seed, lang=options.lang, verdicts=verdicts)
    for check in result.checks:  # a question whose answer could not be read is failed, never "not attempted"
        if check.name in sheet.problems:
            check.status = Status.FAILED
    result.notes = notes
    if sheet.problems:
        result.problem = join_texts(text("quiz_answers_problems", path=path.name), *sheet.problems.values())
    return result
