"""A student's commands: the progress table, `list`, `hint`, `notebooks`, `check` (`grade ex05`), `watch`, `all`."""

from __future__ import annotations

import os
import secrets
import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from grader.catalog import Catalog, CatalogError, Exercise, find_root
from grader.errors import GraderError, SubmissionMissing
from grader.cli.app import (CHECK_COMMAND, BackendOpt, Device, Format, LangOpt, _catalog, _lang, _usage_error, app,
                            require_boundary)
from grader.i18n import Msg, register, tr
from grader.instructor.samples import is_patch_sample, submission_file
from grader.report.console import make_console

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "watch_start": {
        "ko": "{path} 파일을 지켜봅니다. 저장할 때마다 {id} 문제를 다시 채점합니다. 멈추려면 Ctrl+C를 누르세요.",
        "en": "Watching {path}: {id} is graded again every time you save it. Ctrl+C stops.",
    },
    "watch_waiting": {
        "ko": "저장을 기다리는 중… (멈추려면 Ctrl+C)",
        "en": "Waiting for you to save… (Ctrl+C stops)",
    },
    "watch_passed": {
        "ko": "{id} 통과! 계속 지켜봅니다. 다음 문제: `grade watch {next}`",
        "en": "{id} passes! Still watching. Next exercise: `grade watch {next}`",
    },
    "watch_quiz": {
        "ko": "grade watch는 연습 문제(ex..)를 위한 명령입니다. 퀴즈는 이렇게 푸세요: grade {id}",
        "en": "grade watch is for exercises (ex..). Take a quiz with: grade {id}",
    },
    "watch_stopped": {"ko": "지켜보기를 멈췄습니다.", "en": "Stopped watching."},
    "watch_unavailable": {
        "ko": "grade watch에는 watchfiles 패키지가 필요합니다: pip install watchfiles",
        "en": "grade watch needs the watchfiles package: pip install watchfiles",
    },
    "next_exercise": {
        "ko": "다음 문제: {id} · {title}  →  `grade {id}` (막히면 `grade hint {id}`)",
        "en": "Next: {id} · {title}  →  `grade {id}` (stuck? `grade hint {id}`)",
    },
    "all_done": {
        "ko": "모든 문제를 통과했습니다. 수고했어요!",
        "en": "Every exercise passes. Well done!",
    },
    "min_score_failed": {
        "ko": "점수 {percent:.1f}%가 최소 점수 {min:g}%보다 낮습니다.",
        "en": "Score {percent:.1f}% is below the minimum {min:g}%.",
    },
    "no_gpu": {
        "ko": "--device gpu를 요청했지만 GPU가 보이지 않습니다.",
        "en": "--device gpu was asked for, but no GPU is visible.",
    },
    "col_best": {"ko": "최고 점수", "en": "Best"},
    "col_last": {"ko": "마지막 채점", "en": "Last graded"},
    "col_tf": {"ko": "TensorFlow", "en": "TensorFlow"},
    "progress_title": {"ko": "진행 상황", "en": "Progress"},
    "exercises_title": {"ko": "연습 문제", "en": "Exercises"},
    "patch_sample_graded": {
        "ko": "{path}(은) '# patch: reference' 예시 제출물입니다: 정답({reference})에 이 패치를 적용해 채점합니다.",
        "en": "{path} is a '# patch: reference' sample: grading the reference ({reference}) with it applied.",
    },
})


@app.callback(invoke_without_command=True)
def main_callback(ctx: typer.Context, lang: LangOpt = None) -> None:
    """Without a command: the progress table of every exercise."""
    if ctx.invoked_subcommand is None:
        show_progress(_lang(lang))


def show_progress(lang: str) -> None:
    from rich.table import Table

    from grader.state import Progress

    catalog = _catalog()
    progress = Progress(catalog.root)
    table = Table(title=tr(Msg("progress_title"), lang))
    for key in ("col_exercise", "col_title", "col_status", "col_best", "col_last"):
        table.add_column(tr(Msg(key), lang))
    for exercise in catalog.items:
        entry = progress.entry(exercise.name)
        status = progress.status(exercise.name)
        best = f"{entry['best']:g}/{entry.get('max', exercise.points):g}" if "best" in entry else "—"
        table.add_row(
            exercise.id,
            tr(exercise.title, lang),
            f"[{status.colour}]{tr(status.label, lang)}[/]",
            best,
            entry.get("last_graded", "—"),
        )
    console = make_console()
    console.print(table)
    upcoming = next_item(catalog, progress)
    if upcoming is None:
        console.print(tr(Msg("all_done"), lang), style="bold green", markup=False)
    else:
        console.print(tr(Msg("next_exercise", id=upcoming.id, title=upcoming.title), lang), style="bold cyan", markup=False)


