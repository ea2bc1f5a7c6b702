"""Loading the student's file in the sandbox: a problem there told once (where, and what it usually means)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from grader.feedback import Advice, Code, Detail
from grader.i18n import Msg, TextLike, register
from grader.sandbox import Session, Verdict
from grader.server.client import carry_scope

register({
    "load_error": {
        "ko": "파일을 불러오는 중 오류가 났습니다: {error}",
        "en": "Your file failed to load: {error}",
    },
    "load_error_at": {
        "ko": "파일을 불러오다가 {where}에서 오류가 났습니다: {error}",
        "en": "Your file failed to load: {error} ({where})",
    },
    "where_line": {"ko": "{line}행", "en": "line {line}"},
    "where_cell": {"ko": "{cell}번째 셀 {line}행", "en": "cell {cell}, line {line}"},
    "help_module_not_found": {
        "ko": "파이썬이 이 모듈을 찾지 못했습니다. import 줄의 철자를 확인하세요. 과제에는 수업에서 쓴 numpy와 TensorFlow/Keras만 있으면 됩니다.",
        "en": "Python cannot find this module. Check the spelling of the import; the exercises need only what the lesson uses (numpy, TensorFlow/Keras).",
    },
    "help_import_error": {
        "ko": "모듈에 그런 이름이 없습니다. 철자와 가져오는 위치를 확인하세요(예: from tensorflow import keras).",
        "en": "That module has no such name. Check the spelling and where the name comes from (e.g. from tensorflow import keras).",
    },
    "help_name_error": {
        "ko": "정의하기 전에 쓴 이름이 있거나 철자가 틀렸습니다. 함수 밖(파일의 맨 바깥)에 있는 코드는 파일을 불러올 때 바로 실행됩니다.",
        "en": "A name is used before it is defined, or it is misspelled. Code outside functions runs as soon as the file loads.",
    },
    "help_attribute_error_at_load": {
        "ko": "함수 밖에 있는 코드는 파일을 불러올 때 바로 실행되는데, 이 줄이 없는 속성을 씁니다. 철자를 확인하세요.",
        "en": "Code outside functions runs as soon as the file loads, and this line uses an attribute that does not exist. Check the spelling.",
    },
    "exit_at_import": {
        "ko": "파일을 불러오는 중 sys.exit({code})가 호출되었습니다.",
        "en": "Your file called sys.exit({code}) while loading.",
    },
})


class Preload:
    """:func:`load` on a thread of its own, started with the session: the child runs the student's file while the
    judge imports its checks (their outcome, or what the thread raised, is collected by :meth:`result`)."""

    def __init__(self, session: Session, submission: Path, source: str) -> None:
        self.outcome: tuple[TextLike | Detail, ...] | None = None
        self.error: BaseException | None = None
        self.session = session
        run = carry_scope(lambda: load(session, submission, source))
        self.thread = threading.Thread(target=self._run, args=(run,), daemon=True, name="grade-preload")
        self.thread.start()

    def _run(self, run: Callable[[], tuple[TextLike | Detail, ...] | None]) -> None:
        try:
            self.outcome = run()
        except BaseException as exc:  # noqa: BLE001  (re-raised on the judge's thread by result())
            self.error = exc

    def cancel(self) -> None:
        """Still loading (the judge stopped before reading the outcome): end the child, so the thread ends now."""
        if self.thread.is_alive():
            self.session._kill()
            self.thread.join(timeout=5.0)

    def result(self) -> tuple[TextLike | Detail, ...] | None:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.outcome


def load(session: Session, submission: Path, source: str = "") -> tuple[TextLike | Detail, ...] | None:
    """Load the file in the sandbox; a problem here is reported once, and the checks that need the file do not run."""
    from grader.sandbox import StudentRaised

    try:
        session.load(submission.resolve())
    except Verdict as verdict:
        return (verdict.message,)
    except StudentRaised as exc:
        info = exc.info
        if info.get("type") == "SystemExit":
            return (Msg("exit_at_import", code=info.get("message")),)
        kind, text = str(info.get("type") or "Exception"), str(info.get("message") or "")
        line = info.get("line") or _last_line(info.get("traceback") or "")
        details: list[Detail] = []
        excerpt = line_excerpt(source, int(line)) if line and source else ""
        if excerpt:
            details.append(Code(excerpt))
        elif info.get("traceback"):
            details.append(Code(info["traceback"]))
        if kind in LOAD_ERROR_HELP:
            details.append(Advice(Msg(LOAD_ERROR_HELP[kind])))
        where = where_in(source, int(line)) if line else None
        error = f"{kind}: {text}" if text else kind
        message = Msg("load_error_at", where=where, error=error) if where else Msg("load_error", error=error)
        return (message, *details)
    return None


#: A sentence that teaches what an exception raised while loading the file usually means.
LOAD_ERROR_HELP = {
    "ModuleNotFoundError": "help_module_not_found",
    "ImportError": "help_import_error",
    "NameError": "help_name_error",
    "AttributeError": "help_attribute_error_at_load",
}


def _last_line(traceback_text: str) -> int | None:
    """The line number of the last ``line N, in ...`` entry of the sandbox's traceback text."""
    import re

    found = re.findall(r"line (\d+), in", traceback_text)
    return int(found[-1]) if found else None


_CELL_MARK = "# --- cell "


def where_in(source: str, line: int) -> Msg:
    """``line 4`` of a .py file, or ``cell 3, line 2`` of a notebook's answer code."""
    lines = source.splitlines()
    for number in range(min(line, len(lines)) - 1, -1, -1):
        text = lines[number]
        if text.startswith(_CELL_MARK) and text.rstrip().endswith("---"):
            cell = text[len(_CELL_MARK):].split()[0]
            return Msg("where_cell", cell=cell, line=line - number - 1)
    return Msg("where_line", line=line)


def line_excerpt(source: str, line: int) -> str:
    """The student's line with a caret line under its code, as Python's own tracebacks show it."""
    lines = source.splitlines()
    if not 0 < line <= len(lines) or not lines[line - 1].strip():
        return ""
    text = lines[line - 1].rstrip()
    indent = len(text) - len(text.lstrip())
    shown = line
    if text.lstrip().startswith(_CELL_MARK):
        return ""
    marks = where_in(source, line)
    if marks.key == "where_cell":
        shown = marks.params["line"]
    return f"{shown:>4} | {text}\n     | {' ' * indent}{'^' * len(text.strip())}"
