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
    assert "timing" in svgs and tree.find(".//figure[@id='histogram']") is not None
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


# --- tables of values -----------------------------------------------------------------------------------------------


def test_a_table_says_when_the_dtype_differs():
    import numpy as np

    from grader.feedback import NumTable, Row, detail_text

    table = NumTable([Row("x = [3, 4]", [6.0, 8.0], np.array([6, 8]))])
    text = detail_text(table, "en")
    assert "dtype differs" in text and "dtype float64" in text and "dtype int64" in text
    assert "자료형(dtype)이 다릅니다" in detail_text(table, "ko")
    same = NumTable([Row("x", np.array([6.0, 8.0]), np.array([6.5, 8.0], dtype=np.float32))])
    assert "dtype" not in detail_text(same, "en")  # float64 and float32 are both floats: the values differ


def test_long_numbers_wrap_between_values_never_inside_one():
    import io

    import numpy as np

    from grader.feedback import NumTable, Row, format_value
    from grader.report.console import make_console
    from grader.report.terminal import detail_renderable

    values = np.array([-6.111107930000001e-10, 0.123456, -0.5, 3e-07, 12345.678, 1.0])
    expected = [float(v) for v in values]  # a list of Python floats: formatted like an array, not as 17-digit reprs
    assert format_value(expected) == format_value(values) == "[-6.111e-10, 0.1235, -0.5, 3e-07, 1.235e+04, 1]"
    for width in (40, 60, 80):
        console = make_console(io.StringIO())
        console.width = width
        console.print(detail_renderable(NumTable([Row("x = array(3, 4) float64", expected, values + 1)]), "en"))
        tokens = re.findall(r"[-+0-9.e]+", console.file.getvalue())
        for number in ("-6.111e-10", "1.235e+04", "3e-07"):
            assert number in tokens, (width, console.file.getvalue())


# --- a class read at a glance: a class of 24 built from real gradings, measured and photographed in Chromium ------

#: The items of the screenshots' course: every exercise that needs no TensorFlow, and the quizzes.
CLASS_ITEMS = ("ex05_losses", "ex06_gradient_descent", "ex07_param_count", "ex08_activations", "ex09_two_layer_net",
               "ex13_lr_schedules", "ex14_optimizers", "ex16_dropout", "q01_keras_basics", "q02_concepts",
               "q03_shapes_and_counts")
CLASS_IDS = ("kim_minji", "lee_seojun", "park_jiwoo", "choi_yuna", "jung_hajun", "kang_doyun", "cho_seoyeon",
             "yoon_jiho", "jang_eunwoo", "lim_sua", "han_jimin", "oh_taeyang", "seo_yerin", "shin_hyunwoo",
             "kwon_nayeon", "hwang_minho", "ahn_sohee", "song_junseo", "yoo_chaewon", "hong_gildong", "김하늘",
             "이도현", "박서아", "최준우")