def next_item(catalog: Catalog, progress: Any, after: str | None = None) -> Optional[Exercise]:
    """The next exercise or quiz to do: the first one not passed yet (after ``after``, wrapping round)."""
    items = catalog.items
    start = next((i + 1 for i, e in enumerate(items) if e.name == after), 0)
    for item in items[start:] + items[:start]:
        if item.name != after and progress.status(item.name) != "passed":
            return item
    return None


@app.command("list")
def list_command(lang: LangOpt = None) -> None:
    """The exercises and quizzes, with titles and points."""
    from rich.table import Table

    lang_code = _lang(lang)
    table = Table(title=tr(Msg("exercises_title"), lang_code))
    for key in ("col_exercise", "col_title", "col_points", "col_tf"):
        table.add_column(tr(Msg(key), lang_code))
    for exercise in _catalog().items:
        table.add_row(exercise.name, tr(exercise.title, lang_code), f"{exercise.points:g}", "✓" if exercise.tensorflow else "")
    make_console().print(table)


@app.command("hint")
def hint_command(
    exercise: Annotated[str, typer.Argument(help="Exercise id, number or name (ex05, 5, losses).")],
    lang: LangOpt = None,
) -> None:
    """Show the next hint of an exercise, one more each time."""
    from grader.state import Progress

    lang_code = _lang(lang)
    catalog = _catalog()
    try:
        item = catalog.resolve(exercise)
    except CatalogError as exc:
        raise _usage_error(exc.message, lang_code) from None
    lines = Progress(catalog.root).hint_lines(item.name, item.hints, lang_code, f"grade hint {item.id}")
    console = make_console()
    for i, line in enumerate(lines):
        console.print(line, markup=False, style="cyan" if i == 0 else None)


@app.command("notebooks")
def notebooks_command(
    out: Annotated[Path, typer.Argument(help="Folder for the notebooks (one per exercise and quiz).")],
    course: Annotated[Optional[str], typer.Option(help="The course's student release (`grade release OUT`) as a git URL or a folder: the install cell clones it and pip-installs it (-e) where the grader is missing (Colab).")] = None,
    lang: LangOpt = None,
) -> None:
    """Write a student notebook (.ipynb) for every exercise and quiz."""
    from grader.notebooks.build import INSTALL_SPEC, write_notebooks

    lang_code = _lang(lang)
    kept: list[tuple[Path, Path]] = []  # notebooks a student changed: never overwritten, the new one beside
    try:
        paths = write_notebooks(_catalog(), out, lang_code, course or INSTALL_SPEC, kept)
    except CatalogError as exc:
        raise _usage_error(exc.message, lang_code) from None
    console = make_console()
    for path in paths:
        console.print(str(path), markup=False)
    for path, new in kept:
        console.print(tr(Msg("nb_kept_changed", path=str(path), new=new.name), lang_code), markup=False, style="yellow")


@app.command(CHECK_COMMAND)
def check_command(
    exercise: Annotated[str, typer.Argument(help="Exercise id, number or name (ex05, 5, 05, losses).")],
    submission: Annotated[Optional[Path], typer.Option(help="Grade this file instead of the stub in exercises/.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text for people, json for CI (Gradescope).")] = Format.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the result to this file.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed of the hidden random inputs (printed in every result).")] = None,
    device: Annotated[Device, typer.Option(help="Where TensorFlow runs: auto uses a GPU when one is visible.")] = Device.auto,
    backend: BackendOpt = None,
    lang: LangOpt = None,
    answers: Annotated[Optional[Path], typer.Option("--answers", help="Quizzes: grade this TOML answers file instead of asking.")] = None,
) -> None:
    """Grade one exercise (the default command: `grade ex05`)."""
    lang_code = _lang(lang)
    catalog = _catalog()
    try:
        item = catalog.resolve(exercise)
        if item.kind == "quiz":
            from grader.quiz.view import quiz_command

            raise typer.Exit(quiz_command(catalog, item, answers=answers or submission, format=format.value,
                                          output=output, seed=seed, lang=lang_code))
        path = submission if submission is not None else item.stub_path
        if submission is not None:  # a folder, a missing file, a notebook that is not one: exit 2, how to fix it
            from grader.cli.inputs import check_submission

            check_submission(item, submission)
    except GraderError as exc:
        raise _usage_error(exc.message, lang_code) from None
    if device is Device.gpu and item.tensorflow:
        from grader.sandbox import gpu_present

        if not gpu_present():
            raise _usage_error(Msg("no_gpu"), lang_code)
    if submission is not None and item.reference_path is not None and is_patch_sample(submission):
        # the instructor's copy (solutions/ here): a sample written as a patch is graded as the patched reference
        reference = item.reference_path.relative_to(catalog.root) if item.reference_path.is_relative_to(catalog.root) \
            else item.reference_path
        message = tr(Msg("patch_sample_graded", path=str(submission), reference=str(reference)), lang_code)
        make_console(stderr=format is not Format.text).print(message, style="dim", markup=False)
    with submission_file(item, path) if submission is not None else nullcontext(path) as graded:
        result = run_grade(item, graded, lang_code, seed, device.value, format, output, shown_path=path)
    if submission is None:
        from grader.state import Progress

        progress = Progress(catalog.root)
        progress.record(item.name, result.score, result.max_score, result.status)
        if result.passed and format is Format.text:  # the next step: the next exercise not passed yet
            upcoming = next_item(catalog, progress, after=item.name)
            message = Msg("all_done") if upcoming is None else Msg("next_exercise", id=upcoming.id, title=upcoming.title)
            make_console().print(tr(message, lang_code), style="bold cyan", markup=False)
    raise typer.Exit(0 if result.passed else 1)


