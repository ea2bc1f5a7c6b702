"""The context a check runs in: the sandboxed student code, the seed, the reference, the judge's secret.

What a check may use (everything else is the library's own):

=========================  ============================================================================
``ctx.call(name, *args)``  the student's module-level function, run in the sandbox; plain data back, other
                           objects as handles (label default: the stub's signature, ``name(y, t)``)
``ctx.expect_*``           the comparisons (:mod:`grader.checks.expect`)
``ctx.model(builder, ..)`` build a Keras model once per run: ``(handle, facts)``; ``ctx.describe`` gives the
                           facts of any handle: a ``ModelFacts`` (typed, every key documented, in
                           ``grader.sandbox.keras_facts``: ``is_model``, ``api``, ``layers`` of ``LayerFacts``,
                           ``inputs``, ``outputs``, ``params``, ``compiled``, ``loss``, ``optimizer``, ...)
``ctx.fit`` / ``predict``  train with the student's compile settings (epochs streamed, loss curve kept);
                           ``predict_trained`` computes held-out outputs from the weights, in the judge
``ctx.run(code, **names)`` trusted code in the sandbox with ``np``, ``tf``, ``keras`` (when imported),
                           ``module`` (the student's), ``emit(epoch, logs)`` and the bound names; it sets
                           ``result``
``ctx.once(key, thunk)``   compute once per grading run, shared by every check (a failure too); keys used by
                           the library: ``model:<builder>(<arguments>)``
``ctx.rng``                random inputs per run and check (keyed by the judge's secret in hidden checks);
                           ``ctx.secret_rng(*parts)`` the same numbers in every check of a run
``ctx.reference``          the reference solution, in the judge (hidden checks only)
=========================  ============================================================================
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

import numpy as np

from grader.sandbox import wire
from grader.checks.calls import call_label, stub_of
from grader.checks.core import (EXPORT, Handle, Incorrect, NotAttempted, Outcome, _kind, judge_key,
                                normalize_layers, secret_seed)
from grader.checks.expect import Expectations
from grader.feedback import Advice, Code, Detail, Explanation
from grader.i18n import Msg, register
from grader.report.curves import recorded
from grader.sandbox import Missing, Session, StudentRaised
from grader.sandbox.records import memory_advice

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "raised": {
        "ko": "`{call}` 실행 중 예외가 발생했습니다: {error}",
        "en": "`{call}` raised an exception: {error}",
    },
    "missing_function": {
        "ko": "파일에서 `{name}`의 정의를 찾지 못했습니다. 이름을 바꾸거나 지우지 않았는지 확인하세요.",
        "en": "`{name}` is missing from your file. Did you rename or delete it?",
    },
    "training_failed": {
        "ko": "학습 중 오류가 났습니다: {error}",
        "en": "Training failed: {error}",
    },
    "traceback_where": {
        "ko": "파이썬이 알려 준 오류 위치입니다(영어 원문, 마지막 줄이 오류가 난 줄):",
        "en": "Where Python says it happened (the last line is the one that failed):",
    },
    "help_name_error_call": {
        "ko": "정의되지 않은 이름을 썼습니다. 철자(대소문자 포함)와 import 줄을 확인하세요.",
        "en": "A name is used that is not defined: check its spelling (upper and lower case too) and the imports.",
    },
    "help_truth_value": {
        "ko": "if x > 0:처럼 배열을 if에 넣으면 참/거짓 하나로 정할 수 없습니다. 배열은 원소별로 한 번에 비교하세요"
              "(x > 0의 결과는 True/False 배열입니다).",
        "en": "An array in an if (if x > 0:) has no single truth value. Compare arrays elementwise, all at once "
              "(x > 0 is an array of True/False).",
    },
    "help_shapes_not_aligned": {
        "ko": "행렬 곱의 모양이 맞지 않습니다. (a, b)·(b, c)처럼 앞 배열의 마지막 축과 뒤 배열의 첫 축 길이가 같아야 "
              "합니다. 곱하는 순서와 전치(.T)를 확인하세요.",
        "en": "The shapes of a matrix product do not fit: in (a, b)·(b, c) the first array's last axis must match the "
              "second one's first axis. Check the order of the product and the transposes (.T).",
    },
})


def raised_help(kind: str, message: str) -> Msg | None:
    """A sentence that teaches what an exception the student's function raised usually means."""
    if kind == "NameError":
        return Msg("help_name_error_call")
    if kind == "ValueError" and "truth value of an array" in message:
        return Msg("help_truth_value")
    if kind == "ValueError" and ("not aligned" in message or "matmul" in message):
        return Msg("help_shapes_not_aligned")
    return None


