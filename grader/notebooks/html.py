"""The check cell's HTML: the student pages' view of one exercise (``grader.report.html_student``), scoped to a notebook output."""

from __future__ import annotations

from typing import Any

from grader.i18n import TextLike, tr

#: The class every rule of the pages' stylesheet is scoped under, so the notebook's own look is left alone.
SCOPE = "grader-result"
#: What a notebook output needs on top of the pages' stylesheet (no page margins, the notebook's width).
EXTRA_CSS = (f".{SCOPE} {{ padding: 6px 0; max-width: none; margin: 0; background: transparent; }}"
             f" .{SCOPE} .exercise {{ margin: 0; }}"
             f" .{SCOPE} .callout.note {{ border-color: var(--todo); background: var(--todo-bg); }}")


def scoped_css(css: str, scope: str = SCOPE) -> str:
    """``css`` with every selector under ``.scope`` (``:root``, ``html`` and ``body`` become it); ``@media`` blocks
    are left out (print styles do not apply to a notebook output)."""
    out: list[str] = []
    depth, i = 0, 0
    kept = []
    while i < len(css):  # drop @media blocks: they nest braces
        if depth == 0 and css.startswith("@media", i):
            start = css.index("{", i)
            depth, i = 1, start + 1
            while depth and i < len(css):
                depth += {"{": 1, "}": -1}.get(css[i], 0)
                i += 1
            continue
        kept.append(css[i])
        i += 1
    for chunk in "".join(kept).split("}"):
        if "{" not in chunk:
            continue
        selectors, body = chunk.split("{", 1)
        scoped = []
        for selector in (s.strip() for s in selectors.split(",")):
            if not selector:
                continue
            if selector in (":root", "html", "body"):
                scoped.append(f".{scope}")
            else:
                scoped.append(f".{scope} {selector}")
        out.append(f"{', '.join(scoped)} {{{body}}}")
    return "\n".join(out)


def result_html(result: Any, lang: str, messages: list[TextLike] | None = None) -> str:
    """One exercise's result as the student pages show it, with ``messages`` above, for a notebook's output."""
    from grader.report.gradescope import gradescope_tests
    from grader.report.html_student import render_exercise
    from grader.report.html_style import CSS, e
    from grader.report.structured import exercise_fields

    parts = [f'<div class="callout note">{e(tr(m, lang))}</div>' for m in messages or []]
    if result is not None:
        info = {"score": result.score, "max_score": result.max_score, "status": result.status,
                "seconds": round(result.seconds, 3), **exercise_fields(result, lang)}
        parts.append(render_exercise(result.exercise, info, gradescope_tests(result, lang), lang))
    return (f'<div class="{SCOPE}" lang="{e(lang)}"><style>{scoped_css(CSS)}\n{EXTRA_CSS}</style>'
            f'{"".join(parts)}</div>')
