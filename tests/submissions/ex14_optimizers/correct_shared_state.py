# A correct solution organised around a shared base class; Adam in the lesson's lr_t form but with the
# epsilon inside the square root, np.sqrt(v + 1e-7), which the tolerance admits.
import numpy as np


class _Stateful:
    def _state(self, name, params):
        if getattr(self, name, None) is None:
            setattr(self, name, {key: np.zeros_like(value) for key, value in params.items()})
        return getattr(self, name)


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class Momentum(_Stateful):
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        v = self._state("v", params)
        for key in params:
            v[key] *= self.momentum
            v[key] -= self.lr * grads[key]
            params[key] += v[key]


class AdaGrad(_Stateful):
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        h = self._state("h", params)
        for key in params:
            h[key] += np.square(grads[key])
            params[key] -= self.lr * grads[key] / (np.sqrt(h[key]) + 1e-7)


class RMSprop(_Stateful):
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, None

    def update(self, params, grads):
        h = self._state("h", params)
        for key in params:
            h[key] += (1 - self.decay_rate) * (np.square(grads[key]) - h[key])
            params[key] -= self.lr * grads[key] / (np.sqrt(h[key]) + 1e-7)


class Adam(_Stateful):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        m, v = self._state("m", params), self._state("v", params)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params:
            m[key] = self.beta1 * m[key] + (1 - self.beta1) * grads[key]
            v[key] = self.beta2 * v[key] + (1 - self.beta2) * grads[key] ** 2
            params[key] -= lr_t * m[key] / np.sqrt(v[key] + 1e-7)
