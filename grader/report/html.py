"""The class report: ``RESULTS/report.html`` and ``RESULTS/students/<id>.html`` from the result JSON files.

One self-contained page (inline CSS and SVG, a few lines of script for sorting, nothing fetched)
with the score distribution, the pass rate per exercise and per check, the common mistakes that
were explained most often, the verdicts that are not about the code, the grading time per
student and a sortable table of students linking to their own feedback pages.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.classroom.views import adjusted_note
from grader.report.html_student import check_title, exercise_tests, is_hidden, safe_name, student_page, test_status
from grader.report.html_charts import bar, histogram_html, histogram_legend, keys, timing_svg
from grader.report.html_style import counted, e, page, word
from grader.report.structured import VERDICTS

SYSTEM = ("timeout", "memory", "crashed")


def batch_key(folder: Path) -> bytes | None:
    """The key `grade batch` signs its results with, when this folder has one (never created here)."""
    try:
        from grader import batch

        return batch.results_key(folder) if (folder / batch.KEY_FILE).is_file() else None
    except (ImportError, AttributeError, OSError):
        return None


def load_results(folder: Path, key: bytes | None = None, left_out: list[str] | None = None) -> dict[str, dict]:
    """Every student's result JSON in ``folder`` (other JSON files and broken ones are skipped).

    With ``key`` (a batch's results folder), a file the batch did not sign is left out and named in ``left_out``.
    """
    loaded: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not (isinstance(data, dict) and isinstance(data.get("score"), (int, float)) and "tests" in data):
            continue
        if key is not None:
            from grader import batch

            if not batch.verified(path, key):
                if left_out is not None:
                    left_out.append(path.name)
                continue
        loaded[str(data.get("student") or path.stem)] = data
    return loaded


def page_names(students: dict[str, dict]) -> dict[str, str]:
    """Each student's page file name: their id made safe, numbered when two ids make the same name."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for student in sorted(students):
        base = safe_name(student)
        name, n = base, 2
        while name.lower() in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name.lower())
        names[student] = name
    return names


def whole_verdict(data: dict) -> str | None:
    """A student whose grading itself failed (the batch wrote an error instead of a result)."""
    error = str(data.get("error") or "")
    if not error:
        return None
    return "timeout" if "longer than" in error or "timed out" in error else "error"


def category(data: dict, name: str) -> str:
    """p / f / t / s / n for one student's exercise (see SEGMENTS)."""
    info = (data.get("exercises") or {}).get(name)
    if not isinstance(info, dict):
        return "s" if whole_verdict(data) else "n"
    verdict = info.get("verdict") or next((t.get("verdict") for t in exercise_tests(data, name)
                                          if t.get("verdict") in SYSTEM), None)
    if verdict in SYSTEM:
        return "s"
    if verdict == "not_submitted":
        return "n"
    return {"passed": "p", "not_attempted": "t"}.get(str(info.get("status")), "f")


@dataclass
class ClassData:
    lang: str
    students: dict[str, dict]
    exercises: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # grader.classroom's: adjustments, similar submissions
    marks: dict[str, str] = field(default_factory=dict)  # student -> links to their similar pairs

    @classmethod
    def build(cls, students: dict[str, dict], lang: str, order: list[str] | None = None) -> "ClassData":
        seen: list[str] = list(order or [])
        titles: dict[str, str] = {}
        for data in students.values():
            for name, info in (data.get("exercises") or {}).items():
                if name not in seen:
                    seen.append(name)
                title = info.get("title") if isinstance(info, dict) else None
                if isinstance(title, dict) and name not in titles:
                    titles[name] = title.get(lang) or title.get("en") or ""
        present = {n for d in students.values() for n in (d.get("exercises") or {})}
        return cls(lang, students, [n for n in seen if n in present], titles, page_names(students))

    def percent(self, data: dict) -> float:
        top = float(data.get("max_score") or 0) or self.max_score
        return 100.0 * float(data.get("score") or 0) / top if top else 0.0

    @property
    def max_score(self) -> float:
        return max((float(d.get("max_score") or 0) for d in self.students.values()), default=0.0)


# --- sections -----------------------------------------------------------------------------------


