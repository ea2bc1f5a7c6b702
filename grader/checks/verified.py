"""Judge side of model facts: exported by the student's process, rebuilt by the judge's own Keras, checked by outputs.

``ctx.describe`` / ``ctx.model`` get their facts here. The student's process only exports plain data (its model's
config, compile config and weight shapes, size-capped: :mod:`grader.sandbox.model_export`); the oracle (a sandbox
without student code) rebuilds them with Keras' built-in classes (:mod:`grader.sandbox.rebuild`), gives every weight
a value drawn from the judge's seed and computes the rebuilt model's outputs on inputs it draws too; the student's
model is asked for its outputs with the same weights on the same inputs (its own weights put back afterwards), and
the two must agree. The facts (layers, units, activations, shapes, the graph, compile settings) are then the rebuilt
model's, and the parameter count is the exported arrays' real size. ``facts["source"]`` says which of these held.
Where a check needs a trained model's outputs (a checkpoint, a loss), the weight values themselves are exported and
the judge's own Keras computes them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.i18n import Msg, register

register({
    "facts_outputs_differ": {
        "ko": "`{call}`(이) 반환한 모델의 출력이, 그 모델의 설정과 가중치로 채점기가 직접 만든 같은 모델의 출력과 "
              "다릅니다. 모델의 층이 설정에 적힌 계산과 다른 일을 하고 있습니다(get_config, call 등을 덮어쓴 층).",
        "en": "The outputs of the model `{call}` returned differ from those of the same model rebuilt by the grader "
              "from its config and weights: its layers compute something else than their config says (a layer "
              "that overrides get_config, call or the like).",
    },
    "facts_unreadable": {
        "ko": "`{call}`의 모델 정보를 읽지 못했습니다: {how}",
        "en": "Could not read the facts of the model `{call}` returned: {how}",
    },
    "facts_too_large": {
        "ko": "`{call}`의 가중치가 {mb:,} MB로, 채점기가 확인할 수 있는 {limit:,} MB를 넘습니다.",
        "en": "The weights of `{call}` take {mb:,} MB, more than the {limit:,} MB the grader checks.",
    },
    "facts_from_config": {
        "ko": "모델 정보(층, 파라미터 수, compile 설정)는 채점기가 모델의 설정과 가중치 배열로 Keras 기본 층만 써서 "
              "다시 만든 모델에서 읽었고, 채점기가 고른 입력에서 두 모델의 출력이 같음을 확인했습니다.",
        "en": "The model's facts (layers, parameter count, compile settings) were read from a copy the grader rebuilt "
              "from its config and weight arrays with Keras' built-in layers only, whose outputs matched your "
              "model's on inputs the grader chose.",
    },
    "facts_from_layers": {
        "ko": "모델 정보는 채점기가 각 층을 설정과 가중치로 Keras 기본 층만 써서 다시 만들어 차례로 적용한 결과에서 "
              "읽었고, 채점기가 고른 입력에서 그 결과가 모델의 출력과 같음을 확인했습니다.",
        "en": "The model's facts were read from its layers, each rebuilt by the grader from its config and weights "
              "with Keras' built-in layers only and applied in order, which gave your model's outputs on inputs the "
              "grader chose.",
    },
    "facts_from_behaviour": {
        "ko": "채점기가 이 모델을 Keras 기본 층으로 다시 만들 수 없어({reason}), 층 정보 없이 채점기가 고른 입력에 대한 "
              "출력과 가중치 배열의 실제 크기로만 판단했습니다.",
        "en": "The grader could not rebuild this model from Keras' built-in layers ({reason}), so it was judged "
              "without its layers: by its outputs on inputs the grader chose and the real size of its weight arrays.",
    },
})

EXPORT_MODEL = "from grader.sandbox import model_export as _facts\nresult = _facts.export_model(model)"
EXPORT_VALUES = "from grader.sandbox import model_export as _facts\nresult = _facts.export_model(model, values=True)"
PROBE = "from grader.sandbox import model_export as _facts\nresult = _facts.probe_outputs(model, seed, x)"
REBUILD = "from grader.sandbox import rebuild as _rebuild\nresult = _rebuild.rebuild(exported, seed)"
MAX_WEIGHT_BYTES = 96 * 1024 * 1024  # 24 M float32 parameters: twice the course's largest model
MAX_CONFIG, MAX_ARRAYS = 2_000_000, 10_000  # characters of a config; weight arrays of one model
RTOL, ATOL = 1e-2, 1e-3  # float32 on another device (GPU matmuls in TF32) stays well within these


def _flat(value: Any) -> np.ndarray | None:
    try:
        if isinstance(value, (list, tuple)):
            return np.concatenate([np.asarray(v, dtype=np.float64).reshape(-1) for v in value])
        return np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        return None


def agree(got: Any, expected: Any) -> bool:
    """The student's outputs and the rebuilt model's, within float32-on-another-device tolerance."""
    g, e = _flat(got), _flat(expected)
    if g is None or e is None or g.shape != e.shape:
        return False
    scale = max(1.0, float(np.max(np.abs(e)))) if e.size else 1.0
    return bool(np.all(np.isfinite(g) == np.isfinite(e)) and np.allclose(g, e, rtol=RTOL, atol=ATOL * scale,
                                                                          equal_nan=True))


def _ask(ctx: Any, label: str, thunk: Any) -> Any:
    """The student's process asked by the library itself (an export, a probe): not a value a check reads, so the
    record of what the student's code gave last (grader.blame.who_raised) is left as it was."""
    before = getattr(ctx, "last_received", None)
    try:
        return ctx._guard(label, thunk)
    finally:
        ctx.last_received = before


