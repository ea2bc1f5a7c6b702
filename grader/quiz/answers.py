"""Reading a quiz's answers: one answer (normalised to its canonical form) and the answers file
(``exercises/qNN_slug/answers.toml``), read with line numbers and written atomically after each
interactive answer.

The file holds one line per question (``dense_params = 1010``) and a ``[tries]`` table with the try
each answer was given on (``dense_params = 2``), so that ``grade all``, ``grade batch``, the
autograder and CI apply the same retry policy as the interactive session.  An answer without a
``[tries]`` entry counts as a first try.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import tomli_w

from grader.i18n import Msg, both, register
from grader.errors import AnswerError, AnswersFileError
from grader.quiz.model import ANSWERS_FILE, Question, Quiz, join_texts, text
from grader.report.json_result import write_atomic

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "quiz_not_number": {
        "ko": "문항 '{qid}': '{raw}'은(는) 숫자로 읽을 수 없습니다 (쓰는 법의 예: {examples}).",
        "en": "question '{qid}': cannot read '{raw}' as a number (how to write one, e.g. {examples}).",
    },
    "quiz_not_number_plain": {
        "ko": "문항 '{qid}': '{raw}'은(는) 숫자로 읽을 수 없습니다. 숫자만 쓰세요(천 단위 쉼표와 지수 표기 e도 됩니다).",
        "en": "question '{qid}': cannot read '{raw}' as a number. Write digits only (thousands commas and an exponent e also work).",
    },
    "quiz_not_choice": {
        "ko": "문항 '{qid}': '{raw}'은(는) 보기에 없습니다. 보기: {ids}",
        "en": "question '{qid}': '{raw}' is not one of the choices: {ids}",
    },
    "quiz_bad_type": {
        "ko": "문항 '{qid}': {expected}이(가) 필요한데 {got}이(가) 주어졌습니다.",
        "en": "question '{qid}': expected {expected}, got {got}.",
    },
    "quiz_unknown_question": {
        "ko": "'{qid}'(이)라는 문항이 없습니다. 문항: {ids}",
        "en": "there is no question '{qid}'. Questions: {ids}",
    },
    "quiz_did_you_mean": {
        "ko": "없는 문항 id입니다: '{qid}'. 혹시 '{close}' 아닌가요?",
        "en": "there is no question '{qid}'; did you mean '{close}'?",
    },
    "quiz_more_unknown": {
        "ko": "없는 문항 id가 {n}개 더 있습니다(처음 몇 개만 보였습니다).",
        "en": "{n} more keys name no question (only the first ones are listed).",
    },
    "quiz_answers_too_big": {
        "ko": "답안 파일 {path}의 크기가 {size:,}바이트로, 상한 {cap:,}바이트를 넘어 읽지 않았습니다. 문항마다 한 줄씩 쓰는 파일은 이보다 훨씬 작습니다.",
        "en": "The answers file {path} is {size:,} bytes, over the {cap:,}-byte limit, so it was not read. A file with one line per question is far smaller.",
    },
    "quiz_bad_toml": {
        "ko": "TOML 문법 오류: {error}",
        "en": "not valid TOML: {error}",
    },
    "quiz_expected_single": {
        "ko": "보기 id 하나(문자열)",
        "en": "one choice id (a string)",
    },
    "quiz_expected_multiple": {
        "ko": "보기 id의 리스트",
        "en": "a list of choice ids",
    },
    "quiz_expected_numeric": {
        "ko": "숫자",
        "en": "a number",
    },
    "quiz_expected_text": {
        "ko": "문자열",
        "en": "a string",
    },
    "quiz_toml_unclosed": {
        "ko": "— 문자열을 닫는 따옴표({quote})가 빠졌습니다.",
        "en": "— the closing quote ({quote}) of the text is missing.",
    },
    "quiz_toml_unquoted": {
        "ko": "— 글로 된 답은 따옴표로 감싸세요: \"{value}\"",
        "en": "— put a text answer in quotes: \"{value}\"",
    },
    "quiz_in_file": {"ko": "{path}", "en": "{path}"},
    "quiz_at_line": {"ko": "{path} {line}번째 줄", "en": "{path}, line {line}"},
    "quiz_on_question": {"ko": "(문항 '{qid}')", "en": "(question '{qid}')"},
    "quiz_bad_tries_table": {
        "ko": "[tries]는 `문항 id = 시도 번호` 꼴의 표여야 합니다.",
        "en": "[tries] must be a table of `question id = try number`.",
    },
    "quiz_bad_tries": {
        "ko": "문항 '{qid}'의 시도 번호 {raw}은(는) 1 이상의 정수여야 합니다.",
        "en": "question '{qid}': the try number {raw} must be a whole number of at least 1.",
    },
})

TRIES_TABLE = "tries"
#: The largest answers file read (a file with every question answered and commented is under 20 KB).
MAX_ANSWERS_BYTES = 256 * 1024
#: Keys that name no question: the first ones are reported (with "did you mean"), the rest counted.
MAX_UNKNOWN_REPORTED = 20


# ---------------------------------------------------------------------------------------------
# one answer: reading and normalising it

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


#: Example numbers for a message (``Quiz.number_examples``: never the answer to a question of the quiz).
Examples = Callable[[], str] | None


def _not_number(qid: str, raw: Any, examples: Examples) -> AnswerError:
    shown = examples() if examples is not None else ""
    if shown:
        return AnswerError(text("quiz_not_number", qid=qid, raw=_shown(str(raw)), examples=shown))
    return AnswerError(text("quiz_not_number_plain", qid=qid, raw=_shown(str(raw))))


def parse_number(raw: Any, qid: str = "?", examples: Examples = None) -> float:
    """``1010``, ``"1,010"``, ``"1 010"``, ``"1.01e3"`` are all 1010.0."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise AnswerError(text("quiz_bad_type", qid=qid, expected=both(Msg("quiz_expected_numeric")), got=type(raw).__name__))
    if isinstance(raw, str):
        s = unicodedata.normalize("NFKC", raw).strip().lower().replace("\u2212", "-")
        s = re.sub(r"[\s_]", "", s)
        if len(s) > 100:  # no number written by hand is longer
            raise _not_number(qid, raw, examples)
        if _GROUPED.fullmatch(s):
            s = s.replace(",", "")
        if not _NUMBER.fullmatch(s):
            raise _not_number(qid, raw, examples)
        raw = s
    try:
        value = float(raw)
    except OverflowError:  # an int too large for a float
        raise _not_number(qid, raw, examples) from None
    if not math.isfinite(value):
        raise _not_number(qid, raw, examples)
    return value


