"""Every channel an instructor reads keeps a student's text inert: terminal (rich and plain), JSON, JUnit, Markdown,
grades.csv and the HTML pages get the same hostile strings (escape sequences, control characters, markup,
formulas, very long lines, Hangul) as printed output, a student id and a message; each result is parsed or
inspected, and an honest result rendered by the same set-up reads right.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT, run_grade

CLEAR = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: writes the instructor's clipboard
FORGED = "\x1b[1;32m╭─ ex05 ─╮\n│ Score 10/10 │\x1b[0m"
CONTROLS = "a\x01b\x0bc\x0cd\x7fe\x9b31mf\x08g\rh\u202eevil"
MARKUP = ("<script>alert(1)</script> <!-- # Forged heading\n## Forged heading\n[link](http://evil.test) "
          "![img](http://evil.test/x.png) `code` | cell | [bold green]Score 10/10[/]")
FORMULA = '=HYPERLINK("http://evil.test","click")'
HANGUL = "가" * 80
LONG = "x" * 5000
HOSTILE = "\n".join((CLEAR, CLIPBOARD, FORGED, CONTROLS, MARKUP, FORMULA, "+1+2", "-3", "@SUM(A1)", HANGUL, LONG))
#: A student id a folder name can hold: no "/" or NUL, everything else.
HOSTILE_ID = f'{FORMULA}\x1b]52;c;eA==\x07<b>{"가" * 20}'

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _results(hostile: bool):
    """One assignment: ex05 with a failing check carrying the hostile text everywhere a student's text can go
    (printed output, message, table cell, traceback, file problem), or the same exercise passed honestly."""
    from grader.feedback import Code, NumTable, Row
    from grader.results import AssignmentResult, CheckResult, ExerciseResult

    title = {"ko": "손실 함수", "en": "Loss functions"}
    if hostile:
        checks = [CheckResult("mse", {"ko": "MSE", "en": "MSE"}, 0.0, 5.0, "failed", message=HOSTILE,
                              details=[NumTable([Row(HOSTILE, 1.0, HOSTILE)]), Code(HOSTILE)]),
                  CheckResult("cee", {"ko": "CEE", "en": "CEE"}, 5.0, 5.0, "passed")]
        exercise = ExerciseResult("ex05_losses", title, checks, seed=7, lang="en", output=HOSTILE, problem=HOSTILE,
                                  hidden_run=True)
    else:
        checks = [CheckResult("mse", {"ko": "MSE", "en": "MSE"}, 5.0, 5.0, "passed"),
                  CheckResult("cee", {"ko": "CEE", "en": "CEE"}, 5.0, 5.0, "passed")]
        exercise = ExerciseResult("ex05_losses", title, checks, seed=7, lang="en", output="loss 0.25\n", hidden_run=True)
    return exercise, AssignmentResult([exercise], seconds=1.5, lang="en", seed=7, problem=HOSTILE if hostile else None)


def _document(hostile: bool) -> dict:
    from grader.report.gradescope import to_gradescope

    data = to_gradescope(_results(hostile)[1])
    data["student"] = HOSTILE_ID if hostile else "alice"
    return data


def _terminal(view, colour: bool) -> str:
    from grader.report.console import SafeConsole, make_console

    buffer = io.StringIO()
    console = (SafeConsole(file=buffer, force_terminal=True, color_system="truecolor", width=100) if colour
               else make_console(buffer))
    console.print(view)
    return buffer.getvalue()


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "rich"])
def test_terminal_views_show_escape_sequences_instead_of_obeying_them(colour):
    from grader.report.terminal import AssignmentView, ExerciseView

    exercise, assignment = _results(True)
    text = _terminal(ExerciseView(exercise, "en"), colour) + _terminal(AssignmentView(assignment, "en"), colour)
    own = re.sub(r"\x1b\[[0-9;]*m", "", text)  # rich's own colours (SGR) are the only escapes left
    assert "\x1b" not in own and RAW_CONTROL.search(own) is None
    assert "␛[2J" in own and "␛]52;c;" in own and "␇" in own and "\\x9b" in own and "<U+202E>" in own
    assert HANGUL[:10] in own and "[bold green]Score 10/10[/]" in own  # rich markup stays literal text
    honest = _terminal(ExerciseView(_results(False)[0], "en"), colour)
    assert "Score 10/10" in re.sub(r"\x1b\[[0-9;]*m", "", honest) and "loss 0.25" in honest


def test_json_result_parses_and_writes_no_raw_control_character():
    from grader.report.json_result import dumps

    text = dumps(_document(True))
    assert RAW_CONTROL.search(text) is None  # C0 escaped by json, DEL, C1 and bidi escaped too
    data = json.loads(text)
    assert data["student"] == HOSTILE_ID and data["tests"][0]["output"].startswith(HOSTILE)  # the same values
    assert json.loads(dumps(_document(False)))["score"] == 10


def test_junit_with_control_characters_parses_and_validates():
    xmlschema = pytest.importorskip("xmlschema")
    from grader.report.junit import to_junit

    schema = xmlschema.XMLSchema(str(ROOT / "tests/data/junit.xsd"))
    text = to_junit(_results(True)[1])
    schema.validate(text)
    failure = ET.fromstring(text).find(".//failure")
    assert failure is not None and "␛[2J" in failure.text and "␁" in failure.text and "␋" in failure.text
    honest = to_junit(_results(False)[1])
    schema.validate(honest)
    assert ET.fromstring(honest).get("failures") == "0" and ET.fromstring(honest).get("tests") == "2"


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_summary_cannot_forge_headings_comments_links_or_code():
    from grader.report.markdown import to_markdown

    text = to_markdown(_results(True)[1])
    html = _markdown_html(text)
    assert len(re.findall(r"<h\d", html)) == 1  # only the summary's own heading
    assert "<!--" not in text and "<script" not in html and "<a " not in html and "<img" not in html
    assert "<code>" not in html and "<strong>Score" not in html
    assert "Forged heading" in html and "evil.test" in html  # shown, as text
    rows = [line for line in text.splitlines() if line.startswith("| ex05_losses")]
    assert len(rows) == 1 and rows[0].count(" | ") == 4  # no extra table cell
    honest = to_markdown(_results(False)[1])
    assert "| ex05_losses |" in honest and "✅" in honest and "10 / 10" in honest


def test_grades_csv_neutralises_formulas_in_ids_and_notes():
    from grader.batch import grades_csv
    from grader.catalog import Catalog

    loaded = {"alice": _document(False)}
    for n, student in enumerate((HOSTILE_ID, "+1+2", "-3", "@SUM(A1)", "\t=1", " =1", '"=1"', "＝1")):
        data = _document(True)
        data["student"], data["problem"] = student, f"{FORMULA} {n}"
        loaded[student] = data
    rows = list(csv.reader(io.StringIO(grades_csv(Catalog(ROOT), loaded))))
    by_id = {row[0]: row for row in rows[2:]}
    assert set(by_id) == {"alice"} | {"'" + s for s in loaded if s != "alice"}
    for row in rows[2:]:
        assert not row[0].lstrip(" \"").startswith(("=", "+", "-", "@", "\t", "\r", "＝"))
        assert not row[-1].lstrip(" \"").startswith(("=", "+", "-", "@", "\t", "\r"))
    assert by_id["'" + HOSTILE_ID][-1].startswith("'=HYPERLINK")
    names = rows[0][1:-2]
    assert by_id["alice"][names.index("ex05_losses") + 1] == "10" and by_id["alice"][-1] == ""


def test_html_report_and_student_page_escape_hostile_text():
    html5lib = pytest.importorskip("html5lib")
    from grader.report.html import ClassData, class_page
    from grader.report.html_student import student_page

    students = {HOSTILE_ID: _document(True), "alice": _document(False)}
    pages = [class_page(ClassData.build(students, "en")), student_page(HOSTILE_ID, students[HOSTILE_ID])]
    for text in pages:
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
        assert "<script>alert" not in text and "<!-- #" not in text and "<b>가" not in text
        assert RAW_CONTROL.search(text) is None and "␛[2J" in text and "␛]52" in text
    honest = student_page("alice", students["alice"])
    assert "10 / 10" in honest and "loss 0.25" in honest


def test_grade_all_and_batch_keep_a_hostile_student_inert(tmp_path):
    """The README's own commands on a student whose ex05 prints escapes and whose folder name is a formula."""
    xmlschema = pytest.importorskip("xmlschema")
    course = tmp_path / "course"
    shutil.copytree(ROOT / "exercises" / "ex05_losses", course / "exercises" / "ex05_losses")
    shutil.copytree(ROOT / "solutions" / "ex05_losses", course / "solutions" / "ex05_losses")
    env = {"GRADE_ROOT": str(course)}
    source = (ROOT / "tests/submissions/ex05_losses/correct_loops.py").read_text(encoding="utf-8")
    subs = tmp_path / "subs"
    student = '=HYPERLINK("x","y")\x1b[2J'
    for name, text in ((student, f"print({(CLEAR + CLIPBOARD + FORGED + CONTROLS)!r})\n" + source),
                       ("alice", source)):
        (subs / name / "ex05_losses").mkdir(parents=True)
        (subs / name / "ex05_losses" / "losses.py").write_text(text, encoding="utf-8")
    proc = run_grade("all", "--submission", str(subs / student), "--details", "--lang", "en", "--seed", "1", env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "\x1b" not in proc.stdout + proc.stderr and "␛[2J" in proc.stdout and "Total 10/10" in proc.stdout
    junit = tmp_path / "junit.xml"
    proc = run_grade("all", "--submission", str(subs / student), "--format", "junit", "--output", str(junit),
                     "--lang", "en", "--seed", "1", env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    xmlschema.XMLSchema(str(ROOT / "tests/data/junit.xsd")).validate(str(junit))
    out = tmp_path / "out"
    proc = run_grade("batch", str(subs), "--out", str(out), "--jobs", "1", "--lang", "en", env=env, timeout=400)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "\x1b" not in proc.stdout + proc.stderr
    rows = {row[0]: row for row in csv.reader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8")))}
    assert "'" + student in rows and rows["alice"][-2] == "10" and rows["'" + student][-2] == "10"
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "\x1b" not in report and "␛[2J" in report
