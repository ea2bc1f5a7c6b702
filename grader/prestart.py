"""The `grade` program's entry: `grade exNN` starts that exercise's warm worker before the command line loads.

The worker (numpy, or TensorFlow for a Keras exercise) imports while typer, rich and the judge import here,
instead of after them; the judge then finds it started (:func:`grader.sandbox.launcher.zygote` keeps one per
kind). Only a guess from the raw arguments: anything unclear starts nothing, and the command itself decides.
"""

from __future__ import annotations

import sys


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def start_worker(argv: list[str]) -> None:
    """Start the warm worker `grade <exercise> ...` will ask for; never fails, never blocks."""
    try:
        words = [a for a in argv if not a.startswith("-")]
        if not words or "--help" in argv:
            return
        name = words[1] if words[0] == "check" and len(words) > 1 else words[0]
        from grader.catalog import Catalog, find_root
        from grader.sandbox import launcher

        if not launcher.forking_supported():
            return
        item = Catalog(find_root()).resolve(name)  # another command (`grade batch`, ...) is no exercise: raises
        if item.kind != "exercise":
            return
        from grader.judge import Options, backend_for, default_backend

        backend = backend_for(item, Options(backend=_option(argv, "--backend") or default_backend()))
        device = _option(argv, "--device") or "auto"
        launcher.zygote(bool(item.tensorflow), device, item.folder.parent.parent, backend).start()
    except Exception:  # noqa: BLE001 - only a head start: the command reports every problem itself
        return


def main() -> None:
    start_worker(sys.argv[1:])
    from grader.cli import main as cli_main

    cli_main()
