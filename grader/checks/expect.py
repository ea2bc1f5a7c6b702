"""The comparisons that teach: ``ctx.expect_*``. Each failure raises :class:`Incorrect` with the library's own
wording and tables; hidden checks never show an expected value.

The shortest forms, for a check's author::

    ctx.expect_call("mean_squared_error", Y, T, close=0.0975, mistakes=MSE_MISTAKES)   # one literal case
    ctx.expect_call("relu", x, equals=np.maximum(x, 0))                                # exact
    ctx.expect_call("softmax", x, close=ctx.reference.softmax)                         # against the reference
    ctx.expect_cases("softmax", [(x1,), (x2,)], ctx.reference.softmax)                 # several random cases
    ctx.expect_equal(facts["optimizer"], "adam", "optimizer")                          # any plain value

The label (``mean_squared_error(y, t)``) comes from the stub's signature (:mod:`grader.checks.calls`); the
arguments are bound once and passed to each :class:`Mistake` detector.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

import numpy as np

from grader.checks.calls import bound_inputs, call_label, stub_of
from grader.checks.core import PROBE, Incorrect, Mistake, _is_numeric, _kind, close, layer_text, normalize_layers
from grader.feedback import HIDDEN, Detail, Explanation, LayerDiff, NumTable, Row, describe_input, format_value
from grader.i18n import Msg, Text, TextLike, register

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "not_finite": {
        "ko": "`{call}`의 결과에 inf 또는 nan이 있습니다. 0으로 나누기, log(0), 큰 수의 exp가 없는지 확인하세요.",
        "en": "`{call}` returned inf or nan. Look for a division by zero, log(0) or exp of a large number.",
    },
    "param_count": {
        "ko": "전체 파라미터 수가 {got:,}입니다. {expected:,}(이)어야 합니다.",
        "en": "The model has {got:,} parameters; expected {expected:,}.",
    },
})

_UNSET: Any = object()


class _Described(str):
    """A value shown by its shape and kind only: in a hidden check, the student's array for a hidden input can
    give that input away (a cross-entropy that returns ``t * log(y)`` shows where the hidden one-hot labels are)."""

    def __repr__(self) -> str:
        return str(self)


def _same(got: Any, expected: Any) -> bool:
    """Exact equality for plain data, numpy arrays included (shape and values); ``True`` is not ``1``."""
    if isinstance(got, bool) != isinstance(expected, bool):
        return False
    if isinstance(got, np.ndarray) or isinstance(expected, np.ndarray):
        try:
            return bool(np.array_equal(np.asarray(got), np.asarray(expected)))
        except (TypeError, ValueError):
            return False
    try:
        return bool(got == expected)
    except Exception:
        return False


class Expectations:
    """The comparisons of :class:`grader.checks.Ctx` (a mixin: ``self`` is the check's context)."""

    hidden: bool

    def expect(self, condition: bool, message: TextLike, *details: Detail) -> None:
        if not condition:
            raise Incorrect(message, *details)

    def expect_value(self, got: Any, label: str) -> None:
        """Fail with a clear message when ``got`` is not a number or numeric array."""
        if got is None:
            raise Incorrect(Msg("returned_none", call=label))
        if not _is_numeric(got):
            raise Incorrect(Msg("wrong_type", call=label, got=_kind(got),
                                expected={"ko": "숫자나 numpy 배열", "en": "a number or a numpy array"}))

    def expect_close(
        self,
        got: Any,
        expected: Any,
        *,
        label: str,
        inputs: dict[str, Any] | None = None,
        args: Sequence[Any] = (),
        kwargs: dict[str, Any] | None = None,
        rtol: float = 1e-5,
        atol: float = 1e-8,
        mistakes: Iterable[Mistake] = (),
    ) -> None:
        """``got`` must equal ``expected`` within tolerances; the failure shows a table. Mistake detectors get
        ``args`` (and ``kwargs``): without them a ``compute`` detector cannot run, which is an error of the check
        (prefer :meth:`expect_call`, which passes them itself)."""
        self.expect_value(got, label)
        g, e = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
        if g.shape != e.shape and not (g.size == 1 and e.size == 1):
            raise Incorrect(Msg("wrong_shape", call=label, got=tuple(g.shape), expected=tuple(e.shape)))
        if close(g.reshape(e.shape), e, rtol, atol):
            return
        label_inputs = "\n".join(f"{k} = {self._show_input(v)}" for k, v in (inputs or {}).items()) or label
        table = NumTable([Row(label_inputs, HIDDEN if self.hidden else expected, self._show_got(got))])
        explanation = [Explanation(m.explanation) for m in mistakes if m.matches(got, args, kwargs)][:1]
        if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
            raise Incorrect(Msg("not_finite", call=label), *explanation, table)
        if self.hidden:
            raise Incorrect(Msg("wrong_value_hidden", call=label, failed=1, total=1), *explanation, table)
        raise Incorrect(Msg("wrong_value", call=label), *explanation, table)

    def label_of(self, name: str, *args: Any, **kwargs: Any) -> str:
        """The label of a call as the student reads it, from the stub's signature: ``mean_squared_error(y, t)``."""
        return call_label(stub_of(self), name, args, kwargs)

    def expect_equal(self, got: Any, expected: Any, label: str, *, why: Text | None = None,
                     mistakes: Iterable[Mistake] = (), args: Sequence[Any] = (),
                     kwargs: dict[str, Any] | None = None) -> None:
        """``got`` must equal ``expected`` exactly (plain data or arrays); the failure says
        "This check expects label=expected, but your code has label=got" (on hidden checks, without the
        expected value). ``why`` (a bilingual text) or the first matching mistake explains it."""
        if _same(got, expected):
            return
        details: list[Detail] = [Explanation(why)] if why else []
        details += [Explanation(m.explanation) for m in mistakes if m.matches(got, args, kwargs)][:1]
        if self.hidden:
            raise Incorrect(Msg("wrong_value_hidden", call=label, failed=1, total=1), *details)
        show = (lambda v: f"{label}={v!r}") if label else repr
        raise Incorrect(Msg("expected_got", expected=show(expected), got=show(got)), *details)

    def expect_call(
        self,
        name: str,
        *args: Any,
        equals: Any = _UNSET,
        close: Any = _UNSET,
        rtol: float = 1e-5,
        atol: float = 1e-8,
        mistakes: Iterable[Mistake] = (),
        label: str | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        """Call the student's ``name(*args, **kwargs)`` once in the sandbox and judge its result; returns it.

        ``close=`` compares numbers and arrays within ``rtol``/``atol`` (a table on failure), ``equals=``
        exactly; either may be a function (e.g. ``ctx.reference.softmax``), called with the same arguments for
        the expected value. The label comes from the stub's signature unless ``label`` is given. Each mistake
        detector gets the same arguments (``compute(*args, **kwargs)``)."""
        if (equals is _UNSET) == (close is _UNSET):
            raise TypeError("expect_call needs exactly one of equals= or close=")
        kwargs = dict(kwargs or {})
        label = label or self.label_of(name, *args, **kwargs)
        got = self.call(name, *args, label=label, **kwargs)
        want = equals if close is _UNSET else close
        if callable(want):
            want = want(*args, **kwargs)
        mistakes = list(mistakes)
        if close is not _UNSET or (_is_numeric(want) and not isinstance(want, bool)):
            tolerance = (rtol, atol) if close is not _UNSET else (0.0, 0.0)
            inputs = bound_inputs(stub_of(self), name, args, kwargs)
            self.expect_close(got, want, label=label, inputs=inputs, args=args, kwargs=kwargs,
                              rtol=tolerance[0], atol=tolerance[1], mistakes=mistakes)
        else:
            self.expect_equal(got, want, label, mistakes=mistakes, args=args, kwargs=kwargs)
        return got

    def _show_got(self, got: Any) -> Any:
        """The student's value as a table shows it: in a hidden check, an array only by its shape and dtype."""
        if self.hidden and np.size(got) > 1:
            return _Described(describe_input(np.asarray(got)))
        return got

    def _show_input(self, value: Any) -> str:
        return describe_input(value) if self.hidden else format_value(value, width=40)

    def expect_cases(
        self,
        name: str,
        cases: Sequence[Sequence[Any]],
        expected: Callable[..., Any],
        *,
        label: str = "",
        rtol: float = 1e-5,
        atol: float = 1e-8,
        mistakes: Iterable[Mistake] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        """Call ``name`` on each case's arguments and compare with ``expected(*args)``.

        On hidden checks the failure says how many cases were wrong and shows the student's
        values, never the expected ones.
        """
        label = label or self.label_of(name, *(cases[0] if cases else ()), **(kwargs or {}))
        mistakes = list(mistakes)
        rows, wrong, explanation = [], 0, None
        for args in cases:
            got = self.call(name, *args, label=label, **(kwargs or {}))
            want = expected(*args, **(kwargs or {}))
            self.expect_value(got, label)
            ok = close(got, want, rtol, atol)
            if ok:
                continue
            wrong += 1
            if explanation is None:
                explanation = next((m for m in mistakes if m.matches(got, args, kwargs)), None)
            if len(rows) < 4:
                shown = ", ".join(self._show_input(a) for a in args)
                rows.append(Row(shown, HIDDEN if self.hidden else want, self._show_got(got)))
        if not wrong:
            return
        details: list[Detail] = [Explanation(explanation.explanation)] if explanation else []
        details.append(NumTable(rows))
        if self.hidden:
            raise Incorrect(Msg("wrong_value_hidden", call=label, failed=wrong, total=len(cases)), *details)
        raise Incorrect(Msg("wrong_value", call=label), *details)

    def expect_probabilities(self, out: Any, rows: int, classes: int, *, label: str = "model(x)") -> None:
        """``out`` must be a (rows, classes) array of probability distributions (softmax outputs)."""
        shape = getattr(out, "shape", type(out).__name__)
        self.expect(shape == (rows, classes), Msg("wrong_shape", call=label, got=shape, expected=(rows, classes)))
        out = np.asarray(out, dtype=float)
        self.expect(bool(np.all(out >= 0)), Msg("negative_probability", call=label, got=float(out.min())))
        self.expect_close(out.sum(axis=1), np.ones(rows), label=f"{label}.sum(axis=1)", rtol=1e-4, atol=1e-4)

    # --- models --------------------------------------------------------------------------------

    def expect_layers(self, facts: dict, expected: Sequence[dict], *, message: TextLike | None = None) -> None:
        """The model's layers must match ``expected`` ({"class", "units", "activation", "rate"}) in order."""
        yours = normalize_layers(facts).get("layers", [])  # Dense(400) + ReLU() is Dense(400, relu)
        ok = [
            i < len(yours) and all(yours[i].get(k) == v for k, v in spec.items())
            for i, spec in enumerate(expected)
        ]
        if len(yours) == len(expected) and all(ok):
            return
        diff = LayerDiff([layer_text(s) for s in expected], [layer_text(l) for l in yours], ok)
        raise Incorrect(message or Msg("layers_differ"), diff)

    def expect_params(self, facts: dict, expected: int) -> None:
        got = facts.get("params")
        if got != expected:
            raise Incorrect(Msg("param_count", got=int(got or 0), expected=expected))

    def expect_io(self, model: Handle, facts: dict, inputs: Sequence[Sequence[int]], outputs: Sequence[Sequence[int]],
                  *, label: str = "model(x)") -> None:
        """The model takes inputs of these shapes (without the batch axis) and gives outputs of these shapes.

        Judged by calling the model on a small batch, so a subclassed model (which has no ``model.inputs``, built
        or not) is judged like any other; a declared ``Input`` of another shape fails with that shape."""
        want_in = [[None, *[int(d) for d in s]] for s in inputs]
        want_out = [[None, *[int(d) for d in s]] for s in outputs]
        show_in = ", ".join(str(tuple(s)).replace("None", "N") for s in want_in)
        show_out = ", ".join(str(tuple(s)).replace("None", "N") for s in want_out)
        declared = facts.get("inputs") or []
        if declared and declared != want_in:
            raise Incorrect(Msg("expected_got", expected=f"input {show_in}",
                                got=", ".join(str(tuple(s)).replace("None", "N") for s in declared)))
        probe = self._guard(label, lambda: self.session.run(PROBE, model=model, shapes=[list(s) for s in inputs]))
        if not isinstance(probe, dict) or not probe.get("ok"):
            error = probe.get("error") if isinstance(probe, dict) else _kind(probe)
            raise Incorrect(Msg("expected_got", expected=f"model(x) for x of shape {show_in} (N = 3)", got=error))
        got = probe.get("outputs") or []
        if got != want_out:
            raise Incorrect(Msg("expected_got", expected=f"output {show_out}",
                                got=", ".join(str(tuple(s)).replace("None", "N") for s in got) or "—"))


