# expect-fail: flatten_examples, flatten_random
# expect-message: product of all axes


def dense_params(n_inputs, n_units):
    return n_inputs * n_units + n_units


def mlp_params(input_dim, units):
    total, n_inputs = 0, input_dim
    for n_units in units:
        total += dense_params(n_inputs, n_units)
        n_inputs = n_units
    return total


def flatten_size(shape):
    return sum(shape)
