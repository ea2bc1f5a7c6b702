"""The check library: how an instructor declares a check, and the comparisons that teach.

A check is a function decorated with :func:`check`. It receives a :class:`Ctx`, asks the
sandbox for the student's results through it and compares them with ``ctx.expect_*``. A
failed comparison raises :class:`Incorrect` carrying structured feedback; the library, not the
exercise, owns the wording and the tables.
"""

from __future__ import annotations

import hashlib
import hmac
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from grader import wire
from grader.feedback import HIDDEN, Code, Detail, Explanation, LayerDiff, NumTable, Row, describe_input, format_value
from grader.i18n import Msg, Text, TextLike
from grader.report.curves import recorded
from grader.sandbox import Missing, Session, StudentRaised

Handle = wire.Handle
Tensor = wire.Tensor  # an argument the sandbox turns into a TensorFlow tensor
Fn = wire.Fn  # a function argument built in the sandbox from trusted source


# --- outcomes ----------------------------------------------------------------------------------


class Outcome(Exception):
    status = "failed"

    def __init__(self, message: TextLike, *details: Detail) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)


class Incorrect(Outcome):
    """The student's answer is wrong; the message says what was expected and what was got."""


class NotAttempted(Outcome):
    """The student has not filled in the stub yet."""

    status = "not_attempted"


# --- declaring checks --------------------------------------------------------------------------


@dataclass
class CheckSpec:
    fn: Callable[["Ctx"], None]
    name: str
    title: Text
    points: float
    needs: tuple[str, ...]
    hint: Text | None = None
    hidden: bool = False


def check(
    *, title: Text, points: float = 1, needs: str | Sequence[str] = (), hint: Text | None = None, name: str = ""
) -> Callable[[Callable], Callable]:
    """Declare a check: ``@check(title={"ko": ..., "en": ...}, points=2, needs="fn_name")``.

    ``needs`` names the student's functions or classes the check calls: when all of them are
    still as in the stub, the check reports "not attempted" without running anything.
    """
    needed = (needs,) if isinstance(needs, str) else tuple(needs)

    def register(fn: Callable) -> Callable:
        fn.__grader_check__ = CheckSpec(fn, name or fn.__name__, title, float(points), needed, hint)
        return fn

    return register


def collect(module: ModuleType | None, hidden: bool) -> list[CheckSpec]:
    """The checks of a checks module, in the order they are written."""
    if module is None:
        return []
    if hidden and getattr(module, "__file__", None):
        judge_key(_HiddenFile(Path(module.__file__)))  # read the secret now, before any student code runs
    specs = []
    for value in vars(module).values():
        spec = getattr(value, "__grader_check__", None)
        if isinstance(spec, CheckSpec):
            specs.append(CheckSpec(spec.fn, spec.name, spec.title, spec.points, spec.needs, spec.hint, hidden))
    return specs


@dataclass
class Mistake:
    """A common wrong answer and its explanation.

    ``compute(*args)`` gives what the mistaken code returns for the call's arguments;
    ``value`` is that result for a fixed example; ``when(got)`` recognises it directly.
    """

    explanation: Text
    compute: Callable[..., Any] | None = None
    value: Any = None
    when: Callable[[Any], bool] | None = None

    def matches(self, got: Any, args: Sequence[Any] = ()) -> bool:
        try:
            if self.when is not None:
                return bool(self.when(got))
            target = self.compute(*args) if self.compute is not None else self.value
            if target is None:
                return False
            return close(got, target, rtol=1e-4, atol=1e-7)
        except Exception:
            return False


