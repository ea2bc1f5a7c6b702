"""Hints that fit and do not give the answer away.

Placement: a check's own hint (``@check(hint=...)``) is about a wrong answer, so it appears only where that check
ran and judged the student's answer wrong: not where the file did not load, the student's code raised, a function
is missing, or a shared step (building the model, training) failed. A failure several checks share is said once.

Tiers: the progressive hints (``[[hints]]`` of exercise.toml, `grade hint`) teach the idea first; only the last may
show code. Nothing automatic (a check's hint, a common-mistake explanation, any text a check writes) contains a
line of the reference solution.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from grader.i18n import tr
from tests.conftest import ROOT, run_grade

EXERCISES = sorted(p.parent for p in (ROOT / "exercises").glob("ex*/exercise.toml"))


# --- placement -------------------------------------------------------------------------------------------------

def test_an_error_in_the_students_code_is_said_once_and_brings_no_hint(tmp_path):
    source = (ROOT / "solutions" / "ex02_sequential" / "sequential.py").read_text(encoding="utf-8")
    path = tmp_path / "sequential.py"
    path.write_text(source.replace("model.add(layers.Flatten())", "model.add(Layers.Flatten())"), encoding="utf-8")
    out = run_grade("ex02", "--submission", str(path), "--lang", "en", "--seed", "1").stdout
    assert out.count("NameError") == 1 and out.count("Layers.Flatten()") == 1  # said once, with its line
    assert "Hint:" not in out  # the input-shape hint is about a wrong input shape, which was never judged
    tests = json.loads(run_grade("ex02", "--submission", str(path), "--format", "json", "--lang", "en",
                                 "--seed", "1").stdout)["tests"]
    assert [t["output"] for t in tests[1:]] == ["Failed for the same reason as “Returns a Keras model” above."] * 6
    assert all(not (t.get("feedback") or {}).get("hint") for t in tests)
    honest = run_grade("ex02", "--submission", str(ROOT / "solutions" / "ex02_sequential" / "sequential.py"),
                       "--lang", "en", "--seed", "1")
    assert honest.returncode == 0 and "All checks passed!" in honest.stdout


def test_a_check_shows_its_hint_where_it_judged_the_answer_wrong():
    wrong = ROOT / "tests" / "submissions" / "ex02_sequential" / "wrong_grayscale_input.py"
    out = run_grade("ex02", "--submission", str(wrong), "--lang", "en", "--seed", "1").stdout
    assert "Hint:" in out and "height, width and colour channels" in out


def test_no_check_carries_a_hint_where_the_code_raised_or_did_not_load(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text("import numpy as np\n\ndef mean_squared_error(y, t):\n    return undefined_name\n\n"
                    "def cross_entropy_error(y, t):\n    return undefined_name\n\n"
                    "def mean_absolute_error(y, t):\n    return undefined_name\n", encoding="utf-8")
    result = json.loads(run_grade("ex05", "--submission", str(path), "--format", "json", "--lang", "en").stdout)
    assert result["tests"] and all(not (t.get("feedback") or {}).get("hint") for t in result["tests"])
    assert sum("NameError" in t["output"] for t in result["tests"]) == 3  # once per function
    path.write_text("def mean_squared_error(y, t):\n    return (\n", encoding="utf-8")
    out = run_grade("ex05", "--submission", str(path), "--lang", "en").stdout
    assert "Syntax error" in out and "Hint:" not in out and "delta" not in out


def _checks_of(folder: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{folder}_checks", ROOT / "exercises" / folder / "checks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ex15():
    return _checks_of("ex15_circles")


@pytest.mark.parametrize("facts, says_larger", [
    ({"optimizer": "sgd", "learning_rate": 1e-5}, True),
    ({"optimizer": "adam", "learning_rate": 0.001}, True),
    ({"optimizer": "adam", "learning_rate": 0.05}, False),
    ({"optimizer": "sgd", "learning_rate": 0.05}, False),
    ({"optimizer": "adam", "learning_rate": 0.009999999776482582}, False),  # 0.01 as Keras keeps it (float32)
    ({"optimizer": "adam", "learning_rate": 5.0}, False),
])
def test_xor_suggests_a_larger_learning_rate_only_where_it_is_small(facts, says_larger):
    text = tr(_checks_of("ex10_xor").next_step(facts), "en")
    assert ("too small" in text) == says_larger and ("try 0.01-0.1" in text) == (says_larger or facts["learning_rate"] > 1)


@pytest.mark.parametrize("facts, says_larger", [
    ({"optimizer": "adam", "learning_rate": 0.001}, True),
    ({"optimizer": "adam", "learning_rate": 0.01}, False),
    ({"optimizer": "adam", "learning_rate": 0.009999999776482582}, False),  # 0.01 as Keras keeps it (float32)
    ({"optimizer": "sgd", "learning_rate": 0.01}, False),
    ({"optimizer": "sgd", "learning_rate": 1.0}, False),
])
def test_a_larger_learning_rate_is_suggested_only_to_a_slow_adam_model(facts, says_larger):
    text = tr(_ex15().slow_learning(facts, 352), "en")
    assert ("too small" in text) == says_larger
    assert "now 0.01" not in text and ("SGD" in text) == (facts["optimizer"] == "sgd" and facts["learning_rate"] < 1)


# --- tiers: nothing gives the answer away ------------------------------------------------------------------------

def _code_of(text: str) -> str:
    """Code without spaces, quotes made alike and ``np.asarray(y)`` read as ``y`` (a hint writes the idea)."""
    code = re.sub(r"\s+", "", text).replace('"', "'")
    return re.sub(r"np\.asarray\(([^(),]*)(?:,dtype=float)?\)", r"\1", code)


def solution_lines(exercise: Path) -> set[str]:
    """The lines of the reference solution that do the work, as code without spaces: the expression of each
    ``return``, assignment or call statement, and each longer call inside them (``np.arange(1, 28).reshape(3, 3,
    3)``); imports, definitions, docstrings and short lines are left out."""
    found: set[str] = set()
    for path in (ROOT / "solutions" / exercise.name).glob("*.py"):
        if path.name == "hidden_checks.py":
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and len(code := _code_of(ast.unparse(node))) >= 24:
                found.add(code)
            value = None
            if isinstance(node, (ast.Return, ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                value = node.value
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                value = node.value
            if value is None or isinstance(value, ast.Constant):
                continue
            code = _code_of(ast.unparse(value))
            if len(code) >= 14:
                found.add(code)
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                whole = _code_of(ast.get_source_segment(source, node) or "")
                if len(whole) >= 14:
                    found.add(whole)
    return found


def _contains_a_line(text: str, lines: set[str]) -> list[str]:
    flat = _code_of(text)
    return sorted(line for line in lines if line in flat)


def automatic_texts(exercise: Path) -> list[tuple[str, str]]:
    """Every text a check writes by itself: each ``{"ko": ..., "en": ...}`` of checks.py and hidden_checks.py
    (check hints, common-mistake explanations, messages), an f-string's values left out."""
    out = []
    for path in [exercise / "checks.py", ROOT / "solutions" / exercise.name / "hidden_checks.py"]:
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value in ("ko", "en"):
                        parts = [value] if isinstance(value, ast.Constant) else getattr(value, "values", [])
                        text = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
                        out.append((f"{path.relative_to(ROOT)}:{value.lineno}", text))
    return out


