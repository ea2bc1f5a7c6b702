"""The class report and the students' feedback pages (grader/report/html.py), curves, and a real browser.

A small fake batch: three real `grade all` results on numpy-only ex05 submissions (correct, wrong,
one that prints `<script>` and raises with `<script>` in the message) plus synthetic files for a
timed-out grading, a crashed exercise and a student who submitted nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_grade

html5lib = pytest.importorskip("html5lib")

SCRIPT = "<script>alert('pwned')</script>"
PRINTED = f"{SCRIPT} & <b>bold</b>"
INJECTED = f"""
import math

print("{SCRIPT} & <b>bold</b>")


def mean_squared_error(y, t):
    raise ValueError("{SCRIPT}")


def cross_entropy_error(y, t):
    y = [y] if not hasattr(y[0], "__len__") else y
    t = [t] if not hasattr(t[0], "__len__") else t
    total = 0.0
    for ry, rt in zip(y, t):
        total -= sum(float(b) * math.log(float(a) + 1e-7) for a, b in zip(ry, rt))
    return total / len(y)


def mean_absolute_error(y, t):
    raise NotImplementedError
"""


def _grade(folder: Path, out: Path, lang: str) -> None:
    proc = run_grade("all", "--submission", str(folder), "--format", "json", "--output", str(out),
                     "--seed", "7", "--lang", lang, timeout=240)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]


def _synthetic(template: dict, student: str, verdict: str | None = None, error: str | None = None) -> dict:
    """A copy of a real result, changed into a student whose ex05 timed out / crashed, or whose grading failed."""
    data = json.loads(json.dumps(template))
    if error:
        return {"score": 0, "max_score": 0, "output": error, "tests": [], "exercises": {}, "seed": 1, "error": error,
                "student": student}
    ex05 = data["exercises"]["ex05_losses"]
    ex05.update(score=0.0, status="failing", verdict=verdict, seconds=10.5, output=PRINTED)
    for test in data["tests"]:
        if test["tags"][0] == "ex05_losses":
            test.update(score=0.0, status="failed", verdict=verdict, mistakes=[], tags=[*test["tags"][:2], "failed"])
            test["feedback"].update(status="failed", message="timed out after 10 s", details=[])
    data["score"] = round(sum(e["score"] for e in data["exercises"].values()), 4)
    data["execution_time"] = 12.5
    return data


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("report")
    subs, out = base / "subs", base / "results"
    out.mkdir()
    samples = ROOT / "tests" / "submissions" / "ex05_losses"
    files = {"alice": samples / "correct_loops.py", "bob": samples / "wrong_mse_mean.py", "mallory": None}
    for student, source in files.items():
        target = subs / student / "ex05_losses"
        target.mkdir(parents=True)
        if source is None:
            (target / "losses.py").write_text(INJECTED, encoding="utf-8")
        else:
            shutil.copy(source, target / "losses.py")
    _grade(subs / "alice", out / "alice.json", "en")
    _grade(subs / "bob", out / "bob.json", "ko")
    _grade(subs / "mallory", out / "mallory.json", "en")
    alice = json.loads((out / "alice.json").read_text(encoding="utf-8"))
    for student, kwargs in (("carol", {"verdict": "timeout"}), ("dave", {"verdict": "crashed"}),
                            ("erin", {"error": "grading took longer than 600 s and was stopped"})):
        (out / f"{student}.json").write_text(json.dumps(_synthetic(alice, student, **kwargs)), encoding="utf-8")
    (out / "notes.json").write_text("[1, 2]", encoding="utf-8")  # not a result: skipped
    proc = run_grade("report", str(out), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert str(out / "report.html") in proc.stdout
    return out


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _parse(text: str):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def test_json_has_machine_readable_mistakes_verdicts_and_feedback(results):
    bob = json.loads(_text(results / "bob.json"))
    ex05 = [t for t in bob["tests"] if t["tags"][0] == "ex05_losses"]
    assert any(m["text"]["en"].startswith("You took the mean") for t in ex05 for m in t["mistakes"])
    assert all({"mistakes", "feedback", "output", "visibility"} <= set(t) for t in bob["tests"])
    assert bob["exercises"]["ex05_losses"]["title"]["ko"]
    assert bob["exercises"]["ex01_tensors"]["verdict"] == "not_submitted"
    mallory = json.loads(_text(results / "mallory.json"))
    assert any(SCRIPT in t["output"] for t in mallory["tests"])  # the exception message


def test_every_page_is_valid_html(results):
    pages = [results / "report.html", *sorted((results / "students").glob("*.html"))]
    assert {p.stem for p in pages[1:]} == {"alice", "bob", "mallory", "carol", "dave", "erin"}
    for path in pages:
        _parse(_text(path))  # strict: raises on any parse error


def test_class_report_structure(results):
    text = _text(results / "report.html")
    tree = _parse(text)
    assert tree.get("lang") == "en"
    assert '<meta charset="utf-8">' in text and '"Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic"' in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text  # nothing fetched
    svgs = {el.get("id") for el in tree.iter("{http://www.w3.org/2000/svg}svg")}
    assert {"histogram", "timing"} <= svgs
    rows = tree.findall(".//table[@id='student-table']/tbody/tr")
    assert len(rows) == 6
    links = [a.get("href") for a in tree.findall(".//table[@id='student-table']//a")]
    assert "students/alice.html" in links and "students/mallory.html" in links
    assert "You took the mean (np.mean)" in text  # bob's mistake, in the report's language
    verdicts = "".join(tree.find(".//table[@id='verdict-table']").itertext())
    assert "ex05_losses" in verdicts and "whole submission" in verdicts
    assert "grading took longer than 600 s" in text
    per_exercise = "".join(tree.find(".//table[@id='exercise-table']").itertext())
    assert "ex05_losses" in per_exercise and "Loss functions" in per_exercise
    assert 'id="checks-ex05_losses"' in text


def test_report_in_korean(results, tmp_path):
    copy = tmp_path / "r"
    shutil.copytree(results, copy)
    proc = run_grade("report", str(copy), "--lang", "ko")
    assert proc.returncode == 0, proc.stderr
    text = _text(copy / "report.html")
    assert '<html lang="ko">' in text and "학급 채점 리포트" in text and "평균(np.mean)을 구했습니다" in text
    _parse(text)
    assert '<html lang="ko">' in _text(copy / "students" / "bob.html")  # bob was graded in Korean
    assert '<html lang="en">' in _text(copy / "students" / "alice.html")


def test_student_output_and_exception_are_escaped(results):
    pages = [results / "students" / f"{s}.html" for s in ("mallory", "carol", "dave")] + [results / "report.html"]
    for path in pages:
        text = _text(path)
        assert "<script>alert" not in text and "<b>bold" not in text
        assert text.count("<script>") == 1  # the page's own sorting script, nothing else
        scripts = [s.text or "" for s in _parse(text).iter("script")]
        assert len(scripts) == 1 and "pwned" not in scripts[0]
        assert "script-src 'sha256-" in text  # only the page's own script may run
    printed = _text(results / "students" / "dave.html")
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in printed
    raised = _text(results / "students" / "mallory.html")
    assert "ValueError: &lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in raised  # the exception message


def test_student_pages_hide_hidden_expected_values_and_other_students(results):
    bob = json.loads(_text(results / "bob.json"))
    page = _text(results / "students" / "bob.html")
    hidden = [t for t in bob["tests"] if t["visibility"] != "visible" and t["status"] == "failed"
              and t["tags"][0] == "ex05_losses"]
    assert hidden, "the wrong MSE fails hidden checks too"
    tree = _parse(page)
    hidden_rows = [tr for tr in tree.iter("tr") if "숨김" in "".join(tr.itertext()) and tr.find(".//table") is not None]
    assert hidden_rows
    for tr in hidden_rows:
        for cell in tr.findall(".//td[@class='exp hid']"):
            assert cell.text == "(숨김)"
    for other in ("alice", "mallory", "carol", "erin"):
        assert other not in page


def test_hidden_expected_values_never_shown_even_if_in_the_json():
    from grader.report.html_student import student_page

    test = {"name": "ex05_losses: hidden", "score": 0, "max_score": 1, "status": "failed", "visibility": "after_due_date",
            "tags": ["ex05_losses", "hidden_cases", "failed"], "output": "",
            "feedback": {"title": {"en": "Hidden cases"}, "status": "failed", "hidden": True, "message": "wrong",
                         "details": [{"kind": "table", "header": ["input", "expected", "got"],
                                      "rows": [["array(3,)", "0.123456789", "0.5"]]},
                                     {"kind": "series", "title": "path", "lines": {"x expected": [1.0, 2.0],
                                                                                   "x yours": [1.0, 3.0]}}]}}
    data = {"score": 0, "max_score": 1, "lang": "en", "tests": [test],
            "exercises": {"ex05_losses": {"score": 0, "max_score": 1, "status": "failing"}}}
    page = student_page("zoe", data)
    assert "0.123456789" not in page and "(hidden)" in page
    assert "x expected" not in page and "x yours" in page
    _parse(page)


def test_files_from_before_the_structured_feedback_still_render(results, tmp_path):
    old = json.loads(_text(results / "bob.json"))
    for test in old["tests"]:
        for key in ("mistakes", "feedback", "verdict"):
            test.pop(key, None)
    old["exercises"] = {k: {f: v[f] for f in ("score", "max_score", "status", "seconds")} for k, v in old["exercises"].items()}
    (tmp_path / "bob.json").write_text(json.dumps(old), encoding="utf-8")
    proc = run_grade("report", str(tmp_path), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    page = _text(tmp_path / "students" / "bob.html")
    _parse(page)
    _parse(_text(tmp_path / "report.html"))
    assert "mean_squared_error(y, t)" in page  # the test's text output, shown as it is
    assert run_grade("report", str(tmp_path / "missing")).returncode == 2


def test_training_curve_is_kept_and_drawn():
    from rich.console import Console

    from grader.checks import Ctx
    from grader.feedback import Explanation
    from grader.report.curves import Curve, recorded, svg_chart, with_curves
    from grader.report.terminal import detail_renderable
    from grader.sandbox.wire import Handle

    ctx = Ctx(session=None, seed=1, lang="en", hidden=False, check_name="learns")
    model = Handle(3, "Sequential")
    for loss in (0.9, 0.7, 0.4, 0.3):  # one epoch per fit() call, as ex10 and ex15 train
        assert recorded(ctx, {"loss": [loss], "accuracy": [0.5]}, model) == {"loss": [loss], "accuracy": [0.5]}
    recorded(ctx, {"not": "a history"})
    curves = [d for d in ctx.notes if isinstance(d, Curve)]
    assert len(curves) == 1 and curves[0].lines == {"loss": [0.9, 0.7, 0.4, 0.3]}
    failed = with_curves([Explanation("x")], ctx.notes)
    assert failed[-1] is curves[0]
    console = Console(width=80, record=True, color_system=None)
    console.print(detail_renderable(curves[0], "en"))
    shown = console.export_text()
    assert "Loss per epoch" in shown and "0.9" in shown and "epoch" in shown and re.search("[\u2801-\u28ff]", shown)
    svg = svg_chart(curves[0], "ko")
    assert svg.count("<polyline") == 1 and "에포크별 손실" in svg
    _parse(f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{svg}</body></html>")


def test_batch_writes_the_report(tmp_path):
    subs = tmp_path / "subs"
    (subs / "amy" / "ex05_losses").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "submissions" / "ex05_losses" / "correct_loops.py", subs / "amy" / "ex05_losses" / "losses.py")
    proc = run_grade("batch", str(subs), "--out", str(tmp_path / "out"), "--jobs", "1", "--lang", "en", timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "out" / "report.html").is_file() and (tmp_path / "out" / "students" / "amy.html").is_file()
    amy = json.loads(_text(tmp_path / "out" / "amy.json"))
    forged = {**amy, "student": "zed", "score": 221.0}
    (tmp_path / "out" / "zed.json").write_text(json.dumps(forged), encoding="utf-8")  # not signed by the batch
    proc = run_grade("report", str(tmp_path / "out"), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    text = _text(tmp_path / "out" / "report.html")
    assert "students/amy.html" in text and "students/zed.html" not in text and "zed.json" in text
    _parse(text)


# --- a real browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed here once (apt-get, as root) when missing; skipped where that cannot be done."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if sys.platform != "linux" or not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get on Debian)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
        proc = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], env=env,
                              capture_output=True, text=True, timeout=1200)
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "fonts-nanum"], env=env,
                       capture_output=True, timeout=600)  # Korean glyphs in the screenshots; optional
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"chromium could not be installed: {exc}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip(f"apt-get install chromium failed: {proc.stderr[-500:]}")
    return found


def _browse(chromium: str, url: str, *extra: str) -> subprocess.CompletedProcess:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--enable-logging=stderr", "--v=0", "--window-size=1200,1600", *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.parametrize("page", ["report.html", "students/bob.html"])
def test_pages_render_in_headless_chromium(chromium, results, page, tmp_path):
    url = (results / page).as_uri()
    dom = _browse(chromium, url + "#sort-1-desc", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console_errors(dom.stderr) == []
    assert 'data-ready="' in dom.stdout  # the script ran to its end
    if page == "report.html":
        assert 'data-ready="2"' in dom.stdout and "<svg" in dom.stdout and 'id="student-table"' in dom.stdout
        order = re.findall(r'<td data-sort="([^"]+)"><a href="students/', dom.stdout)
        assert order[0] == "alice" and order[-1] in ("carol", "dave", "erin")  # sorted by score, highest first
        assert 'aria-sort="descending"' in dom.stdout
    else:
        assert 'class="checks"' in dom.stdout and 'class="cmp"' in dom.stdout
    shot = tmp_path / (Path(page).stem + ".png")
    proc = _browse(chromium, url, f"--screenshot={shot}")
    assert proc.returncode == 0 and shot.is_file() and shot.stat().st_size > 10_000, proc.stderr[-2000:]
    assert _console_errors(proc.stderr) == []


def test_status_is_a_string_with_its_label_colour_and_marks():
    from grader.i18n import tr
    from grader.results import CheckResult, Status

    check = CheckResult("c", {"ko": "c", "en": "c"}, 0.0, 1.0, "not_attempted")
    assert check.status is Status.NOT_ATTEMPTED and check.status == "not_attempted"
    assert json.dumps({"status": check.status, check.status: 1}) == '{"status": "not_attempted", "not_attempted": 1}'
    assert tr(Status.FAILING.label, "ko") == "미통과" and tr(Status.NOT_ATTEMPTED.label, "en") == "not attempted"
    assert [s.colour for s in Status] == ["green", "red", "red", "yellow"]
    assert Status.PASSED.mark == "✓" and Status.FAILING.icon == "❌"
