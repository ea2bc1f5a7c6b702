# A correct solution that perturbs copies of x (never x itself) through flat indices.
import numpy as np

H = 1e-4


def numerical_gradient(f, x):
    flat = np.asarray(x, dtype=float).ravel()
    grad = np.empty_like(flat)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += H
        minus[i] -= H
        grad[i] = (f(plus.reshape(np.shape(x))) - f(minus.reshape(np.shape(x)))) / (2 * H)
    return grad.reshape(np.shape(x))


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = np.array(init_x, dtype=float)
    for _ in range(step_num):
        x = x - lr * numerical_gradient(f, x)
    return x
