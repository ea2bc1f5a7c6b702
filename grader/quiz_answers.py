"""A quiz's answers file (``exercises/qNN_slug/answers.toml``): reading it with line numbers, writing it
atomically after each interactive answer, and grading it within a whole assignment.

The file holds one line per question (``dense_params = 1010``) and a ``[tries]`` table with the try
each answer was given on (``dense_params = 2``), so that ``grade all``, ``grade batch``, the
autograder and CI apply the same retry policy as the interactive session.  An answer without a
``[tries]`` entry counts as a first try.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.quiz import (
    ANSWERS_FILE, AnswerError, AnswersFileError, Quiz, Verdict, _join, parse_answer, text,
)
from grader.results import CheckResult, ExerciseResult

TRIES_TABLE = "tries"


@dataclass
class AnswerSheet:
    """What an answers file says: canonical answers, the try of each, and the problems (by question id)."""

    values: dict[str, Any] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    problems: dict[str, dict[str, str]] = field(default_factory=dict)

    def tries_of(self, qid: str) -> int:
        return self.tries.get(qid, 1 if self.values.get(qid) is not None else 0)


def _line_of(source: str | None, key: str, after: str | None = None) -> int | None:
    """The 1-based line where ``key = ...`` is set (in the table ``after`` when given)."""
    if not source:
        return None
    pattern = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*=')
    inside = after is None
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = after is not None and stripped.strip("[] ") == after
            continue
        if inside and pattern.match(line):
            return number
    return None


def _located(message: dict[str, str], path: str, line: int | None) -> dict[str, str]:
    if line is None:
        return _join(text("in_file", path=path), message, sep=": ")
    return _join(text("at_line", path=path, line=line), message, sep=": ")


def parse_sheet(quiz: Quiz, raw: dict[str, Any], source: str | None = None, path: str = ANSWERS_FILE) -> AnswerSheet:
    """Read the answers and tries of a parsed TOML document; each problem names its line and question."""
    raw = dict(raw)
    tries_raw = raw.pop(TRIES_TABLE, {})
    if isinstance(raw.get("answers"), dict):
        raw = {**raw.pop("answers"), **raw}
    ids = {q.id: q for q in quiz.questions}
    sheet = AnswerSheet()
    for qid, value in raw.items():
        line = _line_of(source, qid)
        if qid not in ids:
            sheet.problems[qid] = _located(text("unknown_question", qid=qid, ids=", ".join(ids)), path, line)
            continue
        try:
            sheet.values[qid] = parse_answer(ids[qid], value)
        except AnswerError as exc:
            sheet.problems[qid] = _located(exc.message, path, line)
    if not isinstance(tries_raw, dict):
        sheet.problems[TRIES_TABLE] = _located(text("bad_tries_table"), path, _line_of(source, TRIES_TABLE))
        return sheet
    for qid, value in tries_raw.items():
        line = _line_of(source, qid, after=TRIES_TABLE)
        if qid not in ids:
            sheet.problems[f"{TRIES_TABLE}.{qid}"] = _located(text("unknown_question", qid=qid, ids=", ".join(ids)), path, line)
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            sheet.problems.setdefault(qid, _located(text("bad_tries", qid=qid, raw=json.dumps(value)), path, line))
        elif sheet.values.get(qid) is not None:
            sheet.tries[qid] = value
    return sheet


def load_answers_toml(source: str, path: str = ANSWERS_FILE) -> dict[str, Any]:
    """The parsed TOML; a syntax error names the line and, where it can, the question on that line."""
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:  # the message names the line and column
        found = re.search(r"line (\d+)", str(exc))
        number = int(found.group(1)) if found else None
        qid = None
        lines = source.splitlines()
        if number is not None and 0 < number <= len(lines):
            match = re.match(r'^\s*["\']?([\w.-]+)["\']?\s*=', lines[number - 1])
            qid = match.group(1) if match else None
        message = text("bad_toml", path=path, error=str(exc))
        if qid:
            message = _join(message, text("on_question", qid=qid), sep=" ")
        raise AnswersFileError([_located(message, path, number)]) from None


def read_answer_sheet(quiz: Quiz, source: str, path: str = ANSWERS_FILE) -> AnswerSheet:
    """The sheet of an answers file's text; a TOML syntax error raises AnswersFileError."""
    return parse_sheet(quiz, load_answers_toml(source, path), source, path)


