"""The console: colour and live updates on a terminal, plain text without ANSI codes elsewhere."""

from __future__ import annotations

import os
import sys
from typing import IO

from rich.console import Console


def plain_wanted(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return True
    return not (hasattr(stream, "isatty") and stream.isatty())


def make_console(stream: IO[str] | None = None, *, stderr: bool = False) -> Console:
    target = stream or (sys.stderr if stderr else sys.stdout)
    if plain_wanted(target):
        return Console(file=target, force_terminal=False, no_color=True, highlight=False, emoji=False,
                       width=int(os.environ.get("COLUMNS", "100")), color_system=None)
    return Console(file=target, highlight=False, emoji=False)
