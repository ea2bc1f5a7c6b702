# patch: reference
# expect-fail: forward_example, rate_zero, forward_random
# expect-message: wrong way round
# Keeps the values that should be dropped (u < rate).
import numpy as np


def dropout(x, rate, u, training=True):
    if not training:
        return x
    return x * (u < rate) / (1 - rate)
