# A correct solution written differently: @ instead of np.dot, the loss by fancy indexing, the numerical
# gradient through a flat view of each parameter, the sigmoid derivative from the pre-activation.
import numpy as np


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _softmax(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        sizes = {"W1": (input_size, hidden_size), "W2": (hidden_size, output_size)}
        self.params = {
            "W1": np.random.randn(*sizes["W1"]) * weight_init_std,
            "b1": np.zeros(hidden_size),
            "W2": np.random.randn(*sizes["W2"]) * weight_init_std,
            "b2": np.zeros(output_size),
        }

    def _forward(self, x):
        p = self.params
        a1 = x @ p["W1"] + p["b1"]
        z1 = _sigmoid(a1)
        return a1, z1, _softmax(z1 @ p["W2"] + p["b2"])

    def predict(self, x):
        return self._forward(x)[2]

    def loss(self, x, t):
        y = self.predict(x)
        labels = t.argmax(axis=1)
        return float(-np.mean(np.log(y[np.arange(len(y)), labels] + 1e-7)))

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x).argmax(axis=1) == t.argmax(axis=1)))

    def numerical_gradient(self, x, t, h=1e-5):
        grads = {}
        for key, param in self.params.items():
            flat = param.reshape(-1)          # a view: writing to it writes to param
            grad = np.empty_like(flat)
            for i in range(flat.size):
                keep = flat[i]
                flat[i] = keep + h
                up = self.loss(x, t)
                flat[i] = keep - h
                down = self.loss(x, t)
                flat[i] = keep
                grad[i] = (up - down) / (2 * h)
            grads[key] = grad.reshape(param.shape)
        return grads

    def gradient(self, x, t):
        a1, z1, y = self._forward(x)
        delta2 = (y - t) / len(x)
        delta1 = (delta2 @ self.params["W2"].T) * _sigmoid(a1) * (1 - _sigmoid(a1))
        return {
            "W1": x.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": z1.T @ delta2, "b2": delta2.sum(axis=0),
        }
