"""ex14 — optimizers (numpy only). Fill in the update() methods marked # [[YOUR CODE]].

params and grads are dicts of numpy arrays with the same keys ("W1", "b1", ... or "x", "y").
update(params, grads) returns nothing: it changes the arrays of params in place (params[key] -= ...).
"""

import numpy as np


class SGD:
    """Stochastic gradient descent: W ← W − lr·∂L/∂W."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        # [[YOUR CODE]]
        pass


class Momentum:
    """v ← momentum·v − lr·∂L/∂W,  W ← W + v."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None  # a dict like params, made of zeros on the first update

    def update(self, params, grads):
        # [[YOUR CODE]]
        pass


class AdaGrad:
    """h ← h + (∂L/∂W)²,  W ← W − lr·∂L/∂W / (√h + 1e-7)."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        # [[YOUR CODE]]
        pass


class RMSprop:
    """h ← decay_rate·h + (1 − decay_rate)·(∂L/∂W)²,  W ← W − lr·∂L/∂W / (√h + 1e-7)."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        # [[YOUR CODE]]
        pass


class Adam:
    """Momentum and RMSprop together, with bias correction (t counts updates from 1)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        # [[YOUR CODE]]
        pass
