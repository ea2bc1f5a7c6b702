"""ex07 — counting the parameters of Dense layers. Fill in the places marked # [[YOUR CODE]]."""


def dense_params(n_inputs, n_units):
    """Parameters of Dense(n_units) on n_inputs inputs: the weights and the biases."""
    # [[YOUR CODE]]
    pass


def mlp_params(input_dim, units):
    """Parameters of Dense(units[0]) → Dense(units[1]) → ... on input_dim inputs."""
    # [[YOUR CODE]]
    pass


def flatten_size(shape):
    """How many values Flatten makes of one sample of this shape, e.g. (28, 28) → 784."""
    # [[YOUR CODE]]
    pass
