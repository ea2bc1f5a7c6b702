"""The instructor's commands: `report`, `validate`, `new`, `release`, `autograder`, `demo`."""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from grader.catalog import CatalogError
from grader.cli.app import BackendOpt, LangOpt, _catalog, _lang, _usage_error, app
from grader.cli.classes import write_class_report
from grader.cli.classroom_options import SimilarityOpt, check_threshold
from grader.i18n import Msg, register, tr
from grader.report.console import make_console

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "release_refused": {
        "ko": "학생용 배포본을 만들지 않았습니다. 검증을 통과하지 못한 연습 문제가 {n}개 있습니다:\n{problems}\n"
              "고친 뒤 `grade validate --static`으로 확인하세요. 초안인 채로 내보내려면 --allow-draft를 붙이세요.",
        "en": "The student release was not written: {n} {n|exercise fails|exercises fail} validation:\n{problems}\n"
              "Fix {n|it|them} and check with `grade validate --static`, or add --allow-draft to release "
              "{n|it as a draft|them as drafts}.",
    },
    "autograder_refused": {
        "ko": "오토그레이더를 만들지 않았습니다. 검증을 통과하지 못한 연습 문제가 {n}개 있습니다:\n{problems}\n"
              "고친 뒤 `grade validate --static`으로 확인하세요. 초안인 채로 포함하려면 --allow-draft를 붙이세요.",
        "en": "The autograder was not written: {n} {n|exercise fails|exercises fail} validation:\n{problems}\n"
              "Fix {n|it|them} and check with `grade validate --static`, or add --allow-draft to include "
              "{n|it as a draft|them as drafts}.",
    },
    "drafts_included": {
        "ko": "--allow-draft: 검증을 통과하지 못한 연습 문제도 포함했습니다: {names}",
        "en": "--allow-draft: included exercises that fail validation: {names}",
    },
    "validate_fixed": {
        "ko": "{name}: {file}의 지문을 {name}/stub.lock에 썼습니다",
        "en": "{name}: fingerprints of {file} written to {name}/stub.lock",
    },
    "validate_running": {"ko": "grade validate: 검증하는 중 ...", "en": "grade validate ..."},
    "validate_col_exercise": {"ko": "연습 문제", "en": "exercise"},
    "validate_col_what": {"ko": "검사 항목", "en": "what"},
    "validate_col_ok": {"ko": "결과", "en": "ok"},
    "validate_col_problem": {"ko": "문제점", "en": "problem"},
    "validate_what_metadata": {"ko": "메타데이터", "en": "metadata"},
    "validate_what_placeholders": {"ko": "남은 자리표시자", "en": "placeholders"},
    "validate_what_samples": {"ko": "예시 제출물", "en": "samples"},
    "validate_what_fingerprints": {"ko": "지문 (stub.lock)", "en": "fingerprints"},
    "validate_what_reference": {"ko": "정답을 제자리에 붙여 채점", "en": "reference in place"},
    "validate_what_stub": {"ko": "손대지 않은 stub", "en": "stub"},
    "validate_what_quiz": {"ko": "퀴즈", "en": "quiz"},
    "validate_what_questions": {"ko": "문항", "en": "questions"},
    "validate_what_key": {"ko": "정답 키", "en": "key"},
    "validate_what_answers_template": {"ko": "답안 양식", "en": "answers_template"},
    "validate_summary": {
        "ko": "{items}개 항목, 문제 {problems}개",
        "en": "{items} {items|item|items}, {problems} {problems|problem|problems}",
    },
})


@app.command("report")
def report_command(
    results: Annotated[Path, typer.Argument(help="A results folder written by `grade batch` (<student>.json files).")],
    similarity_threshold: SimilarityOpt = None,
    lang: LangOpt = None,
) -> None:
    """Instructor: (re)write RESULTS/report.html and RESULTS/students/<id>.html from the result JSON files."""
    lang_code = _lang(lang)
    check_threshold(similarity_threshold, lang_code)
    if not results.is_dir():
        raise _usage_error(Msg("missing_file", path=str(results)), lang_code)
    try:
        order = [e.name for e in _catalog().items]
    except CatalogError:
        order = None  # results copied away from the course: exercises in the files' own order
    path = write_class_report(results, lang_code, order, similarity_threshold)
    make_console().print(f"{path}", markup=False)