def close(got: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    """Numeric closeness for plain data (numbers, arrays, nested lists), shapes included."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and got.keys() == expected.keys() and all(
            close(got[k], expected[k], rtol, atol) for k in expected
        )
    try:
        g = np.asarray(got, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if g.shape != e.shape:
        return False
    return bool(np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=False))


def _is_numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, np.ndarray)):
        return not isinstance(value, np.ndarray) or value.dtype.kind in "biuf"
    if isinstance(value, (list, tuple)):
        try:
            return np.asarray(value).dtype.kind in "biuf"
        except (ValueError, TypeError):
            return False
    return False


def _kind(value: Any) -> str:
    if isinstance(value, Handle):
        return value.type_name or "object"
    if isinstance(value, np.ndarray):
        return f"array{tuple(value.shape)}"
    return type(value).__name__


# --- the judge's secret: held-out data the student's process cannot regenerate ------------------

_KEYS: dict[str, bytes | None] = {}
KEY_FILE = "heldout.key"  # optional, in solutions/: a course-wide secret (else the hidden checks' text is the secret)


def judge_key(exercise: Any) -> bytes | None:
    """A secret that lives in the judge only: a keyed hash of the exercise's hidden checks file (and of
    ``solutions/heldout.key`` when the course has one). The sandbox cannot read solutions/, and the seed it may
    learn is useless without this key. None where there are no hidden checks (the student release): there the
    data comes from the public seed alone, as nothing on a student's own machine is secret from them anyway.
    The same course files and ``--seed`` give the same data, so an instructor can repeat a run."""
    path = getattr(exercise, "hidden_checks_path", None)
    if path is None:
        return None
    path = Path(path)
    cache = str(path)
    if cache not in _KEYS:
        try:
            digest = hashlib.sha256(b"dl-grader held-out key\0" + path.read_bytes())
            extra = path.parent.parent / KEY_FILE
            if extra.is_file():
                digest.update(extra.read_bytes())
            _KEYS[cache] = digest.digest()
        except OSError:
            _KEYS[cache] = None
    return _KEYS[cache]


@dataclass
class _HiddenFile:
    hidden_checks_path: Path


def secret_seed(key: bytes | None, seed: int, *parts: Any) -> int | list[int]:
    """A seed for numpy's generators from the public ``seed`` and ``parts``, keyed by ``key`` when there is one
    (HMAC-SHA256: without the key, knowing the seed tells nothing about the result)."""
    if key is None:
        return [int(seed) % 2**63, *[zlib.crc32(str(p).encode()) for p in parts]]
    message = "\0".join([str(int(seed)), *[str(p) for p in parts]]).encode()
    return int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:16], "big")


# --- the context a check runs in ---------------------------------------------------------------


@dataclass
class Ctx:
    """What a check works with: the sandboxed student code, the seed, the reference."""

    session: Session
    seed: int
    lang: str
    hidden: bool
    check_name: str
    reference_loader: Callable[[], ModuleType | None] = lambda: None
    status: Callable[[str], None] = lambda text: None
    notes: list[Detail] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)
    oracle: Callable[[], Session] | None = None
    exercise: Any = None  # the catalog's Exercise (for the judge's secret); else found from reference_loader

    def once(self, key: str, thunk: Callable[[], Any]) -> Any:
        """Compute something once per grading run (a built model, a training) and share it between checks.

        A failure is shared too: every check that needs the result reports the same reason.
        """
        if key not in self.shared:
            try:
                self.shared[key] = (True, thunk())
            except Outcome as outcome:
                self.shared[key] = (False, outcome)
        ok, value = self.shared[key]
        if not ok:
            raise type(value)(value.message, *value.details)
        return value

    @property
    def key(self) -> bytes | None:
        """The judge's secret for this exercise (see :func:`judge_key`)."""
        return judge_key(self.exercise if self.exercise is not None else getattr(self.reference_loader, "__self__", None))

    @property
    def rng(self) -> np.random.Generator:
        """Random inputs, different per run and per check, reproducible with ``--seed``.

        Keyed by the judge's secret where the hidden checks are present: the student's process, even knowing
        the seed and the checks' code, cannot regenerate them."""
        if not hasattr(self, "_rng"):
            if self.key is None:
                self._rng = np.random.default_rng([self.seed, zlib.crc32(self.check_name.encode())])
            else:
                self._rng = np.random.default_rng(secret_seed(self.key, self.seed, "check", self.check_name))
        return self._rng

    def secret_rng(self, *parts: Any, seed: int | None = None) -> np.random.Generator:
        """A generator for held-out data shared between checks (the same ``parts`` give the same numbers in every
        check of a run), from ``seed`` (default: the run's seed) and the judge's secret."""
        return np.random.default_rng(secret_seed(self.key, self.seed if seed is None else seed, *parts))

    @property
    def reference(self) -> ModuleType:
        """The reference solution, run in the judge's process (hidden checks only)."""
        module = self.reference_loader()
        if module is None:
            raise RuntimeError("this check needs the reference solution, which is not present")
        return module

    # --- talking to the sandbox ---------------------------------------------------------------

    def _guard(self, label: str, thunk: Callable[[], Any]) -> Any:
        try:
            return thunk()
        except Missing as exc:
            raise Incorrect(Msg("missing_function", name=exc.name)) from None
        except StudentRaised as exc:
            info = exc.info
            if info.get("type") == "NotImplementedError":
                raise NotAttempted(Msg("not_attempted", name=label.split("(")[0])) from None
            error = f"{info.get('type')}: {info.get('message')}"
            details = [Code(info["traceback"])] if info.get("traceback") else []
            raise Incorrect(Msg("raised", call=label, error=error), *details) from None
        except wire.Unsupported as exc:
            raise Incorrect(Msg("unsupported_value", call=label, kind=exc.kind)) from None

    def call(self, name: str, *args: Any, label: str = "", **kwargs: Any) -> Any:
        """Call the student's module-level ``name``; objects that are not plain data come back as handles."""
        return self._guard(label or f"{name}()", lambda: self.session.call(name, *args, **kwargs))

    def method(self, obj: Handle, name: str, *args: Any, label: str = "", **kwargs: Any) -> Any:
        return self._guard(label or f"{name}()", lambda: self.session.method(obj, name, *args, **kwargs))

    def attr(self, obj: Handle | None, name: str, label: str = "") -> Any:
        return self._guard(label or name, lambda: self.session.attr(obj, name))


    def model(self, builder: str, *args: Any, label: str = "", **kwargs: Any) -> tuple[Handle, dict]:
        """Call the student's model builder once per run; the model's handle and its plain facts."""
        label = label or f"{builder}()"

        def build() -> tuple[Handle, dict]:
            handle = self.call(builder, *args, label=label, **kwargs)
            return handle, self.describe(handle, label)

        return self.once(f"model:{builder}", build)

    def describe(self, obj: Any, label: str) -> dict:
        """Plain facts about a Keras model living in the sandbox (fails if it is not one)."""
        if not isinstance(obj, Handle):
            raise Incorrect(Msg("not_a_model", call=label, got=_kind(obj)))
        facts = self._guard(label, lambda: self.session.describe(obj))
        if not facts.get("is_model"):
            raise Incorrect(Msg("not_a_model", call=label, got=facts.get("type", "object")))
        return facts

    def fit(self, model: Handle, x: Any, y: Any, label: str = "fit()", **kwargs: Any) -> dict:
        self.status(Msg("training").render(self.lang))
        try:
            return recorded(self, self._guard(label, lambda: self.session.fit(model, x, y, **kwargs)), model)  # loss curve
        except Incorrect as exc:
            raise Incorrect(Msg("training_failed", error=exc.message), *exc.details) from None

    def predict(self, model: Handle, x: Any, label: str = "model(x)") -> Any:
        return self._guard(label, lambda: self.session.predict(model, x))

    def export(self, model: Handle, label: str = "model") -> dict:
        """The model's layers and weights as plain data (:func:`grader.keras_facts.export`)."""
        return self._guard(label, lambda: self.session.run(EXPORT, model=model))

    def predict_trained(self, model: Handle, x: Any, label: str = "model(x)") -> tuple[Any, dict]:
        """Outputs of a trained model on held-out ``x``, computed **here** from its weights (grader.replay), so
        that nothing the student's code does in the sandbox (a patched ``fit``, ``predict`` or ``__call__``) can
        change them. Also returns the exported layers (weights included).

        A model that cannot be replayed (custom layers, a subclassed model's own ``call``) is predicted in the
        sandbox as before, and the check carries a note saying so."""
        from grader import replay

        exported = self.export(model, label)
        if not isinstance(exported, dict):
            exported = {"replayable": False, "reason": "no layer facts", "layers": []}
        if exported.get("replayable"):
            try:
                return replay.forward(exported, x), exported
            except (replay.NotReplayable, ValueError, TypeError, KeyError, IndexError) as exc:
                exported = {**exported, "replayable": False, "reason": str(exc)}
        reason = str(exported.get("reason") or "")
        note = Explanation({
            "ko": f"이 모델은 채점기가 가중치로 직접 계산할 수 없어({reason}) 샌드박스 안에서 예측한 값으로 "
                  "채점했습니다. 표준 층(Dense, Flatten, Dropout 등)만 쓰면 채점기가 학습된 가중치로 직접 계산합니다.",
            "en": f"The grader cannot compute this model from its weights ({reason}), so it was judged on the "
                  "predictions made in the sandbox. With standard layers only (Dense, Flatten, Dropout, ...) the "
                  "grader computes the outputs from the trained weights itself.",
        })
        if not any(isinstance(n, Explanation) and n.text == note.text for n in self.notes):
            self.notes.append(note)
        self.shared["replay_note"] = note
        return self.predict(model, x, label=label), exported

    @property
    def replay_notes(self) -> list[Detail]:
        """The note of :meth:`predict_trained` when a trained model of this run could not be replayed (to add to
        a failure's details: a passed check shows it by itself)."""
        note = self.shared.get("replay_note")
        return [note] if note is not None else []

    def run(self, code: str, label: str = "", **bindings: Any) -> Any:
        """Run a trusted snippet inside the sandbox with student objects bound; returns ``result``."""
        return recorded(self, self._guard(label or "code", lambda: self.session.run(code, **bindings)))  # a Keras history's curve

    def oracle_run(self, code: str, **bindings: Any) -> Any:
        """Run trusted code in a separate sandbox with TensorFlow and no student code (e.g. Keras' own
        parameter count as an expected value). The judge's process itself never imports TensorFlow."""
        if self.oracle is None:
            raise RuntimeError("no oracle session")
        return self.oracle().run(code, **bindings)

    # --- comparisons ---------------------------------------------------------------------------

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
        rtol: float = 1e-5,
        atol: float = 1e-8,
        mistakes: Iterable[Mistake] = (),
    ) -> None:
        """``got`` must equal ``expected`` within tolerances; the failure shows a table."""
        self.expect_value(got, label)
        g, e = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
        if g.shape != e.shape and not (g.size == 1 and e.size == 1):
            raise Incorrect(Msg("wrong_shape", call=label, got=tuple(g.shape), expected=tuple(e.shape)))
        if close(g.reshape(e.shape), e, rtol, atol):
            return
        label_inputs = "\n".join(f"{k} = {self._show_input(v)}" for k, v in (inputs or {}).items()) or label
        table = NumTable([Row(label_inputs, HIDDEN if self.hidden else expected, got)])
        explanation = [Explanation(m.explanation) for m in mistakes if m.matches(got, args)][:1]
        if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
            raise Incorrect(Msg("not_finite", call=label), *explanation, table)
        if self.hidden:
            raise Incorrect(Msg("wrong_value_hidden", call=label, failed=1, total=1), *explanation, table)
        raise Incorrect(Msg("wrong_value", call=label), *explanation, table)

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
        label = label or f"{name}()"
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
                explanation = next((m for m in mistakes if m.matches(got, args)), None)
            if len(rows) < 4:
                shown = ", ".join(self._show_input(a) for a in args)
                rows.append(Row(shown, HIDDEN if self.hidden else want, got))
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
        yours = facts.get("layers", [])
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


