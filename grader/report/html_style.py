"""The look of the HTML pages: one inline stylesheet, the sorting script, the pages' own words (ko/en)."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from grader.i18n import tr
from grader.report.safe_text import visible
from grader.results import Status

STATUSES = frozenset(Status)

FONTS = ('"Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", "NanumGothic", system-ui, -apple-system, '
         '"Segoe UI", Roboto, sans-serif')
MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "D2Coding", "NanumGothicCoding", "DejaVu Sans Mono", monospace'

CSS = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --card:#fff;
  --pass:#16a34a; --pass-bg:#dcfce7; --fail:#dc2626; --fail-bg:#fee2e2; --todo:#d97706; --todo-bg:#fef3c7;
  --none:#6b7280; --none-bg:#f3f4f6; --sys:#7c3aed; --sys-bg:#ede9fe; --accent:#2563eb; }
* { box-sizing: border-box; }
html { font-family: FONTS; color: var(--ink); background: var(--bg); line-height: 1.55; font-size: 15px; }
body { margin: 0; padding: 24px 28px 64px; max-width: 1400px; margin-inline: auto; word-break: keep-all;
  overflow-wrap: anywhere; }
h1 { font-size: 1.7rem; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 1.2rem; margin: 30px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
.muted, small { color: var(--muted); }
.sub { color: var(--muted); margin: 0 0 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 14px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 8px 16px; }
.card b { display: block; font-size: 1.35rem; font-variant-numeric: tabular-nums; }
.card span { color: var(--muted); font-size: 0.85rem; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 16px 20px; margin: 14px 0; }
table { border-collapse: collapse; width: 100%; background: var(--card); font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 0.82rem; text-transform: none; color: var(--muted); font-weight: 600; background: #f9fafb;
  position: sticky; top: 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: " ↕"; color: #cbd5e1; }
table.sortable th[aria-sort=ascending]::after { content: " ▲"; color: var(--accent); }
table.sortable th[aria-sort=descending]::after { content: " ▼"; color: var(--accent); }
.wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 10px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 0.8rem; font-weight: 600;
  white-space: nowrap; }
.st.passed { color: var(--pass); background: var(--pass-bg); }
.st.failing, .st.failed { color: var(--fail); background: var(--fail-bg); }
.st.not_attempted { color: var(--todo); background: var(--todo-bg); }
.st.not_submitted { color: var(--none); background: var(--none-bg); }
.st.timeout, .st.memory, .st.crashed, .st.error { color: var(--sys); background: var(--sys-bg); }
td.cell { text-align: center; font-weight: 600; border-left: 2px solid #fff; min-width: 44px; }
#student-table { font-size: 0.85rem; }
#student-table th, #student-table td { white-space: nowrap; padding: 5px 6px; }
#student-table td.cell { min-width: 32px; }
#student-table th:not([aria-sort])::after { content: ""; } #student-table th:not([aria-sort]):hover::after { content: " ↕"; }
#student-table td:last-child { white-space: normal; min-width: 150px; max-width: 300px; }
#student-table tr > :first-child { position: sticky; left: 0; z-index: 1; background: var(--card);
  box-shadow: 1px 0 0 var(--line); max-width: 160px; overflow: hidden; text-overflow: ellipsis; }
#student-table thead tr > :first-child { z-index: 2; background: #f9fafb; }
#exercise-table td:first-child { white-space: nowrap; }
table.rates td:nth-child(2) { width: 150px; } table.rates td:nth-child(3) { width: 300px; }
details.group { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 6px 0; }
details.group > summary { display: grid; grid-template-columns: 1.2em minmax(150px, 210px) 1fr 130px auto; gap: 10px;
  align-items: baseline; padding: 7px 12px; list-style: none; font-weight: 400; }
details.group > summary::-webkit-details-marker { display: none; }
details.group > summary::before { content: "▸"; color: var(--muted); }
details.group[open] > summary::before { content: "▾"; }
details.group > summary .name { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; } details.group > summary .rate { text-align: right; white-space: nowrap; }
details.group > summary .title { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
details.group table { border-top: 1px solid var(--line); }
figure.hist { margin: 0; }
.hbars { position: relative; display: grid; grid-template-columns: repeat(10, 1fr); gap: 6px; height: 150px;
  align-items: end; border-bottom: 1px solid #cbd5e1; margin: 4px 0 24px; }
.hcol { position: relative; height: 100%; display: flex; flex-direction: column; justify-content: flex-end; }
.hcol i { display: block; border-radius: 3px 3px 0 0; } .hcol i.low { background: #dc2626; }
.hcol i.mid { background: #f59e0b; } .hcol i.high { background: #16a34a; }
.hn { text-align: center; font-size: 0.8rem; font-weight: 600; color: #334155; line-height: 18px; height: 18px; }
.ht { position: absolute; top: 100%; left: 0; right: 0; text-align: center; font-size: 0.75rem; color: #64748b;
  padding-top: 3px; }
.hline { position: absolute; top: 0; bottom: 0; width: 0; border-left: 2px dashed #1f2937; }
.hline.median { border-left-style: dotted; }
figure.hist figcaption { text-align: center; font-size: 0.8rem; color: #64748b; }
em.hkey { display: inline-block; width: 22px; height: 0; border-top: 2px dashed #1f2937; vertical-align: middle;
  margin-right: 6px; } em.hkey.median { border-top-style: dotted; }
.legend-hist { margin: 8px 0 0; }
.bar { display: flex; height: 12px; border-radius: 6px; overflow: hidden; background: var(--none-bg); min-width: 160px; }
.bar i { display: block; height: 100%; }
.bar .p { background: var(--pass); } .bar .f { background: var(--fail); } .bar .t { background: var(--todo); }
.bar .s { background: var(--sys); } .bar .n { background: #cbd5e1; }
.keys { display: flex; gap: 14px; flex-wrap: wrap; font-size: 0.85rem; color: var(--muted); margin: 6px 0 10px; }
.keys i { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 5px; }
details > summary { cursor: pointer; padding: 6px 0; font-weight: 600; }
ol.mistakes { padding-left: 0; list-style: none; margin: 0; }
ol.mistakes li { display: grid; grid-template-columns: 64px 1fr; gap: 12px; padding: 10px 0; border-bottom: 1px solid var(--line); }
ol.mistakes .count { font-size: 1.35rem; font-weight: 700; color: var(--fail); text-align: right; }
svg.chart { max-width: 100%; height: auto; font-family: FONTS; }
svg.wide { width: 100%; }
svg .grid { stroke: #eef2f7; } svg .axisline { stroke: #94a3b8; }
svg .tick { font-size: 11px; fill: #64748b; } svg .axis { font-size: 12px; fill: #475569; }
svg .lbl { font-size: 11px; fill: #334155; font-weight: 600; }
figure.curve { margin: 10px 0; } figure.curve figcaption { font-weight: 600; font-size: 0.9rem; margin-bottom: 4px; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 0.85rem; }
.legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 6px; }
.legend small { margin-left: 4px; }
.exercise { background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--line);
  border-radius: 12px; padding: 16px 20px; margin: 18px 0; }
.exercise.passed { border-left-color: var(--pass); }
.exercise.failing { border-left-color: var(--fail); }
.exercise.not_attempted { border-left-color: var(--todo); }
.exercise.not_submitted { border-left-color: #cbd5e1; padding: 10px 20px; }
.exercise.not_submitted h3 { color: var(--muted); }
.exercise.timeout, .exercise.memory, .exercise.crashed { border-left-color: var(--sys); }
details.exercise.fold > summary { list-style: none; cursor: pointer; }
details.exercise.fold > summary::-webkit-details-marker { display: none; }
details.exercise.fold > summary h3::before { content: "▸ "; color: var(--muted); }
details.exercise.fold[open] > summary h3::before { content: "▾ "; }
details.exercise.fold:not([open]) { padding-block: 9px; margin: 8px 0; }
details.more > summary { font-weight: 400; font-size: 0.85rem; color: var(--accent); padding: 0; }
#not-started h3::first-letter, #not-submitted h3::first-letter { text-transform: uppercase; }
ul.short { margin: 6px 0 0; padding-left: 20px; columns: 2 320px; } ul.short li { break-inside: avoid; }
.exercise.short { border-left-color: var(--todo); padding: 10px 20px; }
.exercise header { display: flex; justify-content: space-between; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.score { font-weight: 700; font-size: 1.05rem; white-space: nowrap; }
.checks td.mark { width: 28px; font-weight: 700; font-size: 1.05rem; }
.checks tr.passed td.mark { color: var(--pass); } .checks tr.failed td.mark { color: var(--fail); }
.checks tr.not_attempted td.mark { color: var(--todo); }
.checks td.title { width: 32%; } .checks td.pts { width: 70px; text-align: right; white-space: nowrap; }
.tag { font-size: 0.75rem; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; margin-left: 6px; }
.msg { margin: 0 0 6px; } .msg.bad { color: var(--fail); }
table.cmp { width: auto; margin: 6px 0 10px; font-size: 0.9rem; border: 1px solid var(--line); }
table.cmp td, table.cmp th { padding: 4px 10px; font-family: MONO; font-size: 0.85rem; }
table.cmp td { white-space: pre-wrap; }
table.cmp td.exp { color: var(--pass); white-space: nowrap; } table.cmp td.got { color: var(--fail); white-space: nowrap; }
table.cmp td.hid { color: var(--muted); font-style: italic; }
table.cmp tr.ok td { background: #f0fdf4; } table.cmp tr.bad td { background: #fef2f2; }
pre { font-family: MONO; font-size: 0.85rem; background: #0f172a; color: #e2e8f0; padding: 10px 14px;
  border-radius: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: 6px 0 10px; }
pre.output { background: #f1f5f9; color: #0f172a; border: 1px solid var(--line); }
.callout { border-left: 4px solid var(--sys); background: var(--sys-bg); padding: 8px 12px; border-radius: 6px; margin: 6px 0 10px; }
.callout.hint { border-color: var(--accent); background: #eff6ff; }
.callout.problem { border-color: var(--fail); background: var(--fail-bg); }
.callout b { display: block; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; opacity: 0.8; }
.advice { color: #334155; font-style: italic; margin: 4px 0 8px; }
h3.sub2 { margin: 16px 0 6px; }
.foot { margin-top: 40px; color: var(--muted); font-size: 0.85rem; }
nav.toc { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 0; }
nav.toc a { padding: 2px 10px; border-radius: 999px; font-size: 0.85rem; font-weight: 600; }
@media (max-width: 640px) {
  html { font-size: 14px; } body { padding: 14px 12px 48px; } h1 { font-size: 1.35rem; } h2 { margin-top: 26px; }
  .cards { grid-template-columns: repeat(2, 1fr); gap: 8px; } .card { padding: 8px 12px; } .card b { font-size: 1.2rem; }
  nav.toc { flex-wrap: nowrap; overflow-x: auto; } nav.toc a { padding: 2px 6px; white-space: nowrap; }
  .hbars { gap: 3px; height: 130px; }
  #exercise-table td:nth-child(2), #exercise-table th:nth-child(2), #exercise-table td:nth-child(6),
  #exercise-table th:nth-child(6) { display: none; }
  .bar { min-width: 70px; }
  details.group > summary { grid-template-columns: 1em 1fr auto; } details.group > summary .title,
  details.group > summary .count { display: none; }
  table.rates td:nth-child(3), table.rates th:nth-child(3) { display: none; }
  .legend-hist { margin-left: 0; }
  .exercise { padding: 12px 12px; } .checks td.title { width: auto; }
}
@media print { body { padding: 0; background: #fff; } .wrap { overflow: visible; } th { position: static; } }
""".replace("MONO", MONO).replace("FONTS", FONTS)

