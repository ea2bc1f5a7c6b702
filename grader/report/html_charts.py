"""The class report's charts: the score histogram (HTML bars), grading times (inline SVG), stacked pass-rate bars."""

from __future__ import annotations

import statistics

from grader.report.html_style import e, word

#: Bar segments: passed, failing, not attempted, a verdict not about the code, not submitted / not graded.
SEGMENTS = (("p", "passed"), ("f", "failing"), ("t", "not_attempted"), ("s", "crashed"), ("n", "not_submitted"))


def histogram_html(percents: list[float], lang: str) -> str:
    """The score distribution as HTML bars (ten bins of 10 points), readable at any width: a phone shrinks no text."""
    bins = [0] * 10
    for p in percents:
        bins[min(9, max(0, int(p // 10)))] += 1
    top = max(bins) or 1
    columns = []
    for i, count in enumerate(bins):
        css = "low" if i < 5 else "mid" if i < 7 else "high"
        label = f"{i * 10}–{100 if i == 9 else i * 10 + 9}%"
        columns.append(f'<div class="hcol" title="{e(label)}: {count}"><span class="hn">{count or ""}</span>'
                       f'<i class="{css}" style="height:calc((100% - 18px) * {count / top:.3f})"></i>'
                       f'<span class="ht">{i * 10}</span></div>')
    if percents:
        for value, key in ((statistics.fmean(percents), "mean"), (statistics.median(percents), "median")):
            columns.append(f'<b class="hline {key}" style="left:{min(100.0, max(0.0, value)):.2f}%" '
                           f'title="{e(word(key, lang))} {value:.1f}%"></b>')
    return (f'<figure class="hist" id="histogram" role="img" aria-label="{e(word("score_distribution", lang))}">'
            f'<div class="hbars">{"".join(columns)}</div><figcaption>{e(word("hist_axis", lang))}</figcaption></figure>')


def histogram_legend(percents: list[float], lang: str) -> str:
    """What the histogram's colours and dashed lines mean, with the mean and median themselves."""
    items = [f'<span><i style="background:{colour}"></i>{e(word(key, lang))}</span>'
             for colour, key in (("#dc2626", "bins_low"), ("#f59e0b", "bins_mid"), ("#16a34a", "bins_high"))]
    if percents:
        for value, key in ((statistics.fmean(percents), "mean"), (statistics.median(percents), "median")):
            items.append(f'<span><em class="hkey {key}"></em>{e(word(key, lang))} <b>{value:.1f}%</b></span>')
    return f'<div class="keys legend-hist">{"".join(items)}</div>'


def timing_svg(times: list[tuple[str, float]], lang: str, width: int = 1080, height: int = 190) -> str:
    shown = sorted(times, key=lambda item: -item[1])[:120]
    top = max((t for _, t in shown), default=0.0) or 1.0
    left, bottom, pad = 48, 20, 12
    w, h = width - left - pad, height - bottom - pad
    bw = min(28.0, w / max(1, len(shown)))
    parts = [f'<svg class="chart wide" id="timing" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{e(word("timing", lang))}</title>']
    for k in range(5):
        value = top * k / 4
        y = pad + h - value / top * h
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value:.{0 if top >= 20 else 1}f}s</text>')
    for i, (student, seconds) in enumerate(shown):
        bh = seconds / top * h
        parts.append(f'<rect x="{left + i * bw + min(2, bw * 0.15):.1f}" y="{pad + h - bh:.1f}" '
                     f'width="{max(1.0, bw - 2 * min(2, bw * 0.15)):.1f}" height="{bh:.1f}" fill="#60a5fa">'
                     f"<title>{e(student)}: {seconds:.1f} s</title></rect>")
    parts.append("</svg>")
    return "".join(parts)


def bar(counts: dict[str, int], total: int) -> str:
    cells = "".join(f'<i class="{key}" style="width:{100 * counts.get(key, 0) / total:.2f}%"></i>'
                    for key, _ in SEGMENTS if total and counts.get(key))
    return f'<div class="bar">{cells}</div>'


def keys(lang: str) -> str:
    colours = {"p": "var(--pass)", "f": "var(--fail)", "t": "var(--todo)", "s": "var(--sys)", "n": "#cbd5e1"}
    names = {"s": f'{word("timeout", lang)} / {word("memory", lang)} / {word("crashed", lang)}'}
    return '<div class="keys">' + "".join(
        f'<span><i style="background:{colours[k]}"></i>{e(names.get(k) or word(w, lang))}</span>' for k, w in SEGMENTS
    ) + "</div>"
