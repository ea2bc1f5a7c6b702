"""Quizzes: the question model, reading answers, the answer keys, grading, validation and the terminal session.

``model`` (questions, retry policy, verdicts, scoring) ← ``answers`` (one answer, the answers file) ←
``public_key`` (the students' hashed key) ← ``keys`` (which key; ``load_quiz``); ``notebook`` (a quiz notebook's
answers) ← ``grading`` (a quiz within an assignment), ``validate`` (`grade validate`) and ``view`` (`grade q01`).  Nothing here imports
upwards.  The names below are the package's public face; ``view`` (rich) is imported only by the CLI.
"""

from grader.quiz.answers import (
    AnswerSheet, answers_template, load_answers_toml, parse_answer, read_answer_sheet, read_answers, read_answers_file,
    right_answers, save_answers,
)
from grader.quiz.grading import grade_answers_file, grade_missing
from grader.quiz.keys import ExactKey, load_quiz
from grader.errors import AnswerError, AnswersFileError
from grader.quiz.model import (
    ANSWERS_FILE, KEY_FILE, KINDS, PUBLIC_KEY_FILE, QUESTIONS_FILE, Question, QuestionVerdict, Quiz, RetryPolicy,
    parse_questions,
)
from grader.quiz.public_key import HashedKey, hashed_key
from grader.quiz.validate import validate_quiz

__all__ = [
    "ANSWERS_FILE", "KEY_FILE", "KINDS", "PUBLIC_KEY_FILE", "QUESTIONS_FILE", "AnswerError", "AnswerSheet",
    "AnswersFileError", "ExactKey", "HashedKey", "Question", "QuestionVerdict", "Quiz", "RetryPolicy", "answers_template",
    "grade_answers_file", "grade_missing", "hashed_key", "load_answers_toml", "load_quiz", "parse_answer",
    "parse_questions", "read_answer_sheet", "read_answers", "read_answers_file", "right_answers", "save_answers",
    "validate_quiz",
]