#: Sorts a table.sortable by the clicked column (data-sort holds the value); #sort-N[-desc] sorts the students by column N on load.
SCRIPT = """
(function () {
  function key(row, index) {
    var cell = row.cells[index];
    return cell ? (cell.getAttribute('data-sort') || cell.textContent || '') : '';
  }
  function sortBy(table, index) {
    var th = table.tHead.rows[0].cells[index];
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = th.getAttribute('data-type') === 'num';
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    rows.sort(function (a, b) {
      var x = key(a, index), y = key(b, index);
      if (numeric) { return dir * ((parseFloat(x) || 0) - (parseFloat(y) || 0)); }
      return dir * x.localeCompare(y, undefined, {numeric: true});
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(table, index); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, index); }
      });
    });
  });
  var m = /^#sort-(\\d+)(-desc)?$/.exec(window.location.hash);
  var main = document.getElementById('student-table') || tables[0];
  if (m && main) {
    sortBy(main, parseInt(m[1], 10));
    if (m[2]) { sortBy(main, parseInt(m[1], 10)); }
  }
  document.documentElement.setAttribute('data-ready', String(tables.length));
})();
"""

WORDS = {
    "class_report": ("학급 채점 리포트", "Class report"),
    "generated": ("생성", "Generated"),
    "students": ("학생", "Students"),
    "student": ("학생", "Student"),
    "mean": ("평균", "Mean"),
    "median": ("중앙값", "Median"),
    "highest": ("최고", "Highest"),
    "lowest": ("최저", "Lowest"),
    "all_passed": ("모두 통과", "Passed everything"),
    "grading_failures": ("채점 실패", "Grading failures"),
    "score_distribution": ("점수 분포", "Score distribution"),
    "per_exercise": ("문제별 통과율", "Pass rate per exercise"),
    "per_check": ("검사별 통과율", "Pass rate per check"),
    "mistakes": ("자주 나온 흔한 실수", "Most common mistakes"),
    "no_mistakes": ("설명된 흔한 실수가 없습니다.", "No common-mistake explanation fired."),
    "mistake_students": ("명", "students"),
    "verdicts": ("코드와 무관한 판정", "Verdicts not about the code"),
    "verdicts_note": ("시간 초과, 메모리 초과, 비정상 종료, 미제출, 손대지 않은 스텁: 학생 수",
                      "Timed out, out of memory, crashed, not submitted, untouched stub: number of students"),
    "whole": ("제출물 전체", "whole submission"),
    "timing": ("학생별 채점 시간", "Grading time per student"),
    "total_time": ("합계", "Total"),
    "slowest": ("최장", "Slowest"),
    "table": ("학생 목록", "Students"),
    "table_note": ("머리글을 누르면 정렬됩니다. 학생 이름을 누르면 그 학생의 피드백 페이지가 열립니다.",
                   "Click a heading to sort. A student's name opens their feedback page."),
    "exercise": ("문제", "Exercise"),
    "title": ("제목", "Title"),
    "check": ("검사", "Check"),
    "pass_rate": ("통과율", "Pass rate"),
    "not_submitted": ("미제출", "not submitted"),
    "timeout": ("시간 초과", "timed out"),
    "memory": ("메모리 초과", "out of memory"),
    "crashed": ("비정상 종료", "crashed"),
    "error": ("채점 오류", "grading error"),
    "mean_score": ("평균 점수", "Mean score"),
    "mean_time": ("평균 시간", "Mean time"),
    "score": ("점수", "Score"),
    "points": ("배점", "Points"),
    "time": ("시간", "Time"),
    "note": ("비고", "Note"),
    "hidden": ("숨김", "hidden"),
    "result": ("결과", "Result"),
    "feedback": ("채점 피드백", "Feedback"),
    "summary": ("요약", "Summary"),
    "hint": ("힌트", "Hint"),
    "mistake": ("흔한 실수", "Common mistake"),
    "problem": ("파일 문제", "Problem with the file"),
    "output": ("코드의 출력", "Output of your code"),
    "truncated": ("바이트 생략", "bytes left out"),
    "seed": ("시드", "Seed"),
    "device": ("장치", "Device"),
    "version": ("채점기", "Grader"),
    "hidden_not_run": ("숨겨진 검사는 실행되지 않았습니다.", "Hidden checks were not run."),
    "checks_count": ("검사", "checks"),
    "students_count": ("명", "students"),
    "exercises_count": ("개 문제", "exercises"),
    "seconds": ("초", "s"),
    "count": ("학생 수", "Students"),
    "no_data": ("결과 파일이 없습니다.", "No result files."),
    "rate_note": ("통과율 = 통과한 학생 ÷ 그 문제를 제출한 학생(미제출은 빼고, 손대지 않은 스텁·시간 초과·비정상 종료는 "
                  "통과 못 함으로 셈). 문제와 그 검사들이 같은 정의를 씁니다.",
                  "Pass rate = students who passed ÷ students who handed the item in (not submitted left out; an "
                  "untouched stub, a timeout or a crash counts as not passed). Items and their checks use the same rule."),
    "checks_note": ("문제마다 한 줄, 통과율이 낮은 문제부터. 줄을 누르면 검사별 통과율이 (낮은 것부터) 펼쳐집니다.",
                    "One line per item, the lowest pass rate first; open a line for its checks, the lowest first."),
    "below_all": ("개가 100% 미만", "below 100%"),
    "quizzes_count": ("개 퀴즈", "quizzes"),
    "hist_axis": ("점수(%): 막대 40은 40–49%", "Score (%): the bar at 40 holds 40–49%"),
    "bins_low": ("50% 미만", "under 50%"),
    "bins_mid": ("50–69%", "50–69%"),
    "bins_high": ("70% 이상", "70% and over"),
    "show_details": ("자세히 보기", "Show details"),
    "not_started": ("시작하지 않은 문제", "Not started"),
    "passed_items": ("통과한 문제", "Passed"),
    "unsigned": ("이 채점(batch)이 서명하지 않은 결과 파일은 뺐습니다", "Result files this batch did not sign were left out"),
}


