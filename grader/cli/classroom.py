"""`grade adjust` (a grade changed with a reason) and `grade export` (an LMS gradebook)."""

from __future__ import annotations

import math
from enum import Enum
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, Optional

import typer

from grader.cli.app import LangOpt, _catalog, _lang, _usage_error, app
from grader.i18n import Msg, register, tr
from grader.report.console import make_console

# this module's messages, in Korean and English
register({
    "adj_not_results": {
        "ko": "{path}은(는) grade batch의 결과 폴더가 아닙니다(서명 키 .grader-key가 없습니다). grade batch --out으로 만든 폴더를 주세요.",
        "en": "{path} is not a results folder of grade batch (it has no signing key .grader-key). Give the folder made by grade batch --out.",
    },
    "adj_no_student": {
        "ko": "{path}에 {student} 학생의 서명된 결과가 없습니다. 있는 학생: {known}",
        "en": "{path} has no signed result for student {student}. Students there: {known}",
    },
    "adj_no_exercise": {
        "ko": "{student} 학생의 결과에 {exercise} 문제가 없습니다. 있는 문제: {known}",
        "en": "{student}'s result has no exercise {exercise}. Exercises there: {known}",
    },
    "adj_bad_points": {
        "ko": "--points는 0에서 {max_score:g} 사이의 점수여야 합니다({exercise}의 배점). 받은 값: {value}",
        "en": "--points must be a score from 0 to {max_score:g} ({exercise}'s points); got {value}",
    },
    "adj_no_points": {
        "ko": "새 점수를 --points N으로 주세요(조정을 되돌리려면 --undo).",
        "en": "Give the new score with --points N (or --undo to go back to the grader's score).",
    },
    "adj_no_reason": {
        "ko": "조정 사유를 --reason \"...\"으로 주세요. 사유는 성적표와 학생 페이지에 함께 표시됩니다.",
        "en": "Give the reason with --reason \"...\"; it is shown beside the score in grades.csv, the report and the student's page.",
    },
    "adj_done": {
        "ko": "{student} {exercise}: {original:g} → {points:g}점 ({reason}). grades.csv와 리포트를 다시 썼습니다.",
        "en": "{student} {exercise}: {original:g} → {points:g} ({reason}). grades.csv and the report were rewritten.",
    },
    "adj_undone": {
        "ko": "{student} {exercise}: 채점기의 점수 {original:g}점으로 되돌렸습니다. grades.csv와 리포트를 다시 썼습니다.",
        "en": "{student} {exercise}: back to the grader's score {original:g}. grades.csv and the report were rewritten.",
    },
    "export_no_results": {
        "ko": "{path}에 서명된 결과가 없습니다. 먼저 grade batch로 채점하세요.",
        "en": "{path} has no signed results; grade the class with grade batch first.",
    },
    "export_done": {"ko": "{lms} 성적표 {path} ({n}명)", "en": "{lms} gradebook {path} ({n} students)"},
})

def _signed_class(results: Path, lang: str) -> tuple[bytes, dict[str, dict]]:
    from grader.classroom.signing import folder_key
    from grader.report.html import load_results

    if not results.is_dir():
        raise _usage_error(Msg("missing_file", path=str(results)), lang)
    key = folder_key(results)
    if key is None:
        raise _usage_error(Msg("adj_not_results", path=str(results)), lang)
    return key, load_results(results, key)


def _course_or_results(loaded: dict[str, dict]) -> Any:
    """The course's catalog, or (away from the course) one made of the results' own exercises and points."""
    from grader.errors import CatalogError

    try:
        return _catalog()
    except CatalogError:
        from grader.classroom.gradebook import exercise_columns

        return SimpleNamespace(items=[SimpleNamespace(name=n, points=p) for n, p in exercise_columns(loaded)])


def _known(names: list[str]) -> str:
    return ", ".join(names[:12]) + (f" … (+{len(names) - 12})" if len(names) > 12 else "")


