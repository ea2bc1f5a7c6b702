# expect-fail: gradient_random, descent_random
# Differentiates the public examples' functions by hand (x0² + x1², and the 2-D example's weights):
# only the hidden random functions catch it.
import numpy as np

W = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])


def numerical_gradient(f, x):
    x = np.array(x, dtype=float)
    return 2.0 * W * x if x.shape == W.shape else 2.0 * x


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = np.array(init_x, dtype=float)
    for _ in range(step_num):
        x = x - lr * 2.0 * x
    return x