def run_grade(item: Exercise, path: Path, lang: str, seed: Optional[int], device: str, format: Format, output: Optional[Path],
              shown_path: Optional[Path] = None):
    """Grade ``path``; the text view names ``shown_path`` (default: ``path``) unless it is the stub."""
    from grader.early import adopt
    from grader.judge import Options, Reporter, grade
    from grader.report.json_result import dumps, write_atomic
    from grader.report.gradescope import to_gradescope

    options = Options(lang=lang, seed=seed if seed is not None else secrets.randbelow(1_000_000), device=device)
    early = adopt(item, path, options, seed)  # begun before this command line loaded (grader.early)
    if early is not None:
        options = early.options
    if format is Format.json:
        try:
            result = early.wait(Reporter()) if early is not None else grade(item, path, options, Reporter())
        except GraderError as exc:
            raise _usage_error(exc.message, lang) from None
        text = dumps(to_gradescope(result))
        if output is not None:
            write_atomic(output, text + "\n")
        else:
            sys.stdout.write(text + "\n")
        return result

    from grader.report.terminal import ExerciseView, LiveReporter

    console = make_console()
    try:
        with LiveReporter(console, lang) as reporter:
            result = early.wait(reporter) if early is not None else grade(item, path, options, reporter)
    except GraderError as exc:
        raise _usage_error(exc.message, lang) from None
    named = shown_path if shown_path is not None else path
    shown = named if Path(named).resolve() != item.stub_path.resolve() else None
    from grader.state import Progress

    seen = Progress(find_root()).entry(item.name).get("hints_seen", 0)
    view = ExerciseView(result, lang, path=shown, hints_seen=seen if isinstance(seen, int) else 0)
    console.print(view)
    if output is not None:
        from grader.report.json_result import write_atomic

        file_console = make_console(open(output, "w", encoding="utf-8"))
        file_console.print(view)
        file_console.file.close()
    return result


@app.command("watch")
def watch_command(
    exercise: Annotated[str, typer.Argument(help="Exercise id, number or name (ex05, 5, losses).")],
    submission: Annotated[Optional[Path], typer.Option(help="Watch this file instead of the stub in exercises/.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed of the hidden random inputs (default: new on every run).")] = None,
    device: Annotated[Device, typer.Option(help="Where TensorFlow runs.")] = Device.auto,
    backend: BackendOpt = None,
    lang: LangOpt = None,
) -> None:
    """Grade an exercise again every time you save its file (Ctrl+C stops)."""
    lang_code = _lang(lang)
    catalog = _catalog()
    try:
        item = catalog.resolve(exercise)
        if item.kind == "quiz":
            raise CatalogError(Msg("watch_quiz", id=item.id))
        path = submission if submission is not None else item.stub_path
        if not path.is_file():
            raise SubmissionMissing(path)
    except GraderError as exc:
        raise _usage_error(exc.message, lang_code) from None
    try:
        from watchfiles import watch
    except ImportError:
        raise _usage_error(Msg("watch_unavailable"), lang_code) from None
    from grader.state import Progress

    console = make_console()
    target = path.resolve()

    def grade_now() -> None:
        if console.is_terminal:
            console.clear()
        console.print(tr(Msg("watch_start", path=str(path), id=item.id), lang_code), style="dim", markup=False)
        result = run_grade(item, path, lang_code, seed, device.value, Format.text, None)
        progress = Progress(catalog.root)
        if submission is None:
            progress.record(item.name, result.score, result.max_score, result.status)
        if result.passed:
            upcoming = next_item(catalog, progress, after=item.name)
            if upcoming is not None:
                console.print(tr(Msg("watch_passed", id=item.id, next=upcoming.id), lang_code), style="bold green",
                              markup=False)
        console.print(tr(Msg("watch_waiting"), lang_code), style="dim", markup=False)

    try:
        grade_now()
        for _ in watch(target.parent, watch_filter=lambda change, name: Path(name).resolve() == target,
                       debounce=400, raise_interrupt=True):
            if target.is_file():
                grade_now()
    except KeyboardInterrupt:
        console.print(tr(Msg("watch_stopped"), lang_code), markup=False)
    raise typer.Exit(0)


class AllFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    markdown = "markdown"


@app.command("all")
def all_command(
    submission: Annotated[Optional[Path], typer.Option(help="A student's copy of exercises/ (folder or zip); default: exercises/ here.")] = None,
    format: Annotated[AllFormat, typer.Option("--format", "-f", help="text, json (Gradescope), junit or markdown.")] = AllFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the result to this file.")] = None,
    min_score: Annotated[Optional[float], typer.Option("--min-score", help="Pass (exit 0) at or above this percentage.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed of the hidden random inputs.")] = None,
    device: Annotated[Device, typer.Option(help="Where TensorFlow runs.")] = Device.auto,
    backend: BackendOpt = None,
    details: Annotated[bool, typer.Option("--details", help="Also show each exercise's table of checks.")] = False,
    require_boundary_: Annotated[bool, typer.Option("--require-boundary", help="Refuse (exit 2) where student code cannot be confined (used by run_autograder).")] = False,
    lang: LangOpt = None,
) -> None:
    """Grade every exercise and quiz: one summary table, the total and the time."""
    import os

    from grader.assignment import default_jobs, grade_assignment
    from grader.judge import Options, Reporter

    lang_code = _lang(lang)
    if submission is not None and not submission.exists():
        raise _usage_error(Msg("missing_file", path=str(submission)), lang_code)
    if require_boundary_:
        require_boundary(_catalog().root, False, lang_code)
    options = Options(lang=lang_code, seed=seed if seed is not None else secrets.randbelow(1_000_000), device=device.value)
    catalog = _catalog()
    if format is AllFormat.text:
        from grader.report.terminal import AssignmentReporter, AssignmentView, ExerciseView

        console = make_console()
        with AssignmentReporter(make_console(stderr=True), lang_code, [e.name for e in catalog.items]) as reporter:
            result = grade_assignment(catalog, submission, options, reporter, default_jobs())
        if details:
            for item in result.results:
                console.print(ExerciseView(item, lang_code))
        console.print(AssignmentView(result, lang_code))
        text = None
    else:
        from grader.report.terminal import AssignmentReporter

        # the live status goes to stderr, so stdout keeps only the JSON/JUnit/Markdown document
        with AssignmentReporter(make_console(stderr=True), lang_code, [e.name for e in catalog.items]) as reporter:
            result = grade_assignment(catalog, submission, options, reporter, default_jobs())
        text = render_assignment(result, format)
    if text is not None:
        if output is not None:
            from grader.report.json_result import write_atomic

            write_atomic(output, text)
        else:
            sys.stdout.write(text)
    elif output is not None:
        from grader.report.json_result import write_atomic

        write_atomic(output, render_assignment(result, AllFormat.markdown))
    if format is AllFormat.text or output is not None:
        from grader.report.terminal import assignment_summary

        make_console().print(assignment_summary(result, lang_code, output), markup=False, highlight=False, soft_wrap=True)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(render_assignment(result, AllFormat.markdown))
    if submission is None:
        from grader.state import Progress

        progress = Progress(catalog.root)
        for item in result.results:
            progress.record(item.exercise, item.score, item.max_score, item.status)
    if min_score is not None:
        if result.percent < min_score:
            make_console(stderr=True).print(tr(Msg("min_score_failed", percent=result.percent, min=min_score), lang_code))
            raise typer.Exit(1)
        raise typer.Exit(0)
    raise typer.Exit(0 if result.passed else 1)


def render_assignment(result, format: AllFormat) -> str:
    if format is AllFormat.json:
        from grader.report.gradescope import to_gradescope
        from grader.report.json_result import dumps

        return dumps(to_gradescope(result)) + "\n"
    if format is AllFormat.junit:
        from grader.report.junit import to_junit

        return to_junit(result)
    from grader.report.markdown import to_markdown

    return to_markdown(result)

