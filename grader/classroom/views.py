"""What the class report adds from grader.classroom: adjusted scores, the adjustments section, the similarity section."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.classroom import adjustments, similarity, similarity_html, sources
from grader.i18n import Msg, register, tr
from grader.report.html_style import e

register({
    "adj_title": {"ko": "점수 조정", "en": "Grade adjustments"},
    "adj_intro": {
        "ko": "{file}에 기록된 조정입니다(grade adjust). 채점기가 매긴 점수는 결과 파일에 그대로 남아 있습니다.",
        "en": "Adjustments recorded in {file} (grade adjust). The grader's own scores stay recorded in the result files.",
    },
    "adj_col_change": {"ko": "점수", "en": "Score"},
    "adj_col_reason": {"ko": "사유", "en": "Reason"},
    "adj_col_by": {"ko": "누가 · 언제(UTC)", "en": "By · when (UTC)"},
    "adj_left_out": {"ko": "적용하지 않은 조정", "en": "Adjustments not applied"},
    "adj_mark": {"ko": "조정됨: {note}", "en": "adjusted: {note}"},
    "sim_missing_library": {
        "ko": "비슷한 제출물을 비교하려면 copydetect가 필요합니다(pip install copydetect==0.5.0): {error}",
        "en": "Comparing submissions needs copydetect (pip install copydetect==0.5.0): {error}",
    },
})


@dataclass
class Extras:
    students: dict[str, dict]  # the results with adjustments applied
    problems: list[Msg] = field(default_factory=list)


def adjusted(results: Path, students: dict[str, dict], key: bytes | None, lang: str) -> Extras:
    loaded, problems = adjustments.apply_from(results, students, key, lang)
    return Extras(loaded, problems)


def adjustments_section(extras: Extras, lang: str) -> str:
    rows = []
    for student, data in sorted(extras.students.items()):
        for name in data.get("adjusted") or []:
            info = (data.get("exercises") or {}).get(name) or {}
            adj = info.get("adjusted") or {}
            rows.append(f'<tr><td>{e(student)}</td><td>{e(name)}</td><td class="num">{float(adj.get("original") or 0):g} → '
                        f'<b>{float(adj.get("points") or 0):g}</b></td><td>{e(adj.get("reason"))}</td>'
                        f'<td><small>{e(adj.get("by"))} · {e(adj.get("at"))}</small></td></tr>')
    if not rows and not extras.problems:
        return ""
    out = [f'<h2 id="adjustments">{e(tr(Msg("adj_title"), lang))}</h2>',
           f'<p class="muted">{e(tr(Msg("adj_intro", file=adjustments.FILE), lang))}</p>']
    if extras.problems:
        items = "".join(f"<li>{e(tr(m, lang))}</li>" for m in extras.problems)
        out.append(f'<div class="callout problem"><b>{e(tr(Msg("adj_left_out"), lang))}</b><ul>{items}</ul></div>')
    if rows:
        head = "".join(f"<th>{e(tr(Msg(k), lang))}</th>" for k in ("col_exercise", "adj_col_change", "adj_col_reason", "adj_col_by"))
        out.append(f'<div class="wrap"><table id="adjustment-table"><thead><tr><th>{e(tr(Msg("sim_col_students"), lang))}</th>'
                   f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return "".join(out)


def chosen_threshold(results: Path, threshold: float | None) -> float:
    """The threshold given now (remembered in RESULTS/similarity/threshold.txt), else the one given last, else 0.6:
    a report rewritten later (`grade adjust`, `grade report`) flags what the instructor chose."""
    path = results / similarity_html.FOLDER / "threshold.txt"
    if threshold is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{threshold}\n", encoding="utf-8")
        return threshold
    try:
        value = float(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return similarity.DEFAULT_THRESHOLD
    return value if 0 < value <= 1 else similarity.DEFAULT_THRESHOLD


def similarity_section(results: Path, key: bytes | None, students: dict[str, dict], pages: dict[str, str], lang: str,
                       threshold: float | None = None) -> tuple[str, dict[str, str]]:
    """The similarity section and each flagged student's links; writes the pair pages under RESULTS/similarity/."""
    kept = sources.load(results, key, list(students))
    try:
        findings = similarity.analyse(kept, chosen_threshold(results, threshold)) if kept else None
    except ImportError as exc:  # an install without copydetect (requirements.lock has it): said, never a traceback
        note = tr(Msg("sim_missing_library", error=str(exc)), lang)
        return f'<h2 id="similarity">{e(tr(Msg("sim_title"), lang))}</h2><p class="muted">{e(note)}</p>', {}
    similarity_html.write_pages(results, findings, kept.sources if kept else {}, pages, lang)
    return similarity_html.section(findings, pages, lang), similarity_html.row_marks(findings, pages, lang)


def adjusted_note(info: dict, lang: str) -> str:
    """The line a student's page and the class table show for an adjusted exercise ('' when it is not)."""
    adj = info.get("adjusted") if isinstance(info, dict) else None
    if not isinstance(adj, dict):
        return ""
    note = tr(Msg("adj_note", original=float(adj.get("original") or 0), points=float(adj.get("points") or 0),
                  by=str(adj.get("by")), at=str(adj.get("at")), reason=str(adj.get("reason"))), lang)
    return tr(Msg("adj_mark", note=note), lang)
