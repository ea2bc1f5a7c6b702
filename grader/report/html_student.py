"""A student's feedback page, from their result JSON: what the terminal view shows, as one HTML page.

Safe to send to that student: only their own file is read, everything their code printed is
escaped, and hidden checks never show an expected value (a hidden check's table keeps only the
"(hidden)" marker in its expected column, whatever the JSON says; its charts keep only their lines).
"""

from __future__ import annotations

import hashlib
import re

from grader.classroom.views import adjusted_note
from grader.feedback import Series
from grader.i18n import Msg, tr
from grader.report.curves import Curve, svg_chart
from grader.report.html_style import counted, e, page, word
from grader.results import Status

CHECK_STATUSES = frozenset((Status.PASSED, Status.FAILED, Status.NOT_ATTEMPTED))


def safe_name(student: str) -> str:
    """A file name for a student id (letters, digits, Hangul, ``._-`` kept; anything else becomes ``_``)."""
    name = re.sub(r"[^\w.\-]", "_", student, flags=re.UNICODE).strip(".") or "student"
    if name == student and len(name.encode("utf-8")) <= 100:
        return name
    # changed or long: its first characters (at most 100 bytes: Hangul takes 3 each) and a hash of the whole id,
    # so distinct ids get distinct pages and no file name passes the file system's 255 bytes
    while len(name.encode("utf-8")) > 100:
        name = name[:-1]
    return f"{name}~{hashlib.sha256(student.encode('utf-8', 'replace')).hexdigest()[:12]}"


def exercise_tests(data: dict, exercise: str) -> list[dict]:
    return [t for t in data.get("tests") or [] if (t.get("tags") or [None])[0] == exercise]


def check_title(test: dict, lang: str) -> str:
    feedback = test.get("feedback") or {}
    title = feedback.get("title")
    if isinstance(title, dict) and title:
        return title.get(lang) or title.get("en") or next(iter(title.values()))
    name = str(test.get("name", ""))
    return name.split(": ", 1)[1] if ": " in name else name


def test_status(test: dict) -> Status:
    tags = test.get("tags") or []
    if len(tags) >= 3 and tags[2] in CHECK_STATUSES:
        return Status(tags[2])
    return Status.PASSED if test.get("status") == Status.PASSED else Status.FAILED


def is_hidden(test: dict) -> bool:
    feedback = test.get("feedback") or {}
    return bool(feedback.get("hidden")) or test.get("visibility") not in (None, "visible")


def hidden_marker(lang: str) -> str:
    return tr(Msg("hidden_value"), lang)


