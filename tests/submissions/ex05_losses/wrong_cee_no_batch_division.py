# patch: reference
# expect-fail: cee_batch, cee_random
# expect-message: batch size
# The reference with one function changed: cross-entropy summed over the whole batch, never divided by its size.
import numpy as np


def cross_entropy_error(y, t):
    return -np.sum(t * np.log(y + 1e-7))
