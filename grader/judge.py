"""Grading one exercise: read the file, start the sandbox, run public and hidden checks, collect results."""

from __future__ import annotations

import ast
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from grader.catalog import Exercise
from grader.errors import SubmissionMissing
from grader.feedback import Code
from grader.i18n import Msg, TextLike, register
from grader.results import CheckResult, ExerciseResult
from grader.sandbox import Limits, Session, Verdict
from grader.loading import Preload, load
from grader.server.client import falls_back
from grader.source import read_source, shipped, syntax_problem, untouched
if TYPE_CHECKING:
    from grader.checks import CheckSpec
from grader.submission import Extracted, extract, loadable_path, remove_loadable

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "backend_not_supported": {
        "ko": "이 연습은 {asked} 백엔드를 지원하지 않아 {used}에서 채점했습니다.",
        "en": "This exercise does not run on {asked}; it was graded on {used}.",
    },
    "starting": {"ko": "채점 준비 중", "en": "Preparing"},
    "same_failure_above": {
        "ko": "위의 ‘{check}’ 검사와 같은 이유로 실패했습니다.",
        "en": "Failed for the same reason as “{check}” above.",
    },
    "grading": {"ko": "채점 중", "en": "Grading"},
})


BACKENDS = ("tensorflow", "jax", "torch")


def default_backend() -> str:
    """``KERAS_BACKEND`` when it names a backend Keras has, else TensorFlow."""
    value = os.environ.get("KERAS_BACKEND", "tensorflow").strip().lower()
    return value if value in BACKENDS else "tensorflow"


@dataclass
class Options:
    lang: str = "en"
    seed: int = 0
    device: str = "auto"
    hidden: bool = True  # run hidden checks where solutions/ is present
    backend: str = field(default_factory=default_backend)  # Keras' backend: tensorflow, jax or torch


class Reporter:
    """What the judge tells a live display while it works (the terminal UI overrides it)."""

    def status(self, text: str) -> None:
        pass

    def event(self, event: dict) -> None:
        pass

    def checks_ready(self) -> None:
        """The checks are imported and the file is loaded: from here the judge mostly waits on the student's process."""


_LATER = threading.local()


@contextmanager
def closing_later() -> Iterator[list[Callable[[], None]]]:
    """The sessions the gradings of this thread open are closed by the caller, from the list this yields, instead
    of before :func:`grade` returns: a result is shown while its student's process is still being taken down."""
    jobs: list[Callable[[], None]] = []
    _LATER.jobs = jobs
    try:
        yield jobs
    finally:
        _LATER.jobs = None


def _finally(job: Callable[[], None]) -> None:
    jobs = getattr(_LATER, "jobs", None)
    if jobs is None:
        job()
    else:
        jobs.append(job)


def exercise_limits(exercise: Exercise) -> Limits:
    return Limits(seconds=exercise.time_limit, memory_mb=exercise.memory_mb)


def imports_tensorflow(source: str) -> bool:
    """Whether a file imports TensorFlow or Keras: such a file gets a TensorFlow sandbox, whatever the exercise."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(n.split(".")[0] in ("tensorflow", "keras", "tf_keras") for n in names):
            return True
    return False


def open_session(exercise: Exercise, options: Options, reporter: Reporter, source: str = "") -> Session:
    limits = exercise_limits(exercise)
    tensorflow = exercise.tensorflow or imports_tensorflow(source)
    if tensorflow and not exercise.tensorflow:
        limits.memory_mb = max(limits.memory_mb, 2048)
        limits.seconds = max(limits.seconds, 30.0)
    return Session(
        tensorflow=tensorflow,
        device=options.device,
        seed=options.seed,
        limits=limits,
        on_event=reporter.event,
        root=exercise.folder.parent.parent,
        backend=backend_for(exercise, options),
    )


def backend_for(exercise: Exercise, options: Options) -> str:
    """The backend this exercise runs on: the one asked for, where the exercise supports it."""
    supported = exercise.meta.get("backends") or list(BACKENDS)
    return options.backend if options.backend in supported else supported[0]


_ORACLE_LOCK = threading.Lock()


class Oracle:
    """A trusted sandbox with TensorFlow and no student code, started on first use."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.session: Session | None = None

    def get(self) -> Session:
        with _ORACLE_LOCK:
            return self._get()

    def _get(self) -> Session:
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


