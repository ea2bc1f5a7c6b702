"""Offline data sets for checks that train a student's model, built in the judge's process.

Everything here is numpy and scikit-learn: the judge's process never imports TensorFlow and
nothing is downloaded. The real Fashion-MNIST is used only when Keras has already cached it
(``~/.keras/datasets/fashion-mnist/``, or ``$KERAS_HOME/datasets/...``); its ``.gz`` files are
read directly with ``gzip``.

Every function takes a ``seed`` and gives the same arrays for the same seed. Training data
(``x_train``, ``y_train`` and validation data) may be sent to the sandbox; the held-out test
labels must stay in the check.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

FASHION_FILES = {
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_train": "train-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
}
FASHION_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)


class Split(NamedTuple):
    """Training, validation and held-out test arrays of a classification data set."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


class Regression(NamedTuple):
    """A 1-feature linear regression problem: y = coef·x + bias + N(0, noise²)."""

    x_train: np.ndarray  # (n, 1) float32
    y_train: np.ndarray  # (n,) float32
    x_test: np.ndarray
    y_test: np.ndarray
    coef: float
    bias: float
    noise: float


class Binary(NamedTuple):
    """A 2-D binary classification problem (labels 0/1)."""

    x_train: np.ndarray  # (n, 2) float32
    y_train: np.ndarray  # (n,) float32
    x_test: np.ndarray
    y_test: np.ndarray


def _sizes(n: int, val_fraction: float, test_fraction: float) -> tuple[int, int]:
    n_test = int(round(n * test_fraction))
    n_val = int(round(n * val_fraction))
    if n_test < 1 or n - n_test - n_val < 1 or n_val < 0:
        raise ValueError(f"cannot split {n} samples with val={val_fraction}, test={test_fraction}")
    return n_val, n_test


def _seed(seed: int) -> int:
    return int(seed) % 2**32


# --- scikit-learn's bundled 8×8 digits ---------------------------------------------------------