def parse_answer(question: Question, raw: Any, examples: Examples = None) -> Any:
    """The answer in canonical form (choice id, sorted tuple of ids, float, str); None when blank.

    Choices are named by their id (as the answers file and the quiz notebook list them) or their text."""
    qid = question.id
    if raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw):
        return None
    if question.kind == "numeric":
        return parse_number(raw, qid, examples)
    if question.kind == "text":
        if not isinstance(raw, str):
            raise AnswerError(text("quiz_bad_type", qid=qid, expected=both(Msg("quiz_expected_text")), got=type(raw).__name__))
        return raw.strip()
    if question.kind == "single":
        if not isinstance(raw, str):
            raise AnswerError(text("quiz_bad_type", qid=qid, expected=both(Msg("quiz_expected_single")), got=type(raw).__name__))
        return _choice_id(question, raw)
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,\s]+", raw) if part]
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise AnswerError(text("quiz_bad_type", qid=qid, expected=both(Msg("quiz_expected_multiple")), got=type(raw).__name__))
    return tuple(sorted({_choice_id(question, r) for r in raw}))


def _choice_id(question: Question, raw: str) -> str:
    wanted = normalise_text(raw)
    for choice in question.choices:
        if wanted == normalise_text(choice.id) or any(wanted == normalise_text(t) for t in choice.text.values()):
            return choice.id
    raise AnswerError(text("quiz_not_choice", qid=question.id, raw=raw, ids=", ".join(question.choice_ids())))


# ---------------------------------------------------------------------------------------------
# the answers file


@dataclass
class AnswerSheet:
    """What an answers file says: canonical answers, the try of each, and the problems (by question id)."""

    values: dict[str, Any] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    problems: dict[str, dict[str, str]] = field(default_factory=dict)

    def tries_of(self, qid: str) -> int:
        return self.tries.get(qid, 1 if self.values.get(qid) is not None else 0)


