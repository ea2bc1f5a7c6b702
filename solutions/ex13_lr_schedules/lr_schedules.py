"""ex13 — reference solution."""

import math


def step_decay(lr0, drop, epochs_drop, epoch):
    return lr0 * drop ** math.floor(epoch / epochs_drop)


def exponential_decay(lr0, k, t):
    return lr0 * math.exp(-k * t)


def cosine_decay(lr0, t, total_steps, alpha=0.0):
    t = min(t, total_steps)
    cosine = 0.5 * (1 + math.cos(math.pi * t / total_steps))
    decayed = (1 - alpha) * cosine + alpha
    return lr0 * decayed
