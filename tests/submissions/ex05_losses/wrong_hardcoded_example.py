# expect-fail: mse_random, cee_random, mae_random
# Returns the lesson's numbers whatever the input: only the hidden random checks catch it.
import numpy as np


def mean_squared_error(y, t):
    return 0.0975 if np.asarray(y)[7] == 0.1 else 0.5975


def cross_entropy_error(y, t):
    t = np.asarray(t)
    if t.ndim == 2:
        return -(np.log(0.8 + 1e-7) + np.log(0.3 + 1e-7)) / 2
    return 0.510825457099338 if t[2] == 1 else 16.11809565095832


def mean_absolute_error(y, t):
    return 0.08
