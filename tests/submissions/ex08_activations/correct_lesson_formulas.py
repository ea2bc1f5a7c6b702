# The activations as the lessons write them (004's formulas: σ(x) = 1/(1+e^−x), tanh, max(0, x), max(0.1x, x),
# ELU with the case x ≥ 0; 002's step function), plus the softmax of the book's common/functions.py.
import numpy as np


def step_function(x):
    return np.array(x > 0, dtype=int)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def tanh(x):
    return np.tanh(x)


def relu(x):
    return np.maximum(0, x)


def leaky_relu(x, alpha=0.1):
    return np.maximum(alpha * x, x)


def elu(x, alpha=1.0):
    return np.where(x >= 0, x, alpha * (np.exp(x) - 1))


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)  # 오버플로 대책
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def sigmoid_grad(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)
