# patch: reference
# The reference with the forward pass written with the keep probability p = 1 - rate, as some books do.
import numpy as np


def dropout(x, rate, u, training=True):
    p = 1.0 - rate
    if training:
        return np.asarray(x, dtype=float) * (np.asarray(u) >= rate) / p
    return np.asarray(x, dtype=float)