#: The rows of `grade validate` (grader/instructor/validate.py, grader/quiz/validate.py), by their ``what``; a sample's
#: row is named by its file.
FINDING_WHAT = {
    "metadata": "validate_what_metadata",
    "placeholders": "validate_what_placeholders",
    "samples": "validate_what_samples",
    "fingerprints": "validate_what_fingerprints",
    "reference in place": "validate_what_reference",
    "stub": "validate_what_stub",
    "quiz": "validate_what_quiz",
    "questions": "validate_what_questions",
    "key": "validate_what_key",
    "answers_template": "validate_what_answers_template",
}


def finding_what(what: str, lang: str) -> str:
    return tr(Msg(FINDING_WHAT[what]), lang) if what in FINDING_WHAT else what


@app.command("validate")
def validate_command(
    exercises: Annotated[Optional[list[str]], typer.Argument(help="Only these exercises (default: all).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the hidden inputs.")] = 1,
    fix: Annotated[bool, typer.Option("--fix", help="First (re)write each stub's fingerprints (stub.lock) from the stub as it is now.")] = False,
    static: Annotated[bool, typer.Option("--static", help="Only what needs no grading: metadata, placeholders, samples, fingerprints.")] = False,
    seeds: Annotated[int, typer.Option("--seeds", min=0, help="Also grade the reference and every sample at seeds 1..N: each must keep one score.")] = 0,
    backend: BackendOpt = None,
    lang: LangOpt = None,
) -> None:
    """Instructor: prove every exercise and quiz is sound (metadata, placeholders, samples, fingerprints,
    reference pasted in place = full marks, stub = not attempted, sample submissions)."""
    from rich.table import Table

    from grader.instructor.validate import render_problem, validate_exercise, write_fingerprints

    lang_code = _lang(lang)
    catalog = _catalog()
    try:
        items = [catalog.resolve(n) for n in exercises] if exercises else catalog.items
    except CatalogError as exc:
        raise _usage_error(exc.message, lang_code) from None
    console = make_console()
    if fix:
        for item in items:
            if write_fingerprints(item):
                console.print(tr(Msg("validate_fixed", name=item.name, file=item.meta["file"]), lang_code), markup=False)
    table = Table(title="grade validate" + (" --static" if static else ""), show_lines=False)
    for column in ("validate_col_exercise", "validate_col_what", "validate_col_ok", "validate_col_problem"):
        table.add_column(tr(Msg(column), lang_code), overflow="fold")
    problems = 0
    from concurrent.futures import ThreadPoolExecutor

    from grader.batch import preload
    from grader.instructor.validate import _pool

    if not static:
        preload(catalog)  # every check module loaded once, before the threads share them
        _pool()
    # the judge never runs student code itself: exercises validate side by side, each in its own children
    with console.status(tr(Msg("validate_running"), lang_code)) if console.is_terminal else nullcontext(), \
            ThreadPoolExecutor(max_workers=1 if static else max(os.cpu_count() or 1, 2)) as pool:
        found = list(pool.map(lambda item: validate_exercise(catalog, item, seed, static=static, seeds=seeds), items))
    for findings in found:
        for finding in findings:
            problems += 0 if finding.ok else 1
            table.add_row(finding.exercise, finding_what(finding.what, lang_code), "[green]✓[/]" if finding.ok else "[red]✗[/]",
                          render_problem(finding.detail, lang_code))
    console.print(table)
    summary = tr(Msg("validate_summary", items=len(items), problems=problems), lang_code)
    console.print(summary, style="bold red" if problems else "bold green")
    raise typer.Exit(1 if problems else 0)


@app.command("new")
def new_command(
    exercise_id: Annotated[str, typer.Argument(help="The new id: ex16 (an exercise) or q04 (a quiz).")],
    slug: Annotated[str, typer.Option(help="Short lowercase name, e.g. my_topic.")],
) -> None:
    """Instructor: scaffold an exercise (exercises/, solutions/ and tests/submissions/<id>_<slug>/, with the stub's
    fingerprints) or a quiz (exercises/ with questions and answers file, solutions/ with the key)."""
    from grader.instructor.scaffold import scaffold

    try:
        created = scaffold(_catalog(), exercise_id, slug)
    except (ValueError, CatalogError) as exc:
        text = exc.message.render("en") if isinstance(exc, CatalogError) else str(exc)
        make_console(stderr=True).print(text, style="red", markup=False)
        raise typer.Exit(2) from None
    console = make_console()
    for path in created:
        console.print(f"created {path}", markup=False)
    if exercise_id.startswith("q"):
        steps = (f"next: write the questions (questions.toml) and their key (solutions/.../key.toml), replace every "
                 f"TODO and placeholder, set points, then `grade validate {exercise_id}`")
    else:
        steps = (f"next: replace the placeholders, write the reference, the checks and at least three wrong_* and one "
                 f"correct_* sample, run `grade validate --fix {exercise_id}` after changing the stub, "
                 f"then `grade validate {exercise_id}` (docs/instructors.md: \"Add an exercise\")")
    console.print(steps, markup=False)


