"""A gradebook CSV an LMS imports as it is: Canvas's and Moodle's column conventions, adjustments applied.

Canvas (Grades → Import): ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per assignment, and a
``Points Possible`` row under the header; Canvas matches a row by ID, else SIS User ID, else SIS Login ID, and a
column it does not know becomes a new assignment. Moodle (Grade administration → Import → CSV file): one column to
map to a user field (``ID number``, or ``Email address``), then one column per grade item. A roster CSV (a
``student`` column with the grader's id, and any of ``name, canvas_id, sis_user_id, sis_login_id, section, email,
idnumber``) fills the LMS's identifiers; without one the grader's student id is the SIS id / ID number.
Every text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) starts with a quote.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.i18n import Msg, register

LMS = ("canvas", "moodle")
ROSTER_FIELDS = ("name", "canvas_id", "sis_user_id", "sis_login_id", "section", "email", "idnumber")

register({
    "gb_roster_bad": {
        "ko": "명단 {path}을(를) 읽을 수 없습니다: {error}. 첫 줄에 student 열(채점기의 학생 id)이 있는 CSV여야 합니다.",
        "en": "The roster {path} cannot be read: {error}. It must be a CSV whose header has a student column (the grader's student id).",
    },
})


class RosterError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.render("en"))
        self.message = message


def safe_cell(value: object) -> str:
    """A cell no spreadsheet evaluates: text starting with a formula character gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def number(value: object) -> str:
    try:
        return f"{float(value):g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """student id -> the LMS's identifiers for them."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "student" not in fields:
                raise RosterError(Msg("gb_roster_bad", path=str(path), error="no student column"))
            roster = {}
            for row in reader:
                clean = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
                if clean.get("student"):
                    roster[clean["student"]] = {f: clean.get(f, "") for f in ROSTER_FIELDS}
            return roster
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(Msg("gb_roster_bad", path=str(path), error=str(exc)[:200])) from None


def gradebook_rows(lms: str, exercises: list[tuple[str, float]], loaded: dict[str, dict],
                   roster: dict[str, dict[str, str]] | None = None) -> list[list[str]]:
    """The CSV's rows: the header, Canvas's points row, then a row per student (sorted by the grader's id)."""
    roster = roster or {}
    names = [name for name, _ in exercises]
    if lms == "canvas":
        rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *names],
                ["Points Possible", "", "", "", "", *[number(p) for _, p in exercises]]]
    else:
        rows = [["ID number", "Email address", *names]]
    for student in sorted(loaded):
        per = loaded[student].get("exercises") or {}
        scores = [number((per.get(n) or {}).get("score", 0)) or "0" for n in names]
        who = roster.get(student, {})
        if lms == "canvas":
            ident = [who.get("name") or student, who.get("canvas_id", ""), who.get("sis_user_id") or student,
                     who.get("sis_login_id") or student, who.get("section", "")]
        else:
            ident = [who.get("idnumber") or student, who.get("email", "")]
        rows.append([*[safe_cell(c) for c in ident], *scores])
    return rows


def gradebook_csv(lms: str, exercises: list[tuple[str, float]], loaded: dict[str, dict],
                  roster: dict[str, dict[str, str]] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as both LMSs write theirs
    writer.writerows(gradebook_rows(lms, exercises, loaded, roster))
    return buffer.getvalue()


def exercise_columns(loaded: dict[str, dict], order: list[str] | None = None) -> list[tuple[str, float]]:
    """The graded exercises (the course's order where known) and their points."""
    points: dict[str, float] = {}
    for data in loaded.values():
        for name, item in (data.get("exercises") or {}).items():
            if isinstance(item, dict):
                points[name] = max(points.get(name, 0.0), float(item.get("max_score") or 0))
    names = [n for n in (order or []) if n in points] + sorted(n for n in points if n not in (order or []))
    return [(n, points[n]) for n in names]
