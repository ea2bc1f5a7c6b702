"""ex13 — learning-rate schedules (plain Python / numpy). Fill in the places marked # [[YOUR CODE]]."""

import math


def step_decay(lr0, drop, epochs_drop, epoch):
    """lr0 * drop ** floor(epoch / epochs_drop): multiply by drop every epochs_drop epochs."""
    # [[YOUR CODE]]
    pass


def exponential_decay(lr0, k, t):
    """lr0 * e^(-k t)."""
    # [[YOUR CODE]]
    pass


def cosine_decay(lr0, t, total_steps, alpha=0.0):
    """Keras' CosineDecay: lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * min(t, total_steps) / total_steps)) + alpha)."""
    # [[YOUR CODE]]
    pass
