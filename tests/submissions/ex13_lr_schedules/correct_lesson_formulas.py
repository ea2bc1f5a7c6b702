# The lesson's learning-rate decay (003): step decay (large first, smaller later), exponential decay η = η0·e^(−kt)
# and cosine decay, written straight from the formulas with the math module.
import math


def step_decay(lr0, drop, epochs_drop, epoch):
    return lr0 * math.pow(drop, math.floor(epoch / epochs_drop))


def exponential_decay(lr0, k, t):
    return lr0 * math.exp(-k * t)


def cosine_decay(lr0, t, total_steps, alpha=0.0):
    t = min(t, total_steps)
    cosine = 0.5 * (1 + math.cos(math.pi * t / total_steps))
    return lr0 * ((1 - alpha) * cosine + alpha)
