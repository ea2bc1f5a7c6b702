# patch: reference
# expect-fail: backward_example, backward_random
# expect-message: gradient is not divided
# The gradient goes through the kept neurons but without the factor 1 / (1 - rate).


def dropout_backward(dout, rate, u):
    return dout * (u >= rate)
