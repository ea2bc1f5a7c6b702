"""ex08 — activation functions (numpy only). Fill in the places marked # [[YOUR CODE]].

Every function works elementwise on numpy arrays of any shape (softmax: over the last axis).
"""

import numpy as np


def step_function(x):
    """1 where x > 0, else 0, as an integer array (not booleans)."""
    # [[YOUR CODE]]
    pass


def sigmoid(x):
    """1 / (1 + exp(-x))."""
    # [[YOUR CODE]]
    pass


def tanh(x):
    """The hyperbolic tangent."""
    # [[YOUR CODE]]
    pass


def relu(x):
    """max(0, x)."""
    # [[YOUR CODE]]
    pass


def leaky_relu(x, alpha=0.1):
    """max(alpha * x, x)."""
    # [[YOUR CODE]]
    pass


def elu(x, alpha=1.0):
    """x where x > 0, else alpha * (exp(x) - 1)."""
    # [[YOUR CODE]]
    pass


def softmax(x):
    """exp(x) / sum(exp(x)) over the last axis, without overflow for large x."""
    # [[YOUR CODE]]
    pass


def sigmoid_grad(x):
    """The derivative of sigmoid: sigmoid(x) * (1 - sigmoid(x))."""
    # [[YOUR CODE]]
    pass
