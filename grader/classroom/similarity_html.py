"""The class report's similarity section, the links in the students' rows and a side-by-side page per pair."""

from __future__ import annotations

import hashlib

from pathlib import Path

from grader.classroom.similarity import COMMON_MIN, COMMON_SHARE, K, SHORT_TOKENS, WINDOW, Findings, Pair
from grader.i18n import Msg, register, tr
from grader.report.html_style import e, page

FOLDER = "similarity"
ALIKE_SHOWN = 50  # necessarily alike pairs listed (and given a page) per exercise, most similar first

# this module's words, in Korean and English
register({
    "sim_title": {"ko": "비슷한 제출물", "en": "Similar submissions"},
    "sim_method": {
        "ko": "문제마다 학급 전체의 제출물을 비교했습니다(copydetect: 윈노잉, k={k}, 창 {window}). 식별자 이름·주석·공백·함수 순서는 비교에 영향을 주지 않습니다. 제공된 스텁의 코드와, 제출물 {common}개 넘게 공통인 구절은 세지 않습니다. 기준: 한쪽 코드의 {threshold:.0%} 이상이 다른 쪽에서 발견되는 쌍(--similarity-threshold). {seconds:.1f}초.",
        "en": "Each exercise's submissions were compared across the class (copydetect: winnowing, k={k}, window {window}). Identifier names, comments, whitespace and the order of functions do not change the comparison. The shipped stub's code, and passages shared by more than {common} submissions, never count. Flagged: pairs where {threshold:.0%} or more of either submission is found in the other (--similarity-threshold). {seconds:.1f} s.",
    },
    "sim_none": {"ko": "기준을 넘는 쌍이 없습니다.", "en": "No pair above the threshold."},
    "sim_not_kept": {
        "ko": "이 결과 폴더에는 비교할 소스가 없습니다(이전 버전의 grade batch). grade batch를 다시 실행하면(--resume도 됨) 소스를 보관하고 비교합니다.",
        "en": "This results folder keeps no sources to compare (an older grade batch). Run grade batch again (--resume will do) to keep and compare them.",
    },
    "sim_unsigned": {
        "ko": "서명이 맞지 않아 비교에서 뺀 소스 파일(손으로 고쳤거나 다른 채점의 파일)",
        "en": "Source files left out of the comparison: their signature does not match (edited by hand, or from another batch)",
    },
    "sim_col_students": {"ko": "학생", "en": "Students"},
    "sim_col_similarity": {"ko": "유사도", "en": "Similarity"},
    "sim_col_overlap": {"ko": "겹친 분량", "en": "Overlap"},
    "sim_col_view": {"ko": "나란히 보기", "en": "Side by side"},
    "sim_overlap": {"ko": "정규화된 코드 {n}자", "en": "{n} normalised characters"},
    "sim_cluster": {"ko": "{n}명 묶음", "en": "cluster of {n}"},
    "sim_alike": {
        "ko": "{exercise}: 답이 짧아(함수당 평균 {tokens:.0f}토큰, 한 줄 공식) 비슷할 수밖에 없습니다. 기준을 넘는 {n}쌍은 표시하지 않고 '비슷할 수밖에 없음'으로만 둡니다.",
        "en": "{exercise}: the answer is short ({tokens:.0f} tokens per function on average: one-line formulas), so answers are necessarily alike. {n} {n|pair|pairs} above the threshold {n|is|are} marked necessarily alike, not flagged.",
    },
    "sim_alike_tag": {"ko": "비슷할 수밖에 없음", "en": "necessarily alike"},
    "sim_pair_title": {"ko": "{exercise} · {a} ↔ {b} · 유사도 {similarity:.0%}", "en": "{exercise} · {a} ↔ {b} · {similarity:.0%} similar"},
    "sim_pair_note": {
        "ko": "노란색: 두 제출물에 공통인 구절(식별자 이름, 주석, 공백을 무시하고 비교). {a}의 {sa:.0%}가 {b}에서, {b}의 {sb:.0%}가 {a}에서 발견됩니다. 스텁의 코드는 세지 않습니다.",
        "en": "Highlighted: passages the two submissions share (compared without identifier names, comments or whitespace). {sa:.0%} of {a} is found in {b}, {sb:.0%} of {b} in {a}. The stub's code never counts.",
    },
    "sim_back": {"ko": "학급 리포트로", "en": "Back to the class report"},
    "sim_row_mark": {"ko": "비슷함", "en": "similar"},
})