def _validated(exported: Any, label: str) -> dict:
    from grader.checks.core import Incorrect

    if not isinstance(exported, dict):
        raise Incorrect(Msg("facts_unreadable", call=label, how="not a dict"))
    weights, shapes = exported.get("weights"), exported.get("shapes")
    if not exported.get("is_model"):
        return exported
    if weights is not None and not (isinstance(weights, list) and all(isinstance(w, np.ndarray) for w in weights)):
        raise Incorrect(Msg("facts_unreadable", call=label, how="weights are not arrays"))
    for key in ("config", "compile"):
        if exported.get(key) is not None and not (isinstance(exported[key], str) and len(exported[key]) <= MAX_CONFIG):
            raise Incorrect(Msg("facts_unreadable", call=label, how=f"{key} is not a JSON text of at most "
                                                                     f"{MAX_CONFIG:,} characters"))
    if not (isinstance(shapes, list) and len(shapes) <= MAX_ARRAYS and all(isinstance(s, (list, tuple)) and all(type(d) is int and 0 <= d < 2**31
                                                                                     for d in s) for s in shapes)):
        raise Incorrect(Msg("facts_unreadable", call=label, how="weight shapes are not lists of sizes"))
    size = sum(4 * int(np.prod(s, dtype=np.float64)) for s in shapes)
    if size > MAX_WEIGHT_BYTES:
        raise Incorrect(Msg("facts_too_large", call=label, mb=size // 2**20, limit=MAX_WEIGHT_BYTES // 2**20))
    return exported


def describe(ctx: Any, handle: Any, label: str) -> dict:
    """Facts about the model behind ``handle`` that the judge checked itself (``ctx``: the check's context)."""
    from grader.checks.core import Incorrect
    from grader.server import facts as kept

    exported = _validated(_ask(ctx, label, lambda: ctx.session.run(EXPORT_MODEL, model=handle)), label)
    if not exported.get("is_model"):
        return {"is_model": False, "type": str(exported.get("type") or "object")[:100]}
    # the probe's weights come from the judge's secret, not from the run's seed: a model's facts are the same at every
    # seed, so `grade validate --seeds` grades again only the checks whose inputs do depend on the seed
    seed = int(ctx.secret_rng("model-facts", ctx.check_name, seed=0).integers(2**31))
    rebuilt = kept.load(exported, seed)  # the student's loop: the same model was rebuilt on an earlier run
    if rebuilt is None:
        rebuilt = _oracle_run(ctx, REBUILD, label, exported=exported, seed=seed)
        kept.store(exported, seed, rebuilt)
    if not isinstance(rebuilt, dict) or not isinstance(rebuilt.get("facts"), dict):
        raise Incorrect(Msg("facts_unreadable", call=label, how="no facts"))
    facts, how = rebuilt["facts"], str(rebuilt.get("how"))
    reason = str(rebuilt.get("reason") or "").split("; ")[0][:160]  # the first reason, short
    if "x" in rebuilt:  # the student's model with the same seeded weights, on the same inputs
        got = _ask(ctx, label, lambda: ctx.session.run(PROBE, model=handle, seed=seed, x=rebuilt["x"]))
        if not agree(got, rebuilt.get("y")):
            if how == "config":
                raise Incorrect(Msg("facts_outputs_differ", call=label))
            how, reason = "none", "its layers applied in order do not give its outputs"
            facts.update(layers=[], outputs=[[None, *np.shape(a)[1:]] for a in ([got] if isinstance(got, np.ndarray)
                                                                                else [])])
    facts["source"] = {"how": how, "reason": reason, "compile": str(rebuilt.get("compile_reason") or "")}
    note = Msg("facts_from_config") if how == "config" else Msg("facts_from_layers") if how == "layers" else \
        Msg("facts_from_behaviour", reason=reason)
    if exported.get("built"):  # an unbuilt model has no layers to speak of yet
        ctx.shared.setdefault("facts_notes", {})[note.render("en")] = note
    return facts


OUTPUTS = "from grader.sandbox import rebuild as _rebuild\nresult = _rebuild.outputs(exported, x, layers)"
CHECKPOINT = "from grader.sandbox import rebuild as _rebuild\nresult = _rebuild.checkpoint_outputs(data, x)"
READ_FILE = """
import os
result = None
if os.path.isfile(path) and os.path.getsize(path) <= limit:
    with open(path, "rb") as file:
        result = np.frombuffer(file.read(limit + 1), dtype=np.uint8)
"""


def _oracle_run(ctx: Any, code: str, label: str, **bindings: Any) -> Any:
    from grader.checks.core import Incorrect
    from grader.sandbox import StudentRaised, Verdict

    if ctx.oracle is None:
        raise RuntimeError("this needs the oracle (a sandbox without student code)")
    try:
        return ctx.oracle().run(code, **bindings)
    except (Verdict, StudentRaised) as exc:  # the student's data broke the judge's own Keras
        how = exc.message.render("en") if isinstance(exc, Verdict) else str(exc.info.get("message"))[:200]
        raise Incorrect(Msg("facts_unreadable", call=label, how=how)) from None


def rebuilt_outputs(ctx: Any, handle: Any, x: Any, label: str, layers: bool = True) -> Any:
    """The outputs on ``x`` of the model behind ``handle`` as the judge's own Keras computes them from its exported
    config and weights, or (``layers``) from its layers applied in order; None where it cannot be rebuilt from
    built-in layers."""
    exported = _validated(_ask(ctx, label, lambda: ctx.session.run(EXPORT_VALUES, model=handle)), label)
    if not exported.get("is_model"):
        return None
    return _oracle_run(ctx, OUTPUTS, label, exported=exported, x=x, layers=layers)


def read_file(ctx: Any, path: str, label: str, limit: int = 64 * 1024 * 1024) -> np.ndarray | None:
    """The bytes of a file the student's code wrote in its sandbox (None when there is none)."""
    data = _ask(ctx, label, lambda: ctx.session.run(READ_FILE, path=path, limit=limit))
    return data if isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 1 else None


def checkpoint_outputs(ctx: Any, data: np.ndarray, x: Any, label: str) -> dict:
    """A ``.keras`` file's model, loaded by the judge's own Keras (built-in classes only): ``{"y"}`` or ``{"error"}``."""
    got = _oracle_run(ctx, CHECKPOINT, label, data=data, x=x)
    return got if isinstance(got, dict) else {"error": "no answer"}


LOSS = "from grader.sandbox import rebuild as _rebuild\nresult = _rebuild.compute_loss(exported, x, y)"


def computed_loss(ctx: Any, handle: Any, x: Any, y: Any, label: str) -> dict:
    """``{"loss", "pred"}``: the total loss and the outputs of the model behind ``handle``, both computed by the judge's
    own Keras from its exported config, compile settings and weights (never by the student's process)."""
    from grader.checks.core import Incorrect

    exported = _validated(_ask(ctx, label, lambda: ctx.session.run(EXPORT_VALUES, model=handle)), label)
    got = _oracle_run(ctx, LOSS, label, exported=exported, x=x, y=y) if exported.get("is_model") else None
    if not isinstance(got, dict) or "error" in got:
        how = got.get("error") if isinstance(got, dict) else "not a Keras model"
        raise Incorrect(Msg("raised", call=label, error=how))
    return got