@app.command("adjust")
def adjust_command(
    results: Annotated[Path, typer.Argument(help="The results folder of `grade batch`.")],
    student: Annotated[str, typer.Argument(help="The student id (their result file's name).")],
    exercise: Annotated[str, typer.Argument(help="The exercise: ex05_losses, or ex05.")],
    points: Annotated[Optional[float], typer.Option("--points", help="The new score for this exercise.")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why: shown with the score in grades.csv, the report and the student's page.")] = "",
    by: Annotated[Optional[str], typer.Option("--by", help="Who adjusts (default: the OS user).")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Go back to the grader's score (recorded as an entry too).")] = False,
    lang: LangOpt = None,
) -> None:
    """Instructor: change one exercise's grade with a reason (signed in RESULTS/adjustments.toml; the grader's score stays recorded)."""
    import getpass

    from grader import batch
    from grader.classroom import adjustments
    from grader.report.html import write_report

    lang_code = _lang(lang)
    key, loaded = _signed_class(results, lang_code)
    if student not in loaded:
        raise _usage_error(Msg("adj_no_student", path=str(results), student=student, known=_known(sorted(loaded))), lang_code)
    items = {n: i for n, i in (loaded[student].get("exercises") or {}).items() if isinstance(i, dict)}
    name = exercise if exercise in items else next((n for n in items if n.split("_")[0] == exercise), None)
    if name is None:
        raise _usage_error(Msg("adj_no_exercise", student=student, exercise=exercise, known=_known(list(items))), lang_code)
    max_score = float(items[name].get("max_score") or 0)
    if points is None and not undo:
        raise _usage_error(Msg("adj_no_points"), lang_code)
    if points is not None and not (math.isfinite(points) and 0 <= points <= max_score):
        raise _usage_error(Msg("adj_bad_points", max_score=max_score, exercise=name, value=points), lang_code)
    if not reason.strip():
        raise _usage_error(Msg("adj_no_reason"), lang_code)
    try:
        who = by or getpass.getuser()
    except (KeyError, OSError):
        who = "instructor"
    original = float(items[name].get("score") or 0)
    entry = adjustments.Adjustment(student, name, original if undo else float(points or 0), " ".join(reason.split()),
                                   who, adjustments.now(), original, undo)
    try:
        adjustments.record(results, key, entry)
    except adjustments.AdjustmentsError as exc:
        raise _usage_error(exc.message, lang_code) from None
    catalog = _course_or_results(loaded)
    batch.write_csv(catalog, results, [batch.Student(s, results) for s in loaded], key)
    write_report(results, lang_code, [e.name for e in catalog.items])
    done = Msg("adj_undone" if undo else "adj_done", student=student, exercise=name, original=original,
               points=entry.points, reason=entry.reason)
    make_console().print(tr(done, lang_code), markup=False)


class Lms(str, Enum):
    canvas = "canvas"
    moodle = "moodle"


@app.command("export")
def export_command(
    results: Annotated[Path, typer.Argument(help="The results folder of `grade batch`.")],
    lms: Annotated[Lms, typer.Option("--lms", help="Whose gradebook columns: canvas or moodle.")],
    out: Annotated[Path, typer.Option("--out", help="The CSV file to write.")],
    roster: Annotated[Optional[Path], typer.Option("--roster", help="A CSV: student, and any of name, canvas_id, sis_user_id, sis_login_id, section, email, idnumber.")] = None,
    lang: LangOpt = None,
) -> None:
    """Instructor: a gradebook CSV that Canvas or Moodle imports as is (adjusted scores, one column per exercise)."""
    from grader.classroom import adjustments, gradebook
    from grader.report.json_result import write_atomic

    lang_code = _lang(lang)
    key, loaded = _signed_class(results, lang_code)
    if not loaded:
        raise _usage_error(Msg("export_no_results", path=str(results)), lang_code)
    if roster is not None and not roster.is_file():
        raise _usage_error(Msg("missing_file", path=str(roster)), lang_code)
    try:
        people = gradebook.read_roster(roster) if roster is not None else None
    except gradebook.RosterError as exc:
        raise _usage_error(exc.message, lang_code) from None
    adjusted, _ = adjustments.apply_from(results, loaded, key, lang_code)
    order = [e.name for e in _course_or_results(loaded).items]
    text = gradebook.gradebook_csv(lms.value, gradebook.exercise_columns(adjusted, order), adjusted, people)
    try:
        write_atomic(out, text)
    except OSError as exc:
        raise _usage_error(Msg("missing_file", path=f"{out} ({exc.strerror})"), lang_code) from None
    make_console().print(tr(Msg("export_done", lms=lms.value, path=str(out), n=len(adjusted)), lang_code), markup=False)
