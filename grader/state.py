"""The student's progress: best score, last graded time and hints seen, in a small JSON file."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from grader.i18n import Msg, register, tr
from grader.report.json_result import write_atomic
from grader.results import Status

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "no_hints": {
        "ko": "{id}에는 힌트가 없습니다. 문제 설명과 검사 결과의 메시지를 다시 읽어 보세요.",
        "en": "{id} has no hints. Read the statement and the messages of the checks again.",
    },
    "hint_n": {"ko": "힌트 {i}/{n}", "en": "Hint {i}/{n}"},
    "hint_more": {
        "ko": "다음 힌트가 필요하면 한 번 더: {command}",
        "en": "For the next hint, run it again: {command}",
    },
})

STATE_FILE = ".grade_state.json"


class Progress:
    def __init__(self, root: Path) -> None:
        self.path = root / STATE_FILE
        self.data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"exercises": {}}
        if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
            return {"exercises": {}}
        return data

    def entry(self, exercise: str) -> dict[str, Any]:
        entry = self.data["exercises"].get(exercise)
        return entry if isinstance(entry, dict) else {}

    def record(self, exercise: str, score: float, max_score: float, status: str) -> None:
        entry = dict(self.entry(exercise))
        best = entry.get("best")
        if not isinstance(best, (int, float)) or score > best:
            entry["best"] = score
        entry.update(max=max_score, last_score=score, last_status=status, last_graded=time.strftime("%Y-%m-%d %H:%M"))
        if status == Status.PASSED:
            entry["passed"] = True
        self.data["exercises"][exercise] = entry
        self.save()

    def status(self, exercise: str) -> Status:
        """Passed once passed; otherwise what the last grading came to (failing, or not attempted)."""
        entry = self.entry(exercise)
        if entry.get("passed"):
            return Status.PASSED
        if entry.get("last_status") in (None, Status.NOT_ATTEMPTED):
            return Status.NOT_ATTEMPTED
        return Status.FAILING

    def next_hint(self, exercise: str, available: int) -> int:
        """The index of the next hint to show, counting this one as seen."""
        entry = dict(self.entry(exercise))
        index = int(entry.get("hints_seen", 0) or 0)
        if index >= available:
            return available
        entry["hints_seen"] = index + 1
        self.data["exercises"][exercise] = entry
        self.save()
        return index

    def hint_lines(self, exercise: str, hints: list, lang: str, command: str) -> list[str]:
        """The text of ``grade hint`` / ``hint("ex05")``: the next hint as ``Hint 2/3``, all of them once seen."""
        short_id = exercise.split("_")[0]
        if not hints:
            return [tr(Msg("no_hints", id=short_id), lang)]
        index = self.next_hint(exercise, len(hints))
        if index >= len(hints):
            lines = [tr(Msg("no_more_hints", n=len(hints)), lang)]
            lines += [f"{tr(Msg('hint_n', i=i + 1, n=len(hints)), lang)}  {tr(h, lang)}" for i, h in enumerate(hints)]
            return lines
        lines = [f"{tr(Msg('hint_n', i=index + 1, n=len(hints)), lang)}  {tr(hints[index], lang)}"]
        if index + 1 < len(hints):
            lines.append(tr(Msg("hint_more", command=command), lang))
        return lines

    def save(self) -> None:
        try:
            write_atomic(self.path, json.dumps(self.data, ensure_ascii=False, indent=1))
        except OSError:
            pass  # a read-only course folder still grades
