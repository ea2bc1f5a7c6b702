"""ex14 hidden checks: random start points, learning rates and hyperparameters; random 2-D parameters
updated in place. Expected paths come from the reference solution, run here in the judge's process."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import Explanation, Incorrect, check
from grader.feedback import HIDDEN, NumTable, Row, describe_input
from grader.i18n import Msg

public = public_checks_of(__file__)

NAMES = ("SGD", "Momentum", "AdaGrad", "RMSprop", "Adam")


def random_kwargs(rng, name, adam_lr=(0.05, 0.5)):
    u = lambda lo, hi: round(float(rng.uniform(lo, hi)), 4)
    return {
        "SGD": lambda: {"lr": u(0.05, 0.9)},
        "Momentum": lambda: {"lr": u(0.02, 0.2), "momentum": u(0.5, 0.95)},
        "AdaGrad": lambda: {"lr": u(0.2, 2.0)},
        "RMSprop": lambda: {"lr": u(0.02, 0.3), "decay_rate": u(0.9, 0.999)},
        "Adam": lambda: {"lr": u(*adam_lr), "beta1": u(0.8, 0.95), "beta2": u(0.99, 0.999)},
    }[name]()


def random_start(rng):
    sign = rng.choice([-1.0, 1.0], size=2)
    return (round(float(sign[0] * rng.uniform(3, 8)), 3), round(float(sign[1] * rng.uniform(0.5, 3)), 3))


def reference_path(optimizer, start, steps, grad=lambda p: {"x": p["x"] / 10.0, "y": 2.0 * p["y"]}):
    params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
    path = [[params["x"][0], params["y"][0]]]
    for _ in range(steps):
        optimizer.update(params, grad(params))
        path.append([params["x"][0], params["y"][0]])
    return np.array(path)


# --- common wrong versions, to recognise them on random settings --------------------------------


class MomentumReset:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class AdaGradNoSqrt:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        self.h = self.h or {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            self.h[key] += grads[key] ** 2
            params[key] -= self.lr * grads[key] / (self.h[key] + 1e-7)


class RMSpropSwapped:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay, self.h = lr, decay_rate, None

    def update(self, params, grads):
        self.h = self.h or {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            self.h[key] = (1 - self.decay) * self.h[key] + self.decay * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class AdamNoBias:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.b1, self.b2, self.m, self.v = lr, beta1, beta2, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            self.m[key] += (1 - self.b1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.b2) * (grads[key] ** 2 - self.v[key])
            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


WRONG = {"Momentum": [MomentumReset], "AdaGrad": [AdaGradNoSqrt], "RMSprop": [RMSpropSwapped], "Adam": [AdamNoBias]}


def mistakes_for(name, kwargs, start, steps):
    found = []
    for wrong, (_, text) in zip(WRONG.get(name, ()), public.MISTAKES.get(name, ())):
        with np.errstate(all="ignore"):
            path = reference_path(wrong(**kwargs), start, steps)
        found.append((lambda got, path=path: got.shape == path.shape and np.allclose(got, path, rtol=1e-6, atol=1e-9),
                      text))
    return found


@check(title={"ko": "무작위 시작점·학습률·하이퍼파라미터의 경로", "en": "Paths from random starts, learning rates and hyperparameters"},
       points=4, needs=tuple(f"{n}.update" for n in NAMES))
def random_paths(ctx):
    steps = 20
    for name in NAMES:
        for _ in range(2):
            kwargs, start = random_kwargs(ctx.rng, name), random_start(ctx.rng)
            expected = reference_path(getattr(ctx.reference, name)(**kwargs), start, steps)
            public.expect_path(ctx, name, kwargs, start, steps, expected,
                               mistakes=mistakes_for(name, kwargs, start, steps))


# The trusted loop for 2-D parameters: gradients of Σ scale·P²/2; in-place updates are verified here.
SHAPES = """
params = {key: np.array(value, dtype=float) for key, value in init.items()}
original = dict(params)
history, inplace, moved = [], True, True
for _ in range(steps):
    before = {key: value.copy() for key, value in params.items()}
    grads = {key: scale[key] * params[key] for key in params}
    optimizer.update(params, grads)
    for key in params:
        if params[key] is not original[key]:
            inplace = False
        elif np.array_equal(params[key], before[key]):
            moved = False
    history.append({key: np.array(params[key], dtype=float) for key in params})
result = {"history": history, "inplace": inplace, "moved": moved}
"""


def random_arrays(rng):
    shapes = {"W1": tuple(int(n) for n in rng.integers(2, 6, size=2)), "W2": tuple(int(n) for n in rng.integers(2, 6, size=2))}
    init = {k: rng.choice([-1.0, 1.0], size=s) * rng.uniform(0.5, 3.0, size=s) for k, s in shapes.items()}
    scale = {k: rng.uniform(0.2, 2.0, size=s) for k, s in shapes.items()}
    return init, scale


@check(title={"ko": "무작위 모양의 2차원 매개변수를 제자리에서 갱신", "en": "Updates random-shaped 2-D parameters in place"},
       points=4, needs=tuple(f"{n}.update" for n in NAMES))
def random_shapes_in_place(ctx):
    steps = 10
    for name in NAMES:
        kwargs = random_kwargs(ctx.rng, name, adam_lr=(0.01, 0.1))
        init, scale = random_arrays(ctx.rng)
        label = public.call_text(name, kwargs)
        optimizer = ctx.call(name, label=label, **kwargs)
        got = ctx.run(SHAPES, label=f"{label}.update(params, grads)", optimizer=optimizer, init=init, scale=scale,
                      steps=steps)
        if not got["inplace"]:
            raise Incorrect({"ko": f"{name}.update가 params의 배열을 새 배열로 바꿔 넣었습니다 (제자리 갱신이 아님).",
                             "en": f"{name}.update put new arrays into params instead of changing them in place."},
                            Explanation(public.NOT_IN_PLACE))
        if not got["moved"]:
            raise Incorrect({"ko": f"{name}.update 뒤에도 배열 값이 바뀌지 않은 스텝이 있습니다.",
                             "en": f"After some {name}.update calls the arrays kept their values."},
                            Explanation(public.NOT_MOVING))
        reference = getattr(ctx.reference, name)(**kwargs)
        params = {k: v.copy() for k, v in init.items()}
        tolerance = public.TOLERANCE.get(name, public.DEFAULT_TOLERANCE)
        for step, mine in enumerate(got["history"], 1):
            reference.update(params, {k: scale[k] * params[k] for k in params})
            for key in params:
                value = np.asarray(mine[key], dtype=float)
                if value.shape != params[key].shape:
                    raise Incorrect(Msg("wrong_shape", call=f"params[{key!r}]", got=value.shape,
                                        expected=params[key].shape))
                if not np.allclose(value, params[key], **tolerance):
                    raise Incorrect(
                        {"ko": f"숨겨진 {describe_input(init[key])} 매개변수에서 {name}의 {step}번째 갱신 값이 다릅니다.",
                         "en": f"On hidden {describe_input(init[key])} parameters, {name}'s update number {step} is wrong."},
                        NumTable([Row(f"params[{key!r}], step {step}", HIDDEN, value)]))
