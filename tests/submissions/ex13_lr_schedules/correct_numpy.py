# A correct solution with numpy and integer division, written without math.
import numpy as np


def step_decay(lr0, drop, epochs_drop, epoch):
    drops = epoch // epochs_drop
    lr = lr0
    for _ in range(int(drops)):
        lr *= drop
    return float(lr)


def exponential_decay(lr0, k, t):
    return float(lr0 * np.exp(-k * t))


def cosine_decay(lr0, t, total_steps, alpha=0.0):
    progress = np.clip(t / total_steps, 0.0, 1.0)
    cosine = (1.0 + np.cos(np.pi * progress)) / 2.0
    return float(lr0 * (alpha + (1.0 - alpha) * cosine))
