"""Grading one exercise: read the file, start the sandbox, run public and hidden checks, collect results."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.catalog import CatalogError, Exercise
from grader.feedback import Code
from grader.i18n import Msg, TextLike
from grader.results import CheckResult, ExerciseResult
from grader.sandbox import Limits, Session, Verdict
from grader.source import definitions, read_source, syntax_problem, untouched
if TYPE_CHECKING:
    from grader.checks import CheckSpec
from grader.submission import Extracted, extract, loadable_path, remove_loadable


@dataclass
class Options:
    lang: str = "en"
    seed: int = 0
    device: str = "auto"
    hidden: bool = True  # run hidden checks where solutions/ is present


class Reporter:
    """What the judge tells a live display while it works (the terminal UI overrides it)."""

    def status(self, text: str) -> None:
        pass

    def event(self, event: dict) -> None:
        pass


def exercise_limits(exercise: Exercise) -> Limits:
    return Limits(seconds=exercise.time_limit, memory_mb=exercise.memory_mb)


def open_session(exercise: Exercise, options: Options, reporter: Reporter) -> Session:
    limits = exercise_limits(exercise)
    return Session(
        tensorflow=exercise.tensorflow,
        device=options.device,
        seed=options.seed,
        limits=limits,
        on_event=reporter.event,
    )


class Oracle:
    """A trusted sandbox with TensorFlow and no student code, started on first use."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.session: Session | None = None

    def get(self) -> Session:
        if self.session is None:
            limits = Limits(seconds=120, memory_mb=4096)
            self.session = Session(tensorflow=True, device="cpu", seed=self.options.seed, limits=limits).start()
        return self.session

    def fresh_budget(self) -> None:
        """A shared oracle gets its full time budget again for each exercise."""
        if self.session is not None:
            self.session.begin(self.session.limits)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def grade(
    exercise: Exercise,
    submission: Path,
    options: Options,
    reporter: Reporter | None = None,
    session: Session | None = None,
    oracle: Oracle | None = None,
) -> ExerciseResult:
    """Grade ``submission`` against ``exercise``; student code runs only inside the sandbox."""
    reporter = reporter or Reporter()
    started = time.monotonic()
    if not submission.is_file():
        raise CatalogError(Msg("missing_file", path=str(submission)))
    stub = read_source(exercise.stub_path) if exercise.stub_path.exists() else ""
    extracted = extract(submission, stub)  # a notebook's answer cells; a .py file as it is
    source = extracted.source
    problem = syntax_problem(source, submission.name) if extracted.problem is None else extracted
    unchanged = untouched(source, stub) if stub else set()
    own_session = session is None
    if session is not None:
        session.begin(exercise_limits(exercise))
    if problem is None and session is None:
        session = open_session(exercise, options, reporter)
        if not stub or not unchanged >= set(definitions(stub)):
            session.start()  # imports (TensorFlow too) while we read the checks; an untouched stub may need none

    from grader.checks import collect  # imports numpy: after the child has started

    specs = collect(exercise.public_checks_module(), hidden=False)
    hidden_module = exercise.hidden_checks_module() if options.hidden else None
    specs += collect(hidden_module, hidden=True)
    own_oracle = oracle is None
    oracle = oracle or Oracle(options)
    oracle.fresh_budget()
    if hidden_module is not None and exercise.meta.get("oracle_tensorflow") and problem is None:
        oracle.get()  # start importing TensorFlow now, beside the student's sandbox

    result = ExerciseResult(
        exercise=exercise.name,
        title=exercise.title,
        checks=[],
        seed=options.seed,
        lang=options.lang,
        hidden_run=hidden_module is not None,
        hints=exercise.hints,
    )
    try:
        result.notes = list(extracted.notes)
        loadable = submission
        if problem is not None:
            message, details = _problem_message(problem)
            result.problem = message
            result.checks = [_failed(spec, message, *details) for spec in specs]
            return result
        assert session is not None
        reporter.status(Msg("starting").render(options.lang))
        attempted = [s for s in specs if not (s.needs and set(s.needs) <= unchanged)]
        loadable = loadable_path(submission, extracted, exercise.meta.get("file"))  # a notebook's code as a .py file
        load_problem = _load(session, loadable) if attempted else None
        if load_problem is not None:
            result.problem = load_problem[0]
        reporter.status(Msg("grading").render(options.lang))
        shared: dict = {}
        for spec in specs:
            if load_problem is not None and not (spec.needs and set(spec.needs) <= unchanged):
                result.checks.append(_failed(spec, *load_problem))
                continue
            check_started = time.monotonic()
            result.checks.append(_run_check(spec, session, exercise, options, unchanged, reporter, shared, oracle))
            result.checks[-1].seconds = time.monotonic() - check_started
        result.device = session.info.device if exercise.tensorflow else "cpu"
        if session.info.device_name:
            result.device += f" ({session.info.device_name})"
        result.output, result.output_dropped = session.captured()
    finally:
        if own_session and session is not None:
            session.close()
        if own_oracle:
            oracle.close()
        remove_loadable(loadable, submission)
        result.seconds = time.monotonic() - started
    return result


