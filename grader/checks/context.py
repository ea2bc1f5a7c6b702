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

import zlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

import numpy as np

from grader.sandbox import wire
from grader.checks.calls import call_label, stub_of
from grader.checks.core import EXPORT, Handle, Incorrect, NotAttempted, Outcome, _kind, judge_key, secret_seed
from grader.checks.expect import Expectations
from grader.feedback import Code, Detail, Explanation
from grader.i18n import Msg, register
from grader.report.curves import recorded
from grader.sandbox import Missing, Session, StudentRaised

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
})


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
