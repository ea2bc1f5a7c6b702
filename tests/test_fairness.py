"""No points for nothing: a stub with only `pass` or `return None` added scores 0 in every exercise, and a file that
returns the public checks' numbers (hard-coded) scores at most a third, while the reference keeps full marks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.catalog import Catalog
from tests.conftest import ROOT, run_grade

CATALOG = Catalog(ROOT)
EXERCISES = [e for e in CATALOG.items if e.kind == "exercise"]

#: Exercises whose public checks call module-level functions that return numbers: a file memorising what the
#: reference returned to those calls is built from the checks themselves (:func:`memorised_file`).
MEMORISABLE = ("ex05", "ex06", "ex07", "ex08", "ex13", "ex16")
#: Exercises whose answers are tensors or objects (TensorFlow tensors, a class's methods updating arrays in place):
#: there the hard-coded file is written by hand from the public checks' values, as the `wrong_hardcoded_*` sample.
HAND_WRITTEN = {"ex01": "wrong_hardcoded_example.py", "ex09": "wrong_hardcoded_example.py",
                "ex14": "wrong_hardcoded_paths.py"}
#: Exercises whose answer is a Keras model builder: the public checks judge the model (its layers, compile settings,
#: what it learns on data only the grader has), so there is no number a file could return in its place.
MODEL_BUILDERS = ("ex02", "ex03", "ex04", "ex10", "ex11", "ex12", "ex15")


def _course(tmp_path: Path, exercise) -> Path:
    course = tmp_path / "course"
    for top in ("exercises", "solutions"):
        shutil.copytree(ROOT / top / exercise.name, course / top / exercise.name,
                        ignore=shutil.ignore_patterns("__pycache__", ".grade_state.json"))
    return course


def _score(proc) -> tuple[float, float]:
    assert proc.returncode in (0, 1), proc.stdout[-2000:] + proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    return result["score"], result["max_score"]


def with_added(stub: str, line: str) -> str:
    """The stub with ``line`` added under every ``# [[YOUR CODE]]`` (its own indentation): attempted, nothing done."""
    return re.sub(r"^([ \t]*)# \[\[YOUR CODE\]\][^\n]*\n", lambda m: f"{m.group(0)}{m.group(1)}{line}\n", stub, flags=re.M)


def test_every_exercise_is_classified_for_hard_coding():
    ids = {e.id for e in EXERCISES}
    assert ids == set(MEMORISABLE) | set(HAND_WRITTEN) | set(MODEL_BUILDERS)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_stub_with_pass_or_return_none_added_scores_zero(tmp_path, exercise):
    # as a student: the stub in place, edited, graded with `grade exNN`; then the reference, as honest work
    course = _course(tmp_path, exercise)
    stub = course / "exercises" / exercise.name / exercise.meta["file"]
    original = stub.read_text(encoding="utf-8")
    env = {"GRADE_ROOT": str(course)}
    for line in ("pass", "return None"):
        edited = with_added(original, line)
        assert edited != original
        stub.write_text(edited, encoding="utf-8")
        score, _ = _score(run_grade(exercise.id, "--format", "json", "--seed", "3", env=env))
        assert score == 0, f"{exercise.id} with `{line}` added scores {score}"
    stub.write_text(exercise.reference_path.read_text(encoding="utf-8"), encoding="utf-8")
    score, full = _score(run_grade(exercise.id, "--format", "json", "--seed", "3", env=env))
    assert score == full


# --- a file that returns the public checks' numbers ----------------------------------------------------------


def public_calls(exercise) -> list[tuple[str, list, dict, Any]]:
    """The calls the public checks make to the student's module-level functions, and what the reference returned:
    the reference graded with the public checks only, each call recorded on the judge's side."""
    from grader.judge import Options, grade
    from grader.sandbox import session as sessions
    from grader.sandbox.wire import Fn, Handle

    calls: list[tuple[str, list, dict, Any]] = []
    original = sessions.Session.call

    def recording(self, name, *args, **kwargs):
        result = original(self, name, *args, **kwargs)
        if not isinstance(result, Handle):
            plain = [None if isinstance(a, Fn) else a for a in args]  # a function argument matches any function
            calls.append((name, plain, {k: v for k, v in kwargs.items() if k != "keep"}, result))
        return result

    sessions.Session.call = recording
    try:
        result = grade(exercise, exercise.reference_path, Options(seed=1, hidden=False))
    finally:
        sessions.Session.call = original
    assert result.score == result.max_score
    return calls


