"""The class report's charts: inline SVG (score histogram, grading times) and the stacked pass-rate bars."""

from __future__ import annotations

import statistics

from grader.report.html_style import e, word

#: Bar segments: passed, failing, not attempted, a verdict not about the code, not submitted / not graded.
SEGMENTS = (("p", "passed"), ("f", "failing"), ("t", "not_attempted"), ("s", "crashed"), ("n", "not_submitted"))


def histogram_svg(percents: list[float], lang: str, width: int = 1080, height: int = 250) -> str:
    bins = [0] * 10
    for p in percents:
        bins[min(9, max(0, int(p // 10)))] += 1
    top = max(bins) or 1
    left, bottom, pad = 40, 36, 16
    w, h = width - left - pad, height - bottom - pad
    bw = w / 10
    parts = [f'<svg class="chart wide" id="histogram" role="img" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{e(word("score_distribution", lang))}</title>']
    for k in range(0, top + 1, max(1, -(-top // 4))):
        y = pad + h - k / top * h
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{k}</text>')
    for i, count in enumerate(bins):
        x, bh = left + i * bw, count / top * h
        colour = "#dc2626" if i < 5 else "#f59e0b" if i < 7 else "#16a34a"
        label = f"{i * 10}–{100 if i == 9 else i * 10 + 9}%"
        parts.append(f'<rect class="bin" x="{x + 3:.1f}" y="{pad + h - bh:.1f}" width="{bw - 6:.1f}" height="{bh:.1f}" '
                     f'rx="3" fill="{colour}"><title>{e(label)}: {count}</title></rect>')
        if count:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{pad + h - bh - 4:.1f}" text-anchor="middle" class="lbl">{count}</text>')
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{pad + h + 16}" text-anchor="middle" class="tick">{i * 10}</text>')
    if percents:
        for value, name, dash in ((statistics.fmean(percents), word("mean", lang), "5 4"),
                                  (statistics.median(percents), word("median", lang), "2 3")):
            x = left + value / 100 * w
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad}" y2="{pad + h}" stroke="#1f2937" '
                         f'stroke-dasharray="{dash}"><title>{e(name)} {value:.1f}%</title></line>')
    parts.append(f'<text x="{left + w / 2:.1f}" y="{height - 4}" text-anchor="middle" class="axis">%</text></svg>')
    return "".join(parts)


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
