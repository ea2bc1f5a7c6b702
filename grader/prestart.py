"""The `grade` program's entry: `grade exNN` starts that exercise's warm worker before the command line loads.

The worker (numpy, or TensorFlow for a Keras exercise) imports while typer, rich and the judge import here,
instead of after them; the judge then finds it started (:func:`grader.sandbox.launcher.zygote` keeps one per
kind). A student's grading commands (`grade exNN`, `grade check`, `grade all`, `grade watch`) borrow it from the
user's warm server (:mod:`grader.server`), started in the background the first time, and with it `grade exNN`
begins grading before the command line loads (:mod:`grader.early`); ``--no-server`` (any position) or
``GRADE_SERVER=0`` keeps this run on a worker of its own. Only a guess from the raw arguments: anything unclear
starts nothing, and the command itself decides.
"""

from __future__ import annotations

import os
import sys
from typing import Any

NO_SERVER = "--no-server"


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def start_worker(argv: list[str]) -> Any:
    """Start the warm worker `grade <exercise> ...` will ask for; with the warm server, begin grading too
    (:mod:`grader.early`, returned). Never fails, never blocks."""
    try:
        words = [a for a in argv if not a.startswith("-")]
        if not words or "--help" in argv:
            return None
        name = words[1] if words[0] in ("check", "watch") and len(words) > 1 else words[0]
        from grader.early import parse

        asked = parse(argv)  # `grade exNN` read with its options' values (`grade --lang ko ex05`), else None
        name = asked["exercise"] if asked is not None else name
        from grader.catalog import Catalog, find_root
        from grader.sandbox import launcher

        if not launcher.forking_supported():
            return None
        catalog = Catalog(find_root())
        if words[0] == "all":  # the workers it needs are started by `grade all` itself (assignment.SharedSessions)
            _server(catalog.root)
            return None
        item = catalog.one(name)  # another command (`grade batch`, ...) names no exercise
        if item is None or item.kind != "exercise":
            return None
        from grader.judge import Options, backend_for, default_backend

        backend = backend_for(item, Options(backend=_option(argv, "--backend") or default_backend()))
        device = _option(argv, "--device") or "auto"
        served = _server(item.folder.parent.parent)
        launcher.zygote(bool(item.tensorflow), device, item.folder.parent.parent, backend).start()
        if served and asked is not None:
            from grader import early

            return early.start(asked, item)
    except Exception:  # noqa: BLE001 - only a head start: the command reports every problem itself
        return None
    return None


def _server(root: object) -> bool:
    """Borrow warm workers from the user's server for this course (off on CI, in `grade batch`, ...)."""
    from pathlib import Path

    from grader.server.client import enable

    return enable(Path(str(root)))


def main() -> None:
    """`grade`: a Ctrl+C before the command line has taken over is said as the command line says it (exit 130)."""
    try:
        _main()
    except KeyboardInterrupt:
        interrupted()


def interrupted() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C while this is said changes nothing
    try:
        from grader.interrupted import message

        print("\n" + message(), file=sys.stderr)
    except Exception:  # noqa: BLE001 - an import Ctrl+C cut short: the exit code says it
        pass
    _leave(130)


def _main() -> None:
    if NO_SERVER in sys.argv[1:]:
        sys.argv = [a for a in sys.argv if a != NO_SERVER]
        os.environ["GRADE_SERVER"] = "0"
    begun = start_worker(sys.argv[1:])
    if begun is not None:
        from grader.early import wait_until_busy

        wait_until_busy(begun)
        # the command line imports now, while the judge's thread waits on the student's process: woken by a reply,
        # that thread gets the interpreter within 0.5 ms instead of 5
        sys.setswitchinterval(0.0005)
    from grader.cli import main as cli_main

    if begun is None:
        cli_main()
        return
    try:
        cli_main()
    except SystemExit as done:
        _leave(done.code)
    _leave(0)


def _leave(code: object) -> None:
    """End a `grade` whose grading began early as soon as its result is out: the exit handlers run, the output is
    flushed, and the interpreter's own teardown (~0.03 s of freeing modules) is skipped; so is the wait for the
    thread still taking the student's process down (its end comes with this process's: see grader.early)."""
    import atexit

    if not isinstance(code, int):
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    run_handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's; elsewhere the ordinary exit
    if run_handlers is None:
        sys.exit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
