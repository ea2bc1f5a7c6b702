"""Training curves: kept from the histories Keras returns, drawn in the terminal and as SVG.

``Ctx.fit`` (and ``Ctx.run`` when it returns a Keras history) hands each history to
:func:`recorded`; the epochs of one model accumulate in one :class:`Curve` (exercises that train
one epoch per ``fit`` call still get one curve), which is attached to the check that trained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from typing import Any, Iterable, Sequence

from grader.feedback import Series

TITLE = {"ko": "에포크별 손실", "en": "Loss per epoch"}
EPOCH = {"ko": "에포크", "en": "epoch"}
#: The order lines are drawn in and their colours (SVG) / styles (terminal).
PALETTE = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#0891b2", "#be123c"]
TERM_STYLES = ["cyan", "yellow", "green", "magenta", "blue", "red"]


@dataclass
class Curve(Series):
    """A loss curve per epoch (a :class:`Series` whose x axis is the epoch, 1-based)."""

    x_label: Any = field(default_factory=lambda: dict(EPOCH))


def _finite(values: Iterable[Any]) -> list[float]:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            out.append(f)
    return out


def _floats(values: Any) -> list[float] | None:
    if not isinstance(values, (list, tuple)):
        return None
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        out.append(float(v))
    return out


def history_lines(history: Any) -> dict[str, list[float]]:
    """The loss lines of a Keras history dict (``loss``, ``val_loss``, ``*_loss``); empty if it is not one."""
    if not isinstance(history, dict) or "loss" not in history:
        return {}
    lines = {}
    for name, values in history.items():
        if isinstance(name, str) and (name == "loss" or name.endswith("_loss")):
            floats = _floats(values)
            if floats:
                lines[name] = floats
    return lines if "loss" in lines else {}


def recorded(ctx: Any, history: Any, model: Any = None) -> Any:
    """Keep the loss lines of ``history`` in a curve attached to ``ctx`` (the check that trained); returns ``history``.

    Never fails the check: a history it does not understand is ignored.
    """
    try:
        lines = history_lines(history)
        if not lines:
            return history
        key = ("curve", getattr(model, "id", None) if model is not None else id(history))
        curve = ctx.shared.get(key) if model is not None else None
        if not isinstance(curve, Curve) or set(curve.lines) != set(lines):
            curve = Curve(dict(TITLE), {name: [] for name in lines})
            if model is not None:
                ctx.shared[key] = curve
        for name, values in lines.items():
            curve.lines[name].extend(values)
        if not any(d is curve for d in ctx.notes):
            ctx.notes.append(curve)
    except Exception:  # a curve is a nicety; grading goes on without it
        pass
    return history


def curves_in(details: Sequence[Any]) -> list[Curve]:
    return [d for d in details if isinstance(d, Curve)]


def with_curves(details: list[Any], notes: Sequence[Any]) -> list[Any]:
    """A failed check's details with the training curves recorded while it ran (the curve explains the failure)."""
    extra = [c for c in curves_in(notes) if not any(d is c for d in details)]
    return [*details, *extra] if extra else details


# --- the terminal: a small braille line chart -------------------------------------------------

_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # braille dot bits by (row, column)


class Chart:
    """A rich renderable that draws :func:`chart_lines` as wide as the cell it is in allows (at most 40 columns)."""

    def __init__(self, series: Series, lang: str, width: int = 40, height: int = 6) -> None:
        self.series, self.lang, self.width, self.height = series, lang, width, height

    def __rich_console__(self, console: Any, options: Any) -> Any:
        room = max(10, min(self.width, options.max_width - 12))
        yield chart_lines(self.series, self.lang, room, self.height)

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        return Measurement(22, min(options.max_width, self.width + 12))


def chart_text(series: Series, lang: str, width: int = 40, height: int = 6) -> Any:
    """The terminal's chart of a curve: a renderable that fits its table cell."""
    return Chart(series, lang, width, height)


def chart_lines(series: Series, lang: str, width: int = 40, height: int = 6) -> Any:
    """A rich ``Text``: the lines as braille dots, y axis labelled with min/max, x with the epochs."""
    from rich.text import Text

    from grader.i18n import tr

    lines = {name: list(values) for name, values in series.lines.items()}
    every = _finite(v for values in lines.values() for v in values)
    longest = max((len(v) for v in lines.values()), default=0)
    title = Text(tr(series.title, lang), style="bold")
    if not every or longest < 2:
        from grader.feedback import detail_text

        return Text(detail_text(series, lang))
    low, high = min(every), max(every)
    if high == low:
        high, low = high + 0.5, low - 0.5
    cols = width
    px, py = cols * 2, height * 4
    cells = [[0] * cols for _ in range(height)]
    owner = [[-1] * cols for _ in range(height)]

    def dot(x: float, y: float, index: int) -> None:
        cx, cy = min(px - 1, max(0, round(x))), min(py - 1, max(0, round(y)))
        row, col = cy // 4, cx // 2
        cells[row][col] |= _DOTS[cy % 4][cx % 2]
        owner[row][col] = index

    for index, values in enumerate(lines.values()):
        points = []
        for i, v in enumerate(values):
            if isinstance(v, (int, float)) and math.isfinite(v):
                x = i * (px - 1) / max(1, longest - 1)
                y = (high - v) / (high - low) * (py - 1)
                points.append((x, y))
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            steps = max(2, int(max(abs(x1 - x0), abs(y1 - y0))) + 1)
            for s in range(steps + 1):
                dot(x0 + (x1 - x0) * s / steps, y0 + (y1 - y0) * s / steps, index)
        if len(points) == 1:
            dot(*points[0], index)
    tick = _ticks(low, high)
    labels = [tick(high), tick(low)]
    pad = max(len(label) for label in labels)
    text = Text()
    text.append_text(title)
    for row in range(height):
        label = labels[0] if row == 0 else labels[1] if row == height - 1 else ""
        text.append(f"\n{label.rjust(pad)} ┤", style="dim")
        for col in range(cols):
            bits = cells[row][col]
            style = TERM_STYLES[owner[row][col] % len(TERM_STYLES)] if bits else None
            text.append(chr(0x2800 + bits) if bits else " ", style=style)
    x_label = tr(getattr(series, "x_label", EPOCH), lang)
    from rich.cells import cell_len  # Hangul takes two cells

    gap = max(2, cols - 1 - len(str(longest)) - cell_len(x_label))
    axis = f"1{' ' * (gap // 2)}{x_label}{' ' * (gap - gap // 2)}{longest}"
    text.append(f"\n{' ' * pad} └{'─' * cols}", style="dim")
    text.append(f"\n{' ' * (pad + 2)}{axis}", style="dim")
    legend = Text(f"\n{' ' * (pad + 2)}")
    for index, (name, values) in enumerate(lines.items()):
        shown = _finite(values)
        last = f" {shown[0]:.4g} → {shown[-1]:.4g}" if shown else ""
        legend.append("━ ", style=TERM_STYLES[index % len(TERM_STYLES)])
        legend.append(f"{name}{last}   ")
    text.append_text(legend)
    return text


