# expect-fail: mlp_lesson_examples, mlp_random
# expect-message: previous layer's units


def dense_params(n_inputs, n_units):
    return n_inputs * n_units + n_units


def mlp_params(input_dim, units):
    return sum(dense_params(input_dim, n) for n in units)


def flatten_size(shape):
    size = 1
    for n in shape:
        size *= n
    return size
