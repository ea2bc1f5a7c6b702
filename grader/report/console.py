"""The console: colour and live updates on a terminal, plain text without ANSI codes elsewhere, no student escapes."""

from __future__ import annotations

import os
import sys
from typing import IO, Iterable

from rich.console import Console
from rich.segment import Segment

from grader.report.safe_text import visible


class SafeConsole(Console):
    """A rich console whose text can never carry a terminal control of its own: the escape sequences a
    student printed (screen clears, cursor moves, OSC 52 clipboard writes, C1 and bidi controls) are
    drawn visibly (``␛[2J``); rich's own styles and cursor controls (control segments) are unchanged."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text), segment.style, segment.control)
            for segment in buffer)


def plain_wanted(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return True
    return not (hasattr(stream, "isatty") and stream.isatty())


def make_console(stream: IO[str] | None = None, *, stderr: bool = False) -> Console:
    target = stream or (sys.stderr if stderr else sys.stdout)
    if plain_wanted(target):
        return SafeConsole(file=target, force_terminal=False, no_color=True, highlight=False, emoji=False,
                       width=int(os.environ.get("COLUMNS", "100")), color_system=None)
    return SafeConsole(file=target, highlight=False, emoji=False)
