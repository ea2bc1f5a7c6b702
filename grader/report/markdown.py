"""Markdown summary table, e.g. for GitHub's job summary (GITHUB_STEP_SUMMARY); student text stays literal text."""

from __future__ import annotations

from grader.results import AssignmentResult, Status
from grader.i18n import Msg, tr
from grader.report.safe_text import markdown_inline


def _cell(text: str) -> str:
    """One line of literal text: no heading, HTML comment, link, image, code span or extra cell can start in it."""
    return markdown_inline(text)


def to_markdown(result: AssignmentResult) -> str:
    lang = result.lang
    head = [tr(Msg(k), lang) for k in ("col_exercise", "col_title", "score", "col_points", "col_status")]
    lines = [f"## {tr(Msg('assignment_title'), lang)}: {result.score:g} / {result.max_score:g} ({result.percent:.1f}%)", ""]
    if result.problem:
        lines += [f"> {_cell(tr(result.problem, lang))}", ""]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result.results:
        lines.append(
            f"| {r.exercise} | {_cell(tr(r.title, lang))} | {r.score:g} | {r.max_score:g} "
            f"| {r.status.icon} {tr(r.status.label, lang)} |"
        )
    lines.append(f"| **{tr(Msg('total'), lang)}** | | **{result.score:g}** | **{result.max_score:g}** | |")
    failing = [(r, c) for r in result.results for c in r.checks if c.status == Status.FAILED]
    if failing:
        lines += ["", "<details><summary>" + tr(Msg("failed"), lang) + f" ({len(failing)})</summary>", ""]
        for r, c in failing:
            lines.append(f"- **{r.exercise}** {_cell(tr(c.title, lang))}: {_cell(tr(c.message, lang) if c.message else '')}")
        lines += ["", "</details>"]
    lines.append(f"\n{tr(Msg('time'), lang)}: {result.seconds:.1f} s · {tr(Msg('device'), lang)}: {_cell(result.device)} · {tr(Msg('seed'), lang)}: {result.seed}")
    return "\n".join(lines) + "\n"
