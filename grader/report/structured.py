"""Machine-readable feedback beside the Gradescope text: what the HTML report is rebuilt from.

Added to each test of the JSON (``gradescope_tests``) and to each exercise of an assignment's
``exercises`` map. Every field is new and optional, so older readers are unaffected and older
files still render (from their text). Hidden expected values never get here: tables are
serialised through ``cells()``, which already shows them as "(hidden)".
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from grader.feedback import Code, Explanation, LayerDiff, NumTable, Series, detail_text
from grader.i18n import LANGS, Msg, tr

#: Verdicts that are not about the code, by the message key that reports them.
VERDICT_KEYS = {
    "timeout": "timeout",
    "timeout_skipped": "timeout",
    "out_of_memory": "memory",
    "exited": "crashed",
    "crashed": "crashed",
    "protocol": "crashed",
    "start_failed": "crashed",
    "file_not_submitted": "not_submitted",
}
VERDICTS = ("timeout", "memory", "crashed", "not_submitted", "not_attempted")


def both(text: Any) -> dict[str, str]:
    return {lang: tr(text, lang) for lang in LANGS}


def mistake_id(text: Any) -> str:
    """The same explanation gives the same id in every student's file, whatever its language."""
    return hashlib.sha1(tr(text, "en").encode("utf-8")).hexdigest()[:12]


def _number(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def detail_data(detail: Any, lang: str) -> dict[str, Any]:
    """One detail as plain JSON (a table's cells as shown; a curve's numbers, non-finite ones as null)."""
    if isinstance(detail, (NumTable, LayerDiff)):
        header, body = detail.cells(lang)
        kind = "layers" if isinstance(detail, LayerDiff) else "table"
        return {"kind": kind, "header": [str(h) for h in header], "rows": [[str(c) for c in row] for row in body]}
    if isinstance(detail, Code):
        return {"kind": "code", "text": detail.text}
    if isinstance(detail, Explanation):
        return {"kind": "mistake", "id": mistake_id(detail.text), "text": tr(detail.text, lang)}
    if isinstance(detail, Series):
        from grader.report.curves import Curve

        return {"kind": "curve" if isinstance(detail, Curve) else "series", "title": tr(detail.title, lang),
                "x_label": tr(getattr(detail, "x_label", ""), lang) if isinstance(detail, Curve) else "",
                "lines": {str(k): [_number(v) for v in values] for k, values in detail.lines.items()}}
    if type(detail).__name__ == "Advice":
        return {"kind": "advice", "text": detail_text(detail, lang)}
    return {"kind": "text", "text": detail_text(detail, lang)}


def verdict_of(message: Any) -> str | None:
    return VERDICT_KEYS.get(message.key) if isinstance(message, Msg) else None


def test_fields(check: Any, lang: str) -> dict[str, Any]:
    """The extra fields of one test: the common mistakes it explained, its verdict, its feedback as data."""
    mistakes = [{"id": mistake_id(d.text), "text": both(d.text)} for d in check.details if isinstance(d, Explanation)]
    fields: dict[str, Any] = {
        "mistakes": mistakes,
        "feedback": {
            "check": check.name,
            "title": both(check.title),
            "status": check.status,
            "hidden": bool(check.hidden),
            "message": tr(check.message, lang) if check.message else "",
            "details": [detail_data(d, lang) for d in check.details],
            "hint": tr(check.hint, lang) if check.hint else "",
            "seconds": round(float(check.seconds or 0.0), 3),
        },
    }
    verdict = verdict_of(check.message)
    if verdict:
        fields["verdict"] = verdict
    return fields


def exercise_verdict(result: Any) -> str | None:
    """timeout / memory / crashed / not_submitted / not_attempted for a whole exercise, or None."""
    found = verdict_of(result.problem)
    if found:
        return found
    for check in result.checks:
        found = verdict_of(check.message)
        if found and found != "not_submitted":
            return found
    if result.checks and all(verdict_of(c.message) == "not_submitted" for c in result.checks):
        return "not_submitted"
    if result.status == "not_attempted":
        return "not_attempted"
    return None


def exercise_fields(result: Any, lang: str) -> dict[str, Any]:
    """The extra fields of one exercise in an assignment's JSON: what its feedback page shows above the checks."""
    return {
        "title": both(result.title),
        "verdict": exercise_verdict(result),
        "problem": tr(result.problem, lang) if result.problem else "",
        "problem_details": [detail_data(d, lang) for d in getattr(result, "problem_details", [])],
        "notes": [tr(n, lang) for n in result.notes],
        "output": result.output,
        "output_dropped": result.output_dropped,
        "hint": tr(result.hints[0], lang) if result.hints else "",
        "hidden_run": bool(result.hidden_run),
        "seed": result.seed,
        "device": result.device,
    }
