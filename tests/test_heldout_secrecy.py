"""Held-out data comes from the judge's secret: the seed the student's process may learn is not enough to
regenerate it, and ex12's held-out digits are not rows of the public load_digits()."""

from __future__ import annotations

import zlib

import numpy as np

from grader.catalog import Catalog, load_module
from grader.checks import Ctx, _HiddenFile, judge_key, secret_seed
from tests.conftest import ROOT

CATALOG = Catalog(ROOT)


def _ctx(exercise, seed=5, name="a_check", hidden=True):
    return Ctx(session=None, seed=seed, lang="en", hidden=hidden, check_name=name, exercise=exercise)


def test_the_key_lives_in_the_hidden_checks():
    exercise = CATALOG.resolve("ex12")
    key = judge_key(exercise)
    assert isinstance(key, bytes) and len(key) == 32
    assert judge_key(_HiddenFile(None)) is None  # a student release: no hidden checks, no secret
    assert judge_key(CATALOG.resolve("ex11")) != key  # one per exercise


def test_check_inputs_cannot_be_regenerated_from_the_seed():
    exercise = CATALOG.resolve("ex11")
    ctx, again = _ctx(exercise), _ctx(exercise)
    drawn = ctx.rng.integers(0, 2**31, size=4)
    assert np.array_equal(drawn, again.rng.integers(0, 2**31, size=4))  # reproducible for the instructor
    public = np.random.default_rng([5, zlib.crc32(b"a_check")]).integers(0, 2**31, size=4)
    assert not np.array_equal(drawn, public)  # what the student's process could compute from seed and name
    assert not np.array_equal(drawn, _ctx(exercise, seed=6).rng.integers(0, 2**31, size=4))
    assert secret_seed(None, 5, "x") == [5, zlib.crc32(b"x")]
    assert secret_seed(b"k1", 5, "x") != secret_seed(b"k2", 5, "x")


def test_ex12_held_out_digits_are_not_public_rows():
    from sklearn.datasets import load_digits

    from grader.checks import datasets

    exercise = CATALOG.resolve("ex12")
    checks = load_module(exercise.folder / "checks.py", "_test_secrecy.ex12")
    data = checks.digits(_ctx(exercise))
    public = datasets.digits(checks.DATA_SEED)
    assert data.x_test.shape == public.x_test.shape == (359, 8, 8)
    assert not np.array_equal(np.sort(data.y_test), np.sort(public.y_test)) or not np.array_equal(
        data.x_train, public.x_train)  # another split than the public seed's
    rows = (load_digits().images / 16.0).reshape(-1, 64)
    held_out = data.x_test.reshape(len(data.x_test), 64).astype(np.float64)
    nearest = np.sqrt(((held_out[:, None, :] - rows[None]) ** 2).sum(axis=-1).min(axis=1))
    assert nearest.min() > 0.05  # no held-out image is a verbatim (or near-verbatim) public row
    again = checks.digits(_ctx(exercise))
    assert np.array_equal(again.x_test, data.x_test)  # same course, same seed: same data


def test_ex09_held_out_digits_are_not_public_rows():
    exercise = CATALOG.resolve("ex09")
    checks = load_module(exercise.folder / "checks.py", "_test_secrecy.ex09")
    x_train, t_train, x_test, labels = checks.digits(_ctx(exercise))
    assert x_test.shape == (397, 64) and x_train.shape == (1400, 64)
    pixels, _ = checks.load_digits()
    rows = pixels / 16.0
    nearest = np.sqrt(((x_test[:, None, :] - rows[None]) ** 2).sum(axis=-1).min(axis=1))
    assert nearest.min() > 0.05  # no held-out image is a verbatim (or near-verbatim) public row
    unkeyed = np.random.default_rng(secret_seed(None, 5, "ex09-digits-split")).permutation(len(rows))[:1400]
    assert not np.array_equal(rows[unkeyed], x_train)  # split with the judge's secret, not with the seed alone
    again = checks.digits(_ctx(exercise))
    assert np.array_equal(again[2], x_test)  # same course, same seed: same data


def test_ex09_cheat_reading_the_public_digits_fails_while_the_reference_passes(tmp_path):
    """gradient() returns zeros and predict()/loss() look the images up in load_digits(): the training check fails,
    as the judge computes the losses and the held-out accuracy itself; the reference gets full marks."""
    import json

    from tests.conftest import run_grade

    cheat = ROOT / "tests" / "submissions" / "ex09_two_layer_net" / "wrong_lookup_heldout.py"
    reference = ROOT / "solutions" / "ex09_two_layer_net" / "two_layer_net.py"
    results = {}
    for name, path in (("cheat", cheat), ("reference", reference)):
        copy = tmp_path / name / "two_layer_net.py"
        copy.parent.mkdir()
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        proc = run_grade("ex09", "--submission", str(copy), "--format", "json", "--seed", "5")
        results[name] = json.loads(proc.stdout)
    learns = {n: next(t for t in r["tests"] if t["feedback"]["check"] == "learns_digits") for n, r in results.items()}
    assert learns["cheat"]["score"] == 0 and "did not fall" in learns["cheat"]["output"]
    assert learns["reference"]["score"] == learns["reference"]["max_score"] > 0
    assert results["reference"]["score"] == results["reference"]["max_score"]