AllowDraft = Annotated[bool, typer.Option("--allow-draft", help="Include exercises that fail `grade validate --static`.")]


def _refused(exc: Any, key: str, lang: str) -> typer.Exit:
    """A bilingual refusal naming each draft exercise and why (exit code 2)."""
    from grader.instructor.validate import render_problem

    lines = "\n".join(f"  {name}: {'; '.join(render_problem(p, lang) for p in problems)}"
                      for name, problems in exc.drafts.items())
    return _usage_error(Msg(key, n=len(exc.drafts), problems=lines), lang)


def _drafts_included(drafts: dict, lang: str) -> None:
    if drafts:
        message = Msg("drafts_included", names=", ".join(drafts))
        make_console(stderr=True).print(tr(message, lang), style="yellow", markup=False)


@app.command("release")
def release_command(
    out: Annotated[Path, typer.Argument(help="Folder for the student version (must be new or empty).")],
    allow_draft: AllowDraft = False,
    lang: LangOpt = None,
) -> None:
    """Instructor: the student version: exercises, stubs with their fingerprints, public checks, hashed quiz keys
    and the grader; no solutions. Refuses exercises that fail validation unless --allow-draft."""
    from grader.instructor.release import DraftError, build_release, refuse_drafts

    lang_code = _lang(lang)
    catalog = _catalog()
    try:
        drafts = refuse_drafts(catalog, allow_draft)
        files = build_release(catalog, out, allow_draft=allow_draft)
    except DraftError as exc:
        raise _refused(exc, "release_refused", lang_code) from None
    except FileExistsError as exc:
        make_console(stderr=True).print(str(exc), style="red", markup=False)
        raise typer.Exit(2) from None
    _drafts_included(drafts, lang_code)
    make_console().print(f"{len(files)} files written to {out}", markup=False)


@app.command("autograder")
def autograder_command(
    zip_path: Annotated[Path, typer.Argument(help="The zip to upload to Gradescope.")],
    allow_draft: AllowDraft = False,
    allow_unconfined: Annotated[bool, typer.Option("--allow-unconfined", help="Let run_autograder grade even where student code cannot be confined.")] = False,
    lang: LangOpt = None,
) -> None:
    """Instructor: a Gradescope autograder zip (setup.sh, run_autograder, grader, references, hidden checks).
    Refuses exercises that fail validation unless --allow-draft."""
    from grader.instructor.autograder import build_autograder
    from grader.instructor.release import DraftError, refuse_drafts

    lang_code = _lang(lang)
    catalog = _catalog()
    try:
        drafts = refuse_drafts(catalog, allow_draft)
        names = build_autograder(catalog, zip_path, allow_draft=allow_draft, allow_unconfined=allow_unconfined)
    except DraftError as exc:
        raise _refused(exc, "autograder_refused", lang_code) from None
    _drafts_included(drafts, lang_code)
    make_console().print(f"{len(names)} files in {zip_path}", markup=False)


@app.command("demo")
def demo_command(lang: LangOpt = None, seed: Annotated[int, typer.Option(help="Seed of the hidden inputs.")] = 1,
                 backend: BackendOpt = None) -> None:
    """Grade every reference solution and the right quiz answers (instructor: needs solutions/)."""
    import tempfile

    from grader.assignment import default_jobs, grade_assignment, reference_submission
    from grader.judge import Options
    from grader.report.terminal import AssignmentView, ExerciseView, LiveReporter

    lang_code = _lang(lang)
    catalog = _catalog()
    console = make_console()
    with tempfile.TemporaryDirectory(prefix="grade-demo-") as tmp:
        folder = reference_submission(catalog, Path(tmp) / "references")
        with LiveReporter(console, lang_code) as reporter:
            result = grade_assignment(catalog, folder, Options(lang=lang_code, seed=seed), reporter, default_jobs())
    for item in result.results:
        console.print(ExerciseView(item, lang_code))
    console.print(AssignmentView(result, lang_code))
    raise typer.Exit(0 if result.passed else 1)

