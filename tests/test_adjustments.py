"""`grade adjust`: a grade changed with a reason, shown everywhere, signed, kept across a resume or a regrade."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.conftest import ROOT, run_grade

REF = (ROOT / "solutions/ex05_losses/losses.py").read_text()
WRONG = (ROOT / "tests/submissions/ex05_losses/wrong_mse_mean.py").read_text()
REASON = "MSE used the mean: the slides allowed either"


def rows(results) -> dict[str, dict[str, str]]:
    table = list(csv.DictReader(io.StringIO((results / "grades.csv").read_text())))
    return {r["student"]: r for r in table}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("adjust")
    for student, source in (("s01_right", REF), ("s02_mean", WRONG)):
        (base / "subs" / student / "ex05_losses").mkdir(parents=True)
        (base / "subs" / student / "ex05_losses" / "losses.py").write_text(source)
    proc = run_grade("batch", str(base / "subs"), "--out", str(base / "results"), "--jobs", "2", timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return base


@pytest.fixture
def results(graded, tmp_path):
    copy = tmp_path / "results"
    shutil.copytree(graded / "results", copy)
    return copy


def adjust(results, *args: str, lang: str = "en"):
    return run_grade("adjust", str(results), *args, "--lang", lang)


def test_grade_adjust_shows_the_new_score_and_reason_in_the_csv_report_and_student_page(results):
    before = (results / "s02_mean.json").read_bytes()
    graded = json.loads(before)["exercises"]["ex05_losses"]["score"]
    assert 0 < graded < 10 and rows(results)["s01_right"]["ex05_losses"] == "10"  # honest work: full marks
    proc = adjust(results, "s02_mean", "ex05", "--points", "9.5", "--reason", REASON, "--by", "prof.kim")
    assert proc.returncode == 0, proc.stderr
    assert f"{graded:g} → 9.5" in proc.stdout
    row = rows(results)["s02_mean"]
    assert row["ex05_losses"] == "9.5" and float(row["total"]) == 9.5 + json.loads(before)["score"] - graded
    assert REASON in row["note"] and "prof.kim" in row["note"] and "adjusted" in row["note"]
    assert rows(results)["s01_right"]["ex05_losses"] == "10"  # the others are untouched
    report = (results / "report.html").read_text()
    assert 'id="adjustments"' in report and REASON in report and "9.5*" in report
    page = (results / "students" / "s02_mean.html").read_text()
    assert REASON in page and "9.5 / 10" in page
    assert (results / "s02_mean.json").read_bytes() == before  # the grader's score stays recorded, still signed
    entry = (results / "adjustments.toml").read_text()
    assert "prof.kim" in entry and f"original = {graded}" in entry and "mac = " in entry and "Z\"" in entry


def test_resume_and_a_regrade_keep_the_adjustment(graded, results):
    assert adjust(results, "s02_mean", "ex05_losses", "--points", "8", "--reason", REASON).returncode == 0
    resumed = run_grade("batch", str(graded / "subs"), "--out", str(results), "--resume")
    assert resumed.returncode == 0 and rows(results)["s02_mean"]["ex05_losses"] == "8"
    regraded = run_grade("batch", str(graded / "subs"), "--out", str(results), "--jobs", "2", timeout=900)
    assert regraded.returncode == 0 and rows(results)["s02_mean"]["ex05_losses"] == "8"
    assert REASON in (results / "students" / "s02_mean.html").read_text()


def test_a_hand_edited_adjustment_is_reported_and_not_applied(results):
    assert adjust(results, "s02_mean", "ex05", "--points", "9", "--reason", REASON).returncode == 0
    path = results / "adjustments.toml"
    path.write_text(path.read_text().replace("points = 9.0", "points = 10.0"))
    assert run_grade("report", str(results)).returncode == 0
    report = (results / "report.html").read_text()
    assert "was not applied" in report and "9*" not in report and "10*" not in report
    graded = json.loads((results / "s02_mean.json").read_text())["exercises"]["ex05_losses"]["score"]
    assert f'>{graded:g}</td>' in report.split('id="student-table"')[1]


def test_a_hand_edited_result_still_fails_verification_and_its_adjustment_is_not_applied(results):
    assert adjust(results, "s02_mean", "ex05", "--points", "9", "--reason", REASON).returncode == 0
    data = json.loads((results / "s02_mean.json").read_text())
    data["exercises"]["ex05_losses"]["score"] = data["score"] = 10
    (results / "s02_mean.json").write_text(json.dumps(data))
    assert run_grade("report", str(results)).returncode == 0
    report = (results / "report.html").read_text()
    assert "s02_mean.json" in report.split("callout problem")[1]  # left out, and named
    assert "has no result for ex05_losses" in report
    assert adjust(results, "s02_mean", "ex05", "--points", "9", "--reason", REASON).returncode == 2


def test_undo_goes_back_to_the_graders_score(results):
    graded = json.loads((results / "s02_mean.json").read_text())["exercises"]["ex05_losses"]["score"]
    assert adjust(results, "s02_mean", "ex05", "--points", "9", "--reason", REASON).returncode == 0
    assert adjust(results, "s02_mean", "ex05", "--undo", "--reason", "typo").returncode == 0
    assert rows(results)["s02_mean"]["ex05_losses"] == f"{graded:g}"
    assert (results / "adjustments.toml").read_text().count("[[adjustment]]") == 2  # the history stays


@pytest.mark.parametrize("args, en, ko", [
    (("nobody", "ex05", "--points", "1", "--reason", "x"), "no signed result for student nobody", "서명된 결과가 없습니다"),
    (("s02_mean", "ex99", "--points", "1", "--reason", "x"), "has no exercise ex99", "문제가 없습니다"),
    (("s02_mean", "ex05", "--points", "11", "--reason", "x"), "from 0 to 10", "0에서 10 사이"),
    (("s02_mean", "ex05", "--points", "-1", "--reason", "x"), "from 0 to 10", "0에서 10 사이"),
    (("s02_mean", "ex05", "--points", "5"), "--reason", "--reason"),
    (("s02_mean", "ex05", "--reason", "x"), "--points N", "--points N"),
])
def test_bad_adjust_input_gets_a_clear_bilingual_message_and_exit_2(results, args, en, ko):
    for lang, expected in (("en", en), ("ko", ko)):
        proc = adjust(results, *args, lang=lang)
        said = " ".join(proc.stderr.split())  # the console wraps long lines
        assert proc.returncode == 2 and expected in said and "Traceback" not in said, (lang, proc.stderr)
    assert not (results / "adjustments.toml").exists()


def test_grade_adjust_refuses_a_folder_that_is_not_a_batchs_results(tmp_path):
    proc = run_grade("adjust", str(tmp_path), "s01", "ex05", "--points", "1", "--reason", "x")
    assert proc.returncode == 2 and "not a results folder" in " ".join(proc.stderr.split())
    broken = run_grade("adjust", str(tmp_path / "missing"), "s01", "ex05", "--points", "1", "--reason", "x")
    assert broken.returncode == 2 and "Traceback" not in broken.stderr


def test_an_adjusted_exercise_that_was_not_handed_in_shows_its_reason_too(results):
    assert json.loads((results / "s02_mean.json").read_text())["exercises"]["ex07_param_count"]["verdict"] == "not_submitted"
    proc = adjust(results, "s02_mean", "ex07", "--points", "5", "--reason", "handed in late by email")
    assert proc.returncode == 0, proc.stderr
    assert "handed in late by email" in (results / "students" / "s02_mean.html").read_text()
    assert rows(results)["s02_mean"]["ex07_param_count"] == "5"