def _quiz_answers(name: str, wrong: bool) -> str:
    """An answers.toml with the numeric questions answered (right, or off by one) and the others left empty."""
    import tomllib

    key = tomllib.loads((ROOT / "solutions" / name / "key.toml").read_text(encoding="utf-8"))
    lines = []
    for qid, entry in key.items():
        answer = entry.get("answer") if isinstance(entry, dict) else None
        if isinstance(answer, (int, float)) and not isinstance(answer, bool):
            lines.append(f"{qid} = {answer + 1 if wrong else answer}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Path:
    """`grade report` on a class of 24 whose every item is one of six real gradings (`grade all --format json`) of
    the whole course: the reference, three wrong samples (exercises without TensorFlow, and the quizzes), the untouched
    stubs of everything, nothing handed in; plus a timeout and a failed grading. 19 columns, as in the issue."""
    import random
    import tomllib

    base = tmp_path_factory.mktemp("classroom")
    variants: dict[str, dict] = {}  # the whole course: the TensorFlow exercises are handed in as untouched stubs only
    everything = [path.name for path in sorted((ROOT / "exercises").iterdir()) if (path / "exercise.toml").is_file()]
    for variant in ("reference", "wrong1", "wrong2", "wrong3", "stub", "empty"):
        folder = base / "subs" / variant
        folder.mkdir(parents=True)
        for name in (everything if variant == "stub" else CLASS_ITEMS if variant != "empty" else ()):
            target = folder / name
            shutil.copytree(ROOT / "exercises" / name, target)
            if name not in CLASS_ITEMS:
                continue
            if name.startswith("q"):
                (target / "answers.toml").write_text("" if variant == "stub" else _quiz_answers(name, variant != "reference"),
                                                     encoding="utf-8")
                continue
            stub = target / tomllib.loads((target / "exercise.toml").read_text(encoding="utf-8"))["file"]
            if variant == "reference":
                shutil.copy(ROOT / "solutions" / name / stub.name, stub)
            elif variant.startswith("wrong"):
                wrongs = sorted((ROOT / "tests" / "submissions" / name).glob("wrong_*.py"))
                if wrongs:
                    shutil.copy(wrongs[int(variant[-1]) % len(wrongs)], stub)
        out = base / f"{variant}.json"
        proc = run_grade("all", "--submission", str(folder), "--format", "json", "--output", str(out), "--seed", "5",
                         "--lang", "en", timeout=400)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        variants[variant] = json.loads(out.read_text(encoding="utf-8"))
    results = base / "results"
    results.mkdir()
    rng = random.Random(20)
    for i, student in enumerate(CLASS_IDS):
        skill = i / len(CLASS_IDS)  # a spread of students, from strong to struggling
        doc = json.loads(json.dumps(variants["reference"]))
        doc["tests"], doc["exercises"] = [], {}
        for name in everything:
            roll = rng.random()
            variant = ("reference" if roll > skill * 0.9 else rng.choice(("wrong1", "wrong2", "wrong3"))
                       if roll > skill * 0.45 else "stub" if roll > skill * 0.15 else "empty")
            source = variants[variant]
            doc["exercises"][name] = source["exercises"][name]
            doc["tests"] += [t for t in source["tests"] if t["tags"][0] == name]
        doc["score"] = round(sum(x["score"] for x in doc["exercises"].values()), 4)
        doc["execution_time"] = round(sum(x["seconds"] for x in doc["exercises"].values()) + rng.random() * 3, 3)
        doc["student"] = student
        (results / f"{student}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for student, kwargs in (("moon_taeho", {"verdict": "timeout"}),  # ex05 timed out; the whole grading of bae_jia
                            ("bae_jia", {"error": "grading took longer than 600 s and was stopped"})):
        (results / f"{student}.json").write_text(json.dumps(_synthetic(variants["reference"], student, **kwargs)),
                                                 encoding="utf-8")
    proc = run_grade("report", str(results), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    return results


DOCS = ROOT / "docs"
#: Records the layout into <html> attributes for --dump-dom (a measuring copy of the page only: the CSP is lifted there).
MEASURE = """<script>
(function () {
  var root = document.documentElement, widest = 0;
  document.querySelectorAll('.wrap').forEach(function (w) { widest = Math.max(widest, w.scrollWidth - w.clientWidth); });
  var table = document.getElementById('student-table');
  root.setAttribute('data-doc-width', String(root.scrollWidth));
  root.setAttribute('data-doc-height', String(root.scrollHeight));
  root.setAttribute('data-table-overflow', String(table ? table.parentNode.scrollWidth - table.parentNode.clientWidth : -1));
  root.setAttribute('data-table-right', String(table ? table.getBoundingClientRect().right : -1));
  var found = {};
  Array.prototype.forEach.call(root.attributes, function (a) { found[a.name] = a.value; });
  if (window.parent !== window) { window.parent.postMessage(found, '*'); }
})();
</script>"""
#: Headless Chromium's window is at least 500 px wide: a phone is a 390×844 frame in it (its own viewport, so the
#: page's media queries see 390 px), measured through postMessage and cropped from the screenshot.
PHONE = (390, 844)
FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff">
<iframe src="{src}" style="border:0;display:block;width:{w}px;height:{h}px"></iframe>
<script>window.addEventListener('message', function (m) {{
  for (var k in m.data) {{ document.documentElement.setAttribute(k, m.data[k]); }} }});</script></body></html>"""


def _framed(page: Path, src: str) -> Path:
    frame = page.with_name(f".phone-{page.name}")
    frame.write_text(FRAME.format(src=src, w=PHONE[0], h=PHONE[1]), encoding="utf-8")
    return frame


def _measure(chromium: str, page: Path, width: int, height: int) -> dict[str, float]:
    """The page's layout at this window size, as Chromium lays it out (scroll widths, height, the student table)."""
    copy = page.with_name(f".measure-{page.name}")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", _text(page))
    copy.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    phone = (width, height) == PHONE
    target = _framed(page, copy.name) if phone else copy
    try:
        size = f"--window-size={max(width, 500)},{height + 200 if phone else height}"
        dom = _browse(chromium, target.as_uri(), "--dump-dom", size, "--virtual-time-budget=5000")
    finally:
        copy.unlink()
        target.unlink(missing_ok=True)
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = dict(re.findall(r'data-(doc-width|doc-height|table-overflow|table-right)="(-?[\d.]+)"', dom.stdout))
    assert len(found) == 4, dom.stdout[:500]
    return {k: float(v) for k, v in found.items()}


def _shoot(chromium: str, page: Path, width: int, height: int, target: Path) -> None:
    phone = (width, height) == PHONE
    frame = _framed(page, page.name) if phone else page
    size = f"--window-size={max(width, 500)},{height + 200 if phone else height}"
    try:
        proc = _browse(chromium, frame.as_uri(), f"--screenshot={target}", size, "--virtual-time-budget=5000")
    finally:
        if phone:
            frame.unlink()
    assert proc.returncode == 0 and target.is_file() and target.stat().st_size > 10_000, proc.stderr[-2000:]
    assert _console_errors(proc.stderr) == []
    if phone:
        from PIL import Image

        with Image.open(target) as image:
            image.crop((0, 0, width, height)).save(target, optimize=True)


def test_class_report_reads_at_a_glance_on_a_laptop_and_a_phone(chromium, classroom):
    """At 1366×768 every column of the students (quizzes, Time, Note) is on screen; on a 390 px phone the page
    itself never scrolls sideways (wide tables scroll in their own box). The README's screenshots are taken here."""
    report = classroom / "report.html"
    laptop = _measure(chromium, report, 1366, 768)
    assert laptop["table-overflow"] <= 0 and laptop["table-right"] <= 1366 and laptop["doc-width"] <= 1366, laptop
    phone = _measure(chromium, report, *PHONE)
    assert phone["doc-width"] <= PHONE[0], phone
    _shoot(chromium, report, 1366, 768, DOCS / "report.png")
    _shoot(chromium, report, *PHONE, DOCS / "report-phone.png")


def test_a_students_page_folds_what_there_is_nothing_to_read_in(chromium, classroom, tmp_path):
    """Untouched and missing items are one line each, passed items fold to their header, a passed check's charts
    are a click away: an untouched copy of the course reads on one screen (such pages were 11–13k px tall)."""
    from grader.report.html_student import student_page

    heights = {}
    for variant in ("stub", "empty", "reference"):
        page = tmp_path / f"{variant}.html"
        page.write_text(student_page(variant, json.loads(_text(classroom.parent / f"{variant}.json"))), encoding="utf-8")
        heights[variant] = _measure(chromium, page, 1366, 768)["doc-height"]
    assert heights["stub"] <= 768 and heights["empty"] <= 768, heights
    reference = json.loads(_text(classroom.parent / "reference.json"))
    passed = [name for name, info in reference["exercises"].items() if info["status"] == "passed"]
    text = _text(tmp_path / "reference.html")
    assert len(passed) >= 8 and text.count('<details class="exercise fold passed"') == len(passed)
    assert 'class="checks"' in text  # folded, still there
    pages = sorted((p for p in (classroom / "students").glob("*.html") if p.stem in CLASS_IDS),
                   key=lambda p: (_text(p).count("<li id="), p.name))
    _shoot(chromium, pages[len(pages) // 2], 1366, 900, DOCS / "student.png")


def test_an_item_and_its_checks_share_one_pass_rate_definition(classroom):
    """ex01 showed 17% (1/6) but its checks 20% (1/5): both now count the students who handed the item in."""
    tree = _parse(_text(classroom / "report.html"))
    for row in tree.findall(".//table[@id='exercise-table']/tbody/tr"):
        name = "".join(row[0].itertext())
        rate = re.search(r"\((\d+)/(\d+)\)", "".join(row[2].itertext()))
        group = tree.find(f".//details[@id='checks-{name}']")
        assert rate and group is not None, name
        checks = [re.search(r"\((\d+)/(\d+)\)", "".join(r[1].itertext())) for r in group.findall(".//tbody/tr")]
        assert {m.group(2) for m in checks} == {rate.group(2)}, name  # the same students counted
        assert int(rate.group(1)) <= min(int(m.group(1)) for m in checks)  # passing an item passes all its checks


def test_pass_rate_per_check_is_folded_per_item_weakest_first(classroom):
    from grader.catalog import Catalog

    tree = _parse(_text(classroom / "report.html"))
    groups = tree.findall(".//details[@class='group']")
    assert len(groups) == len(Catalog(ROOT).items) and all(g.get("open") is None for g in groups)
    rates = [float(re.search(r"(\d+)%", "".join(g.find("summary").itertext())).group(1)) for g in groups]
    assert rates == sorted(rates)
    for group in groups:
        inside = [int(re.search(r"(\d+)%", "".join(r[1].itertext())).group(1)) for r in group.findall(".//tbody/tr")]
        assert inside == sorted(inside)


def test_histogram_lines_have_a_legend(classroom):
    tree = _parse(_text(classroom / "report.html"))
    legend = "".join(tree.find(".//div[@class='keys legend-hist']").itertext())
    assert re.search(r"Mean \d+\.\d%", legend) and re.search(r"Median \d+\.\d%", legend) and "under 50%" in legend


def test_an_empty_folder_is_not_submitted_for_exercises_and_quizzes_alike(classroom):
    empty = json.loads(_text(classroom.parent / "empty.json"))
    assert {x["verdict"] for x in empty["exercises"].values()} == {"not_submitted"}
    assert any(name.startswith("q") for name in empty["exercises"])


def test_values_that_differ_never_read_the_same_in_a_table():
    import numpy as np

    from grader.feedback import NumTable, Row

    _, body = NumTable([Row("lr = 1e-10", np.array([-3 + 6e-10, 4 - 8e-10]), np.array([-3 - 6e-10, 4 + 8e-10]))]).cells("en")
    assert body[0][1] != body[0][2] and "-2.9999999994" in body[0][1]
    _, short = NumTable([Row("x", np.array([0.5, 1.5]), np.array([0.25, 1.5]))]).cells("en")
    assert short[0][1:] == ["[0.5, 1.5]", "[0.25, 1.5]"]  # four digits where they already differ
