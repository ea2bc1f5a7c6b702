# A correct solution written with plain loops instead of vectorised numpy.
import math


def _flat(values):
    if hasattr(values, "__len__"):
        return [x for v in values for x in _flat(v)]
    return [float(values)]


def mean_squared_error(y, t):
    return 0.5 * sum((a - b) ** 2 for a, b in zip(_flat(y), _flat(t)))


def cross_entropy_error(y, t):
    rows_y = [list(y)] if not hasattr(y[0], "__len__") else [list(r) for r in y]
    rows_t = [list(t)] if not hasattr(t[0], "__len__") else [list(r) for r in t]
    total = 0.0
    for ry, rt in zip(rows_y, rows_t):
        total -= sum(float(b) * math.log(float(a) + 1e-7) for a, b in zip(ry, rt))
    return total / len(rows_y)


def mean_absolute_error(y, t):
    values = [abs(a - b) for a, b in zip(_flat(y), _flat(t))]
    return sum(values) / len(values)