def _unjudged(outcome: Outcome) -> Outcome:
    """The student's code did not give an answer to judge (it raised, or is missing): no hint applies."""
    outcome.judged = False
    return outcome


_SEED_USE = threading.local()  # did the checks graded in this thread use --seed? (grade validate --seeds)


def seed_use_reset() -> None:
    """Start watching which checks graded next, in this thread, depend on ``--seed``."""
    _SEED_USE.checks = set()


def seed_checks() -> set[str] | None:
    """The checks graded in this thread since :func:`seed_use_reset` whose result depends on ``--seed``: they drew
    from ``ctx.rng`` or ``ctx.secret_rng`` without a fixed seed, trained a model built from the sandbox's seed (not
    seeded by :mod:`grader.checks.trials`), or used a ``ctx.once`` value computed so. None when never reset."""
    checks = getattr(_SEED_USE, "checks", None)
    return set(checks) if checks is not None else None


@dataclass
class Ctx(Expectations):
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
            computing = self.shared.setdefault("_computing", [])
            computing.append(key)
            try:
                self.shared[key] = (True, thunk())
            except Outcome as outcome:
                self.shared[key] = (False, outcome)
            finally:
                computing.pop()
        if key in self.shared.get("_seeded_keys", ()):
            self._seed_use()  # a value computed from --seed: this check depends on it too
        ok, value = self.shared[key]
        if not ok:
            shared = type(value)(value.message, *value.details)
            shared.judged = False  # a shared step failed, not this check's own comparison
            raise shared
        return value

    def _seed_use(self) -> None:
        """This check (and the ``once`` values being computed) depends on ``--seed``."""
        checks = getattr(_SEED_USE, "checks", None)
        if checks is not None:
            checks.add(self.check_name)
        self.shared.setdefault("_seeded_keys", set()).update(self.shared.get("_computing", ()))

    @property
    def key(self) -> bytes | None:
        """The judge's secret for this exercise (see :func:`judge_key`)."""
        return judge_key(self.exercise if self.exercise is not None else getattr(self.reference_loader, "__self__", None))

    @property
    def rng(self) -> np.random.Generator:
        """Random inputs, different per run and per check, reproducible with ``--seed``.

        Keyed by the judge's secret where the hidden checks are present: the student's process, even knowing
        the seed and the checks' code, cannot regenerate them."""
        self._seed_use()
        if not hasattr(self, "_rng"):
            if self.key is None:
                self._rng = np.random.default_rng([self.seed, zlib.crc32(self.check_name.encode())])
            else:
                self._rng = np.random.default_rng(secret_seed(self.key, self.seed, "check", self.check_name))
        return self._rng

    def secret_rng(self, *parts: Any, seed: int | None = None) -> np.random.Generator:
        """A generator for held-out data shared between checks (the same ``parts`` give the same numbers in every
        check of a run), from ``seed`` (default: the run's seed) and the judge's secret."""
        if seed is None:
            self._seed_use()
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
            value = thunk()
            self.last_received = (label, value)  # what the student's process gave last: grader.blame.who_raised
            return value
        except Missing as exc:
            raise _unjudged(Incorrect(Msg("missing_function", name=exc.name))) from None
        except StudentRaised as exc:
            info = exc.info
            if info.get("type") == "NotImplementedError":
                raise NotAttempted(Msg("not_attempted", name=label.split("(")[0])) from None
            error = f"{info.get('type')}: {info.get('message')}"
            details: list[Detail] = [Advice(Msg("traceback_where")), Code(info["traceback"])] if info.get("traceback") else []
            details += [Advice(text) for text in [raised_help(str(info.get("type")), str(info.get("message")))] if text]
            details += [Explanation(text) for text in [memory_advice(info)] if text]  # still the student's error
            raise _unjudged(Incorrect(Msg("raised", call=label, error=error), *details)) from None
        except wire.Unsupported as exc:
            raise _unjudged(Incorrect(Msg("unsupported_value", call=label, kind=exc.kind))) from None

    def call(self, name: str, *args: Any, label: str = "", **kwargs: Any) -> Any:
        """Call the student's module-level ``name``; objects that are not plain data come back as handles."""
        label = label or call_label(stub_of(self), name, args, kwargs)
        return self._guard(label, lambda: self.session.call(name, *args, **kwargs))

    def method(self, obj: Handle, name: str, *args: Any, label: str = "", **kwargs: Any) -> Any:
        return self._guard(label or f"{name}()", lambda: self.session.method(obj, name, *args, **kwargs))

    def attr(self, obj: Handle | None, name: str, label: str = "") -> Any:
        return self._guard(label or name, lambda: self.session.attr(obj, name))


    def model(self, builder: str, *args: Any, label: str = "", **kwargs: Any) -> tuple[Handle, dict]:
        """Call the student's model builder once per run and arguments; the model's handle and its plain facts."""
        label = label or call_label(stub_of(self), builder, args, kwargs)

        def build() -> tuple[Handle, dict]:
            handle = self.call(builder, *args, label=label, **kwargs)
            return handle, self.describe(handle, label)

        return self.once(f"model:{builder}{args!r}{sorted(kwargs.items())!r}", build)  # one model per arguments

    def describe(self, obj: Any, label: str) -> dict:
        """Plain facts about a Keras model living in the sandbox (fails if it is not one), checked by the judge
        itself: rebuilt from the exported config and weights by a sandbox without student code, its outputs
        compared with the student's (:mod:`grader.checks.verified`); ``facts["source"]`` says what held."""
        from grader.checks import verified

        if not isinstance(obj, Handle):
            raise Incorrect(Msg("not_a_model", call=label, got=_kind(obj)))
        facts = verified.describe(self, obj, label)
        if not facts.get("is_model"):
            raise Incorrect(Msg("not_a_model", call=label, got=facts.get("type", "object")))
        return normalize_layers(facts)  # Dense(400) + ReLU() reads as Dense(400, relu)

    def fit(self, model: Handle, x: Any, y: Any, label: str = "fit()", **kwargs: Any) -> dict:
        self.status(Msg("training").render(self.lang))
        if getattr(model, "id", None) not in self.shared.get("seeded_models", ()):
            self._seed_use()  # its weights came from the sandbox's seed, which --seed decides
        try:
            return recorded(self, self._guard(label, lambda: self.session.fit(model, x, y, **kwargs)), model)  # loss curve
        except Incorrect as exc:
            raise Incorrect(Msg("training_failed", error=exc.message), *exc.details) from None

    def predict(self, model: Handle, x: Any, label: str = "model(x)") -> Any:
        return self._guard(label, lambda: self.session.predict(model, x))

    def export(self, model: Handle, label: str = "model") -> dict:
        """The model's layers and weights as plain data (:func:`grader.sandbox.keras_facts.export`)."""
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
        if self.oracle is not None:  # the judge's own Keras, built-in layers only: e.g. a functional model's graph
            from grader.checks import verified

            rebuilt = verified.rebuilt_outputs(self, model, x, label, layers=False)
            if rebuilt is not None:
                return rebuilt, exported
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
