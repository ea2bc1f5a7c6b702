"""grader.checks.datasets: shapes, determinism per seed, and Fashion-MNIST read only from a (fake) Keras cache."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from grader.checks import datasets
from tests.conftest import ROOT


def _same(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b))


# --- digits -------------------------------------------------------------------------------------


def test_digits_shapes_and_scale():
    split = datasets.digits(0)
    assert [a.shape for a in split] == [(1168, 8, 8), (1168,), (270, 8, 8), (270,), (359, 8, 8), (359,)]
    assert split.x_train.dtype == np.float32 and split.y_train.dtype == np.int64
    assert 0.0 <= min(a.min() for a in split[::2]) and max(a.max() for a in split[::2]) <= 1.0
    assert set(np.unique(np.concatenate(split[1::2]))) == set(range(10))


def test_digits_deterministic_per_seed_and_disjoint():
    a, b, c = datasets.digits(3), datasets.digits(3), datasets.digits(4)
    assert _same(a, b)
    assert not np.array_equal(a.x_test, c.x_test)
    rows = np.concatenate([a.x_train, a.x_val, a.x_test]).reshape(-1, 64)
    assert len(rows) == 1797
    from sklearn.datasets import load_digits

    # every image appears once: the split is a permutation of the data set
    assert np.isclose(rows.sum(), (load_digits().images / 16.0).astype(np.float32).sum(), rtol=1e-5)


def test_digits_fractions():
    split = datasets.digits(1, val_fraction=0.0, test_fraction=0.5)
    assert len(split.x_val) == 0 and len(split.x_test) == 898 and len(split.x_train) == 899
    with pytest.raises(ValueError):
        datasets.digits(1, val_fraction=0.6, test_fraction=0.5)


# --- generated problems -------------------------------------------------------------------------


def test_regression_matches_make_regression():
    from sklearn.datasets import make_regression

    data = datasets.regression(0)
    assert data.x_train.shape == (150, 1) and data.y_train.shape == (150,)
    assert data.x_test.shape == (50, 1) and data.y_test.shape == (50,)
    _, _, coef = make_regression(n_samples=200, n_features=1, bias=5.0, noise=5.0, coef=True, random_state=0)
    assert data.coef == pytest.approx(float(coef)) == pytest.approx(96.19363785472291)
    assert (data.bias, data.noise) == (5.0, 5.0)
    x = np.concatenate([data.x_train, data.x_test]).ravel()
    y = np.concatenate([data.y_train, data.y_test])
    residual = y - (data.coef * x + data.bias)
    assert abs(residual.std() - 5.0) < 1.0  # the noise level
    assert 0.7 < x.std() < 1.3  # unit variance: no scaling needed for SGD


def test_regression_deterministic_per_seed():
    assert _same(datasets.regression(7)[:4], datasets.regression(7)[:4])
    assert datasets.regression(7).coef == datasets.regression(7).coef
    assert datasets.regression(7).coef != datasets.regression(8).coef


def test_circles_shapes_labels_determinism():
    data = datasets.circles(0)
    assert [a.shape for a in data] == [(350, 2), (350,), (150, 2), (150,)]
    assert data.x_train.dtype == np.float32
    assert set(np.unique(data.y_train)) == {0.0, 1.0}
    assert _same(data, datasets.circles(0))
    assert not np.array_equal(data.x_train, datasets.circles(1).x_train)
    inner = np.hypot(*data.x_train[data.y_train == 1].T).mean()
    outer = np.hypot(*data.x_train[data.y_train == 0].T).mean()
    assert inner < 0.5 < outer  # label 1 is the inner circle (factor 0.3)


def test_moons_shapes():
    data = datasets.moons(2, n_samples=100)
    assert [a.shape for a in data] == [(70, 2), (70,), (30, 2), (30,)]
    assert _same(data, datasets.moons(2, n_samples=100))


# --- Fashion-MNIST from a fake Keras cache ------------------------------------------------------


def _write_idx(path: Path, array: np.ndarray) -> None:
    magic = (0x08 << 8) | array.ndim  # unsigned byte data, then the number of dimensions
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def fake_cache(datasets_dir: Path, n_train: int = 40, n_test: int = 20) -> dict[str, np.ndarray]:
    """A Keras datasets folder with a tiny Fashion-MNIST in the real file format."""
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, size=(n_train, 28, 28)),
        "y_train": np.arange(n_train) % 10,
        "x_test": rng.integers(0, 256, size=(n_test, 28, 28)),
        "y_test": np.arange(n_test) % 10,
    }
    folder = datasets_dir / "fashion-mnist"
    folder.mkdir(parents=True)
    for key, name in datasets.FASHION_FILES.items():
        _write_idx(folder / name, arrays[key])
    return arrays


def test_fashion_not_cached_gives_none(tmp_path):
    assert not datasets.fashion_mnist_cached(tmp_path)
    assert datasets.load_fashion_mnist(tmp_path) is None
    assert datasets.fashion_mnist(0, cache_dir=tmp_path) is None
    name, split = datasets.image_classification(0, cache_dir=tmp_path)
    assert name == "digits" and split.x_train.shape[1:] == (8, 8)


def test_fashion_read_from_cache_dir_parameter(tmp_path):
    arrays = fake_cache(tmp_path)
    assert datasets.fashion_mnist_cached(tmp_path)
    x_train, y_train, x_test, y_test = datasets.load_fashion_mnist(tmp_path)
    assert np.array_equal(x_train, arrays["x_train"]) and np.array_equal(y_test, arrays["y_test"])
    split = datasets.fashion_mnist(5, n_train=20, n_val=10, n_test=8, cache_dir=tmp_path)
    assert [a.shape for a in split] == [(20, 28, 28), (20,), (10, 28, 28), (10,), (8, 28, 28), (8,)]
    assert split.x_train.dtype == np.float32 and split.x_train.max() <= 1.0
    assert _same(split, datasets.fashion_mnist(5, n_train=20, n_val=10, n_test=8, cache_dir=tmp_path))
    assert not np.array_equal(split.x_train,
                              datasets.fashion_mnist(6, n_train=20, n_val=10, n_test=8, cache_dir=tmp_path).x_train)
    # training and validation images are distinct images of the training file
    picked = np.concatenate([split.x_train, split.x_val]).reshape(30, -1)
    assert len({row.tobytes() for row in picked}) == 30
    with pytest.raises(ValueError):
        datasets.fashion_mnist(0, n_train=40, n_val=1, cache_dir=tmp_path)


def test_fashion_read_from_keras_home(tmp_path, monkeypatch):
    fake_cache(tmp_path / "datasets", n_train=7000, n_test=1000)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert datasets.keras_datasets_dir() == tmp_path / "datasets"
    assert datasets.fashion_mnist_cached()
    name, split = datasets.image_classification(1)
    assert name == "fashion_mnist" and split.x_train.shape == (6000, 28, 28) and split.x_test.shape == (1000, 28, 28)


def test_fashion_default_location_is_home_keras(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert datasets.keras_datasets_dir() == tmp_path / ".keras" / "datasets"


def test_fashion_partial_or_broken_cache_gives_none(tmp_path):
    fake_cache(tmp_path)
    folder = tmp_path / "fashion-mnist"
    (folder / datasets.FASHION_FILES["x_test"]).write_bytes(b"not a gzip file")
    assert datasets.fashion_mnist_cached(tmp_path)  # the files are there ...
    assert datasets.load_fashion_mnist(tmp_path) is None  # ... but unreadable: treated as not cached
    (folder / datasets.FASHION_FILES["x_test"]).unlink()
    assert not datasets.fashion_mnist_cached(tmp_path)


def test_importing_datasets_never_imports_tensorflow():
    code = ("import sys; from grader.checks import datasets; datasets.digits(0); datasets.circles(0); "
            "datasets.regression(0); print('tensorflow' in sys.modules or 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# --- held-out images that are not verbatim rows -------------------------------------------------


def test_perturb_images_keeps_shape_range_and_is_deterministic():
    x = datasets.digits(0).x_test[:50]
    a = datasets.perturb_images(x, np.random.default_rng(1))
    b = datasets.perturb_images(x, np.random.default_rng(1))
    assert a.shape == x.shape and a.dtype == np.float32
    assert 0.0 <= a.min() and a.max() <= 1.0
    assert np.array_equal(a, b)
    assert not np.array_equal(a, datasets.perturb_images(x, np.random.default_rng(2)))
    change = np.abs(a - x).reshape(len(x), -1).sum(axis=1)
    assert np.all(change > 0.5)  # every image changed ...
    assert np.mean(np.abs(a - x)) < 0.15  # ... but stays close to a digit


def test_digits_split_seed_replaces_the_shuffle():
    a, b = datasets.digits(0, split_seed=123), datasets.digits(0, split_seed=123)
    assert _same(a, b)
    assert not np.array_equal(a.x_test, datasets.digits(0).x_test)
    assert [x.shape for x in a] == [x.shape for x in datasets.digits(0)]