# --- HTML: an inline SVG line chart ---------------------------------------------------------------


def _nice(value: float) -> str:
    return f"{value:.4g}"


def _ticks(low: float, high: float) -> Any:
    """Tick labels with as many decimals as the range needs (0.7033 and 0.7034 must not read the same)."""
    step = (high - low) / 4
    if step <= 0 or not math.isfinite(step) or max(abs(low), abs(high)) >= 1e5:
        return _nice
    decimals = max(0, min(10, 1 - math.floor(math.log10(step))))
    return lambda v: f"{v:.{decimals}f}"


def svg_chart(series: Series, lang: str, width: int = 520, height: int = 220) -> str:
    """An inline ``<svg>`` line chart of ``series`` (escaped; no script, no external resource)."""
    from grader.i18n import tr

    lines = {str(name): list(values) for name, values in series.lines.items()}
    every = _finite(v for values in lines.values() for v in values)
    longest = max((len(v) for v in lines.values()), default=0)
    title = escape(tr(series.title, lang))
    if not every or longest == 0:
        return f'<p class="muted">{title}: —</p>'
    low, high = min(every), max(every)
    if high == low:
        high, low = high + 0.5, low - 0.5
    left, right, top, bottom = 58, 12, 14, 34
    w, h = width - left - right, height - top - bottom
    sx = lambda i: left + (i * w / max(1, longest - 1) if longest > 1 else w / 2)
    sy = lambda v: top + (high - v) / (high - low) * h
    x_label = escape(tr(getattr(series, "x_label", EPOCH), lang)) if isinstance(series, Curve) else "#"
    tick = _ticks(low, high)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>']
    for k in range(5):
        value = low + (high - low) * k / 4
        y = sy(value)
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick(value)}</text>')
    ticks = sorted({0, longest - 1, *range(0, longest, max(1, math.ceil(longest / 8)))})
    first = 1 if isinstance(series, Curve) else 0  # epochs count from 1, a path's steps from its start (0)
    for i in ticks:
        parts.append(f'<text x="{sx(i):.1f}" y="{top + h + 16}" text-anchor="middle" class="tick">{i + first}</text>')
    parts.append(f'<text x="{left + w / 2:.1f}" y="{height - 2}" text-anchor="middle" class="axis">{x_label}</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + h}" class="axisline"/>')
    parts.append(f'<line x1="{left}" x2="{left + w}" y1="{top + h}" y2="{top + h}" class="axisline"/>')
    groups = list(dict.fromkeys((name.split() or [""])[0] for name in lines))  # "x expected" and "x yours": one colour
    colour_of = lambda name: PALETTE[groups.index((name.split() or [""])[0]) % len(PALETTE)]
    expected = lambda name: "expected" in name or "기댓값" in name  # drawn dashed
    for name, values in lines.items():
        colour = colour_of(name)
        dash = ' stroke-dasharray="6 4"' if expected(name) else ""
        segments, current = [], []
        for i, v in enumerate(values):
            if isinstance(v, (int, float)) and math.isfinite(v):
                current.append(f"{sx(i):.1f},{sy(v):.1f}")
            elif current:
                segments.append(current)
                current = []
        if current:
            segments.append(current)
        for seg in segments:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{" ".join(seg)}"/>')
            if len(seg) <= 24:
                for point in seg:
                    x, y = point.split(",")
                    parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}"/>')
    parts.append("</svg>")
    legend = []
    for name, values in lines.items():
        shown = _finite(values)
        span = f" {_nice(shown[0])} → {_nice(shown[-1])}" if shown else ""
        swatch = f"height:0;border-top:3px dashed {colour_of(name)};background:none" if expected(name) else f"background:{colour_of(name)}"
        legend.append(f'<span><i style="{swatch}"></i>{escape(name)}'
                      f'<small>{escape(span)}</small></span>')
    return (f'<figure class="curve"><figcaption>{title}</figcaption>{"".join(parts)}'
            f'<div class="legend">{"".join(legend)}</div></figure>')
