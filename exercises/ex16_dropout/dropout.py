"""ex16 — inverted dropout (numpy only). Fill in the places marked # [[YOUR CODE]]."""

import numpy as np


def dropout(x, rate, u, training=True):
    """Inverted dropout of the activations x.

    u holds one uniform random number in [0, 1) per value of x (the same shape): the value is kept where
    u >= rate and dropped (0) where u < rate. During training the kept values are divided by 1 - rate, so
    the expected output equals x; with training=False, x is returned unchanged.
    """
    # [[YOUR CODE]]
    pass


def dropout_backward(dout, rate, u):
    """The gradient of dropout(x, rate, u, training=True) with respect to x, given dout, the gradient of
    its output: it flows only through the kept values, with the same factor 1 / (1 - rate)."""
    # [[YOUR CODE]]
    pass
