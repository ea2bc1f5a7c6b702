"""Feedback a beginner can read: a file that does not load is reported once, with the student's line and a caret;
a common mistake is explained once; no hint gives the answer away on the first run; words and particles are right."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from grader.catalog import Catalog, CatalogError
from grader.i18n import Msg, all_messages
from tests.conftest import ROOT, run_grade

EX05 = ROOT / "exercises" / "ex05_losses"
REFERENCE = ROOT / "solutions" / "ex05_losses" / "losses.py"


def _write(tmp_path: Path, text: str, name: str = "losses.py") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_syntax_error_is_reported_once_at_the_top_with_a_caret_and_no_unrelated_hint(tmp_path):
    path = _write(tmp_path, "import numpy as np\n\ndef mean_squared_error(y, t):\n    return 0.5 * np.sum((y - t) ** 2\n")
    out = run_grade("ex05", "--submission", str(path), "--lang", "en", "--seed", "1").stdout
    assert out.count("Syntax error (line 4)") == 1
    assert out.count("return 0.5 * np.sum((y - t) ** 2") == 1
    assert re.search(r"\|\s+\^", out)  # the caret line
    assert out.count("Not run: the file did not load") == 9  # every check, none repeating the error
    assert out.index("Syntax error") < out.index("Check")  # above the table
    assert "Hint:" not in out and "delta" not in out  # no hint about something else
    assert "Fix the problem shown above" in out


def test_exception_at_import_names_the_line_with_a_caret_and_explains_it(tmp_path):
    path = _write(tmp_path, "import numpy as np\nimport numpyy\n")
    proc = run_grade("ex05", "--submission", str(path), "--lang", "ko", "--seed", "1")
    out = proc.stdout
    assert proc.returncode == 1
    assert out.count("ModuleNotFoundError") == 1 and "2행" in out
    assert "   2 | import numpyy" in out and "^^^^^^^^^^^^^" in out
    assert "import 줄의 철자" in out
    assert out.count("실행 안 함: 파일을 불러오지 못했습니다") == 9


def test_json_reports_the_load_problem_once_in_the_top_output(tmp_path):
    path = _write(tmp_path, "import numpy as np\nraise ValueError('boom')\n")
    result = json.loads(run_grade("ex05", "--submission", str(path), "--format", "json", "--lang", "en").stdout)
    assert "ValueError: boom" in result["output"] and "raise ValueError('boom')" in result["output"]
    assert all("ValueError" not in t["output"] for t in result["tests"])
    assert all(t["output"].startswith("Not run: the file did not load") for t in result["tests"])


def test_a_common_mistake_is_explained_once_per_exercise():
    wrong = ROOT / "tests" / "submissions" / "ex05_losses" / "wrong_mse_mean.py"
    result = json.loads(run_grade("ex05", "--submission", str(wrong), "--format", "json", "--seed", "3", "--lang", "en").stdout)
    explained = [t for t in result["tests"] if "Common mistake" in t["output"]]
    assert len(explained) == 1
    again = [t for t in result["tests"] if "The same common mistake as explained above" in t["output"]]
    assert again  # the other checks it explains point back to it
    text = run_grade("ex05", "--submission", str(wrong), "--seed", "3", "--lang", "en").stdout
    assert text.count("Common mistake") == 1


def test_table_below_is_never_promised_without_a_table():
    from grader.feedback import Explanation, LayerDiff
    from grader.results import CheckResult

    plain = CheckResult("c", {"en": "c", "ko": "c"}, 0, 1, "failed", Msg("layers_differ"), [Explanation("why")])
    assert plain.message.key == "layers_differ_no_table"
    table = CheckResult("c", {"en": "c", "ko": "c"}, 0, 1, "failed", Msg("layers_differ"), [LayerDiff(["a"], ["b"], [False])])
    assert table.message.key == "layers_differ"
    for key, texts in all_messages().items():
        if "table below" in texts["en"] or "아래 표" in texts["ko"]:
            assert key == "layers_differ", key


def test_first_run_on_an_untouched_stub_shows_no_hint_but_points_to_grade_hint(tmp_path):
    stub = shutil.copy(EX05 / "losses.py", tmp_path / "losses.py")
    out = run_grade("ex05", "--submission", str(stub), "--lang", "en", "--seed", "1").stdout
    assert "Not started yet" in out and "statement.en.md" in out
    assert "Hint:" not in out and "np.sum" not in out and "delta" not in out
    assert "Stuck? `grade hint ex05`" in out and "of 3" in out or "all 3 hints" in out


def test_a_failed_check_shows_its_own_hint_and_the_hint_command(tmp_path):
    source = REFERENCE.read_text().replace("np.log(y + delta)", "np.log(y)")
    out = run_grade("ex05", "--submission", str(_write(tmp_path, source)), "--lang", "en", "--seed", "1").stdout
    tests = json.loads(run_grade("ex05", "--submission", str(tmp_path / "losses.py"), "--format", "json", "--lang", "en",
                                 "--seed", "1").stdout)["tests"]
    assert any("When y holds a 0, log(0) = -inf." in t["output"] for t in tests)  # the log(0) reason, where it happened
    assert "`grade hint ex05`" in out


def test_hints_are_progressive_and_then_all_shown(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(EX05, course / "exercises" / EX05.name)
    env = {"GRADE_ROOT": str(course)}
    stub = shutil.copy(EX05 / "losses.py", tmp_path / "losses.py")
    assert "`grade hint ex05` shows hint 1 of 3" in run_grade("ex05", "--submission", str(stub), env=env).stdout
    outs = [run_grade("hint", "ex05", "--lang", "en", env=env).stdout for _ in range(4)]
    assert outs[0].startswith("Hint 1/3") and "run it again: grade hint ex05" in outs[0]
    assert outs[1].startswith("Hint 2/3") and outs[2].startswith("Hint 3/3")
    assert "run it again" not in outs[2]
    assert "You have seen all 3 hints" in outs[3] and all(f"Hint {i}/3" in outs[3] for i in (1, 2, 3))
    assert "You have seen all 3 hints; `grade hint ex05` shows them again" in run_grade(
        "ex05", "--submission", str(stub), "--lang", "en", env=env).stdout


@pytest.mark.parametrize("typo,expected", [("sequental", "ex02 (sequential)"), ("lossses", "ex05 (losses)"),
                                           ("optimisers", "ex14 (optimizers)")])
def test_a_misspelt_name_suggests_the_exercise(typo, expected):
    with pytest.raises(CatalogError) as info:
        Catalog(ROOT).resolve(typo)
    assert expected in info.value.message.render("en")
    proc = run_grade(typo, "--lang", "ko")
    assert proc.returncode == 2 and expected in proc.stderr and "혹시" in proc.stderr


def test_an_unknown_name_far_from_every_exercise_suggests_nothing():
    proc = run_grade("ex99", "--lang", "en")
    assert proc.returncode == 2 and "Did you mean" not in proc.stderr


def test_a_notebook_made_for_another_exercise_says_which(tmp_path):
    from grader.notebooks.build import build_notebook, notebook_text

    path = tmp_path / "ex05_losses.ipynb"
    path.write_text(notebook_text(build_notebook(Catalog(ROOT).resolve("ex05"), "en")), encoding="utf-8")
    result = json.loads(run_grade("ex08", "--submission", str(path), "--format", "json", "--lang", "en").stdout)
    assert "This notebook was made for ex05_losses, not ex08_activations" in result["output"]
    assert "grade ex05 --submission ex05_losses.ipynb" in result["output"]
    assert result["score"] == 0


def test_english_plurals():
    assert Msg("checks_summary", public=1, hidden=1).render("en") == "1 public check, 1 hidden check"
    assert Msg("checks_summary", public=6, hidden=3).render("en") == "6 public checks, 3 hidden checks"
    assert Msg("truncated", n=1).render("en") == "... (1 byte cut)"
    summary = Msg("assignment_summary", score=1, max_score=1, percent=100.0, passed=1, total=1).render("en")
    assert "1/1 point " in summary and "1 of 1 item passed" in summary
    assert Msg("no_more_hints", n=1).render("en") == "You have seen all 1 hint; here it is again:"


#: A code word or number, a space, then a Korean particle: `relu 를` should be `relu를`.
_SPACED_PARTICLE = re.compile(
    r"[A-Za-z0-9`)\]'\"}%_] (?:을|를|이|가|은|는|의|로|으로|와|과|에서|에|도|처럼|부터|까지|보다|입니다|이어야)(?=[\s.,:;)]|$)")


def _korean_texts():
    from grader.checks import collect

    yield from ((f"i18n:{key}", texts["ko"]) for key, texts in all_messages().items())
    for item in Catalog(ROOT).items:
        yield f"{item.name}:title", item.title["ko"]
        for i, hint in enumerate(item.hints):
            yield f"{item.name}:hint{i}", hint.get("ko", "")
        if item.kind == "exercise":
            for spec in collect(item.public_checks_module(), hidden=False):
                yield f"{item.name}:{spec.name}", spec.title["ko"] + " " + (spec.hint or {}).get("ko", "")
    files = sorted((ROOT / "exercises").glob("ex*/checks.py")) + sorted((ROOT / "solutions").glob("ex*/hidden_checks.py"))
    files += sorted((ROOT / "exercises").glob("ex*/statement.ko.md")) + sorted((ROOT / "exercises").glob("ex*/docstrings.ko.toml"))
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search("[가-힣]", line):
                yield f"{path.relative_to(ROOT)}:{number}", line


def test_korean_particles_are_attached_to_code_words_and_numbers():
    bad = [(where, text) for where, text in _korean_texts() if _SPACED_PARTICLE.search(text)]
    assert not bad, bad[:10]


def test_korean_status_words_are_natural():
    assert all_messages()["status_not_attempted"]["ko"] == "시도 안 함"
    assert all_messages()["status_failing"]["ko"] == "미통과"
    assert all_messages()["status_passed"]["ko"] == "통과"
    assert all("미시도" not in texts["ko"] for texts in all_messages().values())


def test_messages_teach_instead_of_printing_raw_comparisons():
    text = Msg("negative_probability", call="model(x)", got=-0.594).render("en")
    assert ">=" not in text and "softmax" in text and "-0.594" in text
    assert "held-out" not in Msg("train_accuracy_low", got=0.5, expected=1.0).render("en")
    xor = (ROOT / "exercises" / "ex10_xor" / "checks.py").read_text(encoding="utf-8")
    assert '"accuracy_low"' not in xor  # XOR's four points are training points, not held-out data
    assert "expected {expected}, got {got}" not in all_messages()["expected_got"]["en"]
