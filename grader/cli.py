"""The `grade` command line (typer): grade an exercise, show progress, list exercises, give hints."""

from __future__ import annotations

import os
import secrets
from contextlib import nullcontext
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from grader.catalog import Catalog, CatalogError, Exercise, find_root
from grader.i18n import Msg, default_lang, tr
from grader.report.console import make_console

CHECK_COMMAND = "check"


class ExerciseFirstGroup(TyperGroup):
    """`grade ex05` means `grade check ex05`: an unknown first word is an exercise name."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, CHECK_COMMAND)
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        return [c for c in super().list_commands(ctx) if c != CHECK_COMMAND] + [CHECK_COMMAND]


app = typer.Typer(
    cls=ExerciseFirstGroup,
    help="Grade deep-learning exercises and quizzes.  `grade ex05` grades exercise 5; `grade` shows your progress.",
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Lang(str, Enum):
    ko = "ko"
    en = "en"


class Device(str, Enum):
    auto = "auto"
    cpu = "cpu"
    gpu = "gpu"


class Format(str, Enum):
    text = "text"
    json = "json"


LangOpt = Annotated[Optional[Lang], typer.Option("--lang", "-l", help="Language of messages (default: from the locale).")]


class Backend(str, Enum):
    tensorflow = "tensorflow"
    jax = "jax"
    torch = "torch"


def _set_backend(value: Optional[Backend]) -> Optional[Backend]:
    """``--backend`` wins over ``KERAS_BACKEND``; the judge and every worker read it from there."""
    if value is not None:
        os.environ["KERAS_BACKEND"] = value.value
    return value


BackendOpt = Annotated[Optional[Backend], typer.Option(
    "--backend", help="Keras' backend for Keras exercises (default: KERAS_BACKEND, else tensorflow).",
    callback=_set_backend)]


def _lang(lang: Optional[Lang]) -> str:
    return lang.value if lang is not None else default_lang()


def _catalog() -> Catalog:
    return Catalog(find_root())


def _usage_error(message: Msg, lang: str) -> typer.Exit:
    make_console(stderr=True).print(tr(message, lang), style="red", markup=False)
    return typer.Exit(2)


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
    colours = {"passed": "green", "failing": "red", "not_attempted": "yellow"}
    for exercise in catalog.items:
        entry = progress.entry(exercise.name)
        status = progress.status(exercise.name)
        best = f"{entry['best']:g}/{entry.get('max', exercise.points):g}" if "best" in entry else "—"
        table.add_row(
            exercise.id,
            tr(exercise.title, lang),
            f"[{colours[status]}]{tr(Msg('status_' + status), lang)}[/]",
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
    try:
        paths = write_notebooks(_catalog(), out, lang_code, course or INSTALL_SPEC)
    except CatalogError as exc:
        raise _usage_error(exc.message, lang_code) from None
    console = make_console()
    for path in paths:
        console.print(str(path), markup=False)


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
        if submission is not None and not submission.is_file():
            raise CatalogError(Msg("missing_file", path=str(submission)))
    except CatalogError as exc:
        raise _usage_error(exc.message, lang_code) from None
    if device is Device.gpu and item.tensorflow:
        from grader.sandbox import gpu_present

        if not gpu_present():
            raise _usage_error(Msg("no_gpu"), lang_code)
    result = run_grade(item, path, lang_code, seed, device.value, format, output)
    if submission is None:
        from grader.state import Progress

        progress = Progress(catalog.root)
        progress.record(item.name, result.score, result.max_score, result.status)
        if result.passed and format is Format.text:  # the next step: the next exercise not passed yet
            upcoming = next_item(catalog, progress, after=item.name)
            message = Msg("all_done") if upcoming is None else Msg("next_exercise", id=upcoming.id, title=upcoming.title)
            make_console().print(tr(message, lang_code), style="bold cyan", markup=False)
    raise typer.Exit(0 if result.passed else 1)


def run_grade(item: Exercise, path: Path, lang: str, seed: Optional[int], device: str, format: Format, output: Optional[Path]):
    from grader.judge import Options, Reporter, grade
    from grader.report.json_result import dumps, write_atomic
    from grader.results import to_gradescope

    options = Options(lang=lang, seed=seed if seed is not None else secrets.randbelow(1_000_000), device=device)
    if format is Format.json:
        try:
            result = grade(item, path, options, Reporter())
        except CatalogError as exc:
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
            result = grade(item, path, options, reporter)
    except CatalogError as exc:
        raise _usage_error(exc.message, lang) from None
    shown = path if Path(path).resolve() != item.stub_path.resolve() else None
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
            raise CatalogError(Msg("missing_file", path=str(path)))
    except CatalogError as exc:
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
        from grader.assignment import to_gradescope
        from grader.report.json_result import dumps

        return dumps(to_gradescope(result)) + "\n"
    if format is AllFormat.junit:
        from grader.report.junit import to_junit

        return to_junit(result)
    from grader.report.markdown import to_markdown

    return to_markdown(result)


def require_boundary(root: Path, allow_unconfined: bool, lang: str) -> list[str]:
    """Refuse to grade others' code without a file and process boundary, unless told to."""
    from grader.sandbox import probe_isolation
    from grader.sandbox.boundary import describe

    layers = probe_isolation(root)
    held = describe(layers)
    missing = [name for name in ("files", "processes") if not held[name]]
    if missing and not allow_unconfined:
        raise _usage_error(Msg("unconfined_refused", missing=", ".join(missing)), lang)
    return layers


