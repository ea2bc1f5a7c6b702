# patch: reference
# expect-fail: forward_example, forward_random
# expect-message: not divided by 1 - rate
# Plain dropout: the kept values are not divided by 1 - rate.
import numpy as np


def dropout(x, rate, u, training=True):
    if not training:
        return x
    return x * (u >= rate)
