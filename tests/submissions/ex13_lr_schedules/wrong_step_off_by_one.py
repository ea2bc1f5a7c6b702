# expect-fail: step_decay_examples, step_exponential_random
# expect-message: floor((1 + epoch) / epochs_drop)
# The popular blog version counts epochs from 1: it drops one epoch early.
import math


def step_decay(lr0, drop, epochs_drop, epoch):
    return lr0 * math.pow(drop, math.floor((1 + epoch) / epochs_drop))


def exponential_decay(lr0, k, t):
    return lr0 * math.exp(-k * t)


def cosine_decay(lr0, t, total_steps, alpha=0.0):
    t = min(t, total_steps)
    return lr0 * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * t / total_steps)) + alpha)
