"""ex05 — loss functions (numpy only). Fill in the places marked # [[YOUR CODE]]."""

import numpy as np


def mean_squared_error(y, t):
    """Half the sum of squared differences: 0.5 * sum((y - t)^2)."""
    # [[YOUR CODE]]
    pass


def cross_entropy_error(y, t):
    """-sum(t * log(y + 1e-7)), divided by the batch size when y is 2-D."""
    # [[YOUR CODE]]
    pass


def mean_absolute_error(y, t):
    """Mean of the absolute differences |y - t|."""
    # [[YOUR CODE]]
    pass
