"""The terminal view of an exercise result: a panel with a table of checks, details and a hint."""

from __future__ import annotations

import math
import shlex
import threading
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.status import Status
from rich.table import Table
from rich.text import Text

from grader.feedback import Advice, Code, Detail, Explanation, LayerDiff, NumTable, Series, detail_text
from grader.i18n import Msg, register, tr
from grader.judge import Reporter
from grader.report.safe_text import visible
from grader.results import CheckResult, ExerciseResult

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "run_with_seed": {"ko": "같은 입력으로 다시: --seed {seed}", "en": "Same inputs again: --seed {seed}"},
    "seconds_short": {"ko": "{s}초", "en": "{s} s"},  # Korean writes the counter right after the number
    "next_hint": {
        "ko": "막히면 `grade hint {id}`: 실행할 때마다 힌트를 하나씩 더 보여 줍니다(모두 {n}개).",
        "en": "Stuck? `grade hint {id}` shows one more hint each time ({n} in all).",
    },
    "next_hint_of": {
        "ko": "막히면 `grade hint {id}`: 힌트 {i}/{n}(을) 보여 줍니다(실행할 때마다 하나씩).",
        "en": "Stuck? `grade hint {id}` shows hint {i} of {n} (one more each time).",
    },
    "hints_all_seen": {
        "ko": "힌트 {n}개를 모두 보았습니다. `grade hint {id}`(으)로 다시 볼 수 있습니다.",
        "en": "You have seen all {n} {n|hint|hints}; `grade hint {id}` shows {n|it|them} again.",
    },
    "nb_next_hint": {
        "ko": "막히면 셀에서 hint(\"{id}\")를 실행하세요: 실행할 때마다 힌트를 하나씩 더 보여 줍니다(모두 {n}개).",
        "en": "Stuck? Run hint(\"{id}\") in a cell: one more hint each time ({n} in all).",
    },
    "nb_run_with_seed": {
        "ko": "같은 입력으로 다시: check(\"{id}\", seed={seed})",
        "en": "Same inputs again: check(\"{id}\", seed={seed})",
    },
    "start_here": {
        "ko": "아직 시작하지 않았습니다. {statement} 파일을 읽고 {file} 파일의 # [[YOUR CODE]] 부분을 채운 뒤 다시 채점하세요: `{command}`",
        "en": "Not started yet: read {statement}, fill in the # [[YOUR CODE]] parts of {file}, then run `{command}` again.",
    },
    "nb_start_here": {
        "ko": "아직 시작하지 않았습니다. 위의 설명을 읽고 답안 셀의 # [[YOUR CODE]] 부분을 채운 뒤, 저장하고 다시 채점하세요: check(\"{id}\")",
        "en": "Not started yet: read the statement above, fill in the # [[YOUR CODE]] parts of the answer cell, save, then run check(\"{id}\") again.",
    },
    "fix_load_first": {
        "ko": "위에 표시한 문제를 고치고 저장한 뒤 다시 채점하세요: `{command}`. 파일을 불러올 수 있어야 검사가 실행됩니다.",
        "en": "Fix the problem shown above, save, and run `{command}` again: the checks run once the file loads.",
    },
    "nb_fix_load_first": {
        "ko": "위에 표시한 문제를 고치고 저장한 뒤 다시 채점하세요: check(\"{id}\"). 답안을 불러올 수 있어야 검사가 실행됩니다.",
        "en": "Fix the problem shown above, save, and run check(\"{id}\") again: the checks run once the answer loads.",
    },
    "grading_item": {"ko": "{name} 채점 중 ({i}/{n})", "en": "Grading {name} ({i}/{n})"},
    "written_to": {"ko": "전체 결과: {path}", "en": "Full results: {path}"},
})


