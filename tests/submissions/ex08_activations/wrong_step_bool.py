# expect-fail: step_function_values, elementwise_random
# expect-message: boolean
import numpy as np


def step_function(x):
    return x > 0


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def tanh(x):
    return np.tanh(x)


def relu(x):
    return np.maximum(0, x)


def leaky_relu(x, alpha=0.1):
    return np.maximum(alpha * x, x)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def sigmoid_grad(x):
    return sigmoid(x) * (1 - sigmoid(x))



def softmax(x):
    exp = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return exp / np.sum(exp, axis=-1, keepdims=True)