EXTRA_CSS = """
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.pair pre { background: #fff; color: var(--ink); border: 1px solid var(--line); font-size: 0.8rem; }
.pair mark { background: #fde68a; color: inherit; border-radius: 2px; }
.simflag { display: inline-block; margin: 1px 4px 1px 0; }
"""


def t(key: str, lang: str, **params: object) -> str:
    return tr(Msg(key, **params), lang)


def pair_file(p: Pair, pages: dict[str, str]) -> str:
    """The pair's page: both students' page names, or (past 200 bytes) a hash of them, so no name is too long."""
    name = f"{p.exercise}--{pages.get(p.a, p.a)}--{pages.get(p.b, p.b)}.html"
    if len(name.encode("utf-8")) <= 200:
        return name
    return f"{p.exercise}--{hashlib.sha256(name.encode('utf-8', 'replace')).hexdigest()[:24]}.html"


def _link(p: Pair, pages: dict[str, str], text: str) -> str:
    return f'<a href="{FOLDER}/{e(pair_file(p, pages))}">{e(text)}</a>'


def section(f: Findings | None, pages: dict[str, str], lang: str) -> str:
    head = f'<h2 id="similarity">{e(t("sim_title", lang))}</h2>'
    if f is None:
        return head + f'<p class="muted">{e(t("sim_not_kept", lang))}</p>'
    largest = max(f.compared.values(), default=0)
    common = int(max(COMMON_MIN, COMMON_SHARE * largest))
    out = [head, f'<p class="muted">{e(t("sim_method", lang, k=K, window=WINDOW, common=common, threshold=f.threshold, seconds=f.seconds))}</p>']
    if f.unsigned:
        out.append(f'<div class="callout problem"><b>{e(t("sim_unsigned", lang))}</b>{e(", ".join(f.unsigned[:50]))}</div>')
    rows = []
    clustered = {(c.exercise, m) for c in f.clusters for m in c.members}
    for c in f.clusters:
        best = max(c.pairs, key=lambda p: p.similarity)
        links = " ".join(_link(p, pages, f"{p.a}↔{p.b} {p.similarity:.0%}") for p in c.pairs)
        rows.append(f'<tr><td>{e(c.exercise)}</td><td><b>{e(t("sim_cluster", lang, n=len(c.members)))}</b>: '
                    f'{e(", ".join(c.members))}</td><td class="num" data-sort="{best.similarity:.4f}">{best.similarity:.0%}</td>'
                    f'<td class="num" data-sort="{best.overlap}">{e(t("sim_overlap", lang, n=best.overlap))}</td><td>{links}</td></tr>')
    for p in f.pairs:
        if (p.exercise, p.a) in clustered:
            continue
        rows.append(f'<tr><td>{e(p.exercise)}</td><td>{e(p.a)} ↔ {e(p.b)}</td>'
                    f'<td class="num" data-sort="{p.similarity:.4f}">{p.similarity:.0%}</td>'
                    f'<td class="num" data-sort="{p.overlap}">{e(t("sim_overlap", lang, n=p.overlap))}</td>'
                    f'<td>{_link(p, pages, t("sim_col_view", lang))}</td></tr>')
    if rows:
        heads = "".join(f'<th{c} data-type="{k}">{e(t(w, lang))}</th>' for w, c, k in (
            ("sim_col_students", "", "text"), ("sim_col_similarity", ' class="num"', "num"),
            ("sim_col_overlap", ' class="num"', "num"), ("sim_col_view", "", "text")))
        out.append(f'<div class="wrap"><table class="sortable" id="similarity-table"><thead><tr><th data-type="text">'
                   f'{e(tr(Msg("col_exercise"), lang))}</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    else:
        out.append(f'<p class="muted">{e(t("sim_none", lang))}</p>')
    by_exercise: dict[str, list[Pair]] = {}
    for p in f.alike:
        by_exercise.setdefault(p.exercise, []).append(p)
    for name, pairs in by_exercise.items():
        info = f.exercises[name]
        items = "".join(f'<li>{_link(p, pages, f"{p.a} ↔ {p.b}")} {p.similarity:.0%}</li>' for p in pairs[:ALIKE_SHOWN])
        out.append(f'<details class="alike"><summary>{e(t("sim_alike", lang, exercise=name, tokens=info.tokens_per_function, n=len(pairs)))}'
                   f'</summary><ul>{items}</ul></details>')
    return "".join(out)


def shown_alike(pairs: list[Pair]) -> list[Pair]:
    """The necessarily alike pairs the section lists: ALIKE_SHOWN per exercise (they come most similar first)."""
    count: dict[str, int] = {}
    shown = []
    for p in pairs:
        count[p.exercise] = count.get(p.exercise, 0) + 1
        if count[p.exercise] <= ALIKE_SHOWN:
            shown.append(p)
    return shown


def row_marks(f: Findings | None, pages: dict[str, str], lang: str) -> dict[str, str]:
    """Each flagged student's links to their pairs, for the note cell of their row in the students' table."""
    marks: dict[str, list[str]] = {}
    for p in f.pairs if f else []:
        for me, other in ((p.a, p.b), (p.b, p.a)):
            marks.setdefault(me, []).append(
                f'<span class="badge st failing simflag" title="{e(t("sim_row_mark", lang))}">≈ '
                f'{_link(p, pages, f"{p.exercise.split(chr(95))[0]} {other} {p.similarity:.0%}")}</span>')
    return {s: " ".join(links) for s, links in marks.items()}


def _marked(code: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(code))
        if end <= start:
            continue
        out += [e(code[at:start]), f"<mark>{e(code[start:end])}</mark>"]
        at = end
    out.append(e(code[at:]))
    return "".join(out)


def pair_page(p: Pair, sources: dict[str, dict[str, str]], lang: str) -> str:
    a_code, b_code = sources[p.a][p.exercise], sources[p.b][p.exercise]
    title = t("sim_pair_title", lang, exercise=p.exercise, a=p.a, b=p.b, similarity=p.similarity)
    tag = f' <span class="badge st not_attempted">{e(t("sim_alike_tag", lang))}</span>' if p.alike else ""
    body = (f'<style>{EXTRA_CSS}</style><p><a href="../report.html#similarity">{e(t("sim_back", lang))}</a></p>'
            f'<h1>{e(title)}{tag}</h1><p class="sub">{e(t("sim_pair_note", lang, a=p.a, b=p.b, sa=p.shares[0], sb=p.shares[1]))}</p>'
            f'<div class="pair"><div><h3>{e(p.a)}</h3><pre>{_marked(a_code, p.slices[0])}</pre></div>'
            f'<div><h3>{e(p.b)}</h3><pre>{_marked(b_code, p.slices[1])}</pre></div></div>')
    return page(title, lang, body)


def write_pages(results: Path, f: Findings | None, sources: dict[str, dict[str, str]], pages: dict[str, str], lang: str) -> None:
    """One page per pair (flagged or necessarily alike) under RESULTS/similarity/; pages of earlier reports go."""
    from grader.report.json_result import write_atomic

    target = results / FOLDER
    current = set()
    for p in (f.pairs + shown_alike(f.alike)) if f else []:
        name = pair_file(p, pages)
        current.add(name)
        target.mkdir(parents=True, exist_ok=True)
        write_atomic(target / name, pair_page(p, sources, lang))
    if target.is_dir():
        for stale in target.glob("*.html"):
            if stale.name not in current:
                stale.unlink(missing_ok=True)
