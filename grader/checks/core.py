"""The check library's core: outcomes, the ``@check`` declaration, common mistakes, numeric closeness, the
judge's secret and small helpers about model facts. The context a check runs in is :mod:`grader.checks.context`.
"""

from __future__ import annotations

import hashlib
import hmac
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Sequence

import numpy as np

from grader.sandbox import wire
from grader.feedback import Detail
from grader.i18n import Text, TextLike

Handle = wire.Handle
Tensor = wire.Tensor  # an argument the sandbox turns into a TensorFlow tensor
Fn = wire.Fn  # a function argument built in the sandbox from trusted source


# --- outcomes ----------------------------------------------------------------------------------


class Outcome(Exception):
    status = "failed"
    #: False where the check could not judge an answer (the student's code raised, a function is missing, a shared
    #: step such as building the model failed): the check's own hint is about a wrong answer, so it is not shown.
    judged = True

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


class MistakeError(Exception):
    """A mistake detector raised: a bug in the check, never a silent "no match". The student sees "the check
    itself failed; tell your instructor", and `grade validate` names the exercise, the check and the detector."""

    def __init__(self, mistake: "Mistake", error: BaseException) -> None:
        self.mistake = mistake
        self.error = error
        super().__init__(f'mistake detector "{mistake.label}" raised {type(error).__name__}: {error}')


@dataclass
class Mistake:
    """A common wrong answer and its explanation.

    ``compute(*args, **kwargs)`` gives what the mistaken code returns for the call's arguments (``expect_call``
    passes the arguments it called with; ``expect_close`` those of ``args=``); ``value`` is that result for a
    fixed example; ``when(got)`` recognises it directly. ``name`` says which detector it is in `grade validate`'s
    report (default: the start of the English explanation). A detector that raises is a bug in the check:
    :class:`MistakeError`, never a silent False.
    """

    explanation: Text
    compute: Callable[..., Any] | None = None
    value: Any = None
    when: Callable[[Any], bool] | None = None
    name: str = ""

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        text = str(self.explanation.get("en", "")) if isinstance(self.explanation, dict) else str(self.explanation)
        return text if len(text) <= 48 else text[:47] + "…"

    def matches(self, got: Any, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None) -> bool:
        try:
            if self.when is not None:
                return bool(self.when(got))
            target = self.compute(*args, **(kwargs or {})) if self.compute is not None else self.value
        except Exception as exc:
            raise MistakeError(self, exc) from exc
        if target is None:
            return False
        if not isinstance(target, dict):
            try:
                np.asarray(target, dtype=float)
            except (TypeError, ValueError):  # not numbers (strings, names): equal values
                try:
                    return type(got) is type(target) and bool(got == target)
                except Exception:
                    return False
        return close(got, target, rtol=1e-4, atol=1e-7)


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


# --- model facts -------------------------------------------------------------------------------

EXPORT = "from grader.sandbox import keras_facts as _facts\nresult = _facts.export(model)"
PROBE = "from grader.sandbox import keras_facts as _facts\nresult = _facts.probe(model, shapes)"


#: Layers that only apply an activation, and the activation they apply (None: the fact's own ``activation``).
ACTIVATION_LAYERS = {"Activation": None, "ReLU": "relu", "Softmax": "softmax", "LeakyReLU": "leaky_relu",
                     "ELU": "elu"}


def normalize_layers(facts: dict) -> dict:
    """The same model facts with every activation layer (``Activation``, ``ReLU``, ``Softmax``, ``LeakyReLU``,
    ``ELU``) that directly follows a layer without an activation of its own (``Dense(400)``, activation "linear")
    folded into that layer: ``Dense(400)`` + ``ReLU()`` reads as ``Dense(400, relu)``, as Keras computes it. In a
    functional model "follows" means the graph's edge (the only one out of the first, the only one into the second),
    and the edges are rewritten; otherwise it is the order of the layers. ``keras.Input`` and ``input_shape=``
    already give the same facts (an ``InputLayer`` is never listed). Used by ``Ctx.describe``, so every check that
    compares layers (``expect_layers``, ``is_linear``, the last layer's activation) sees equivalent models alike."""
    layers = facts.get("layers")
    if not isinstance(layers, list) or not any(isinstance(l, dict) and l.get("class") in ACTIVATION_LAYERS
                                               for l in layers):
        return facts
    edges = [list(e) for e in facts.get("edges") or [] if isinstance(e, (list, tuple)) and len(e) == 2]
    merged: list[dict] = []
    renamed: dict[str, str] = {}
    for layer in layers:
        previous = merged[-1] if merged else None
        activation = ACTIVATION_LAYERS.get(layer.get("class"), "") if isinstance(layer, dict) else ""
        if activation is None:
            activation = layer.get("activation")
        if previous is not None and activation and previous.get("activation") == "linear" and (
                not edges or _only_edge(edges, previous.get("name"), layer.get("name"))):
            previous["activation"] = activation
            if layer.get("output_shape") is not None:
                previous["output_shape"] = layer.get("output_shape")
            renamed[str(layer.get("name"))] = str(previous.get("name"))
            continue
        merged.append(dict(layer))
    if not renamed:
        return facts
    out = dict(facts)
    out["layers"] = merged
    if edges:
        rewritten = [[renamed.get(a, a), renamed.get(b, b)] for a, b in edges]
        out["edges"] = [e for e in rewritten if e[0] != e[1]]
    return out


def _only_edge(edges: list[list[Any]], source: Any, target: Any) -> bool:
    """``source`` feeds only ``target`` and ``target`` is fed only by ``source`` (a chain, nothing shared)."""
    return [e[1] for e in edges if e[0] == source] == [target] and [e[0] for e in edges if e[1] == target] == [source]


def epochs_run(history: Any, default: int) -> int:
    """How many epochs a ``ctx.fit`` ran: a training ended early by ``until=`` runs fewer than it asked for."""
    if not isinstance(history, dict):
        return default
    return max((len(v) for v in history.values() if isinstance(v, list)), default=default)


def is_linear(facts: dict) -> bool:
    """True when no layer before the output applies a non-linear activation (the model draws one line)."""
    hidden = normalize_layers(facts).get("layers", [])[:-1]
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
