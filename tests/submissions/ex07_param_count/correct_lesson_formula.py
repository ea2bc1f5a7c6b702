# The lesson's count (001): "78,500은 입력층 노드 784, 은닉층 노드 100개의 곱에 절편 100개를 더한 값".
def dense_params(n_inputs, n_units):
    return n_inputs * n_units + n_units


def mlp_params(input_dim, units):
    total = 0
    for n in units:
        total += dense_params(input_dim, n)
        input_dim = n
    return total


def flatten_size(shape):
    size = 1
    for d in shape:
        size *= d
    return size
