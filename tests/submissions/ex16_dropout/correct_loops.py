# A correct solution written with plain loops and np.where instead of a boolean mask (a whole file).
import numpy as np


def dropout(x, rate, u, training=True):
    x = np.array(x, dtype=float)
    if not training:
        return x
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        if u[i] >= rate:
            out[i] = x[i] / (1 - rate)
    return out


def dropout_backward(dout, rate, u):
    return np.where(np.asarray(u) >= rate, np.asarray(dout, dtype=float) / (1 - rate), 0.0)
