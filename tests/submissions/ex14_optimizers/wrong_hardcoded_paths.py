# expect-fail: random_paths, random_shapes_in_place
# Replays the public paths (copied from the statement and the checks) whatever the gradients say; anything
# else gets plain SGD steps. Only the hidden checks, with their random settings, catch it.
import importlib.util
from pathlib import Path

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "_public", Path(__file__).resolve().parents[3] / "exercises" / "ex14_optimizers" / "checks.py")
_public = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_public)


class _Replay:
    lesson_lr = None
    default_lr = None

    def __init__(self, lr=None, **kwargs):
        self.lr = self.default_lr if lr is None else lr
        self.t = 0

    def update(self, params, grads):
        self.t += 1
        name = type(self).__name__
        table = _public.LESSON_PATHS if self.lr == self.lesson_lr else _public.DEFAULT_PATHS
        if set(params) == {"x", "y"} and self.t < len(table[name]):
            params["x"][...] = table[name][self.t][0]
            params["y"][...] = table[name][self.t][1]
            return
        for key in params:
            params[key] -= self.lr * grads[key]


class SGD(_Replay):
    lesson_lr, default_lr = 0.95, 0.01


class Momentum(_Replay):
    lesson_lr, default_lr = 0.1, 0.01


class AdaGrad(_Replay):
    lesson_lr, default_lr = 1.5, 0.01


class RMSprop(_Replay):
    lesson_lr, default_lr = 0.1, 0.01


class Adam(_Replay):
    lesson_lr, default_lr = 0.3, 0.001