def read_answers_file(quiz: Quiz, path: Path) -> AnswerSheet:
    """The sheet of the file at ``path`` (empty when there is none); raises AnswersFileError if unreadable."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AnswerSheet()
    except (OSError, UnicodeDecodeError):
        raise AnswersFileError([text("no_answers_file", path=str(path))]) from None
    return read_answer_sheet(quiz, source, path.name)


# ---------------------------------------------------------------------------------------------
# writing


def _toml_value(value: Any) -> str:
    import tomli_w

    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _comment(value: str, indent: str = "# ") -> list[str]:
    return [f"{indent}{line}".rstrip() for line in value.strip().splitlines()]


def answers_template(quiz: Quiz, values: dict[str, Any] | None = None, tries: dict[str, int] | None = None) -> str:
    """The answers file: every question in a comment, then its answer (blank unless ``values`` has it)."""
    values, tries = values or {}, tries or {}
    qid_cmd = quiz.exercise.id
    header = quiz.header()
    lines = [
        f"# {quiz.name}: {quiz.exercise.title['ko']} / {quiz.exercise.title['en']}",
        "# 답을 채우고 `grade " + qid_cmd + "`를 실행하세요. / Fill in your answers and run `grade " + qid_cmd + "`.",
        "# `grade " + qid_cmd + "`로 대화형으로 풀면 답할 때마다 이 파일에 저장됩니다."
        " / Taking the quiz with `grade " + qid_cmd + "` saves each answer here.",
        '# 객관식은 보기 id("..."), 복수 선택은 id의 리스트(["a", "b"]), 수치는 숫자, 단답형은 문자열로 씁니다.',
        '# Single choice: a choice id ("..."); multiple choice: a list of ids (["a", "b"]); numeric: a number; text: a string.',
        *_comment(header["ko"]),
        *_comment(header["en"]),
        "",
    ]
    for i, q in enumerate(quiz.questions, 1):
        prompt = q.full_prompt()
        lines += _comment(f"{i}. {prompt['ko']}") + _comment(f"   {prompt['en']}")
        for c in q.choices:
            shown = c.text["ko"] if c.text["ko"] == c.text["en"] else f"{c.text['ko']} / {c.text['en']}"
            lines.append(f"#    {json.dumps(c.id)}: {' '.join(shown.split())}")
        value = values.get(q.id)
        blank = "[]" if q.kind == "multiple" else '""'
        lines += [f"{q.id} = {blank if value is None else _toml_value(value)}", ""]
    used = {qid: n for qid, n in tries.items() if values.get(qid) is not None}
    if used:
        lines += ["# 몇 번째 시도에서 낸 답인지 / the try on which each answer was given", f"[{TRIES_TABLE}]"]
        lines += [f"{q.id} = {used[q.id]}" for q in quiz.questions if q.id in used]
        lines.append("")
    return "\n".join(lines)


def save_answers(quiz: Quiz, path: Path, values: dict[str, Any], tries: dict[str, int]) -> None:
    """Write the answers file atomically (a temporary file, then os.replace)."""
    from grader.report.json_result import write_atomic

    write_atomic(path, answers_template(quiz, values, tries))


def right_answers(quiz: Quiz) -> dict[str, Any]:
    """An answers file's content with every answer right (needs the exact key)."""
    out = {}
    for q in quiz.questions:
        answer = quiz.key.entries[q.id]["answer"]
        out[q.id] = answer[0] if q.kind == "text" else answer
    return out


# ---------------------------------------------------------------------------------------------
# grading within a whole assignment (`grade all`, `grade batch`, the autograder)


def grade_missing(exercise: Any, options: Any) -> ExerciseResult:
    """Every question 'not attempted' (the quiz is missing from a submission)."""
    from grader.quiz import load_quiz

    return load_quiz(exercise).grade({}, seed=options.seed, lang=options.lang)


def _unreadable(quiz: Quiz, problem: dict[str, str], options: Any) -> ExerciseResult:
    """The file cannot be read at all: every question failed with the reason (never 'not attempted')."""
    message = text("file_unreadable", problem=problem)
    checks = [CheckResult(q.id, q.title, 0.0, q.points, "failed", message) for q in quiz.questions]
    return ExerciseResult(quiz.name, quiz.exercise.title, checks, options.seed, options.lang, device="-",
                          hidden_run=True, hints=quiz.exercise.hints, problem=problem)


def grade_answers_file(exercise: Any, path: Any, options: Any) -> ExerciseResult:
    """Grade a student's answers (``answers.toml`` or a quiz notebook) within a whole assignment.

    Unlike ``grade q01 --answers`` (exit code 2), an unreadable answer costs only its question: it
    is marked failed with the reason (file, line, question), the other answers are graded; the
    result's ``problem`` lists every problem.  A file that is not TOML fails every question.
    """
    from grader.quiz import load_quiz

    quiz = load_quiz(exercise)
    path = Path(path)
    notes: list = []
    if path.suffix == ".ipynb":
        from grader.submission import quiz_answers

        read = quiz_answers(path)
        notes = list(read.notes)
        if read.problem:
            result = _unreadable(quiz, read.problem, options)
            result.notes = notes
            return result
        sheet = parse_sheet(quiz, dict(read.answers), None, path.name)
    else:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return _unreadable(quiz, text("no_answers_file", path=path.name), options)
        try:
            sheet = read_answer_sheet(quiz, source, path.name)
        except AnswersFileError as exc:
            return _unreadable(quiz, exc.problems[0], options)
    verdicts = {qid: Verdict(0.0, "wrong", message) for qid, message in sheet.problems.items()}
    result = quiz.grade(sheet.values, tries=sheet.tries, seed=options.seed, lang=options.lang, verdicts=verdicts)
    for check in result.checks:  # a question whose answer could not be read is failed, never "not attempted"
        if check.name in sheet.problems:
            check.status = "failed"
    result.notes = notes
    if sheet.problems:
        result.problem = _join(text("answers_problems", path=path.name), *sheet.problems.values())
    return result