def digits(seed: int, *, val_fraction: float = 0.15, test_fraction: float = 0.2, split_seed: object = None) -> Split:
    """sklearn's 1,797 8×8 digit images, scaled to [0, 1], shuffled and split by ``seed``.

    x: float32 of shape (n, 8, 8); y: int64 labels 0-9. Defaults give 1,168 / 270 / 359 images.
    ``split_seed`` (anything numpy's ``default_rng`` takes, e.g. a keyed seed the student cannot know) replaces
    ``seed`` for the shuffle.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    x = (data.images / 16.0).astype(np.float32)
    y = data.target.astype(np.int64)
    n_val, n_test = _sizes(len(y), val_fraction, test_fraction)
    order = np.random.default_rng(_seed(seed) if split_seed is None else split_seed).permutation(len(y))
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return Split(x[train], y[train], x[val], y[val], x[test], y[test])


def perturb_images(
    x: np.ndarray,
    rng: np.random.Generator,
    *,
    shift: float = 0.25,
    rotate: float = 3.0,
    contrast: float = 0.1,
    noise: float = 0.03,
) -> np.ndarray:
    """New images near the given ones, so that held-out images are not verbatim rows of a public data set.

    Each image is rotated by up to ``rotate`` degrees and shifted by up to ``shift`` pixels (bilinear, sub-pixel),
    its contrast scaled by 1 ± ``contrast``, plus Gaussian noise of standard deviation ``noise``, clipped to
    [0, 1]. Shapes (n, h, w) and float32 are kept.
    """
    from scipy import ndimage

    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    centre = (np.array(x.shape[1:3]) - 1) / 2.0
    for i, image in enumerate(x):
        angle = np.deg2rad(rng.uniform(-rotate, rotate))
        matrix = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        offset = centre - matrix @ centre - rng.uniform(-shift, shift, size=2)
        out[i] = ndimage.affine_transform(image, matrix, offset=offset, order=1, mode="constant", cval=0.0)
    out *= rng.uniform(1 - contrast, 1 + contrast, size=(len(x),) + (1,) * (x.ndim - 1))
    out += rng.normal(0.0, noise, size=x.shape)
    return np.clip(out, 0.0, 1.0).astype(np.float32)


# --- Fashion-MNIST, only from the local Keras cache --------------------------------------------


def keras_datasets_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    """Where Keras keeps downloaded data sets: ``cache_dir`` if given, else ``$KERAS_HOME/datasets``,
    else ``~/.keras/datasets`` (Keras' own fallback ``/tmp/.keras/datasets`` when home is not writable)."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    home = os.environ.get("KERAS_HOME")
    if home:
        return Path(home).expanduser() / "datasets"
    user = Path("~").expanduser()
    base = user if os.access(user, os.W_OK) else Path("/tmp")
    return base / ".keras" / "datasets"


def fashion_mnist_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    return keras_datasets_dir(cache_dir) / "fashion-mnist"


def fashion_mnist_cached(cache_dir: str | os.PathLike | None = None) -> bool:
    """True when all four Fashion-MNIST files are in the Keras cache (nothing is downloaded)."""
    folder = fashion_mnist_dir(cache_dir)
    return all((folder / name).is_file() for name in FASHION_FILES.values())


def _idx(path: Path, magic: int) -> np.ndarray:
    """An IDX file (the MNIST format): big-endian magic, dimensions, then uint8 data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8 or int.from_bytes(raw[:4], "big") != magic:
        raise ValueError(f"{path.name}: not an IDX file with magic {magic}")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    data = np.frombuffer(raw, np.uint8, offset=offset)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path.name}: {data.size} bytes of data for dimensions {dims}")
    return data.reshape(dims)


def load_fashion_mnist(cache_dir: str | os.PathLike | None = None) -> tuple[np.ndarray, ...] | None:
    """``(x_train, y_train, x_test, y_test)`` as uint8 arrays from the Keras cache, or None when the
    files are not all there or cannot be read. Never downloads."""
    if not fashion_mnist_cached(cache_dir):
        return None
    folder = fashion_mnist_dir(cache_dir)
    try:
        y_train = _idx(folder / FASHION_FILES["y_train"], 2049)
        x_train = _idx(folder / FASHION_FILES["x_train"], 2051)
        y_test = _idx(folder / FASHION_FILES["y_test"], 2049)
        x_test = _idx(folder / FASHION_FILES["x_test"], 2051)
    except (OSError, EOFError, ValueError):
        return None
    if len(x_train) != len(y_train) or len(x_test) != len(y_test):
        return None
    return x_train, y_train, x_test, y_test


def fashion_mnist(
    seed: int,
    *,
    n_train: int = 6000,
    n_val: int = 1000,
    n_test: int = 1000,
    cache_dir: str | os.PathLike | None = None,
) -> Split | None:
    """A random subset of the real Fashion-MNIST, scaled to [0, 1], or None when it is not cached.

    x: float32 of shape (n, 28, 28); y: int64 labels 0-9 (names in ``FASHION_CLASSES``).
    Training and validation images come from the training file, test images from the test file.
    """
    loaded = load_fashion_mnist(cache_dir)
    if loaded is None:
        return None
    x_train, y_train, x_test, y_test = loaded
    if n_train + n_val > len(y_train) or n_test > len(y_test):
        raise ValueError("asked for more Fashion-MNIST images than there are")
    rng = np.random.default_rng(_seed(seed))
    order = rng.permutation(len(y_train))
    train, val = order[:n_train], order[n_train:n_train + n_val]
    test = rng.permutation(len(y_test))[:n_test]

    def scale(x: np.ndarray) -> np.ndarray:
        return (x / 255.0).astype(np.float32)

    return Split(
        scale(x_train[train]), y_train[train].astype(np.int64),
        scale(x_train[val]), y_train[val].astype(np.int64),
        scale(x_test[test]), y_test[test].astype(np.int64),
    )


def image_classification(seed: int, *, cache_dir: str | os.PathLike | None = None) -> tuple[str, Split]:
    """``("fashion_mnist", split)`` when Fashion-MNIST is cached, else ``("digits", split)``.

    The two differ in image size and difficulty: a check using this must not assume either.
    """
    split = fashion_mnist(seed, cache_dir=cache_dir)
    if split is not None:
        return "fashion_mnist", split
    return "digits", digits(seed)


# --- generated problems ------------------------------------------------------------------------


def regression(
    seed: int,
    *,
    n_samples: int = 200,
    bias: float = 5.0,
    noise: float = 5.0,
    test_fraction: float = 0.25,
) -> Regression:
    """The lesson's ``make_regression(n_samples=200, n_features=1, bias=5.0, noise=5.0, coef=True)``
    with ``random_state=seed``, split into training and held-out points.

    x is drawn from N(0, 1) (already unit variance, so plain SGD with its default learning rate
    converges); the true coefficient lies in [0, 100).
    """
    from sklearn.datasets import make_regression

    x, y, coef = make_regression(
        n_samples=n_samples, n_features=1, bias=bias, noise=noise, coef=True, random_state=_seed(seed)
    )
    _, n_test = _sizes(n_samples, 0.0, test_fraction)
    order = np.random.default_rng(_seed(seed)).permutation(n_samples)
    test, train = order[:n_test], order[n_test:]
    x, y = x.astype(np.float32), y.astype(np.float32)
    return Regression(x[train], y[train], x[test], y[test], float(np.ravel(coef)[0]), float(bias), float(noise))


def circles(
    seed: int,
    *,
    n_samples: int = 500,
    noise: float = 0.2,
    factor: float = 0.3,
    test_fraction: float = 0.3,
) -> Binary:
    """``make_circles(n_samples, noise, factor, random_state=seed)``: label 1 is the inner circle."""
    from sklearn.datasets import make_circles

    x, y = make_circles(n_samples=n_samples, noise=noise, factor=factor, random_state=_seed(seed))
    _, n_test = _sizes(n_samples, 0.0, test_fraction)
    order = np.random.default_rng(_seed(seed)).permutation(n_samples)
    test, train = order[:n_test], order[n_test:]
    x, y = x.astype(np.float32), y.astype(np.float32)
    return Binary(x[train], y[train], x[test], y[test])


def moons(seed: int, *, n_samples: int = 500, noise: float = 0.2, test_fraction: float = 0.3) -> Binary:
    """``make_moons(n_samples, noise, random_state=seed)``, split like :func:`circles`."""
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n_samples, noise=noise, random_state=_seed(seed))
    _, n_test = _sizes(n_samples, 0.0, test_fraction)
    order = np.random.default_rng(_seed(seed)).permutation(n_samples)
    test, train = order[:n_test], order[n_test:]
    x, y = x.astype(np.float32), y.astype(np.float32)
    return Binary(x[train], y[train], x[test], y[test])