def _table(detail: dict, lang: str, hidden: bool) -> str:
    header = [str(h) for h in detail.get("header") or []]
    rows = [[str(c) for c in row] for row in detail.get("rows") or []]
    layers = detail.get("kind") == "layers"
    expected_col = 1 if not layers and len(header) >= 3 else None
    if hidden and expected_col is not None:  # never an expected value on a hidden check
        rows = [[hidden_marker(lang) if i == expected_col else c for i, c in enumerate(row)] for row in rows]
    out = ['<table class="cmp"><thead><tr>', *(f"<th>{e(h)}</th>" for h in header), "</tr></thead><tbody>"]
    for row in rows:
        css = ""
        if layers and row:
            css = ' class="ok"' if row[-1] == "✓" else ' class="bad"'
        cells = []
        for i, cell in enumerate(row):
            kind = "exp" if i == expected_col else "got" if expected_col is not None and i == 2 else ""
            if kind == "exp" and cell == hidden_marker(lang):
                kind = "exp hid"
            cells.append(f'<td class="{kind}">{e(cell)}</td>' if kind else f"<td>{e(cell)}</td>")
        out.append(f"<tr{css}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _series(detail: dict, lang: str, hidden: bool) -> str:
    lines = {str(k): list(v or []) for k, v in (detail.get("lines") or {}).items()}
    if hidden:  # a hidden check draws only the student's own path
        words = {tr(Msg("expected"), code) for code in ("ko", "en")}
        lines = {k: v for k, v in lines.items() if not any(w in k for w in words)}
    cleaned = {k: [float(x) if isinstance(x, (int, float)) else float("nan") for x in v] for k, v in lines.items()}
    if detail.get("kind") == "curve":
        series: Series = Curve(str(detail.get("title", "")), cleaned, str(detail.get("x_label") or "epoch"))
    else:
        series = Series(str(detail.get("title", "")), cleaned)
    return svg_chart(series, lang)


def render_detail(detail: dict, lang: str, hidden: bool) -> str:
    kind = detail.get("kind")
    if kind in ("table", "layers"):
        return _table(detail, lang, hidden)
    if kind == "code":
        return f'<pre class="code">{e(detail.get("text", ""))}</pre>'
    if kind == "mistake":
        return f'<div class="callout"><b>{e(word("mistake", lang))}</b>{e(detail.get("text", ""))}</div>'
    if kind == "advice":
        return f'<p class="advice">{e(detail.get("text", ""))}</p>'
    if kind in ("curve", "series"):
        return _series(detail, lang, hidden)
    return f'<p>{e(detail.get("text", ""))}</p>'


def render_check(test: dict, lang: str) -> str:
    status = test_status(test)
    hidden = is_hidden(test)
    feedback = test.get("feedback")
    title = e(check_title(test, lang))
    if hidden:
        title += f'<span class="tag">{e(word("hidden", lang))}</span>'
    points = f"{float(test.get('score') or 0):g}/{float(test.get('max_score') or 0):g}"
    parts = []
    if isinstance(feedback, dict):
        if feedback.get("message"):
            css = "msg bad" if status == "failed" else "msg"
            parts.append(f'<p class="{css}">{e(feedback["message"])}</p>')
        elif status == "not_attempted":
            parts.append(f'<p class="msg">{e(tr(status.label, lang))}</p>')
        shown = [render_detail(d, lang, hidden) for d in feedback.get("details") or [] if isinstance(d, dict)]
        if shown and status == "passed":  # a passed check's charts and tables stay a click away
            shown = [f'<details class="more"><summary>{e(word("show_details", lang))}</summary>{"".join(shown)}</details>']
        parts += shown
    elif test.get("output"):  # a file from before the structured feedback: its text as it is
        parts.append(f'<pre class="output">{e(test["output"])}</pre>')
    return (f'<tr class="{e(status)}"><td class="mark">{e(status.mark)}</td>'
            f'<td class="title">{title}</td><td class="pts">{e(points)}</td><td>{"".join(parts)}</td></tr>')


def render_exercise(name: str, info: dict, tests: list[dict], lang: str, folded: bool = False) -> str:
    """One item as a card; ``folded`` (a passed item) shows only its header until opened."""
    status = str(info.get("status") or "failing")
    titles = info.get("title") or {}
    title = (titles.get(lang) or titles.get("en") or "") if isinstance(titles, dict) else str(titles)
    score = f"{float(info.get('score') or 0):g} / {float(info.get('max_score') or 0):g}"
    badge_kind = info.get("verdict") if info.get("verdict") in ("timeout", "memory", "crashed", "not_submitted") else status
    if badge_kind == "not_submitted":  # one line, not a table of checks that all say the same
        message = next((str((t.get("feedback") or {}).get("message") or "") for t in tests), "")
        return (f'<section class="exercise not_submitted" id="{e(name)}"><header><h3>{e(name)}'
                f'{" · " + e(title) if title else ""}</h3><span><span class="badge st not_submitted">'
                f'{e(word("not_submitted", lang))}</span> <span class="score">{e(score)}</span></span></header>'
                f'<p class="muted">{e(message)}</p></section>')
    header = (f'<header><h3>{e(name)}{" · " + e(title) if title else ""}</h3>'
              f'<span><span class="badge st {e(badge_kind)}">{e(word(badge_kind, lang))}</span> '
              f'<span class="score">{e(score)}</span></span></header>')
    out = [f'<details class="exercise fold {e(badge_kind)}" id="{e(name)}"><summary>{header}</summary>' if folded
           else f'<section class="exercise {e(badge_kind)}" id="{e(name)}">{header}']
    if adjusted_note(info, lang):  # the instructor changed this grade (grade adjust): the new score and why
        out.append(f'<div class="callout hint adjusted"><b>{e(word("score", lang))}</b>{e(adjusted_note(info, lang))}</div>')
    if info.get("problem"):
        details = "".join(render_detail(d, lang, False) for d in info.get("problem_details") or [] if isinstance(d, dict))
        out.append(f'<div class="callout problem"><b>{e(word("problem", lang))}</b>{e(info["problem"])}{details}</div>')
    out += [f'<p class="advice">{e(note)}</p>' for note in info.get("notes") or []]
    if tests:
        out.append(f'<table class="checks"><thead><tr><th></th><th>{e(word("check", lang))}</th>'
                   f'<th class="num">{e(word("points", lang))}</th><th>{e(word("result", lang))}</th></tr></thead><tbody>')
        out += [render_check(t, lang) for t in tests]
        out.append("</tbody></table>")
    if status != "passed":
        # only a failed check's own hint (the exercise's progressive hints are `grade hint`'s, one at a time)
        hint = next((str((t.get("feedback") or {}).get("hint") or "") for t in tests
                     if test_status(t) == "failed" and (t.get("feedback") or {}).get("hint")), "")
        if hint and status != "not_attempted":
            out.append(f'<div class="callout hint"><b>{e(word("hint", lang))}</b>{e(hint)}</div>')
    if info.get("output"):
        dropped = int(info.get("output_dropped") or 0)
        more = f'\n… {counted(dropped, "truncated", lang)}' if dropped else ""
        out.append(f'<p class="muted">{e(word("output", lang))}</p><pre class="output">{e(str(info["output"]).rstrip() + more)}</pre>')
    seconds = f'{float(info.get("seconds") or 0):.2f}'
    meta = [f'{word("time", lang)} {counted(seconds, "seconds", lang)}']
    if info.get("device") not in (None, "", "-"):
        meta.append(f'{word("device", lang)} {info["device"]}')
    if info.get("hidden_run") is False:
        meta.append(word("hidden_not_run", lang))
    out.append(f'<p class="muted"><small>{e(" · ".join(meta))}</small></p>{"</details>" if folded else "</section>"}')
    return "".join(out)


def _short_list(names: list[str], exercises: dict, lang: str, key: str, anchor: str) -> str:
    """Items with nothing to read (not handed in, not started): one line each in one card, not a card each."""
    items = []
    for name in names:
        info = exercises[name]
        titles = info.get("title") if isinstance(info.get("title"), dict) else {}
        title = titles.get(lang) or titles.get("en") or ""
        items.append(f'<li id="{e(name)}"><b>{e(name)}</b> {e(title)} '
                     f'<small>({float(info.get("score") or 0):g} / {float(info.get("max_score") or 0):g})</small>'
                     f' <small>{e(adjusted_note(info, lang))}</small></li>')
    css = "not_submitted" if key == "not_submitted" else "not_attempted short"
    return (f'<section class="exercise {css}" id="{anchor}"><header><h3>{e(word(key, lang))} ({len(names)})</h3></header>'
            f'<ul class="short">{"".join(items)}</ul></section>')


def student_page(student: str, data: dict, lang: str | None = None) -> str:
    """The whole page of one student, in their language (the language they were graded in)."""
    lang = lang or (data.get("lang") if data.get("lang") in ("ko", "en") else "en")
    score, max_score = float(data.get("score") or 0), float(data.get("max_score") or 0)
    percent = 100 * score / max_score if max_score else 0.0
    exercises = data.get("exercises") or {}
    body = [f'<h1>{e(word("feedback", lang))} · {e(student)}</h1>',
            f'<p class="sub">{e(word("score", lang))} <b>{score:g} / {max_score:g}</b> ({percent:.1f}%)'
            f' · {e(word("seed", lang))} {e(data.get("seed", ""))}'
            f' · {e(word("version", lang))} {e(data.get("grader_version", ""))}</p>']
    if data.get("error") or data.get("problem"):
        text = data.get("problem") or data.get("error")
        body.append(f'<div class="callout problem"><b>{e(word("problem", lang))}</b>{e(text)}</div>')
    if exercises:
        body.append('<nav class="toc">')
        for name, info in exercises.items():
            status = str(info.get("status") or "failing")
            kind = info.get("verdict") if info.get("verdict") in ("timeout", "memory", "crashed", "not_submitted") else status
            body.append(f'<a class="st {e(kind)}" href="#{e(name)}">{e(name.split("_")[0])} '
                        f'{float(info.get("score") or 0):g}/{float(info.get("max_score") or 0):g}</a>')
        body.append("</nav>")
    items = {name: info for name, info in exercises.items() if isinstance(info, dict)}
    missing = [name for name, info in items.items() if info.get("verdict") == "not_submitted"]
    untouched = [name for name, info in items.items() if name not in missing and not info.get("problem")
                 and info.get("verdict") not in ("timeout", "memory", "crashed") and info.get("status") == "not_attempted"]
    for name, info in items.items():  # what to work on stays open; a passed item folds to its header
        if name not in missing and name not in untouched:
            body.append(render_exercise(name, info, exercise_tests(data, name), lang, folded=info.get("status") == "passed"))
    if untouched:  # one short list each at the end, not a card per file that was not started or is not there
        body.append(_short_list(untouched, items, lang, "not_started", "not-started"))
    if missing:
        body.append(_short_list(missing, items, lang, "not_submitted", "not-submitted"))
    body.append(f'<p class="foot">{e(data.get("device", ""))}</p>')
    return page(f"{word('feedback', lang)} · {student}", lang, "\n".join(body))
