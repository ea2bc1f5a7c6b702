"""Structured feedback attached to a check result: value tables, layer diffs, code excerpts.

The check library builds these; the report renderers decide how they look. Exercises never
format feedback themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import sys
from typing import Any

from grader.i18n import Msg, TextLike, register, tr

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "likely_mistake": {"ko": "흔한 실수: {explanation}", "en": "Common mistake: {explanation}"},
    "dtype_row": {"ko": "자료형(dtype)이 다릅니다", "en": "dtype differs"},
})

_FORMATTER = {"float_kind": lambda v: f"{v:.4g}"}
HIDDEN = object()  # stands for a value that must not be shown (hidden checks' expected values)


def format_value(value: Any, width: int = 60, digits: int = 4) -> str:
    """A short, readable form of a plain value for tables and messages (floats in arrays to ``digits`` digits)."""
    formatter = _FORMATTER if digits == 4 else {"float_kind": lambda v: f"{v:.{digits}g}"}
    if value is HIDDEN:
        return "(hidden)"
    if isinstance(value, float):
        return f"{value:.{max(6, digits)}g}"
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray):
        if value.size > 12:
            body = np.array2string(value.ravel()[:6], separator=", ", formatter=formatter)
            return f"array{tuple(value.shape)} {body[:-1]}, ...]"
        text = np.array2string(value, separator=", ", formatter=formatter)
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 3] + "..."
    if np is not None and isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return format_value(value.item(), width, digits)  # np.float32(2.0) reads 2
    if isinstance(value, (list, tuple)) and (len(value) > 8 or (value and _numeric(value, "iuf"))):
        import numpy as np  # numbers as in an array (4 significant digits), never a 17-digit repr

        return format_value(np.asarray(value, dtype=object) if not _numeric(value) else np.asarray(value), width, digits)
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _numeric(values: Any, kinds: str = "biuf") -> bool:
    import numpy as np

    try:
        return np.asarray(values).dtype.kind in kinds
    except (ValueError, TypeError):
        return False


def dtype_of(value: Any) -> str | None:
    """The numeric type a value holds (``float64``, ``int64``, ``bool``), or None for anything that is not numbers."""
    if value is HIDDEN or isinstance(value, str):
        return None
    np = sys.modules.get("numpy")
    if np is None:
        return {bool: "bool", int: "int", float: "float"}.get(type(value))
    try:
        kind = np.asarray(value).dtype
    except (ValueError, TypeError):
        return None
    return str(kind) if kind.kind in "biufc" else None


def _family(dtype: str | None) -> str | None:
    """int and uint are one family; float16/32/64 another; so the row appears when the kind of number differs."""
    if dtype is None:
        return None
    return "bool" if dtype.startswith("bool") else "int" if "int" in dtype else "complex" if "complex" in dtype else "float"


def describe_input(value: Any) -> str:
    """An input as shown for hidden checks: its shape and kind, not its numbers."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray):
        return f"array{tuple(value.shape)} {value.dtype}"
    return type(value).__name__


@dataclass
class Row:
    label: str
    expected: Any
    got: Any
    ok: bool = False


@dataclass
class NumTable:
    """Input, expected and got for each compared case."""

    rows: list[Row] = field(default_factory=list)

    def cells(self, lang: str) -> tuple[list[str], list[list[str]]]:
        header = [tr(Msg("input"), lang), tr(Msg("expected"), lang), tr(Msg("got"), lang)]
        body = []
        for row in self.rows:
            expected = tr(Msg("hidden_value"), lang) if row.expected is HIDDEN else format_value(row.expected)
            got = format_value(row.got)
            for digits in (8, 12, 17):  # values that differ never read the same: more digits until they do not
                if row.expected is HIDDEN or expected != got or row.ok:
                    break
                expected, got = format_value(row.expected, digits=digits), format_value(row.got, digits=digits)
            body.append([row.label, expected, got])
            kinds = dtype_of(row.expected), dtype_of(row.got)
            if all(kinds) and _family(kinds[0]) != _family(kinds[1]):  # [6.0, 8.0] vs [6, 8]: say why they differ
                body.append([f"↳ {tr(Msg('dtype_row'), lang)}", f"dtype {kinds[0]}", f"dtype {kinds[1]}"])
        return header, body


@dataclass
class LayerDiff:
    """Expected layers next to the student's, one row per position."""

    expected: list[str]
    yours: list[str]
    ok: list[bool]

    def cells(self, lang: str) -> tuple[list[str], list[list[str]]]:
        header = ["#", tr(Msg("expected"), lang), tr(Msg("yours"), lang), ""]
        body = []
        for i in range(max(len(self.expected), len(self.yours))):
            exp = self.expected[i] if i < len(self.expected) else "—"
            got = self.yours[i] if i < len(self.yours) else "—"
            mark = "✓" if i < len(self.ok) and self.ok[i] else "✗"
            body.append([str(i + 1), exp, got, mark])
        return header, body


@dataclass
class Code:
    """A code excerpt: a syntax error with its caret, or the student's traceback lines."""

    text: str


@dataclass
class Explanation:
    """A targeted explanation of a common mistake."""

    text: TextLike


@dataclass
class Advice:
    """A plain sentence that tells the student what to do next (e.g. what an error at import usually means)."""

    text: TextLike


@dataclass
class Series:
    """Named numeric paths (an optimizer's trajectory, a loss curve), drawn as a small chart."""

    title: TextLike
    lines: dict[str, list[float]]


Detail = NumTable | LayerDiff | Code | Explanation | Advice | Series


def detail_text(detail: Detail, lang: str) -> str:
    """Plain-text form of a detail, for JSON outputs and non-terminal renderers."""
    if isinstance(detail, (NumTable, LayerDiff)):
        header, body = detail.cells(lang)
        widths = [max(len(str(c)) for c in col) for col in zip(header, *body)]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header, *body]]
        return "\n".join(lines)
    if isinstance(detail, Code):
        return detail.text
    if isinstance(detail, Explanation):
        return tr(Msg("likely_mistake", explanation=detail.text), lang)
    if isinstance(detail, Advice):
        return tr(detail.text, lang)
    if isinstance(detail, Series):
        lines = [tr(detail.title, lang)]
        for name, values in detail.lines.items():
            shown = ", ".join(f"{v:.4g}" for v in values[:8])
            lines.append(f"  {name}: {shown}{', ...' if len(values) > 8 else ''}")
        return "\n".join(lines)
    return str(detail)


def has_table(details: list[Detail]) -> bool:
    return any(isinstance(d, (NumTable, LayerDiff)) for d in details)


def explanation_key(detail: Explanation) -> str:
    """Two explanations are the same mistake when their texts are the same (in every language)."""
    text = detail.text
    if isinstance(text, Msg):
        return f"{text.key}:{sorted((k, str(v)) for k, v in text.params.items())}"
    if isinstance(text, str):
        return text
    return "|".join(f"{k}={v}" for k, v in sorted(text.items()))
