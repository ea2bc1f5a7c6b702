# Correct: m̂ and v̂ with epsilon 1e-8 outside the square root (the Adam paper), otherwise like correct_hat_style.
import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, value in params.items():
            np.subtract(value, self.lr * grads[key], out=value)


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for key, value in params.items():
            velocity = self.v.get(key, 0.0)
            velocity = self.momentum * velocity + self.lr * grads[key]   # the step to subtract
            self.v[key] = velocity
            value -= velocity


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = {}

    def update(self, params, grads):
        for key, value in params.items():
            self.h[key] = self.h.get(key, 0.0) + grads[key] ** 2
            value -= self.lr / (np.sqrt(self.h[key]) + 1e-7) * grads[key]


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = {}

    def update(self, params, grads):
        for key, value in params.items():
            self.h[key] = self.decay_rate * self.h.get(key, 0.0) + (1 - self.decay_rate) * grads[key] ** 2
            value -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.t = 0
        self.m, self.v = {}, {}

    def update(self, params, grads):
        self.t += 1
        for key, value in params.items():
            g = grads[key]
            self.m[key] = self.beta1 * self.m.get(key, 0.0) + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v.get(key, 0.0) + (1 - self.beta2) * g * g
            m_hat = self.m[key] / (1 - self.beta1 ** self.t)
            v_hat = self.v[key] / (1 - self.beta2 ** self.t)
            value -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)
