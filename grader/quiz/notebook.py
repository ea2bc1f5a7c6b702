"""A quiz notebook's answers: the literal ``answer`` of each cell tagged ``question:<id>``, never executed."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.i18n import Msg, TextLike, register
from grader.source import syntax_problem
from grader.submission import QUESTION_TAG, read_cells, strip_magics

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "nb_quiz_not_literal": {
        "ko": "{cell}번째 셀(문항 {qid})의 answer는 계산식이 아닌 값(문자열, 숫자, 리스트)이어야 합니다. 답하지 않은 것으로 처리했습니다.",
        "en": "In cell {cell} (question {qid}), answer must be a plain value (a string, a number, a list), not an expression; it counts as unanswered.",
    },
})


@dataclass
class QuizAnswers:
    answers: dict[str, Any]  # question id -> the literal value of `answer` in its cell (None when blank)
    notes: list[TextLike] = field(default_factory=list)
    problem: TextLike | None = None


def quiz_answers(path: Path) -> QuizAnswers:
    """The answers of a quiz notebook: in each cell tagged ``question:<id>``, the value assigned to ``answer``.

    Nothing is executed: the value is read with ``ast.literal_eval`` (a string, a number, a list of strings).
    """
    cells, problem = read_cells(Path(path))
    if problem is not None:
        return QuizAnswers({}, problem=problem)
    out = QuizAnswers({})
    for cell in cells:
        qids = [t[len(QUESTION_TAG):] for t in cell.tags if t.startswith(QUESTION_TAG)]
        if not qids:
            continue
        code = strip_magics(cell.source)
        syntax = syntax_problem(code, f"cell {cell.number}")
        if syntax is not None:
            out.problem = Msg("nb_cell_syntax", cell=cell.number, line=syntax.line, msg=syntax.message)
            return out
        value = None
        for node in ast.parse(code).body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "answer" for t in node.targets):
                try:
                    value = ast.literal_eval(node.value)
                except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                    out.notes.append(Msg("nb_quiz_not_literal", cell=cell.number, qid=qids[0]))
                    value = None
        for qid in qids:
            out.answers[qid] = value
    return out
