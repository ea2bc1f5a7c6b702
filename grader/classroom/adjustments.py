"""Grade adjustments with a reason: RESULTS/adjustments.toml, each entry signed, applied over the signed results.

A result file is never rewritten: the grader's score stays recorded there, and every view (grades.csv, the class
report, the student's page, the LMS gradebook) applies the adjustments on top, so `grade batch --resume` or a
regrade keeps them. The last entry for a student's exercise wins; ``undo = true`` goes back to the grader's score.
An entry whose signature does not match (edited by hand) is reported and not applied.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from grader.classroom.signing import signed, valid
from grader.i18n import Msg, register

FILE = "adjustments.toml"

# this module's messages, in Korean and English
register({
    "adj_unsigned": {
        "ko": "{file}의 {n}번째 조정은 서명이 맞지 않아(손으로 고쳤거나 다른 채점의 키) 적용하지 않았습니다: {student} {exercise}",
        "en": "Adjustment {n} in {file} was not applied: its signature does not match (edited by hand, or another batch's key): {student} {exercise}",
    },
    "adj_no_result": {
        "ko": "{file}의 조정 하나를 적용하지 않았습니다: {student}의 {exercise} 결과가 없습니다.",
        "en": "An adjustment in {file} was not applied: {student} has no result for {exercise}.",
    },
    "adj_broken_file": {
        "ko": "{file}을(를) 읽을 수 없습니다: {error}. 조정을 하나도 적용하지 않았습니다. grade adjust로 다시 기록하세요.",
        "en": "{file} cannot be read: {error}. No adjustment was applied; record them again with grade adjust.",
    },
    "adj_note": {
        "ko": "{original:g}점 → {points:g}점으로 조정 ({by}, {at}): {reason}",
        "en": "adjusted {original:g} → {points:g} by {by} at {at}: {reason}",
    },
})


class AdjustmentsError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.render("en"))
        self.message = message


@dataclass
class Adjustment:
    student: str
    exercise: str
    points: float
    reason: str
    by: str
    at: str  # UTC, ISO 8601
    original: float  # the grader's score when the adjustment was made
    undo: bool = False


@dataclass
class Loaded:
    entries: list[Adjustment]  # signed ones, in the file's order
    problems: list[Msg]  # entries left out, and why


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _raw(results: Path) -> list[dict]:
    path = results / FILE
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise AdjustmentsError(Msg("adj_broken_file", file=FILE, error=str(exc)[:200])) from None
    entries = data.get("adjustment", [])
    if not isinstance(entries, list) or not all(isinstance(x, dict) for x in entries):
        raise AdjustmentsError(Msg("adj_broken_file", file=FILE, error="[[adjustment]] tables expected"))
    return entries


def _entry(raw: dict) -> Adjustment | None:
    try:
        return Adjustment(str(raw["student"]), str(raw["exercise"]), float(raw["points"]), str(raw["reason"]),
                          str(raw["by"]), str(raw["at"]), float(raw["original"]), bool(raw.get("undo", False)))
    except (KeyError, TypeError, ValueError):
        return None


def load(results: Path, key: bytes | None) -> Loaded:
    """The signed adjustments of ``results``; unsigned or malformed entries are named in ``problems``."""
    try:
        raws = _raw(results)
    except AdjustmentsError as exc:
        return Loaded([], [exc.message])
    entries, problems = [], []
    for n, raw in enumerate(raws, start=1):
        entry = _entry(raw)
        if entry is None or not valid(key, raw):
            problems.append(Msg("adj_unsigned", file=FILE, n=n, student=str(raw.get("student", "?")),
                                exercise=str(raw.get("exercise", "?"))))
            continue
        entries.append(entry)
    return Loaded(entries, problems)


def record(results: Path, key: bytes, adjustment: Adjustment) -> None:
    """Append ``adjustment``, signed, to RESULTS/adjustments.toml (earlier entries are kept as they are)."""
    import tomli_w

    from grader.report.json_result import write_atomic

    raws = _raw(results)  # a broken file is refused, never overwritten
    fields = {k: v for k, v in asdict(adjustment).items() if k != "undo" or v}
    raws.append(signed(key, fields))
    header = ("# Grade adjustments, written by `grade adjust` (each entry signed with this folder's key:\n"
              "# an entry edited by hand is reported and not applied). The last entry for a student's exercise wins.\n\n")
    write_atomic(results / FILE, header + tomli_w.dumps({"adjustment": raws}))


def latest(entries: list[Adjustment]) -> dict[tuple[str, str], Adjustment]:
    found: dict[tuple[str, str], Adjustment] = {}
    for entry in entries:
        found[(entry.student, entry.exercise)] = entry
    return {k: v for k, v in found.items() if not v.undo}


def apply(loaded: dict[str, dict], adjustments: Loaded, lang: str = "en") -> dict[str, dict]:
    """``loaded`` (student -> result) with each adjusted exercise's score replaced and the total moved with it.

    The adjusted exercise keeps the grader's score in ``adjusted.original``; the result gets an ``adjusted`` list."""
    from grader.i18n import tr

    out = dict(loaded)
    for (student, exercise), entry in latest(adjustments.entries).items():
        data = out.get(student)
        item = (data or {}).get("exercises", {}).get(exercise) if isinstance(data, dict) else None
        if not isinstance(item, dict):
            adjustments.problems.append(Msg("adj_no_result", file=FILE, student=student, exercise=exercise))
            continue
        data = copy.deepcopy(data) if out[student] is loaded.get(student) else data
        item = data["exercises"][exercise]
        graded = float(item.get("score") or 0)
        item["adjusted"] = {"original": graded, "points": entry.points, "reason": entry.reason, "by": entry.by,
                            "at": entry.at, "note": tr(Msg("adj_note", original=graded, points=entry.points, by=entry.by,
                                                             at=entry.at, reason=entry.reason), lang)}
        item["score"] = entry.points
        data["score"] = round(float(data.get("score") or 0) - graded + entry.points, 6)
        data.setdefault("adjusted", []).append(exercise)
        out[student] = data
    return out


def apply_from(results: Path, loaded: dict[str, dict], key: bytes | None, lang: str = "en") -> tuple[dict[str, dict], list[Msg]]:
    """Load RESULTS/adjustments.toml and apply it; returns the adjusted results and what was left out, and why."""
    adjustments = load(results, key)
    return apply(loaded, adjustments, lang), adjustments.problems
