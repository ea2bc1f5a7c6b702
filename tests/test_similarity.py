"""Similar submissions: `grade batch` flags a disguised copy, marks a one-liner exercise's alike answers, and no others."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_grade

LOSSES = ROOT / "tests/submissions/ex05_losses"
REF05 = (ROOT / "solutions/ex05_losses/losses.py").read_text()
LOOPS = (LOSSES / "correct_loops.py").read_text()
REF07 = (ROOT / "solutions/ex07_param_count/param_count.py").read_text()


def disguise(source: str) -> str:
    """A copy as a student hides one: every variable renamed, the functions in another order, new comments and spacing."""
    renames = {"values": "vals", "rows_y": "ys", "rows_t": "ts", "total": "acc", "ry": "yrow", "rt": "trow",
               "_flat": "flatten_all", "a": "p", "b": "q"}
    for old, new in renames.items():
        source = re.sub(rf"\b{old}\b", new, source)
    head, *functions = source.split("\n\n\n")
    head = head.replace("# A correct solution written with plain loops instead of vectorised numpy.", "# written by me")
    functions = [re.sub(r"^    return", "    # the result\n    return  ", f, flags=re.M) for f in reversed(functions)]
    return "\n\n\n\n".join([head, *functions]) + "\n"


#: An honest second answer to ex07 (three one-line formulas and two tiny loops): alike because it must be.
HONEST07 = '''"""Counting parameters."""


def dense_params(inputs, units):
    # weights plus biases
    return inputs * units + units


def mlp_params(input_dim, units):
    count, width = 0, input_dim
    for n in units:
        count += dense_params(width, n)
        width = n
    return count


def flatten_size(shape):
    out = 1
    for d in shape:
        out *= d
    return out
'''

#: A third ex07, written differently (so ex07 has alike pairs and distinct ones).
OTHER07 = '''import math


def dense_params(n_inputs, n_units):
    return (n_inputs + 1) * n_units


def mlp_params(input_dim, units):
    sizes = [input_dim, *units]
    return sum(dense_params(i, o) for i, o in zip(sizes[:-1], sizes[1:]))


def flatten_size(shape):
    return math.prod(shape)
'''

CLASS = {
    "s01_original": {"ex05_losses/losses.py": LOOPS, "ex07_param_count/param_count.py": OTHER07},
    "s02_disguised": {"ex05_losses/losses.py": disguise(LOOPS)},
    "s03_honest": {"ex05_losses/losses.py": REF05, "ex07_param_count/param_count.py": REF07},
    "s04_honest": {"ex05_losses/losses.py": (LOSSES / "correct_numpy_style.py").read_text(),
                   "ex07_param_count/param_count.py": HONEST07},
    "s05_other": {"ex05_losses/losses.py": (LOSSES / "correct_lesson_losses.py").read_text()},
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("similar")
    for student, files in CLASS.items():
        for name, text in files.items():
            (base / "subs" / student / name).parent.mkdir(parents=True, exist_ok=True)
            (base / "subs" / student / name).write_text(text)
    proc = run_grade("batch", str(base / "subs"), "--out", str(base / "results"), "--jobs", "2", timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return base / "results"


def findings(results: Path, threshold: float = 0.6):
    from grader.classroom import similarity, sources
    from grader.classroom.signing import folder_key

    kept = sources.load(results, folder_key(results), [s for s in CLASS])
    assert kept is not None and not kept.unsigned
    return similarity.analyse(kept, threshold)


def test_a_disguised_copy_is_flagged_and_honest_work_is_not(graded):
    found = findings(graded)
    assert [(p.exercise, p.a, p.b) for p in found.pairs] == [("ex05_losses", "s01_original", "s02_disguised")]
    assert found.pairs[0].similarity >= 0.9
    for student in CLASS:  # the similarity report never changes a grade: every answer here is right
        data = json.loads((graded / f"{student}.json").read_text())
        item = data["exercises"]["ex05_losses"]
        assert item["score"] == item["max_score"] == 10, student


def test_an_honest_pair_alike_on_one_line_formulas_is_marked_necessarily_alike_not_flagged(graded):
    found = findings(graded)
    assert found.short("ex07_param_count") and not found.short("ex05_losses")
    alike = {(p.exercise, p.a, p.b) for p in found.alike}
    assert ("ex07_param_count", "s03_honest", "s04_honest") in alike
    assert all(p.exercise != "ex07_param_count" for p in found.pairs)


def test_the_class_report_links_the_pair_from_both_rows_to_a_side_by_side_page(graded):
    report = (graded / "report.html").read_text()
    page = "similarity/ex05_losses--s01_original--s02_disguised.html"
    section = report.split('id="similarity"')[1].split('id="students"')[0]
    assert page in section and "60%" in section
    rows = report.split('id="student-table"')[1]
    for student in ("s01_original", "s02_disguised"):
        row = next(r for r in rows.split("<tr>") if f">{student}</a>" in r)
        assert page in row, student
    for student in ("s03_honest", "s04_honest", "s05_other"):
        row = next(r for r in rows.split("<tr>") if f">{student}</a>" in r)
        assert "similarity/" not in row, student
    side = (graded / page).read_text()
    assert side.count("<mark>") >= 4 and "flatten_all" in side and "_flat" in side
    assert "necessarily alike" in section and "ex07_param_count--s03_honest--s04_honest.html" in section


def test_given_stub_lines_never_count(graded):
    from grader.classroom import similarity

    stub = (ROOT / "exercises/ex05_losses/losses.py").read_text()
    untouched = {"a": stub, "b": stub.replace("# [[YOUR CODE]]", "# todo")}
    assert similarity.compare_exercise("ex05_losses", untouched, stub, 0.01) == []
    assert similarity.compare_exercise("ex05_losses", untouched, "", 0.6)  # without the stub they would match


def test_grade_report_recomputes_with_another_threshold_and_refuses_a_bad_one(graded, tmp_path):
    copy = tmp_path / "results"
    shutil.copytree(graded, copy)
    proc = run_grade("report", str(copy), "--similarity-threshold", "0.99")
    assert proc.returncode == 0, proc.stderr
    section = (copy / "report.html").read_text().split('id="similarity"')[1].split('id="students"')[0]
    assert "ex05_losses--s01_original--s02_disguised.html" not in section.split("<details")[0]
    assert run_grade("report", str(copy)).returncode == 0  # a later report keeps the chosen threshold
    section = (copy / "report.html").read_text().split('id="similarity"')[1].split('id="students"')[0]
    assert "99%" in section and "ex05_losses--s01_original--s02_disguised.html" not in section.split("<details")[0]
    bad = run_grade("report", str(copy), "--similarity-threshold", "60")
    assert bad.returncode == 2 and "--similarity-threshold" in bad.stderr and "Traceback" not in bad.stderr
    korean = run_grade("report", str(copy), "--similarity-threshold", "0", "--lang", "ko")
    assert korean.returncode == 2 and "비율" in korean.stderr


def test_a_hand_edited_kept_source_is_left_out_and_named(graded, tmp_path):
    copy = tmp_path / "results"
    shutil.copytree(graded, copy)
    kept = copy / "sources" / "s02_disguised.json"
    data = json.loads(kept.read_text())
    data["sources"]["ex05_losses"] = REF05
    kept.write_text(json.dumps(data))
    assert run_grade("report", str(copy)).returncode == 0
    section = (copy / "report.html").read_text().split('id="similarity"')[1].split('id="students"')[0]
    assert "sources/s02_disguised.json" in section
    assert "s01_original--s02_disguised" not in section


def test_kept_sources_are_the_instructors_only(graded):
    assert (graded / "sources").stat().st_mode & 0o077 == 0


def test_three_students_sharing_one_copy_are_shown_as_one_cluster():
    from grader.classroom import similarity, similarity_html
    from grader.classroom.sources import ExerciseInfo, Kept

    stub = (ROOT / "exercises/ex05_losses/losses.py").read_text()
    sources = {"a": {"ex05_losses": LOOPS}, "b": {"ex05_losses": disguise(LOOPS)},
               "c": {"ex05_losses": disguise(LOOPS).replace("acc", "running")},
               "d": {"ex05_losses": REF05}, "e": {"ex05_losses": (LOSSES / "correct_numpy_style.py").read_text()}}
    found = similarity.analyse(Kept({"ex05_losses": ExerciseInfo(stub, 134, 3)}, sources, []))
    assert [c.members for c in found.clusters] == [["a", "b", "c"]]
    assert len(found.pairs) == 3  # every pair of the three, none with the honest d and e
    html = similarity_html.section(found, {s: s for s in sources}, "en")
    assert html.count("cluster of 3") == 1 and html.split("<tbody>")[1].count("<tr>") == 1
    assert all(f"ex05_losses--{a}--{b}.html" in html for a, b in (("a", "b"), ("a", "c"), ("b", "c")))
