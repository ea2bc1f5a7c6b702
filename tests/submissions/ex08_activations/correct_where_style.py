# A correct solution written with np.where, np.clip and explicit shapes instead of the lesson's one-liners.
import numpy as np


def step_function(x):
    x = np.asarray(x)
    return np.where(x > 0, 1, 0)


def sigmoid(x):
    x = np.clip(np.asarray(x, dtype=float), -500, 500)
    return np.exp(-np.logaddexp(0.0, -x))


def tanh(x):
    x = np.asarray(x, dtype=float)
    return 2.0 * sigmoid(2.0 * x) - 1.0


def relu(x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, 0.0)


def leaky_relu(x, alpha=0.1):
    x = np.asarray(x, dtype=float)
    return np.where(x > alpha * x, x, alpha * x)


def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def softmax(x):
    x = np.asarray(x, dtype=float)
    flat = x.reshape(-1, x.shape[-1])
    shifted = flat - flat.max(axis=1)[:, None]
    e = np.exp(shifted)
    return (e / e.sum(axis=1)[:, None]).reshape(x.shape)


def sigmoid_grad(x):
    s = sigmoid(x)
    return s - s * s