@app.command("batch")
def batch_command(
    submissions: Annotated[Path, typer.Argument(help="A folder with one folder or zip per student (the name is the id).")],
    out: Annotated[Path, typer.Option("--out", help="Results folder: <student>.json and grades.csv.")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Students graded at once (default: the number of cores).")] = 0,
    resume: Annotated[bool, typer.Option("--resume", help="Grade only students without a result yet.")] = False,
    seed: Annotated[int, typer.Option(help="Base seed; each student's hidden inputs derive from it and their id.")] = 0,
    device: Annotated[Device, typer.Option(help="Where TensorFlow runs.")] = Device.auto,
    backend: BackendOpt = None,
    allow_unconfined: Annotated[bool, typer.Option("--allow-unconfined", help="Grade even where student code cannot be confined (no file or process boundary).")] = False,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Grade on a Dask cluster: tcp://HOST:8786, a scheduler file (.json), or local:N (N worker processes here). Needs dl-grader[cluster].")] = None,
    lang: LangOpt = None,
) -> None:
    """Instructor: grade a whole class (warm workers, a confined child per student), with a progress bar and a CSV."""
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from grader import batch

    lang_code = _lang(lang)
    if not submissions.is_dir():
        raise _usage_error(Msg("missing_file", path=str(submissions)), lang_code)
    catalog = _catalog()
    if not scheduler or scheduler.startswith("local"):  # a remote cluster's workers check their own boundary
        require_boundary(catalog.root, allow_unconfined, lang_code)
        batch.warm_up(catalog, device.value)
    students = batch.find_students(submissions)
    key = batch.results_key(out)
    todo = batch.pending(students, out, resume, key)
    batch.preload(catalog)
    runner = batch.WarmRunner(catalog, device=device.value, key=key)
    console = make_console()
    active: list[str] = []
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("", total=len(todo))

        def started(student):
            active.append(student.id)
            progress.update(task, description=", ".join(active))

        def finished(student):
            active.remove(student.id)
            progress.update(task, advance=1, description=", ".join(active))
            if not console.is_terminal:
                console.print(f"graded {student.id}", markup=False)

        if scheduler:  # one task per student on Dask (grader/cluster.py); no Dask import without --scheduler
            try:
                from grader import cluster

                cluster.run_batch(todo, out, catalog, scheduler, seed, lang_code, started, finished, key=key,
                                  device=device.value, jobs=jobs, allow_unconfined=allow_unconfined)
            except (ImportError, ConnectionError) as exc:  # no Dask here, no scheduler there, a bad --scheduler
                make_console(stderr=True).print(f"--scheduler {scheduler}: {exc}", style="red", markup=False)
                raise typer.Exit(2)
        else:
            batch.run_batch(todo, out, runner, jobs or os.cpu_count() or 1, seed, lang_code, started, finished)
    csv_path = batch.write_csv(catalog, out, students)
    report_path = write_class_report(out, lang_code, [e.name for e in catalog.items])  # report.html + students/*.html
    summary = batch.summarise(catalog, batch.load_results(out, students))
    table = Table(title=f"{summary.students} students · mean {summary.mean:.2f} · median {summary.median:.2f} / {summary.max_score:g}")
    table.add_column(tr(Msg("col_exercise"), lang_code))
    table.add_column("passed", justify="right")
    for name, share in summary.passing.items():
        table.add_row(name, f"{100 * share:.0f}%")
    console.print(table)
    console.print(f"{csv_path}", markup=False)
    console.print(f"{report_path}", markup=False)


def write_class_report(results: Path, lang: str, order: Optional[list[str]] = None) -> Path:
    from grader.report.html import write_report

    return write_report(results, lang, order)


@app.command("report")
def report_command(
    results: Annotated[Path, typer.Argument(help="A results folder written by `grade batch` (<student>.json files).")],
    lang: LangOpt = None,
) -> None:
    """Instructor: (re)write RESULTS/report.html and RESULTS/students/<id>.html from the result JSON files."""
    lang_code = _lang(lang)
    if not results.is_dir():
        raise _usage_error(Msg("missing_file", path=str(results)), lang_code)
    try:
        order = [e.name for e in _catalog().items]
    except CatalogError:
        order = None  # results copied away from the course: exercises in the files' own order
    path = write_class_report(results, lang_code, order)
    make_console().print(f"{path}", markup=False)


@app.command("validate")
def validate_command(
    exercises: Annotated[Optional[list[str]], typer.Argument(help="Only these exercises (default: all).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the hidden inputs.")] = 1,
    fix: Annotated[bool, typer.Option("--fix", help="First (re)write each stub's fingerprints (stub.lock) from the stub as it is now.")] = False,
    static: Annotated[bool, typer.Option("--static", help="Only what needs no grading: metadata, placeholders, samples, fingerprints.")] = False,
    backend: BackendOpt = None,
) -> None:
    """Instructor: prove every exercise and quiz is sound (metadata, placeholders, samples, fingerprints,
    reference pasted in place = full marks, stub = not attempted, sample submissions)."""
    from rich.table import Table

    from grader.validate import validate_exercise, write_fingerprints

    catalog = _catalog()
    try:
        items = [catalog.resolve(n) for n in exercises] if exercises else catalog.items
    except CatalogError as exc:
        raise _usage_error(exc.message, "en") from None
    console = make_console()
    if fix:
        for item in items:
            if write_fingerprints(item):
                console.print(f"{item.name}: fingerprints of {item.meta['file']} written to {item.name}/stub.lock", markup=False)
    table = Table(title="grade validate" + (" --static" if static else ""), show_lines=False)
    for column in ("exercise", "what", "ok", "problem"):
        table.add_column(column, overflow="fold")
    problems = 0
    from concurrent.futures import ThreadPoolExecutor

    from grader.batch import preload
    from grader.validate import _pool

    if not static:
        preload(catalog)  # every check module loaded once, before the threads share them
        _pool()
    # the judge never runs student code itself: exercises validate side by side, each in its own children
    with console.status("grade validate ...") if console.is_terminal else nullcontext(), \
            ThreadPoolExecutor(max_workers=1 if static else max(os.cpu_count() or 1, 2)) as pool:
        found = list(pool.map(lambda item: validate_exercise(catalog, item, seed, static=static), items))
    for findings in found:
        for finding in findings:
            problems += 0 if finding.ok else 1
            table.add_row(finding.exercise, finding.what, "[green]✓[/]" if finding.ok else "[red]✗[/]", finding.detail)
    console.print(table)
    summary = f"{len(items)} item{'' if len(items) == 1 else 's'}, {problems} problem{'' if problems == 1 else 's'}"
    console.print(summary, style="bold red" if problems else "bold green")
    raise typer.Exit(1 if problems else 0)


@app.command("new")
def new_command(
    exercise_id: Annotated[str, typer.Argument(help="The new id: ex16 (an exercise) or q04 (a quiz).")],
    slug: Annotated[str, typer.Option(help="Short lowercase name, e.g. my_topic.")],
) -> None:
    """Instructor: scaffold an exercise (exercises/, solutions/ and tests/submissions/<id>_<slug>/, with the stub's
    fingerprints) or a quiz (exercises/ with questions and answers file, solutions/ with the key)."""
    from grader.scaffold import scaffold

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
                 f"then `grade validate {exercise_id}` (README: \"Add an exercise\")")
    console.print(steps, markup=False)


AllowDraft = Annotated[bool, typer.Option("--allow-draft", help="Include exercises that fail `grade validate --static`.")]


def _refused(exc: Any, key: str, lang: str) -> typer.Exit:
    """A bilingual refusal naming each draft exercise and why (exit code 2)."""
    lines = "\n".join(f"  {name}: {'; '.join(problems)}" for name, problems in exc.drafts.items())
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
    from grader.release import DraftError, build_release, refuse_drafts

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
    from grader.release import DraftError, build_autograder, refuse_drafts

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


def main() -> None:
    try:
        app()
    except CatalogError as exc:  # a broken course folder or bad input found outside a command's own handling
        argv = sys.argv[1:]
        lang = argv[argv.index("--lang") + 1] if "--lang" in argv[:-1] else default_lang()
        make_console(stderr=True).print(tr(exc.message, lang if lang in ("ko", "en") else "en"), style="red", markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
