# expect-fail: dense_random, flatten_random, mlp_random
# Looks up the lesson's answers: only the hidden random architectures catch it.
ANSWERS = {(100, 10): 1_010, (784, 100): 78_500, (784, (100, 10)): 79_510, (30_000, (400, 200, 100)): 12_100_700,
           (28, 28): 784, (100, 100, 3): 30_000}


def dense_params(n_inputs, n_units):
    return ANSWERS.get((n_inputs, n_units), 0)


def mlp_params(input_dim, units):
    return ANSWERS.get((input_dim, tuple(units)), 0)


def flatten_size(shape):
    return ANSWERS.get(tuple(shape), 0)