@falls_back  # a warm server lost mid-grade: graded again with this process's own workers
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
        raise SubmissionMissing(submission)
    stub = read_source(exercise.stub_path) if exercise.stub_path.exists() else ""
    # the stub as shipped (stub.lock): students edit the stub file itself, so it cannot say what is untouched
    shipped_stub = shipped(exercise.fingerprints, stub)
    extracted = extract(submission, stub, exercise)  # a notebook's answer cells; a .py file as it is
    source = extracted.source
    problem = syntax_problem(source, submission.name) if extracted.problem is None else extracted
    unchanged = untouched(source, shipped_stub) if shipped_stub else set()
    own_session = session is None
    preload: Preload | None = None
    if session is not None:
        session.begin(exercise_limits(exercise))
    if problem is None and session is None:
        session = open_session(exercise, options, reporter, source)
        if not shipped_stub or not unchanged >= set(shipped_stub):
            session.start()  # imports (TensorFlow too) while we read the checks; an untouched stub may need none
            if not extracted.notebook:  # the child runs the file while this thread imports the checks (numpy)
                preload = Preload(session, submission, source)

    from grader.checks import collect  # imports numpy: after the child has started

    specs = collect(exercise.public_checks_module(), hidden=False)
    hidden_module = exercise.hidden_checks_module() if options.hidden else None
    specs += collect(hidden_module, hidden=True)
    own_oracle = oracle is None
    oracle = oracle or Oracle(options)
    oracle.fresh_budget()
    if problem is None and (exercise.tensorflow or hidden_module is not None and exercise.meta.get("oracle_tensorflow")):
        oracle.get()  # beside the student's sandbox: the oracle rebuilds models' facts and computes expected values

    result = ExerciseResult(
        exercise=exercise.name,
        title=exercise.title,
        checks=[],
        seed=options.seed,
        lang=options.lang,
        hidden_run=hidden_module is not None,
        hints=exercise.hints,
        file=str(exercise.meta.get("file", "")),
    )
    try:
        result.notes = list(extracted.notes)
        loadable = submission
        if problem is not None:
            message, details = _problem_message(problem)
            result.problem = message
            result.problem_details = details
            result.checks = [_not_run(spec) for spec in specs]
            return result
        assert session is not None
        reporter.status(Msg("starting").render(options.lang))
        attempted = [s for s in specs if not (s.needs and set(s.needs) <= unchanged)]
        loadable = loadable_path(submission, extracted, exercise.meta.get("file"))  # a notebook's code as a .py file
        load_problem = preload.result() if preload is not None else None  # loaded ahead of time
        if preload is None and attempted:
            load_problem = load(session, loadable, source)
        if not attempted:  # a load problem counts only where a check needs the file
            load_problem = None
        if load_problem is not None:
            result.problem, *result.problem_details = load_problem
        reporter.checks_ready()  # the file is in the student's process: the judge mostly waits on it from here
        reporter.status(Msg("grading").render(options.lang))
        shared: dict = {}
        for spec in specs:
            if load_problem is not None and not (spec.needs and set(spec.needs) <= unchanged):
                result.checks.append(_not_run(spec))
                continue
            check_started = time.monotonic()
            result.checks.append(_run_check(spec, session, exercise, options, unchanged, reporter, shared, oracle))
            result.checks[-1].seconds = time.monotonic() - check_started
        result.notes.extend(shared.get("facts_notes", {}).values())  # what the model facts came from
        result.device = session.info.device if session.tensorflow else "cpu"
        result.backend = session.backend if session.tensorflow else ""
        if session.tensorflow and session.backend != options.backend:
            result.notes.append(Msg("backend_not_supported", asked=options.backend, used=session.backend))
        result.isolation = list(session.info.isolation)
        if session.info.device_name:
            result.device += f" ({session.info.device_name})"
        result.output, result.output_dropped = session.captured()
        result.dedupe_explanations()
        say_once(result.checks)
    finally:
        if preload is not None:
            preload.cancel()  # an error or Ctrl+C before its outcome was read: never close under a request on its way
        if own_session and session is not None:
            _finally(session.close)
        if own_oracle:
            _finally(oracle.close)
        remove_loadable(loadable, submission)
        result.seconds = time.monotonic() - started
    return result


def _problem_message(problem: object) -> tuple[TextLike, list]:
    """The message and details of a file that cannot be loaded: a broken notebook or a syntax error."""
    if isinstance(problem, Extracted):
        return problem.problem, list(problem.details)
    details: list = [Code(problem.excerpt())] if problem.excerpt() else []
    return Msg("syntax_error", line=problem.line, msg=problem.message), details


def _not_run(spec: CheckSpec) -> CheckResult:
    """A check that could not run because the file did not load (the reason is shown once, above the checks)."""
    return CheckResult(spec.name, spec.title, 0.0, spec.points, "failed", Msg("not_run_load"), [], spec.hidden)


def _failed(spec: CheckSpec, message: TextLike, *details: object) -> CheckResult:
    return CheckResult(spec.name, spec.title, 0.0, spec.points, "failed", message, list(details), spec.hidden)


def say_once(checks: list[CheckResult]) -> None:
    """A failure several checks share (a model that does not build, code that raises) is said in full once; the
    later checks point back to the first instead of repeating its message and traceback."""
    from grader.feedback import detail_text

    first: dict[tuple, CheckResult] = {}
    for check in checks:
        if check.status != "failed" or not isinstance(check.message, Msg) or _not_run_key(check.message):
            continue
        key = (check.message.render("en"), *(detail_text(d, "en") for d in check.details))
        if key in first:
            check.message, check.details = Msg("same_failure_above", check=first[key].title), []
        else:
            first[key] = check


def _not_run_key(message: Msg) -> bool:
    return message.key in ("not_run_load", "timeout_skipped", "same_failure_above")


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

    base = dict(name=spec.name, title=spec.title, max_points=spec.points, hidden=spec.hidden)
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
        from grader.report.curves import with_curves  # the training curve shows why the check failed

        # the check's hint is about a wrong answer: only where the check itself judged one (not where the code
        # raised, a function is missing or a shared step failed)
        hint = spec.hint if isinstance(outcome, Incorrect) and outcome.judged else None
        return CheckResult(points=0.0, status=outcome.status, message=outcome.message,
                           details=with_curves(outcome.details, ctx.notes), hint=hint, **base)
    except Verdict as verdict:
        return CheckResult(points=0.0, status="failed", message=verdict.message, **base)
    except Exception as exc:  # a bug in the check itself must not stop the other checks
        from grader.blame import who_raised, text_of

        blamed = who_raised(ctx, exc)
        if blamed is not None:  # the check choked on what the student's code gave it: the student's answer
            return CheckResult(points=0.0, status="failed", message=blamed, **base)
        message = Msg("check_error", error=f"{type(exc).__name__}: {text_of(exc)}")
        return CheckResult(points=0.0, status="failed", message=message, **base)
    return CheckResult(points=spec.points, status="passed", details=ctx.notes, **base)

