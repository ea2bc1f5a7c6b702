"""ex06 — numerical gradient and gradient descent (numpy only). Fill in the places marked # [[YOUR CODE]]."""

import numpy as np


def numerical_gradient(f, x):
    """The gradient of f at x by central differences, (f(x+h) - f(x-h)) / 2h with h = 1e-4.

    x is a float array of any shape; the result has x's shape. x must be as it was when you return.
    """
    h = 1e-4
    grad = np.zeros_like(x)
    # [[YOUR CODE]]
    pass


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Take step_num steps x <- x - lr * grad f(x) from init_x and return the final x (init_x stays unchanged)."""
    # [[YOUR CODE]]
    pass
