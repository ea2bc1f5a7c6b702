# patch: reference
# expect-fail: forward_example, forward_random
# expect-message: equals rate
# Drops where u == rate too (u > rate instead of u >= rate).


def dropout(x, rate, u, training=True):
    if not training:
        return x
    return x * (u > rate) / (1 - rate)