def progressive_hints(exercise: Path) -> list[dict[str, str]]:
    return tomllib.loads((exercise / "exercise.toml").read_text(encoding="utf-8")).get("hints", [])


def test_the_reference_lines_are_found():
    # the rule below must be able to fail: the reference's own lines are found in a text that quotes them
    lines = solution_lines(ROOT / "exercises" / "ex05_losses")
    assert _contains_a_line("write 0.5 * np.sum((y - t) ** 2) here", lines)
    assert not _contains_a_line("half of the sum of squared differences", lines)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda p: p.name)
def test_only_the_last_hint_may_show_a_line_of_the_solution(exercise):
    lines = solution_lines(exercise)
    hints = progressive_hints(exercise)
    assert len(hints) >= 2
    shown = {f"hint {i} ({lang})": found for i, hint in enumerate(hints[:-1], 1) for lang in ("ko", "en")
             if (found := _contains_a_line(hint.get(lang, ""), lines))}
    assert shown == {}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda p: p.name)
def test_nothing_automatic_shows_a_line_of_the_solution(exercise):
    lines = solution_lines(exercise)
    shown = {where: found for where, text in automatic_texts(exercise) if (found := _contains_a_line(text, lines))}
    assert shown == {}


def test_a_hidden_check_shows_the_students_array_only_by_its_shape(tmp_path):
    # a cross-entropy that forgets the sum returns -t·log(y): its values would show where the hidden one-hot labels are
    reference = ROOT / "solutions" / "ex05_losses" / "losses.py"
    path = tmp_path / "losses.py"
    path.write_text(reference.read_text(encoding="utf-8").replace(
        "return -np.sum(t * np.log(y + delta)) / y.shape[0]", "return -t * np.log(y + delta)"), encoding="utf-8")
    tests = json.loads(run_grade("ex05", "--submission", str(path), "--format", "json", "--lang", "en",
                                 "--seed", "3").stdout)["tests"]
    hidden = [t for t in tests if "hidden inputs" in t["output"] and "Cross-entropy" in t["name"]]
    assert hidden, "the hidden cross-entropy check failed"
    rows = hidden[0]["output"].splitlines()[2:]
    assert rows and all(re.fullmatch(r".*\(hidden\)\s+array\([\d, ]+\) float64", row) for row in rows), rows
    honest = json.loads(run_grade("ex05", "--submission", str(reference), "--format", "json", "--lang", "en",
                                  "--seed", "3").stdout)
    assert honest["score"] == honest["max_score"]


def test_the_students_page_shows_no_hint_where_the_file_did_not_load(tmp_path):
    # as an instructor runs it: `grade all --format json --output`, then `grade report`; the page of a student whose
    # file has a syntax error shows the error, and no hint (neither a check's nor the exercise's first one)
    folder = tmp_path / "subs" / "kim" / "ex05_losses"
    folder.mkdir(parents=True)
    (folder / "losses.py").write_text("def mean_squared_error(y, t):\n    return (\n", encoding="utf-8")
    out = tmp_path / "results"
    out.mkdir()
    proc = run_grade("all", "--submission", str(folder.parent), "--format", "json", "--output", str(out / "kim.json"),
                     "--lang", "en", timeout=240)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert run_grade("report", str(out), "--lang", "en").returncode == 0
    page = (out / "students" / "kim.html").read_text(encoding="utf-8")
    assert "Syntax error" in page
    assert 'class="callout hint"' not in page and "delta" not in page
