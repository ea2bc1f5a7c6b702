"""The `grade` command: names, exit codes, languages, JSON, progress, hints and plain output."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from grader.catalog import Catalog, CatalogError
from grader.i18n import LANGS, all_messages, default_lang
from tests.conftest import ROOT, run_grade

REFERENCE = ROOT / "solutions" / "ex05_losses" / "losses.py"


@pytest.mark.parametrize("name", ["ex05", "5", "05", "losses", "ex05_losses", "EX05"])
def test_exercise_resolves_by_id_number_or_slug(name):
    assert Catalog(ROOT).resolve(name).name == "ex05_losses"


def test_unknown_exercise_is_a_usage_error_with_exit_code_2():
    proc = run_grade("ex99", "--lang", "en")
    assert proc.returncode == 2
    assert "No exercise called 'ex99'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_submission_file_is_a_usage_error_with_exit_code_2(tmp_path):
    proc = run_grade("ex05", "--submission", str(tmp_path / "nope.py"), "--lang", "ko")
    assert proc.returncode == 2
    assert "파일이 없습니다" in proc.stderr


def test_a_missing_submission_is_its_own_error_not_a_broken_course(tmp_path):
    from grader.errors import GraderError, SubmissionMissing
    from grader.judge import Options, grade

    with pytest.raises(SubmissionMissing) as info:
        grade(Catalog(ROOT).resolve("ex05"), tmp_path / "nope.py", Options(lang="en"))
    assert not isinstance(info.value, CatalogError) and isinstance(info.value, GraderError)
    assert info.value.message.render("en") == f"No such file: {tmp_path / 'nope.py'}"
    assert CatalogError.__module__ == "grader.errors"  # and still importable from grader.catalog


def test_reference_exits_0_and_stub_exits_1():
    assert run_grade("ex05", "--submission", str(REFERENCE), "--seed", "2").returncode == 0
    assert run_grade("ex05", "--seed", "2").returncode == 1


def test_json_result_is_gradescope_shaped_and_alone_on_stdout():
    proc = run_grade("ex05", "--submission", str(REFERENCE), "--format", "json", "--seed", "4", "--lang", "en")
    result = json.loads(proc.stdout)
    assert {"score", "max_score", "execution_time", "output", "tests", "exercise", "seed", "device", "lang", "grader_version"} <= set(result)
    assert result["seed"] == 4 and result["lang"] == "en" and result["device"] == "cpu"
    assert result["score"] == result["max_score"] == 10
    for number, test in enumerate(result["tests"], 1):
        assert {"name", "number", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert test["status"] in ("passed", "failed") and test["number"] == str(number)
    assert {t["visibility"] for t in result["tests"]} == {"visible", "after_due_date"}


def test_json_output_option_writes_the_file(tmp_path):
    out = tmp_path / "r.json"
    proc = run_grade("ex05", "--submission", str(REFERENCE), "--format", "json", "--output", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert json.loads(out.read_text())["score"] == 10


def test_seed_makes_hidden_inputs_reproducible(tmp_path):
    wrong = ROOT / "tests" / "submissions" / "ex05_losses" / "wrong_hardcoded_example.py"
    a = run_grade("ex05", "--submission", str(wrong), "--format", "json", "--seed", "9")
    b = run_grade("ex05", "--submission", str(wrong), "--format", "json", "--seed", "9")
    strip = lambda r: [(t["name"], t["score"], t["output"]) for t in json.loads(r.stdout)["tests"]]
    assert strip(a) == strip(b)


def test_hidden_check_failures_never_print_expected_values(monkeypatch):
    # record every value a hidden check compares with, then look for each of them in everything shown
    import sys

    import numpy as np

    from grader.checks import expect
    from grader.judge import Options, grade
    from grader.report.gradescope import to_gradescope
    from grader.report.terminal import ExerciseView
    from rich.console import Console

    secret: list[float] = []
    original = expect.close

    def spy(got, expected, *args, **kwargs):
        ctx = sys._getframe(1).f_locals.get("self")
        if getattr(ctx, "hidden", False):
            secret.extend(float(v) for v in np.ravel(np.asarray(expected, dtype=float)))
        return original(got, expected, *args, **kwargs)

    monkeypatch.setattr(expect, "close", spy)
    wrong = ROOT / "tests" / "submissions" / "ex05_losses" / "wrong_mse_mean.py"
    shown = []
    for lang in LANGS:
        result = grade(Catalog(ROOT).resolve("ex05"), wrong, Options(lang=lang, seed=3))
        hidden = [c for c in result.checks if c.hidden and c.status == "failed"]
        assert hidden
        console = Console(record=True, width=200, color_system=None)
        console.print(ExerciseView(result, lang))
        shown += [console.export_text(), json.dumps(to_gradescope(result), ensure_ascii=False)]
    values = [v for v in secret if np.isfinite(v) and abs(v) > 1e-3 and v != round(v)]
    assert len(values) >= 3  # the spy saw the hidden expected values
    text = "\n".join(shown)
    for v in values:
        for form in (f"{v:.3g}", f"{v:.4g}", f"{v:.6g}", f"{v:.4f}", repr(v)):
            # a whole number as shown, not a piece of another one (0.4 inside "Time 0.42 s" is not a leak)
            assert not re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text), (v, form)
    assert "(hidden)" in text


def test_common_mistake_gets_a_targeted_explanation():
    wrong = ROOT / "tests" / "submissions" / "ex05_losses" / "wrong_mse_mean.py"
    proc = run_grade("ex05", "--submission", str(wrong), "--lang", "ko", "--seed", "3")
    assert "흔한 실수" in proc.stdout and "합의 절반" in proc.stdout


def test_plain_output_has_no_ansi_codes_when_not_a_terminal():
    proc = run_grade("ex05", "--submission", str(REFERENCE), "--seed", "1")
    assert "\x1b[" not in proc.stdout
    assert "ex05_losses" in proc.stdout and "10/10" in proc.stdout


def test_syntax_error_shows_the_students_line(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text("import numpy as np\n\ndef mean_squared_error(y, t):\n    return 0.5 * np.sum((y - t) ** 2\n")
    proc = run_grade("ex05", "--submission", str(path), "--lang", "en", "--format", "json")
    result = json.loads(proc.stdout)
    assert proc.returncode == 1 and result["score"] == 0
    assert "Syntax error (line 4" in result["output"]  # once, at the top
    assert "return 0.5 * np.sum((y - t) ** 2" in result["output"]
    assert all(t["output"].startswith("Not run: the file did not load") for t in result["tests"])


def test_missing_function_is_named_and_the_rest_still_grades(tmp_path):
    source = REFERENCE.read_text().replace("def mean_absolute_error", "def mae_renamed")
    path = tmp_path / "losses.py"
    path.write_text(source)
    result = json.loads(run_grade("ex05", "--submission", str(path), "--format", "json", "--lang", "en").stdout)
    mae = [t for t in result["tests"] if "MAE" in t["name"]]
    assert mae and "`mean_absolute_error` is missing" in mae[0]["output"]  # said once; the others point back to it
    assert all(t["score"] == 0 and ("is missing" in t["output"] or "same reason as" in t["output"]) for t in mae)
    assert result["score"] == result["max_score"] - sum(t["max_score"] for t in mae)


def test_progress_table_and_hints_use_a_state_file(tmp_path):
    import shutil

    course = tmp_path / "course"
    shutil.copytree(ROOT / "exercises", course / "exercises")
    env = {"GRADE_ROOT": str(course)}
    first = run_grade("hint", "ex05", "--lang", "en", env=env)
    second = run_grade("hint", "ex05", "--lang", "en", env=env)
    assert "Hint 1/3" in first.stdout and "Hint 2/3" in second.stdout
    run_grade("ex05", "--lang", "en", env=env)
    table = run_grade("--lang", "en", env=env)
    assert table.returncode == 0
    assert re.search(r"ex05.*not attempted", table.stdout)
    assert "Next: ex01" in table.stdout and "`grade ex01`" in table.stdout
    state = json.loads((course / ".grade_state.json").read_text())
    assert state["exercises"]["ex05_losses"]["hints_seen"] == 2


def test_list_shows_every_exercise():
    proc = run_grade("list", "--lang", "en")
    for exercise in Catalog(ROOT).items:
        assert exercise.name in proc.stdout


@pytest.mark.parametrize("env,lang", [({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LANG": "en_US.UTF-8"}, "en"), ({"LC_ALL": "ko_KR"}, "ko"), ({}, "en")])
def test_default_language_follows_the_locale(env, lang):
    assert default_lang(env) == lang


def test_every_message_exists_in_both_languages():
    for key, texts in all_messages().items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
        fields = {lang: sorted(re.findall(r"{(\w+)", texts[lang])) for lang in LANGS}
        assert set(fields["ko"]) == set(fields["en"]), key


def test_broken_exercise_metadata_is_a_clear_error(tmp_path):
    folder = tmp_path / "exercises" / "ex01_broken"
    folder.mkdir(parents=True)
    (folder / "exercise.toml").write_text("title = [")
    with pytest.raises(CatalogError):
        Catalog(tmp_path).items
    proc = run_grade("list", env={"GRADE_ROOT": str(tmp_path)})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_device_gpu_without_a_gpu_is_a_clear_usage_error():
    from grader.sandbox import gpu_present

    if gpu_present():
        pytest.skip("this machine has a GPU")
    proc = run_grade("ex02", "--device", "gpu", "--lang", "en")
    assert proc.returncode == 2 and "no GPU is visible" in proc.stderr


def test_device_cpu_is_recorded_in_the_result():
    proc = run_grade("ex10", "--submission", str(ROOT / "solutions/ex10_xor/xor.py"), "--device", "cpu", "--format", "json", "--seed", "1")
    result = json.loads(proc.stdout)
    assert proc.returncode == 0 and result["device"] == "cpu"


def test_progress_points_to_the_first_exercise_not_passed_yet(tmp_path):
    course = tmp_path / "course"
    for name in ("ex05_losses", "ex08_activations"):
        shutil.copytree(ROOT / "exercises" / name, course / "exercises" / name)
    (course / ".grade_state.json").write_text(json.dumps({"exercises": {"ex05_losses": {"passed": True, "best": 10, "max": 10}}}))
    env = {"GRADE_ROOT": str(course)}
    out = run_grade("--lang", "ko", env=env).stdout
    assert "다음 문제: ex08" in out and "`grade ex08`" in out
    (course / ".grade_state.json").write_text(json.dumps({"exercises": {n: {"passed": True} for n in ("ex05_losses", "ex08_activations")}}))
    assert "Every exercise passes" in run_grade("--lang", "en", env=env).stdout


def _mini_course(tmp_path, names=("ex05_losses", "ex08_activations")):
    course = tmp_path / "course"
    for name in names:
        shutil.copytree(ROOT / "exercises" / name, course / "exercises" / name)
        shutil.copytree(ROOT / "solutions" / name, course / "solutions" / name)
    return course


@pytest.mark.parametrize("format", ["text", "json", "junit", "markdown"])
def test_grade_all_prints_a_one_line_summary_even_with_output(tmp_path, format):
    course = _mini_course(tmp_path)
    out = tmp_path / "result.out"
    proc = run_grade("all", "--format", format, "--output", str(out), "--lang", "en", "--seed", "1",
                     env={"GRADE_ROOT": str(course)})
    assert out.exists() and out.stat().st_size > 0
    lines = [l for l in proc.stdout.splitlines() if l.startswith("Total 0/24 points")]
    assert len(lines) == 1 and "0 of 2 items passed" in lines[0] and str(out) in lines[0]
    assert "Grading ex05_losses (1/2)" in proc.stderr and "Grading ex08_activations (2/2)" in proc.stderr  # CI logs


def test_grade_all_json_without_output_keeps_stdout_pure_json(tmp_path):
    course = _mini_course(tmp_path)
    proc = run_grade("all", "--format", "json", "--lang", "en", "--seed", "1", env={"GRADE_ROOT": str(course)})
    assert json.loads(proc.stdout)["max_score"] == 24


def test_grade_all_live_status_names_the_item_being_graded():
    from rich.console import Console
    import io

    from grader.report.terminal import AssignmentReporter

    reporter = AssignmentReporter(Console(file=io.StringIO()), "en", ["ex05_losses", "ex08_activations"])
    reporter.status("ex08_activations")
    assert reporter.label == "Grading ex08_activations (2/2)"
    reporter.status("Grading")
    assert reporter.label == "Grading ex08_activations (2/2) · Grading"


def test_passing_in_place_points_to_the_next_exercise(tmp_path):
    course = _mini_course(tmp_path)
    shutil.copy(REFERENCE, course / "exercises" / "ex05_losses" / "losses.py")  # the student's finished stub, in place
    proc = run_grade("ex05", "--lang", "en", "--seed", "1", env={"GRADE_ROOT": str(course)})
    assert proc.returncode == 0 and "10/10" in proc.stdout
    assert "Next: ex08" in proc.stdout and "`grade ex08`" in proc.stdout


# --- input errors: exit 2, a clear message in both languages, the command to run once it is fixed ---------------

WIDE = {"COLUMNS": "400"}  # one message, one line: the commands in it are read whole


def test_a_notebook_that_is_not_json_exits_2_and_its_advice_keeps_the_submission(tmp_path):
    notebook = tmp_path / "my work.ipynb"
    notebook.write_text('{"cells": [', encoding="utf-8")  # cut short while saving
    for lang, words in (("en", "is not valid JSON"), ("ko", "올바른 JSON이 아닙니다")):
        proc = run_grade("ex05", "--submission", str(notebook), "--lang", lang, env=WIDE)
        assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr
        assert f"`grade ex05 --submission '{notebook}'`" in proc.stderr


def test_a_notebook_without_a_version_says_the_version_is_missing(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}}', encoding="utf-8")
    proc = run_grade("ex05", "--submission", str(notebook), "--lang", "en", env=WIDE)
    assert proc.returncode == 2 and "has no nbformat version" in proc.stderr and "version ?" not in proc.stderr
    assert proc.stderr.count("\n") <= 4  # a message, not a panel of checks that were not run


def test_a_folder_as_submission_says_it_is_a_folder_and_what_to_run(tmp_path):
    folder = tmp_path / "ex05_losses"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / "losses.py")
    proc = run_grade("ex05", "--submission", str(folder), "--lang", "en", env=WIDE)
    assert proc.returncode == 2 and "No such file" not in proc.stderr
    assert "is a folder" in proc.stderr and f"grade ex05 --submission {folder / 'losses.py'}" in proc.stderr
    assert f"grade all --submission {folder}" in proc.stderr
    assert "폴더입니다" in run_grade("ex05", "--submission", str(folder), "--lang", "ko").stderr
    assert run_grade("ex05", "--submission", str(folder / "losses.py"), "--lang", "en").returncode == 0


@pytest.mark.parametrize("typo", ["ex5x", "e05", "exx05", "ex_5"])
def test_a_mistyped_exercise_number_suggests_the_exercise(typo):
    proc = run_grade(typo, "--lang", "en", env=WIDE)
    assert proc.returncode == 2 and "Did you mean ex05 (losses)?" in proc.stderr
    assert "Did you mean" not in run_grade("ex99", "--lang", "en").stderr


def test_a_file_that_does_not_load_is_told_to_grade_the_same_submission_again(tmp_path):
    broken = tmp_path / "losses.py"
    broken.write_text("def mean_squared_error(y, t)\n    return 0\n", encoding="utf-8")
    proc = run_grade("ex05", "--submission", str(broken), "--lang", "en", env=WIDE)
    assert proc.returncode == 1 and f"run `grade ex05 --submission {broken}` again" in proc.stdout


def test_ctrl_c_in_grade_all_says_it_stopped_and_exits_130(tmp_path):
    """As a terminal's Ctrl+C does: SIGINT to the whole process group while a student's code is running."""
    import os
    import signal
    import subprocess
    import sys
    import time

    course = _mini_course(tmp_path)
    slow = tmp_path / "slow" / "ex05_losses"
    slow.mkdir(parents=True)
    (slow / "losses.py").write_text("import time\ntime.sleep(120)\n" + REFERENCE.read_text(encoding="utf-8"))
    env = {**os.environ, "GRADE_ROOT": str(course), "NO_COLOR": "1", "LANG": "C.UTF-8"}
    for lang, words in (("en", "Stopped by Ctrl+C: `grade all` did not finish"), ("ko", "Ctrl+C를 눌러 `grade all` 실행을")):
        proc = subprocess.Popen([sys.executable, "-m", "grader", "all", "--submission", str(slow.parent), "--lang", lang],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        lines = []
        while proc.poll() is None and not any("(1/2)" in line for line in lines):  # grading has started
            lines.append(proc.stderr.readline())
        time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err[-2000:]
        assert words in err and "Traceback" not in err and "Aborted" not in err
