"""The check library: how an instructor declares a check, and the comparisons that teach.

A check is a function decorated with :func:`check`. It receives a :class:`Ctx`, asks the sandbox for the
student's results through it and compares them with ``ctx.expect_*``. A failed comparison raises
:class:`Incorrect` carrying structured feedback; the library, not the exercise, owns the wording and the tables.

- :mod:`grader.checks.core`: outcomes, ``@check``, :class:`Mistake`, ``close``, the judge's secret, model helpers
- :mod:`grader.checks.context`: :class:`Ctx`, the sandbox, models, the reference (its docstring lists what a
  check may use)
- :mod:`grader.checks.expect`: ``expect_call``, ``expect_equal``, ``expect_close``, ``expect_cases``, ...
- :mod:`grader.checks.calls`: labels from the stub's signature
"""

from grader.checks.calls import call_label
from grader.checks.context import Ctx
from grader.checks.core import (
    EXPORT,
    KEY_FILE,
    PROBE,
    CheckSpec,
    Fn,
    Handle,
    Incorrect,
    Mistake,
    MistakeError,
    NotAttempted,
    Outcome,
    Tensor,
    _HiddenFile,
    _is_numeric,
    _kind,
    _KEYS,
    check,
    close,
    collect,
    flat_names,
    epochs_run,
    is_linear,
    judge_key,
    layer_text,
    normalize_layers,
    secret_seed,
)
from grader.feedback import HIDDEN, Code, Detail, Explanation, LayerDiff, NumTable, Row

__all__ = [
    "EXPORT", "HIDDEN", "KEY_FILE", "PROBE", "CheckSpec", "Code", "Ctx", "Detail", "Explanation", "Fn", "Handle",
    "Incorrect", "LayerDiff", "Mistake", "MistakeError", "NotAttempted", "NumTable", "Outcome", "Row", "Tensor",
    "call_label", "check", "close", "collect", "epochs_run", "flat_names", "is_linear", "judge_key", "layer_text", "normalize_layers", "secret_seed",
]