def _load(session: Session, submission: Path) -> tuple[TextLike, ...] | None:
    """Load the file in the sandbox; a problem here fails every check that needs student code."""
    from grader.sandbox import StudentRaised

    try:
        session.load(submission.resolve())
    except Verdict as verdict:
        return (verdict.message,)
    except StudentRaised as exc:
        info = exc.info
        if info.get("type") == "SystemExit":
            return (Msg("exit_at_import", code=info.get("message")),)
        details = [Code(info["traceback"])] if info.get("traceback") else []
        return (Msg("load_error", error=f"{info.get('type')}: {info.get('message')}"), *details)
    return None


def _problem_message(problem: object) -> tuple[TextLike, list]:
    """The message and details of a file that cannot be loaded: a broken notebook or a syntax error."""
    if isinstance(problem, Extracted):
        return problem.problem, list(problem.details)
    return Msg("syntax_error", line=problem.line, msg=problem.message), [Code(problem.excerpt())]


def _failed(spec: CheckSpec, message: TextLike, *details: object) -> CheckResult:
    return CheckResult(
        spec.name, spec.title, 0.0, spec.points, "failed", message, list(details), spec.hidden, spec.hint
    )


def _run_check(
    spec: CheckSpec,
    session: Session,
    exercise: Exercise,
    options: Options,
    unchanged: set[str],
    reporter: Reporter,
    shared: dict,
    oracle: "Oracle",
) -> CheckResult:
    from grader.checks import Ctx, Incorrect, NotAttempted, Outcome

    base = dict(name=spec.name, title=spec.title, max_points=spec.points, hidden=spec.hidden, hint=spec.hint)
    if spec.needs and set(spec.needs) <= unchanged:
        message = Msg("not_attempted", name=", ".join(spec.needs))
        return CheckResult(points=0.0, status="not_attempted", message=message, **base)
    ctx = Ctx(
        session=session,
        seed=options.seed,
        lang=options.lang,
        hidden=spec.hidden,
        check_name=spec.name,
        reference_loader=exercise.reference_module,
        status=reporter.status,
        shared=shared,
        oracle=oracle.get,
    )
    try:
        spec.fn(ctx)
    except (Incorrect, NotAttempted, Outcome) as outcome:
        return CheckResult(points=0.0, status=outcome.status, message=outcome.message, details=outcome.details, **base)
    except Verdict as verdict:
        return CheckResult(points=0.0, status="failed", message=verdict.message, **base)
    except Exception as exc:  # a bug in the check itself must not stop the other checks
        message = Msg("check_error", error=f"{type(exc).__name__}: {exc}")
        return CheckResult(points=0.0, status="failed", message=message, **base)
    return CheckResult(points=spec.points, status="passed", details=ctx.notes, **base)