class LineIndex:
    """Where each ``key = ...`` is set, by table: one pass over the file, so a file of many keys reads in linear time."""

    def __init__(self, source: str | None) -> None:
        self.lines: dict[tuple[str | None, str], int] = {}
        table: str | None = None
        for number, line in enumerate((source or "").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("["):
                table = stripped.strip("[] ")
                continue
            key, sep, _ = stripped.partition("=")
            if sep:
                self.lines.setdefault((table, key.strip().strip("\"'")), number)

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The 1-based line where ``key`` is set (in the table ``table``; None: at the top, before any table)."""
        return self.lines.get((table, key))


def _located(message: dict[str, str], path: str, line: int | None) -> dict[str, str]:
    if line is None:
        return join_texts(text("quiz_in_file", path=path), message, sep=": ")
    return join_texts(text("quiz_at_line", path=path, line=line), message, sep=": ")


def parse_sheet(quiz: Quiz, raw: dict[str, Any], source: str | None = None, path: str = ANSWERS_FILE) -> AnswerSheet:
    """Read the answers and tries of a parsed TOML document; each problem names its line and question."""
    raw = dict(raw)
    tries_raw = raw.pop(TRIES_TABLE, {})
    if isinstance(raw.get("answers"), dict):
        raw = {**raw.pop("answers"), **raw}
    ids = {q.id: q for q in quiz.questions}
    sheet = AnswerSheet()
    index = LineIndex(source)
    unknown = 0
    for qid, value in raw.items():
        line = index.line_of(qid) or index.line_of(qid, "answers")
        if qid not in ids:
            unknown += 1
            if unknown <= MAX_UNKNOWN_REPORTED:
                sheet.problems[qid] = _located(_unknown_question(qid, ids), path, line)
            continue
        try:
            sheet.values[qid] = parse_answer(ids[qid], value, quiz.number_examples)
        except AnswerError as exc:
            sheet.problems[qid] = _located(exc.message, path, line)
    if not isinstance(tries_raw, dict):
        sheet.problems[TRIES_TABLE] = _located(text("quiz_bad_tries_table"), path, index.line_of(TRIES_TABLE))
        return sheet
    for qid, value in tries_raw.items():
        line = index.line_of(qid, TRIES_TABLE)
        if qid not in ids:
            unknown += 1
            if unknown <= MAX_UNKNOWN_REPORTED:
                sheet.problems[f"{TRIES_TABLE}.{qid}"] = _located(_unknown_question(qid, ids), path, line)
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            sheet.problems.setdefault(qid, _located(text("quiz_bad_tries", qid=qid, raw=json.dumps(value)), path, line))
        elif sheet.values.get(qid) is not None:
            sheet.tries[qid] = value
    if unknown > MAX_UNKNOWN_REPORTED:
        sheet.problems["..."] = _located(text("quiz_more_unknown", n=unknown - MAX_UNKNOWN_REPORTED), path, None)
    return sheet


def _unknown_question(qid: str, ids: dict[str, Any]) -> dict[str, str]:
    """There is no question ``qid``: the closest question id when one is close ("did you mean"), else them all."""
    import difflib

    close = difflib.get_close_matches(qid, list(ids), n=1, cutoff=0.6) if len(qid) <= 200 else []
    if close:
        return text("quiz_did_you_mean", qid=_shown(qid), close=close[0])
    return text("quiz_unknown_question", qid=_shown(qid), ids=", ".join(ids))


def _shown(value: str, limit: int = 60) -> str:
    """A student's key or value as a message shows it: at most ``limit`` characters."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def load_answers_toml(source: str, path: str = ANSWERS_FILE) -> dict[str, Any]:
    """The parsed TOML; a syntax error names the line and, where it can, the question on that line."""
    if len(source) > MAX_ANSWERS_BYTES:
        raise AnswersFileError([text("quiz_answers_too_big", path=path, size=len(source.encode("utf-8", "replace")),
                                     cap=MAX_ANSWERS_BYTES)])
    try:
        return tomllib.loads(source)
    except (RecursionError, MemoryError):  # arrays nested thousands deep
        raise AnswersFileError([_located(text("quiz_bad_toml", error="nested too deeply"), path, None)]) from None
    except tomllib.TOMLDecodeError as exc:  # the message names the line and column
        found = re.search(r"line (\d+)", str(exc))
        number = int(found.group(1)) if found else None
        qid = None
        lines = source.splitlines()
        if number is not None and 0 < number <= len(lines):
            match = re.match(r'^\s*["\']?([\w.-]+)["\']?\s*=', lines[number - 1])
            qid = match.group(1) if match else None
        message = text("quiz_bad_toml", path=path, error=str(exc))
        if qid:
            message = join_texts(message, text("quiz_on_question", qid=qid), sep=" ")
        why = _why_not_toml(lines[number - 1]) if number is not None and 0 < number <= len(lines) else None
        raise AnswersFileError([_located(join_texts(message, why, sep=" "), path, number)]) from None


def _why_not_toml(line: str) -> dict[str, str] | None:
    """The usual cause of a TOML error on ``line``, in words: a quote not closed, or text written without quotes."""
    _, equals, value = line.partition("=")
    value = value.split("#", 1)[0].strip() if '"' not in value and "'" not in value else value.strip()
    if not equals or not value:
        return None
    for quote in ('"', "'"):
        if value.startswith(quote) and (len(value) == 1 or not value.rstrip().endswith(quote)):
            return text("quiz_toml_unclosed", quote=quote)
    if value[0] not in "[{+-.0123456789" and value not in ("true", "false", "inf", "nan"):
        return text("quiz_toml_unquoted", value=_shown(value, 30))
    return None


def read_answers_source(path: Path, shown: str | None = None) -> str:
    """The text of the answers file ``path``, read only up to its size cap; AnswersFileError when unreadable or too big.

    Raises FileNotFoundError when there is no file (the caller decides what that means)."""
    shown = shown or str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ANSWERS_BYTES + 1)
            if len(data) > MAX_ANSWERS_BYTES:
                handle.seek(0, 2)
                size = handle.tell()
                raise AnswersFileError([text("quiz_answers_too_big", path=shown, size=size, cap=MAX_ANSWERS_BYTES)])
        return data.decode("utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError):
        raise AnswersFileError([text("quiz_no_answers_file", path=shown)]) from None


def read_answer_sheet(quiz: Quiz, source: str, path: str = ANSWERS_FILE) -> AnswerSheet:
    """The sheet of an answers file's text; a TOML syntax error raises AnswersFileError."""
    return parse_sheet(quiz, load_answers_toml(source, path), source, path)


def read_answers(quiz: Quiz, source: str, path: str = ANSWERS_FILE) -> dict[str, Any]:
    """Parsed answers from the text of an answers file; every problem at once in AnswersFileError."""
    sheet = read_answer_sheet(quiz, source, path)
    if sheet.problems:
        raise AnswersFileError(list(sheet.problems.values()))
    return sheet.values


def read_answers_file(quiz: Quiz, path: Path) -> AnswerSheet:
    """The sheet of the file at ``path`` (empty when there is none); raises AnswersFileError if unreadable."""
    try:
        source = read_answers_source(path)
    except FileNotFoundError:
        return AnswerSheet()
    return read_answer_sheet(quiz, source, path.name)


# ---------------------------------------------------------------------------------------------
# writing


def _toml_value(value: Any) -> str:
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
        '# 객관식은 문항 아래에 "id": 보기 꼴로 적힌 보기 id 하나("…"), 복수 선택은 그 id의 리스트(["…", "…"]),'
        ' 수치는 숫자, 단답형은 문자열로 씁니다.',
        '# Single choice: one choice id as listed under its question ("id": choice) in quotes ("…"); multiple choice:'
        ' a list of those ids (["…", "…"]); numeric: a number; text: a string.',
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
    write_atomic(path, answers_template(quiz, values, tries))


def right_answers(quiz: Quiz) -> dict[str, Any]:
    """An answers file's content with every answer right (needs the exact key)."""
    out = {}
    for q in quiz.questions:
        answer = quiz.key.entries[q.id]["answer"]
        out[q.id] = answer[0] if q.kind == "text" else answer
    return out
