"""`grade export`: a gradebook CSV in Canvas's or Moodle's columns, adjusted scores, no cell a spreadsheet evaluates."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import run_grade


def result(student: str, ex05: float, q01: float) -> dict:
    return {"student": student, "score": ex05 + q01, "max_score": 15, "tests": [], "lang": "en",
            "exercises": {"ex05_losses": {"score": ex05, "max_score": 10, "status": "failing" if ex05 < 10 else "passed"},
                          "q01_keras_basics": {"score": q01, "max_score": 5, "status": "passed"}}}


@pytest.fixture
def results(tmp_path):
    """A results folder as `grade batch` writes it: signed result files (a hostile id among them)."""
    from grader import batch

    folder = tmp_path / "results"
    key = batch.results_key(folder)
    for student, ex05, q01 in (("2024001", 10, 5), ("2024002", 6.5, 4), ("=HYPERLINK(x)", 3, 0)):
        batch.write_result(batch.result_path(folder, student), result(student, ex05, q01), key)
    return folder


def read(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_canvas_gradebook_has_canvas_columns_a_points_row_and_adjusted_scores(results, tmp_path):
    adjusted = run_grade("adjust", str(results), "2024002", "ex05", "--points", "8", "--reason", "regrade request")
    assert adjusted.returncode == 0, adjusted.stderr
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name,canvas_id,sis_user_id,sis_login_id,section,email\n"
                      "2024001,\"Kim, Minji\",101,2024001,minji,A,minji@example.edu\n")
    proc = run_grade("export", str(results), "--lms", "canvas", "--out", str(tmp_path / "canvas.csv"), "--roster", str(roster))
    assert proc.returncode == 0, proc.stderr
    rows = read(tmp_path / "canvas.csv")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ex05_losses", "q01_keras_basics"]
    assert rows[1] == ["Points Possible", "", "", "", "", "10", "5"]
    by_sis = {r[2]: r for r in rows[2:]}
    assert by_sis["2024001"] == ["Kim, Minji", "101", "2024001", "minji", "A", "10", "5"]  # honest work: full marks
    assert by_sis["2024002"][5:] == ["8", "4"]  # the adjusted score, not the grader's 6.5
    assert (tmp_path / "canvas.csv").read_bytes().count(b"\r\n") == 5


def test_moodle_gradebook_maps_on_id_number(results, tmp_path):
    proc = run_grade("export", str(results), "--lms", "moodle", "--out", str(tmp_path / "moodle.csv"))
    assert proc.returncode == 0, proc.stderr
    rows = read(tmp_path / "moodle.csv")
    assert rows[0] == ["ID number", "Email address", "ex05_losses", "q01_keras_basics"]
    assert ["2024002", "", "6.5", "4"] in rows[1:]


def test_cells_a_spreadsheet_would_evaluate_are_quoted(results, tmp_path):
    from grader.classroom.gradebook import safe_cell

    for lms in ("canvas", "moodle"):
        assert run_grade("export", str(results), "--lms", lms, "--out", str(tmp_path / f"{lms}.csv")).returncode == 0
        cells = [c for row in read(tmp_path / f"{lms}.csv") for c in row]
        assert "'=HYPERLINK(x)" in cells and not any(c[:1] in "=+-@" for c in cells if c)
    assert [safe_cell(x) for x in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "Kim")] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "Kim"]


def test_export_refuses_bad_input_with_a_bilingual_message(results, tmp_path):
    missing = run_grade("export", str(tmp_path / "nowhere"), "--lms", "canvas", "--out", str(tmp_path / "x.csv"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nKim,k@example.edu\n")
    for lang, words in (("en", "student column"), ("ko", "student 열")):
        proc = run_grade("export", str(results), "--lms", "moodle", "--out", str(tmp_path / "x.csv"), "--roster",
                         str(roster), "--lang", lang)
        assert proc.returncode == 2 and words in " ".join(proc.stderr.split()), proc.stderr
    wrong = run_grade("export", str(results), "--lms", "blackboard", "--out", str(tmp_path / "x.csv"))
    assert wrong.returncode == 2 and not (tmp_path / "x.csv").exists()
