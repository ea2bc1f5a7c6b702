"""Trainings judged by a rule, not by one initialisation: seeded tries from the student's code, k of n must learn.

A training check asks :func:`vote` to train the student's model ``TRIES`` times, each from a fresh model built
after ``keras.utils.set_random_seed(seed)``; the seeds come from the exercise and the student's code (its
fingerprints: comments, blank lines and docstrings do not count), never from ``--seed``, so the same code always
trains the same way and gets the same verdict. The verdict is "learned" when ``NEEDED`` of the ``TRIES`` tries
learn; tries stop as soon as the verdict is decided (two that learn, or two that do not). Every loss chart is
labelled with its try and seed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from grader.i18n import Text

TRIES = 3
NEEDED = 2


@dataclass
class Trial:
    """One seeded training: whether it learned, and what the check needs from it (model, outputs, steps, ...)."""

    seed: int
    learned: bool
    model: Any = None
    steps: int = 0
    value: Any = None


@dataclass
class Vote:
    """The tries of one training rule and its verdict."""

    trials: list[Trial] = field(default_factory=list)
    tries: int = TRIES
    needed: int = NEEDED

    @property
    def learned(self) -> bool:
        return sum(t.learned for t in self.trials) >= self.needed

    @property
    def chosen(self) -> Trial:
        """The try later checks judge: the first that learned when the verdict is "learned", else the first."""
        if self.learned:
            return next(t for t in self.trials if t.learned)
        return self.trials[0]

    def summary(self) -> Text:
        """``learned in 1 of 3 tries (seeds 11, 12, 13)``, in both languages."""
        won = sum(t.learned for t in self.trials)
        seeds = ", ".join(str(t.seed) for t in self.trials)
        return {"ko": f"{len(self.trials)}번 시도 중 {won}번 학습에 성공(시드 {seeds}); 기준: {self.tries}번 중 {self.needed}번",
                "en": f"learned in {won} of {len(self.trials)} tries (seeds {seeds}); the rule: {self.needed} of {self.tries}"}


def code_digest(ctx: Any) -> str:
    """A digest of the student's code as the judge loaded it (its definitions' fingerprints), or "" if unknown."""
    from grader.source import fingerprints

    loaded = getattr(ctx.session, "loaded", None)
    try:
        source = Path(loaded).read_bytes().decode("utf-8", "replace") if loaded else ""
        prints = fingerprints(source)
    except (OSError, SyntaxError, ValueError):
        return ""
    return hashlib.sha256(repr(sorted(prints.items())).encode()).hexdigest()


def try_seeds(ctx: Any, purpose: str, tries: int = TRIES) -> list[int]:
    """The seeds of a training's tries: from the exercise, the purpose and the student's code (not ``--seed``)."""
    exercise = getattr(getattr(ctx, "exercise", None), "name", "") or getattr(
        getattr(ctx.reference_loader, "__self__", None), "name", "")
    base = hashlib.sha256(f"{exercise}\0{purpose}\0{code_digest(ctx)}".encode()).digest()
    return [1 + int.from_bytes(hashlib.sha256(base + bytes([i])).digest()[:4], "big") % 99_999 for i in range(tries)]


def seed_keras(ctx: Any, seed: int) -> None:
    """Seed Python, numpy and the Keras backend in the sandbox (the next model's weights, the next shuffle)."""
    ctx.run("keras.utils.set_random_seed(int(seed))", label="keras.utils.set_random_seed", seed=int(seed))


def build_seeded(ctx: Any, seed: int, builder: str, label: str, *args: Any) -> Any:
    """The student's ``builder()`` called after :func:`seed_keras`: a model whose weights (and trainings) depend on
    ``seed`` only, recorded as such (``ctx.fit`` then knows its result does not depend on ``--seed``)."""
    seed_keras(ctx, seed)
    model = ctx.call(builder, *args, label=label)
    ctx.shared.setdefault("seeded_models", set()).add(getattr(model, "id", None))
    return model


def label_curve(ctx: Any, model: Any, index: int, tries: int, seed: int) -> None:
    """Title the loss chart of ``model`` with its try and seed (charts of several tries are never confused)."""
    curve = ctx.shared.get(("curve", getattr(model, "id", None)))
    if curve is not None:
        curve.title = {"ko": f"에포크별 손실: 시도 {index}/{tries} (시드 {seed})",
                       "en": f"Loss per epoch: try {index} of {tries} (seed {seed})"}


def vote(ctx: Any, purpose: str, one_try: Callable[[int], Trial], *, tries: int = TRIES, needed: int = NEEDED,
         stop: Callable[[Trial], bool] | None = None) -> Vote:
    """Run ``one_try(seed)`` for the seeds of ``purpose`` until the verdict is decided; each try's chart labelled.

    ``one_try`` builds a fresh model after :func:`seed_keras` itself (so that the build is seeded) and returns a
    :class:`Trial`. ``stop(trial)`` may end the vote early (a model that can never learn, e.g. a linear one:
    more tries would only cost time); the verdict then counts the missing tries as not learned."""
    result = Vote(tries=tries, needed=needed)
    for index, seed in enumerate(try_seeds(ctx, purpose, tries), 1):
        trial = one_try(seed)
        result.trials.append(trial)
        label_curve(ctx, trial.model, index, tries, seed)
        won = sum(t.learned for t in result.trials)
        lost = len(result.trials) - won
        if won >= needed or lost > tries - needed or (stop is not None and stop(trial)):
            break
    return result
