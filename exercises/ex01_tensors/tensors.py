"""ex01 — TensorFlow tensors: rank, dtype and casting. Fill in the places marked # [[YOUR CODE]]."""

import numpy as np
import tensorflow as tf


def make_rank3_tensor():
    """Return a (3, 3, 3) int32 tensor holding 1, 2, ..., 27 in row-major order."""
    # [[YOUR CODE]]
    pass


def rank_of(t):
    """Return the rank (number of axes) of tensor t as a Python int."""
    # [[YOUR CODE]]
    pass


def make_float16(value):
    """Return a float16 constant tensor holding value."""
    # [[YOUR CODE]]
    pass


def to_float32(t):
    """Return the values of tensor t as a float32 tensor (use a cast)."""
    # [[YOUR CODE]]
    pass


def add_tensors(a, b):
    """Return a + b, after casting b to a's dtype."""
    # [[YOUR CODE]]
    pass
