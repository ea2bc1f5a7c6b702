# patch: reference
# expect-fail: inference_unchanged
# expect-message: training=False
# Ignores training: drops and scales at inference too.


def dropout(x, rate, u, training=True):
    return x * (u >= rate) / (1 - rate)