def detail_renderable(detail: Detail, lang: str) -> Any:
    if isinstance(detail, (NumTable, LayerDiff)):
        header, body = detail.cells(lang)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
        for i, column in enumerate(header):  # wide enough for its longest number: -6.111e-10 never splits in two
            longest = max((len(word) for row in body for word in str(row[i] if i < len(row) else "").split()), default=0)
            table.add_column(column, overflow="fold", min_width=min(longest, 24) or None)
        for row in body:
            style = None
            if isinstance(detail, LayerDiff):
                style = "green" if row[-1] == "✓" else "red"
            table.add_row(*(Text(visible(cell)) for cell in row), style=style)  # Text: "[nan]" is not markup
        return table
    if isinstance(detail, Code):
        return Text(visible(detail.text), style="cyan")
    if isinstance(detail, Explanation):
        return Text(visible(detail_text(detail, lang)), style="magenta")
    if isinstance(detail, Advice):
        return Text(visible(detail_text(detail, lang)), style="yellow")
    from grader.report.curves import Curve, chart_text  # a training curve: a small line chart per epoch

    if isinstance(detail, Curve):
        return chart_text(detail, lang)
    if isinstance(detail, Series):
        return series_renderable(detail, lang)
    return Text(visible(detail))


SPARKS = "▁▂▃▄▅▆▇█"


