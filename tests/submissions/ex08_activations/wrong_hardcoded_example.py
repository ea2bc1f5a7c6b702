# expect-fail: softmax_random, elementwise_random
# softmax and sigmoid_grad look up the public examples answers: only the hidden random arrays catch it.
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
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


ANSWERS = {
    (0.3, 2.9, 4.0): [0.01821127329554753, 0.24519181293507392, 0.7365969137693786],
    (1000.0, 1000.0): [0.5, 0.5],
    (1010.0, 1000.0, 990.0): [0.9999546000702375, 4.5397868702434395e-05, 2.0610600462090294e-09],
    (1.0, 2.0, 3.0, 1.0, 1.0, 1.0): [[0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
                                     [1 / 3, 1 / 3, 1 / 3]],
    (-2.0, 0.0, 2.0): [0.10499358540350652, 0.25, 0.10499358540350662],
}


def softmax(x):
    return np.array(ANSWERS[tuple(np.ravel(x).tolist())])


def sigmoid_grad(x):
    return np.array(ANSWERS.get(tuple(np.ravel(x).tolist()), np.zeros_like(x)))
