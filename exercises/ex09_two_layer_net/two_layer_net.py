"""ex09 — a two-layer neural network (numpy only). Fill in the places marked # [[YOUR CODE]].

x: input of shape (batch_size, input_size); t: one-hot labels of shape (batch_size, output_size).
"""

import numpy as np


# --- ready-made helpers (you may use them as they are) ---------------------------------------


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)  # guard against overflow
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size


# --- the network -----------------------------------------------------------------------------


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        """self.params: "W1" (input, hidden), "b1" (hidden,), "W2" (hidden, output), "b2" (output,).
        Weights: weight_init_std * np.random.randn(...); biases: zeros."""
        self.params = {}
        # [[YOUR CODE]]
        pass

    def predict(self, x):
        """softmax(sigmoid(x·W1 + b1)·W2 + b2)"""
        # [[YOUR CODE]]
        pass

    def loss(self, x, t):
        """Cross-entropy of predict(x) against t, averaged over the batch."""
        # [[YOUR CODE]]
        pass

    def accuracy(self, x, t):
        """The fraction of samples whose most likely class (argmax) is the labelled one."""
        # [[YOUR CODE]]
        pass

    def numerical_gradient(self, x, t):
        """Central differences (f(w + h) − f(w − h)) / 2h of loss(x, t) for every element of every
        parameter, h = 1e-4; returns a dict with the keys of params. Put each value back afterwards."""
        # [[YOUR CODE]]
        pass

    def gradient(self, x, t):
        """The same gradients by backpropagation; returns a dict with the keys of params."""
        # [[YOUR CODE]]
        pass