def _literal(value: Any) -> str:
    """Python source for a plain value (numbers, arrays with their dtype, lists, dicts, None)."""
    if isinstance(value, np.ndarray):
        return f"np.array({_literal(value.tolist())}, dtype={str(value.dtype)!r})"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_literal(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return f"float({str(float(value))!r})"
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


MEMORY = '''
def _same(a, b):
    if b is None:  # a function argument: any
        return True
    try:
        return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float)))
    except (TypeError, ValueError):
        return a == b


def _recall(name, args, kwargs):
    for known, known_args, known_kwargs, value in _SEEN:
        if known == name and len(args) == len(known_args) and set(kwargs) == set(known_kwargs) and all(
                _same(a, b) for a, b in zip(args, known_args)) and all(_same(kwargs[k], known_kwargs[k]) for k in kwargs):
            return value
    return None
'''


def memorised_file(exercise, calls) -> str:
    """A file whose functions return what the reference returned to the public checks' calls, and None otherwise."""
    names = sorted({name for name, *_ in calls})
    table = ",\n    ".join(f"({name!r}, {_literal(args)}, {_literal(kwargs)}, {_literal(value)})"
                           for name, args, kwargs, value in calls)
    body = [f"import numpy as np\n\n_SEEN = [\n    {table},\n]\n", MEMORY]
    body += [f"\ndef {name}(*args, **kwargs):\n    return _recall({name!r}, args, kwargs)\n" for name in names]
    return "\n".join(body)


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.id in MEMORISABLE], ids=lambda e: e.id)
def test_file_returning_the_public_checks_numbers_scores_at_most_a_third(tmp_path, exercise):
    calls = public_calls(exercise)
    assert calls, "the public checks made no call to memorise"
    course = _course(tmp_path, exercise)
    stub = course / "exercises" / exercise.name / exercise.meta["file"]
    stub.write_text(memorised_file(exercise, calls), encoding="utf-8")
    env = {"GRADE_ROOT": str(course)}
    score, full = _score(run_grade(exercise.id, "--format", "json", "--seed", "5", env=env))
    assert 0 < score <= full / 3, f"{exercise.id}: the memorised public values score {score} of {full}"
    stub.write_text(exercise.reference_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert _score(run_grade(exercise.id, "--format", "json", "--seed", "5", env=env)) == (full, full)


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.id in HAND_WRITTEN], ids=lambda e: e.id)
def test_hand_written_hard_coded_sample_scores_at_most_a_third(tmp_path, exercise):
    from grader.instructor.samples import apply_patch, is_patch_sample

    sample = ROOT / "tests" / "submissions" / exercise.name / HAND_WRITTEN[exercise.id]
    text = sample.read_text(encoding="utf-8")
    if is_patch_sample(sample):
        text = apply_patch(exercise.reference_path.read_text(encoding="utf-8"), text)
    course = _course(tmp_path, exercise)
    (course / "exercises" / exercise.name / exercise.meta["file"]).write_text(text, encoding="utf-8")
    score, full = _score(run_grade(exercise.id, "--format", "json", "--seed", "5", env={"GRADE_ROOT": str(course)}))
    assert score <= full / 3, f"{exercise.id}: {sample.name} scores {score} of {full}"


# --- equivalent answers: Dense + an activation layer is that Dense with the activation ------------------------


def _dense(name, units, activation="linear", shape=None):
    return {"name": name, "class": "Dense", "units": units, "activation": activation, "rate": None,
            "output_shape": shape}


def _act(name, cls, activation=None):
    return {"name": name, "class": cls, "units": None, "activation": activation, "rate": None, "output_shape": None}


def test_dense_followed_by_an_activation_layer_reads_as_dense_with_that_activation():
    from grader.checks import layer_text, normalize_layers

    facts = {"layers": [{"name": "f", "class": "Flatten", "units": None, "activation": None, "rate": None},
                        _dense("d1", 400), _act("a1", "ReLU"), _dense("d2", 200), _act("a2", "Activation", "relu"),
                        _dense("d3", 100), _act("a3", "Softmax"), _dense("d4", 5), _act("a4", "LeakyReLU")]}
    got = [layer_text(l) for l in normalize_layers(facts)["layers"]]
    assert got == ["Flatten()", "Dense(400, relu)", "Dense(200, relu)", "Dense(100, softmax)", "Dense(5, leaky_relu)"]
    # a Dense that already has an activation keeps the layer after it: relu then softmax is another function
    kept = {"layers": [_dense("d", 10, "relu"), _act("s", "Softmax")]}
    assert [l["class"] for l in normalize_layers(kept)["layers"]] == ["Dense", "Softmax"]


def test_a_functional_graph_folds_only_a_layer_its_dense_feeds_alone():
    from grader.checks import normalize_layers

    chain = {"layers": [_dense("d", 8), _act("r", "ReLU"), _dense("out", 1, "sigmoid")],
             "edges": [["input", "d"], ["d", "r"], ["r", "out"]]}
    folded = normalize_layers(chain)
    assert [l["name"] for l in folded["layers"]] == ["d", "out"] and folded["layers"][0]["activation"] == "relu"
    assert folded["edges"] == [["input", "d"], ["d", "out"]]
    # the Dense also feeds another layer (a skip connection): its own output is used linearly, nothing is folded
    branch = {"layers": [_dense("d", 8), _act("r", "ReLU"), _dense("out", 1, "sigmoid")],
              "edges": [["input", "d"], ["d", "r"], ["d", "out"], ["r", "out"]]}
    assert normalize_layers(branch) is branch


def test_layer_comparison_accepts_activation_layers_and_names_the_real_difference():
    from grader.checks import Incorrect, LayerDiff
    from grader.checks.expect import Expectations

    expected = [{"class": "Dense", "units": 400, "activation": "relu"}, {"class": "Dense", "units": 10, "activation": "softmax"}]
    Expectations().expect_layers({"layers": [_dense("a", 400), _act("b", "ReLU"), _dense("c", 10), _act("d", "Softmax")]},
                                 expected)
    with pytest.raises(Incorrect) as failed:
        Expectations().expect_layers({"layers": [_dense("a", 300), _act("b", "ReLU"), _dense("c", 10), _act("d", "Softmax")]},
                                     expected)
    diff = next(d for d in failed.value.details if isinstance(d, LayerDiff))
    assert diff.ok == [False, True]  # only the first layer differs (300 units), the activation layers do not
