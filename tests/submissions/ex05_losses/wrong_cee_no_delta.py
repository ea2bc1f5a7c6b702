# expect-fail: cee_zero_probability, cee_random
# expect-message: log(0)
import numpy as np


def mean_squared_error(y, t):
    return 0.5 * np.sum((y - t) ** 2)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(t * np.log(y)) / y.shape[0]


def mean_absolute_error(y, t):
    return np.mean(np.abs(y - t))