EXPORT = "from grader import keras_facts as _facts\nresult = _facts.export(model)"
PROBE = "from grader import keras_facts as _facts\nresult = _facts.probe(model, shapes)"


def is_linear(facts: dict) -> bool:
    """True when no layer before the output applies a non-linear activation (the model draws one line)."""
    hidden = facts.get("layers", [])[:-1]
    return not any(l.get("activation") not in (None, "linear") for l in hidden if l.get("units") or l.get("activation"))


def flat_names(spec: Any) -> list[str]:
    """Loss or metric names from compile facts, flattened: 'mse', ['mae'], {'out': ['mae']} → lowercase names."""
    if isinstance(spec, dict):
        return [n for v in spec.values() for n in flat_names(v)]
    if isinstance(spec, (list, tuple)):
        return [n for v in spec for n in flat_names(v)]
    return [str(spec).lower()] if spec is not None else []


def layer_text(layer: dict) -> str:
    """``Dense(400, relu)``-style summary of a layer fact or an expected-layer spec."""
    parts = []
    if layer.get("units") is not None:
        parts.append(str(layer["units"]))
    if layer.get("activation") not in (None, "linear") or ("units" in layer and layer.get("activation") == "linear"):
        parts.append(str(layer.get("activation")))
    if layer.get("rate") is not None:
        parts.append(f"rate={layer['rate']}")
    text = f"{layer.get('class', '?')}({', '.join(parts)})"
    if layer.get("output_shape"):
        text += " → " + str(tuple(layer["output_shape"])).replace("None", "N")
    return text
