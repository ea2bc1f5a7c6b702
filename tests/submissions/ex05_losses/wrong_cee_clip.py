# patch: reference
# Keras' own numpy cross-entropy clips y at 1e-7 instead of adding δ = 1e-7 (the statement's definition). The two
# agree at y = 0 and for ordinary probabilities, and differ when the answer's probability is tiny: the hidden checks
# always hold such rows (1e-6 in a row, 1e-5 in a batch), so this fails at every seed, not at some.
# expect-fail: cee_random
# expect-message: clipped
import numpy as np


def cross_entropy_error(y, t):
    batch = y.shape[0] if y.ndim == 2 else 1
    return -np.sum(t * np.log(np.clip(y, 1e-7, 1))) / batch