def series_renderable(detail: Series, lang: str, width: int = 30) -> Text:
    """Each line as a sparkline with its first and last values; lines whose names share the first
    word ("x expected", "x yours") share one scale, so two paths can be compared by eye."""
    finite = lambda values: [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    scales: dict[str, list[float]] = {}
    for name, values in detail.lines.items():
        scales.setdefault((name.split() or [""])[0], []).extend(finite(values))
    pad = max((len(name) for name in detail.lines), default=0)
    text = Text(visible(tr(detail.title, lang)))
    for name, values in detail.lines.items():
        values = list(values)
        shown = values if len(values) <= width else [values[round(i * (len(values) - 1) / (width - 1))] for i in range(width)]
        group = scales[(name.split() or [""])[0]] or [0.0]
        low, high = min(group), max(group)
        marks = "".join(
            "·" if not finite([v]) else SPARKS[3 if high == low else round((v - low) / (high - low) * 7)]
            for v in shown
        )
        numbers = ", ".join(f"{v:.4g}" for v in values[:3])
        if len(values) > 3:
            numbers += f", … {values[-1]:.4g}"
        text.append(f"\n  {visible(name.ljust(pad))} ")
        text.append(marks, style="cyan")
        text.append(f"\n    {numbers}", style="dim")
    return text


class CheckRow:
    def __init__(self, check: CheckResult, lang: str) -> None:
        self.check = check
        self.lang = lang

    def cells(self) -> tuple[Text, Text, Text, Any]:
        status = self.check.status
        mark, colour = status.mark, status.colour
        title = Text(visible(tr(self.check.title, self.lang)))
        if self.check.hidden:
            title.append(f" [{tr(Msg('hidden'), self.lang)}]", style="dim")
        points = Text(f"{self.check.points:g}/{self.check.max_points:g}")
        parts: list[Any] = []
        if status == "not_attempted" and not self.check.message:
            parts.append(Text(tr(status.label, self.lang), style=colour))
        if self.check.message:
            parts.append(Text(visible(tr(self.check.message, self.lang)), style=None if self.check.passed else colour))
        parts += [detail_renderable(d, self.lang) for d in self.check.details]
        return Text(mark, style=f"bold {colour}"), title, points, Group(*parts)


class ExerciseView:
    """Renders an :class:`ExerciseResult` (rich's ``__rich_console__`` protocol).

    ``commands`` says how the next steps are written: ``"cli"`` (`grade hint ex05`) or ``"notebook"``
    (``hint("ex05")``, ``check("ex05", seed=…)``), so every pointer names something the student can run.
    """

    def __init__(self, result: ExerciseResult, lang: str, commands: str = "cli", path: Any = None,
                 hints_seen: int | None = None) -> None:
        self.result = result
        self.lang = lang
        self.commands = commands
        self.path = path  # the file graded, when it is not the stub in exercises/
        self.hints_seen = hints_seen  # how many of the exercise's hints `grade hint` has shown so far

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r, lang = self.result, self.lang
        table = Table(box=box.SIMPLE, expand=True, show_edge=False)
        table.add_column("", width=1)
        table.add_column(tr(Msg("check"), lang), ratio=2, overflow="fold")
        table.add_column(tr(Msg("points"), lang), justify="right", no_wrap=True)
        table.add_column(tr(Msg("result"), lang), ratio=3, overflow="fold")
        for check in r.checks:
            table.add_row(*CheckRow(check, lang).cells())
        body: list[Any] = []
        if r.problem:
            body.append(Text(visible(tr(r.problem, lang)), style="bold red"))
            body += [detail_renderable(d, lang) for d in getattr(r, "problem_details", [])]
        body += [Text(visible(tr(note, lang)), style="yellow") for note in r.notes]
        body.append(table)
        colour = r.status.colour
        footer = Text()
        footer.append(f"{tr(Msg('score'), lang)} {r.score:g}/{r.max_score:g}", style=f"bold {colour}")
        footer.append(f"  ·  {tr(Msg('time'), lang)} {tr(Msg('seconds_short', s=f'{r.seconds:.2f}'), lang)}")
        if r.device not in ("-", ""):  # quizzes run nothing
            footer.append(f"  ·  {tr(Msg('device'), lang)} {r.device}")
        footer.append(f"  ·  {tr(Msg('seed'), lang)} {r.seed}")
        body.append(footer)
        public, hidden = r.counts
        note = tr(Msg("checks_summary", public=public, hidden=hidden), lang)
        if not r.hidden_run:
            note += " · " + tr(Msg("hidden_not_run"), lang)
        body.append(Text(note, style="dim"))
        body += self.next_steps()
        if r.output:
            body.append(Text(f"{tr(Msg('student_output'), lang)}:", style="bold"))
            shown = r.output.rstrip()
            if r.output_dropped:
                shown += "\n" + tr(Msg("truncated", n=r.output_dropped), lang)
            body.append(Text(visible(shown), style="dim"))
        title = f"{r.exercise} · {tr(r.title, lang)}"
        yield Panel(Group(*body), title=title, title_align="left", border_style=colour, box=box.ROUNDED)

    def next_steps(self) -> list[Text]:
        """What to do now. The exercise's own hints are not printed here: they are progressive
        (`grade hint`), so a first run on an untouched stub does not give the answer away."""
        r, lang, notebook = self.result, self.lang, self.commands == "notebook"
        short_id = r.exercise.split("_")[0]
        command = f"grade {short_id}" + (f" --submission {shlex.quote(str(self.path))}" if self.path is not None else "")
        if r.passed:
            return [Text(tr(Msg("all_passed"), lang), style="bold green")]
        if r.problem and any(_not_run(c) for c in r.checks):
            key = "nb_fix_load_first" if notebook else "fix_load_first"
            return [Text(visible(tr(Msg(key, id=short_id, command=command), lang)), style="cyan")]
        lines: list[Text] = []
        if r.status == "not_attempted" and r.device not in ("-", ""):
            if notebook:
                lines.append(Text(tr(Msg("nb_start_here", id=short_id), lang), style="cyan"))
            else:
                folder = f"exercises/{r.exercise}"
                file = f"{folder}/{r.file}" if getattr(r, "file", "") else f"{folder}/"
                message = Msg("start_here", id=short_id, command=command, statement=f"{folder}/statement.{lang}.md",
                              file=str(self.path) if self.path is not None else file)
                lines.append(Text(tr(message, lang), style="cyan"))
        else:
            ran = [c for c in r.checks if c.status == "failed" and not _not_run(c)]
            hint = next((c.hint for c in ran if c.hint), None)  # targeted at a failure that happened
            if hint:
                lines.append(Text(visible(f"{tr(Msg('hint'), lang)}: {tr(hint, lang)}"), style="cyan"))
        pointers = []
        n = len(r.hints)
        if n and notebook:
            pointers.append(tr(Msg("nb_next_hint", id=short_id, n=n), lang))
        elif n and self.hints_seen is not None and self.hints_seen >= n:
            pointers.append(tr(Msg("hints_all_seen", id=short_id, n=n), lang))
        elif n and self.hints_seen is not None:
            pointers.append(tr(Msg("next_hint_of", id=short_id, i=self.hints_seen + 1, n=n), lang))
        elif n:
            pointers.append(tr(Msg("next_hint", id=short_id, n=n), lang))
        if notebook:
            pointers.append(tr(Msg("nb_run_with_seed", id=short_id, seed=r.seed), lang))
        else:
            pointers.append(tr(Msg("run_with_seed", seed=r.seed), lang))
        lines.append(Text("  ·  ".join(pointers), style="dim"))
        return lines


def _not_run(check: CheckResult) -> bool:
    """A check that never ran its comparisons (the file did not load, or no time was left)."""
    message = check.message
    return isinstance(message, Msg) and message.key in ("not_run_load", "timeout_skipped")


class LiveReporter(Reporter):
    """A spinner with the current step and, during training, the epoch and loss."""

    def __init__(self, console: Console, lang: str) -> None:
        self.console = console
        self.lang = lang
        self.live: Status | None = None
        self.label = ""

    def __enter__(self) -> "LiveReporter":
        if self.console.is_terminal:
            self.live = self.console.status("")
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()

    def status(self, text: str) -> None:
        self.label = text
        if self.live is not None:
            self.live.update(text)

    def event(self, event: dict) -> None:
        if self.live is None or event.get("event") != "epoch":
            return
        logs = event.get("logs") or {}
        shown = visible("  ".join(f"{k} {v:.4f}" for k, v in logs.items() if isinstance(v, float)).replace("\n", " "))
        self.live.update(f"{self.label} · epoch {event.get('epoch', 0) + 1} · {shown}")


class AssignmentReporter(LiveReporter):
    """`grade all`: the spinner names the item being graded ("Grading ex05_losses (5/18)") and what it does;
    without a terminal (CI logs) each item gets one plain line instead."""

    def __init__(self, console: Console, lang: str, names: list[str]) -> None:
        super().__init__(console, lang)
        self.names = list(names)
        self.local = threading.local()  # items are graded side by side: each thread says what it grades

    @property
    def current(self) -> str:
        return getattr(self.local, "current", "")

    def status(self, text: str) -> None:
        if text in self.names:
            self.local.current = tr(Msg("grading_item", name=text, i=self.names.index(text) + 1, n=len(self.names)),
                                    self.lang)
            super().status(self.current)
            if self.live is None:
                self.console.print(self.current, markup=False, highlight=False, soft_wrap=True)
            return
        super().status(f"{self.current} · {text}" if self.current else text)


def assignment_summary(result: Any, lang: str, output: Any = None) -> str:
    """One line for the end of `grade all`: total, percentage, items passed, and where the full result went."""
    passed = sum(1 for item in result.results if item.passed)
    line = tr(Msg("assignment_summary", score=result.score, max_score=result.max_score, percent=result.percent,
                  passed=passed, total=len(result.results)), lang)
    if output is not None:
        line += "  " + tr(Msg("written_to", path=str(output)), lang)
    return line


class AssignmentView:
    """The summary table of a whole assignment (rich protocol)."""

    def __init__(self, result: Any, lang: str) -> None:
        self.result = result
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r, lang = self.result, self.lang
        table = Table(box=box.SIMPLE_HEAVY, title=tr(Msg("assignment_title"), lang), title_justify="left")
        for key, justify in (("col_exercise", "left"), ("col_title", "left"), ("score", "right"),
                             ("col_points", "right"), ("col_status", "left"), ("time", "right")):
            table.add_column(tr(Msg(key), lang), justify=justify)
        for item in r.results:
            table.add_row(item.exercise, tr(item.title, lang), f"{item.score:g}", f"{item.max_score:g}",
                          Text(tr(item.status.label, lang), style=item.status.colour),
                          tr(Msg("seconds_short", s=f"{item.seconds:.1f}"), lang))
        table.add_section()
        table.add_row(Text(tr(Msg("total"), lang), style="bold"), "", Text(f"{r.score:g}", style="bold"),
                      f"{r.max_score:g}", f"{r.percent:.1f}%", tr(Msg("seconds_short", s=f"{r.seconds:.1f}"), lang))
        if r.problem:
            yield Text(visible(tr(r.problem, lang)), style="bold red")
        yield table
        for item in r.results:  # why an item could not be read (a malformed answers file, a broken notebook)
            if item.problem:
                yield Text(visible(f"{item.exercise}: {tr(item.problem, lang)}"), style="bold red")
        yield Text(f"{tr(Msg('device'), lang)} {r.device}  ·  {tr(Msg('seed'), lang)} {r.seed}", style="dim")
