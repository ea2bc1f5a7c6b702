# expect-fail: mse_lesson_example, mse_random
# expect-message: half of the sum
import numpy as np


def mean_squared_error(y, t):
    return np.mean((y - t) ** 2)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]


def mean_absolute_error(y, t):
    return np.mean(np.abs(y - t))
