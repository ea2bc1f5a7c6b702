"""`grade batch`: an instructor grades a whole class, with a progress bar, a CSV, an HTML report and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from grader.cli.app import BackendOpt, Device, LangOpt, _catalog, _lang, _usage_error, app, require_boundary
from grader.cli.classroom_options import SimilarityOpt, check_threshold, keep_sources
from grader.i18n import Msg, register, tr
from grader.report.console import make_console

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "batch_summary_title": {
        "ko": "학생 {students}명 · 평균 {mean:.2f} · 중앙값 {median:.2f} / {max_score:g}",
        "en": "{students} students · mean {mean:.2f} · median {median:.2f} / {max_score:g}",
    },
    "batch_col_passed": {"ko": "통과 비율", "en": "passed"},
    "batch_graded": {"ko": "{id} 채점 완료", "en": "graded {id}"},
    "batch_scheduler_failed": {
        "ko": "--scheduler {scheduler}: 클러스터에서 채점할 수 없습니다: {error}",
        "en": "--scheduler {scheduler}: {error}",
    },
})


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
    student_timeout: Annotated[Optional[float], typer.Option("--student-timeout", help="Seconds one student may take in all (default: twice every exercise's time limit + 120 s; 0: no limit); past it the student gets a 'timed out' row and the class goes on.")] = None,
    similarity_threshold: SimilarityOpt = None,
    lang: LangOpt = None,
) -> None:
    """Instructor: grade a whole class (warm workers, a confined child per student), with a progress bar and a CSV."""
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from grader import batch

    lang_code = _lang(lang)
    check_threshold(similarity_threshold, lang_code)
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
    ahead = None if scheduler else batch.Ahead.start_for(catalog, todo, seed, lang_code, device.value)
    runner = batch.WarmRunner(catalog, device=device.value, key=key, ahead=ahead, seconds=student_timeout)
    console = make_console()
    active: list[str] = []
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),  # ids are not markup MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("", total=len(todo))

        def started(student):
            active.append(student.id)
            progress.update(task, description=", ".join(active))

        def finished(student):
            active.remove(student.id)
            progress.update(task, advance=1, description=", ".join(active))
            if not console.is_terminal:
                console.print(tr(Msg("batch_graded", id=student.id), lang_code), markup=False)

        if scheduler:  # one task per student on Dask (grader/cluster.py); no Dask import without --scheduler
            try:
                from grader import cluster

                cluster.run_batch(todo, out, catalog, scheduler, seed, lang_code, started, finished, key=key,
                                  device=device.value, jobs=jobs, allow_unconfined=allow_unconfined,
                                  student_timeout=student_timeout)
            except (ImportError, ConnectionError) as exc:  # no Dask here, no scheduler there, a bad --scheduler
                message = Msg("batch_scheduler_failed", scheduler=scheduler, error=str(exc))
                make_console(stderr=True).print(tr(message, lang_code), style="red", markup=False)
                raise typer.Exit(2)
        else:
            batch.run_batch(todo, out, runner, jobs or os.cpu_count() or 1, seed, lang_code, started, finished)
    keep_sources(catalog, students, out, key, [s.id for s in todo])  # what the similarity section compares
    csv_path = batch.write_csv(catalog, out, students)
    report_path = write_class_report(out, lang_code, [e.name for e in catalog.items], similarity_threshold)  # report.html + students/*.html
    summary = batch.summarise(catalog, batch.load_results(out, students))
    table = Table(title=tr(Msg("batch_summary_title", students=summary.students, mean=summary.mean, median=summary.median,
                               max_score=summary.max_score), lang_code))
    table.add_column(tr(Msg("col_exercise"), lang_code))
    table.add_column(tr(Msg("batch_col_passed"), lang_code), justify="right")
    for name, share in summary.passing.items():
        table.add_row(name, f"{100 * share:.0f}%")
    console.print(table)
    console.print(f"{csv_path}", markup=False)
    console.print(f"{report_path}", markup=False)


def write_class_report(results: Path, lang: str, order: Optional[list[str]] = None,
                       similarity_threshold: Optional[float] = None) -> Path:
    from grader.report.html import write_report

    return write_report(results, lang, order, similarity_threshold)