#: Only this page's own script may run, even if something slipped through the escaping.
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")


def word(key: str, lang: str) -> str:
    """A word of the HTML pages; a status (``passed``, ``failing``…) in the words the terminal uses."""
    if key in STATUSES:
        return tr(Status(key).label, lang)
    ko, en = WORDS[key]
    return ko if lang == "ko" else en


#: A number with its counter: Korean writes the counter right after the number (6명, 0.1초) and a noun before it
#: (문제 20개, 검사 9개); English puts a space between.
COUNTED = {
    "students_count": ("{n}명", "{n} students"), "mistake_students": ("{n}명", "{n} students"),
    "exercises_count": ("문제 {n}개", "{n} exercises"), "quizzes_count": ("퀴즈 {n}개", "{n} quizzes"),
    "checks_count": ("검사 {n}개", "{n} checks"), "seconds": ("{n}초", "{n} s"),
    "truncated": ("{n}바이트 생략", "{n} bytes left out"), "below_all": ("{n}개는 전원 통과 아님", "{n} not passed by everyone"),
}


def counted(n: object, key: str, lang: str) -> str:
    """``6명`` / ``6 students``, ``검사 9개`` / ``9 checks``: a number with its counter, written as each language
    writes it."""
    ko, en = COUNTED[key]
    return (ko if lang == "ko" else en).format(n=n)


def e(text: object) -> str:
    """Escape any text for HTML content and attributes; control characters are drawn (``␛``), never written raw."""
    return escape(visible(text), quote=True)


def page(title: str, lang: str, body: str, description: str = "") -> str:
    """A complete, self-contained HTML document (inline CSS and script; nothing is fetched)."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src '{SCRIPT_HASH}'; img-src data:\">\n"
        f"<title>{e(title)}</title>\n"
        + (f'<meta name="description" content="{e(description)}">\n' if description else "")
        + f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
