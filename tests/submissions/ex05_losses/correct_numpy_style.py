import numpy as np


def mean_squared_error(y, t):
    diff = np.asarray(y, dtype=float) - np.asarray(t, dtype=float)
    return float(diff @ diff.T) / 2 if diff.ndim == 1 else 0.5 * float(np.sum(diff * diff))


def cross_entropy_error(y, t):
    y = np.atleast_2d(y)
    t = np.atleast_2d(t)
    return float(-np.sum(t * np.log(y + 1e-7)) / y.shape[0])


def mean_absolute_error(y, t):
    return float(np.abs(np.subtract(y, t)).mean())
