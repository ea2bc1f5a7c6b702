# expect-fail: cosine_decay_after_end, cosine_keras
# expect-message: Clip t at total_steps
import math


def step_decay(lr0, drop, epochs_drop, epoch):
    return lr0 * drop ** math.floor(epoch / epochs_drop)


def exponential_decay(lr0, k, t):
    return lr0 * math.exp(-k * t)


def cosine_decay(lr0, t, total_steps, alpha=0.0):
    return lr0 * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * t / total_steps)) + alpha)
