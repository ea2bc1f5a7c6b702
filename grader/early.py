"""`grade exNN` with the warm server: the judge starts grading on a thread before the command line loads.

typer, rich and the commands take ~0.15 s to import; the judge needs none of them. :func:`start` reads the raw
arguments (only the options of `grade exNN`; anything else starts nothing) and grades on a thread at once, while
the command line imports in the time the judge waits on the student's process. The check command then
:func:`adopt`s that grading where it asks for exactly the same one (exercise, file, language, seed, device,
backend): anything else (a misread argument, a file the command refuses) and the grading is dropped unread and the
command grades as it always did. The boundary is the judge's own: the same :func:`grader.judge.grade`, on
another thread of the same process.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.judge import BACKENDS, Options, Reporter, default_backend

#: `grade exNN` options followed by a value (the others, and --help, leave the command line to decide alone)
VALUES = {"--submission": "submission", "--seed": "seed", "--format": "format", "-f": "format", "--lang": "lang",
          "-l": "lang", "--device": "device", "--backend": "backend", "--output": "output", "-o": "output"}
CHOICES = {"format": ("text", "json"), "lang": ("ko", "en"), "device": ("auto", "cpu", "gpu"), "backend": BACKENDS}
COMMANDS_WAIT = 2.0  # seconds the command line waits for the judge to be busy with the student's process


def parse(argv: list[str]) -> dict[str, str] | None:
    """``{"exercise": ..., option: value}`` from `grade [check] EXERCISE [OPTIONS]`, or None for anything else."""
    words: list[str] = []
    given: dict[str, str] = {}
    args = iter(argv)
    for arg in args:
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in VALUES:
            value = value if eq else next(args, None)
            if value is None or VALUES[name] in given:
                return None
            given[VALUES[name]] = value
        elif arg.startswith("-"):
            return None
        else:
            words.append(arg)
    if words[:1] == ["check"]:
        words = words[1:]
    if len(words) != 1 or any(given.get(k, v[0]) not in v for k, v in CHOICES.items()):
        return None
    if "seed" in given and not given["seed"].lstrip("-").isdigit():
        return None
    return {"exercise": words[0], **given}


class EarlyReporter(Reporter):
    """Keeps what the judge says until the command line shows it, then passes everything on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.target: Reporter | None = None
        self.last_status: str | None = None
        self.busy = threading.Event()  # the checks are imported: the command line may import now

    def status(self, text: str) -> None:
        with self.lock:
            self.last_status = text
            target = self.target
        if target is not None:
            target.status(text)

    def event(self, event: dict) -> None:
        with self.lock:
            target = self.target
        if target is not None:
            target.event(event)

    def checks_ready(self) -> None:
        self.busy.set()

    def attach(self, target: Reporter) -> None:
        with self.lock:
            self.target, status = target, self.last_status
        if status is not None:
            target.status(status)


@dataclass
class Early:
    """One grading begun before the command line loaded."""

    item: Any
    path: Path
    options: Options
    seed_given: bool
    reporter: EarlyReporter = field(default_factory=EarlyReporter)
    result: Any = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def begin(self) -> None:
        threading.Thread(target=self._run, name="grade-early", daemon=True).start()

    def _run(self) -> None:
        """Grade, then take the student's process down while the command shows the result. This process does not
        wait for the end of that at exit: its ends of the pipes close with it, which ends the student's processes
        (the monitor kills them when the kill pipe closes), and the server sweeps their cgroup
        (:func:`grader.sandbox.cgroups.sweep_own`) as the next run would."""
        from grader.judge import closing_later, grade

        with closing_later() as later:
            try:
                self.result = grade(self.item, self.path, self.options, self.reporter)
            except BaseException as exc:  # noqa: BLE001 - raised again where the command adopts it
                self.error = exc
            finally:
                self.reporter.busy.set()
                self.done.set()
            for job in later:
                job()

    def matches(self, item: Any, path: Path, options: Options, seed: int | None) -> bool:
        mine = self.options
        return (self.item.name == item.name and self.path.resolve() == path.resolve() and mine.lang == options.lang
                and mine.device == options.device and mine.backend == options.backend and mine.hidden == options.hidden
                and (seed is None or (self.seed_given and seed == mine.seed)))

    def wait(self, reporter: Reporter) -> Any:
        self.reporter.attach(reporter)
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.result


_EARLY: Early | None = None


def start(asked: dict[str, str], item: Any) -> Early | None:
    """Begin grading what :func:`parse` read, ``item`` the exercise it names (its metadata alone was read: the
    command reads the others, and says what is wrong); None (nothing begun) where the command would refuse it."""
    global _EARLY
    path = Path(asked["submission"]) if "submission" in asked else item.stub_path
    if not path.is_file() or "submission" in asked and item.reference_path is not None and _patch(path):
        return None  # refused by the command (exit 2), or a sample graded as the patched reference
    from grader.i18n import default_lang

    seed_given = "seed" in asked
    options = Options(lang=asked.get("lang") or default_lang(),
                      seed=int(asked["seed"]) if seed_given else _random_seed(),
                      device=asked.get("device", "auto"), backend=asked.get("backend") or default_backend())
    begun = Early(item, path, options, seed_given)
    begun.begin()
    _EARLY = begun
    return begun


def _random_seed() -> int:
    """As the command draws one (`secrets.randbelow(1_000_000)`), without importing `secrets` (5 ms) first."""
    return int.from_bytes(os.urandom(8), "big") % 1_000_000


def _patch(path: Path) -> bool:
    from grader.instructor.samples import is_patch_sample

    return is_patch_sample(path)


def adopt(item: Any, path: Path, options: Options, seed: int | None) -> Early | None:
    """The grading begun early, where it is exactly the one the command asks for (taken once), else None.

    ``options`` as the command reads them (its seed aside), ``seed`` as given on its command line (None: any)."""
    global _EARLY
    early, _EARLY = _EARLY, None
    if early is None:
        return None
    if early.matches(item, path, options, seed):
        return early
    early.done.wait()  # never two gradings of one file at once: the dropped one ends first
    return None


def wait_until_busy(early: Early | None) -> None:
    """The command line imports once the judge waits on the student's process (at most :data:`COMMANDS_WAIT`):
    before, the two would share one interpreter lock and the judge's first request would come later."""
    if early is not None:
        early.reporter.busy.wait(COMMANDS_WAIT)