def handed_in(data: dict, name: str) -> bool:
    """Whether this student's result has this item graded: the denominator of every pass rate on the page."""
    return isinstance((data.get("exercises") or {}).get(name), dict) and category(data, name) != "n"


def rate_cell(passed: int, total: int) -> str:
    """A pass rate as the page writes it everywhere: ``67% (4/6)``, or — when nobody handed the item in."""
    if not total:
        return '<td class="num" data-sort="-1">—</td>'
    rate = 100 * passed / total
    return f'<td class="num" data-sort="{rate:.3f}"><b>{rate:.0f}%</b> <small>({passed}/{total})</small></td>'


def section_exercises(c: ClassData) -> str:
    lang = c.lang
    rows = []
    for name in c.exercises:
        counts = Counter(category(d, name) for d in c.students.values())
        handed = [d for d in c.students.values() if handed_in(d, name)]
        infos = [(d.get("exercises") or {}).get(name) or {} for d in handed]
        scores = [float(i.get("score") or 0) for i in infos]
        top = max((float(i.get("max_score") or 0) for i in infos), default=0)
        secs = [float(i.get("seconds") or 0) for i in infos]
        rows.append(f'<tr><td><a href="#checks-{e(name)}">{e(name)}</a></td><td>{e(c.titles.get(name, ""))}</td>'
                    f'{rate_cell(counts["p"], len(handed))}<td>{bar(counts, len(c.students))}</td>'
                    f'<td class="num" data-sort="{statistics.fmean(scores) if scores else 0:.4f}">'
                    f'{statistics.fmean(scores) if scores else 0:.2f} / {top:g}</td>'
                    f'<td class="num" data-sort="{statistics.fmean(secs) if secs else 0:.3f}">'
                    f'{e(counted(f"{statistics.fmean(secs) if secs else 0:.1f}", "seconds", lang))}</td></tr>')
    head = "".join(f'<th{cls} data-type="{t}">{e(word(k, lang))}</th>' for k, cls, t in (
        ("exercise", "", "text"), ("title", "", "text"), ("pass_rate", ' class="num"', "num"), ("result", "", "text"),
        ("mean_score", ' class="num"', "num"), ("mean_time", ' class="num"', "num")))
    return (f'<h2 id="exercises">{e(word("per_exercise", lang))}</h2>{keys(lang)}'
            f'<p class="muted"><small>{e(word("rate_note", lang))}</small></p><div class="wrap">'
            f'<table class="sortable" id="exercise-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            "</tbody></table></div>")


def check_stats(c: ClassData, name: str) -> dict[str, dict[str, Any]]:
    """Per check of one item: its title, whether hidden, and the students' outcomes (those who handed it in)."""
    stats: dict[str, dict[str, Any]] = {}
    for data in c.students.values():
        if not handed_in(data, name):
            continue
        for test in exercise_tests(data, name):
            tags = test.get("tags") or []
            key = str(tags[1]) if len(tags) > 1 else str(test.get("name"))
            entry = stats.setdefault(key, {"title": check_title(test, c.lang), "hidden": is_hidden(test),
                                           "counts": Counter(), "n": 0})
            entry["n"] += 1
            entry["counts"][{"passed": "p", "not_attempted": "t"}.get(test_status(test), "f")] += 1
    return stats


def section_checks(c: ClassData) -> str:
    """One collapsed line per item, the weakest first; opened, its checks, the weakest first."""
    lang = c.lang
    out = [f'<h2 id="checks">{e(word("per_check", lang))}</h2><p class="muted"><small>{e(word("checks_note", lang))}'
           "</small></p>"]
    groups = []
    for name in c.exercises:
        stats = check_stats(c, name)
        if not stats:
            continue
        handed = [d for d in c.students.values() if handed_in(d, name)]
        passed = sum(1 for d in handed if category(d, name) == "p")
        groups.append((passed / len(handed) if handed else 1.0, name, stats, passed, len(handed)))
    for _, name, stats, passed, handed in sorted(groups, key=lambda g: (g[0], g[1])):
        rows = []
        for entry in sorted(stats.values(), key=lambda s: (s["counts"]["p"] / s["n"], s["title"])):
            tag = f'<span class="tag">{e(word("hidden", lang))}</span>' if entry["hidden"] else ""
            rows.append(f'<tr><td>{e(entry["title"])}{tag}</td>{rate_cell(entry["counts"]["p"], entry["n"])}'
                        f'<td>{bar(entry["counts"], entry["n"])}</td></tr>')
        weak = sum(1 for s in stats.values() if s["counts"]["p"] < s["n"])
        out.append(f'<details class="group" id="checks-{e(name)}"><summary><span class="name">{e(name)}</span> '
                   f'<span class="title">{e(c.titles.get(name, ""))}</span>'
                   f'<span class="rate"><b>{100 * passed / handed if handed else 0:.0f}%</b> <small>({passed}/{handed})</small>'
                   f'</span><small class="count">{e(counted(len(stats), "checks_count", lang))} · '
                   f'{e(counted(weak, "below_all", lang))}</small></summary>'
                   f'<table class="rates"><thead><tr><th>{e(word("check", lang))}</th><th class="num">{e(word("pass_rate", lang))}</th>'
                   f'<th>{e(word("result", lang))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></details>')
    return "".join(out)


def section_mistakes(c: ClassData, limit: int = 15) -> str:
    lang = c.lang
    who: dict[tuple[str, str], set[str]] = defaultdict(set)
    texts: dict[tuple[str, str], str] = {}
    where: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for student, data in c.students.items():
        for test in data.get("tests") or []:
            exercise = str((test.get("tags") or ["?"])[0])
            for mistake in test.get("mistakes") or []:
                if not isinstance(mistake, dict):
                    continue
                key = (exercise, str(mistake.get("id")))
                text = mistake.get("text")
                texts.setdefault(key, (text.get(lang) or text.get("en") or "") if isinstance(text, dict) else str(text))
                who[key].add(student)
                where[key][check_title(test, lang)] += 1
    ranked = sorted(who, key=lambda k: (-len(who[k]), k))[:limit]
    out = [f'<h2 id="mistakes">{e(word("mistakes", lang))}</h2>']
    if not ranked:
        return out[0] + f'<p class="muted">{e(word("no_mistakes", lang))}</p>'
    out.append('<ol class="mistakes">')
    for key in ranked:
        checks = ", ".join(t for t, _ in where[key].most_common(3))
        out.append(f'<li><span class="count" title="{e(counted(len(who[key]), "mistake_students", lang))}">{len(who[key])}</span>'
                   f'<div><span class="badge st failing">{e(key[0])}</span> <small>{e(checks)}</small>'
                   f'<div>{e(texts[key])}</div>{_who(c, who[key])}</div></li>')
    out.append("</ol>")
    return "".join(out)


def _who(c: ClassData, students: set[str], shown: int = 12) -> str:
    """The students a mistake was explained to, linked to their pages (the first few, then how many more)."""
    names = sorted(students)
    links = ", ".join(f'<a href="students/{e(c.pages[s])}.html">{e(s)}</a>' for s in names[:shown] if s in c.pages)
    more = f" +{len(names) - shown}" if len(names) > shown else ""
    return f'<div class="who"><small>{links}{e(more)}</small></div>'


def section_verdicts(c: ClassData) -> str:
    lang = c.lang
    rows = []
    for name in c.exercises:
        counts: Counter = Counter()
        for data in c.students.values():
            info = (data.get("exercises") or {}).get(name)
            if not isinstance(info, dict):
                continue
            verdict = info.get("verdict") or next((t.get("verdict") for t in exercise_tests(data, name)
                                                  if t.get("verdict")), None)
            if verdict in VERDICTS:
                counts[verdict] += 1
        if sum(counts.values()):
            rows.append((name, counts))
    whole = Counter(v for v in (whole_verdict(d) for d in c.students.values()) if v)
    if whole:
        rows.append((word("whole", lang), whole))
    head = "".join(f'<th class="num">{e(word(v, lang))}</th>' for v in (*VERDICTS, "error"))
    cell = lambda v, n: f'<td class="num"><span class="badge st {v}">{n}</span></td>' if n else '<td class="num">·</td>'
    body = "".join(f"<tr><td>{e(name)}</td>" + "".join(cell(v, counts[v]) for v in (*VERDICTS, "error")) + "</tr>"
                   for name, counts in rows)
    failures = [f'<li><a href="students/{e(c.pages[s])}.html">{e(s)}</a>: {e(str(d.get("error"))[:300])}</li>'
                for s, d in sorted(c.students.items()) if d.get("error")]
    extra = (f'<h3 class="sub2">{e(word("grading_failures", lang))}</h3><ul>{"".join(failures)}</ul>') if failures else ""
    table = (f'<div class="wrap"><table id="verdict-table"><thead><tr><th>{e(word("exercise", lang))}</th>{head}</tr>'
             f'</thead><tbody>{body}</tbody></table></div>') if rows else "<p class=\"muted\">—</p>"
    return (f'<h2 id="verdicts">{e(word("verdicts", lang))}</h2><p class="muted">{e(word("verdicts_note", lang))}</p>'
            f"{table}{extra}")


def section_timing(c: ClassData) -> str:
    lang = c.lang
    times = [(s, float(d.get("execution_time") or 0)) for s, d in c.students.items()]
    values = [t for _, t in times] or [0.0]
    slowest = max(times, key=lambda item: item[1]) if times else ("—", 0.0)
    cards = (f'<div class="cards"><div class="card"><b>{statistics.fmean(values):.1f} s</b><span>{e(word("mean", lang))}</span></div>'
             f'<div class="card"><b>{statistics.median(values):.1f} s</b><span>{e(word("median", lang))}</span></div>'
             f'<div class="card"><b>{slowest[1]:.1f} s</b><span>{e(word("slowest", lang))}: {e(slowest[0])}</span></div>'
             f'<div class="card"><b>{sum(values) / 60:.1f} min</b><span>{e(word("total_time", lang))}</span></div></div>')
    return f'<h2 id="timing">{e(word("timing", lang))}</h2>{cards}<div class="panel">{timing_svg(times, lang)}</div>'


def section_students(c: ClassData) -> str:
    from grader.batch import _note  # the Note column shows what grades.csv's note has (each item's problem too)

    lang = c.lang
    head = [f'<th data-type="text">{e(word("student", lang))}</th>', f'<th class="num" data-type="num">{e(word("score", lang))}</th>',
            '<th class="num" data-type="num">%</th>']
    head += [f'<th class="num" data-type="num" title="{e(c.titles.get(n, ""))}">{e(n.split("_")[0])}</th>' for n in c.exercises]
    head += [f'<th class="num" data-type="num">{e(word("time", lang))}</th>', f'<th data-type="text">{e(word("note", lang))}</th>']
    names = {"p": "passed", "f": "failing", "t": "not_attempted", "s": "crashed", "n": "not_submitted"}
    rows = []
    for student, data in sorted(c.students.items()):
        score, pct = float(data.get("score") or 0), c.percent(data)
        cells = [f'<td data-sort="{e(student)}"><a href="students/{e(c.pages[student])}.html">{e(student)}</a></td>',
                 f'<td class="num" data-sort="{score}">{score:g}</td>', f'<td class="num" data-sort="{pct:.3f}">{pct:.1f}</td>']
        for name in c.exercises:
            info = (data.get("exercises") or {}).get(name) or {}
            kind = category(data, name)
            verdict = info.get("verdict") if kind == "s" else None
            css = verdict or names[kind]
            value = float(info.get("score") or 0)
            shown = f"{value:g}" if info and kind != "n" else "—"
            adjusted = adjusted_note(info, lang)  # an adjusted score: marked *, its reason in the tooltip
            shown, css = (shown + "*", css + " adjusted") if adjusted else (shown, css)
            cells.append(f'<td class="cell st {e(css)}" data-sort="{value}" title="{e(name)}: {e(adjusted or word(css if css in ("timeout", "memory", "crashed") else names[kind], lang))}">{e(shown)}</td>')
        seconds = float(data.get("execution_time") or 0)
        note = _note(data, c.exercises)
        note = note if len(note) <= 200 else note[:199] + "…"
        cells += [f'<td class="num" data-sort="{seconds:.3f}">{seconds:.1f}</td>', f"<td><small>{e(note)}</small>{c.marks.get(student, '')}</td>"]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<h2 id="students">{e(word("table", lang))}</h2><p class="muted">{e(word("table_note", lang))}</p>'
            f'<div class="wrap"><table class="sortable" id="student-table"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def class_page(c: ClassData) -> str:
    lang = c.lang
    percents = [c.percent(d) for d in c.students.values()]
    scores = [float(d.get("score") or 0) for d in c.students.values()]
    all_passed = sum(1 for s in c.students if all(category(c.students[s], n) == "p" for n in c.exercises))
    failures = sum(1 for d in c.students.values() if d.get("error"))
    cards = [(str(len(c.students)), word("students", lang))]
    if scores:
        cards += [(f"{statistics.fmean(scores):.1f}", f'{word("mean", lang)} / {c.max_score:g}'),
                  (f"{statistics.median(scores):g}", word("median", lang)),
                  (f"{max(scores):g} · {min(scores):g}", f'{word("highest", lang)} · {word("lowest", lang)}'),
                  (str(all_passed), word("all_passed", lang)), (str(failures), word("grading_failures", lang))]
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    quizzes = sum(1 for name in c.exercises if re.match(r"q\d", name))
    body = [f'<h1>{e(word("class_report", lang))}</h1><p class="sub">{e(word("generated", lang))} {e(stamp)}'
            f' · {e(counted(len(c.students), "students_count", lang))} · {e(counted(len(c.exercises) - quizzes, "exercises_count", lang))}'
            + (f' · {e(counted(quizzes, "quizzes_count", lang))}' if quizzes else "") + "</p>",
            '<nav class="toc">' + "".join(f'<a href="#{k}">{e(word(w, lang))}</a>' for k, w in (
                ("distribution", "score_distribution"), ("exercises", "per_exercise"), ("students", "table"),
                ("checks", "per_check"), ("mistakes", "mistakes"), ("verdicts", "verdicts"), ("timing", "timing"))) + "</nav>",
            '<div class="cards">' + "".join(f'<div class="card"><b>{e(v)}</b><span>{e(k)}</span></div>' for v, k in cards) + "</div>"]
    if c.left_out:
        body.append(f'<div class="callout problem"><b>{e(word("unsigned", lang))}</b>{e(", ".join(c.left_out[:50]))}</div>')
    if not c.students:
        body.append(f'<p class="muted">{e(word("no_data", lang))}</p>')
        return page(word("class_report", lang), lang, "\n".join(body))
    body += [f'<h2 id="distribution">{e(word("score_distribution", lang))}</h2><div class="panel">{histogram_html(percents, lang)}{histogram_legend(percents, lang)}</div>',
             section_exercises(c), *c.sections, section_students(c), section_checks(c), section_mistakes(c),
             section_verdicts(c), section_timing(c)]
    return page(word("class_report", lang), lang, "\n".join(body))


def write_report(results: Path, lang: str, order: list[str] | None = None, similarity_threshold: float | None = None) -> Path:
    """Write ``report.html`` and one page per student under ``results``; returns the report's path.

    Adjustments (RESULTS/adjustments.toml) are applied; similar submissions are compared (grader/classroom/)."""
    from grader.classroom import views
    from grader.report.json_result import write_atomic

    left_out: list[str] = []
    key = batch_key(results)
    extras = views.adjusted(results, load_results(results, key, left_out), key, lang)
    students = extras.students
    data = ClassData.build(students, lang, order)
    data.left_out = left_out
    section, data.marks = views.similarity_section(results, key, students, data.pages, lang, similarity_threshold)
    data.sections = [views.adjustments_section(extras, lang), section]
    folder = results / "students"
    folder.mkdir(parents=True, exist_ok=True)
    for student, result in students.items():
        write_atomic(folder / f"{data.pages[student]}.html", student_page(student, result))
    current = {f"{name}.html" for name in data.pages.values()}
    for stale in folder.glob("*.html"):  # a page from an earlier report whose result is gone (or no longer signed)
        if stale.name not in current:
            stale.unlink(missing_ok=True)
    path = results / "report.html"
    write_atomic(path, class_page(data))
    return path
