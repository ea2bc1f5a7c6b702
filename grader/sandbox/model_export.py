"""Sandbox side of the judge's own model facts: a model as plain data (config, shapes, weights) and a seeded probe."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.sandbox.keras_facts import api_kind, predict


def export_model(model: Any, values: bool = False) -> dict:
    """What the judge rebuilds a model from: its serialized config, compile config and weight arrays.

    Everything here is the student's process speaking, so nothing is believed as it is: the judge rebuilds the
    config with Keras' built-in classes only, counts parameters from the arrays, and compares the outputs of the
    rebuilt model with this one's on inputs it chooses itself."""
    import json

    import keras

    if not isinstance(model, keras.Model):
        return {"is_model": False, "type": type(model).__name__}
    out: dict[str, Any] = {"is_model": True, "type": type(model).__name__, "api": api_kind(model),
                           "built": bool(model.built), "config": None, "compile": None, "layers": [],
                           "weights": [], "input_shape": None}
    if isinstance(model, keras.Sequential):
        out["api"] = "sequential"  # a subclass of Sequential is rebuilt as the Sequential its layers make
    try:
        out["config"] = json.dumps(keras.saving.serialize_keras_object(model))
    except Exception as exc:  # noqa: BLE001 - a model without a config is judged by its behaviour
        out["config_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    if getattr(model, "optimizer", None) is not None and getattr(model, "compiled", True):
        try:
            out["compile"] = json.dumps(model.get_compile_config())
        except Exception as exc:  # noqa: BLE001
            out["compile_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    _build_layers(model)
    variables = list(model.weights)
    index = {id(v): i for i, v in enumerate(variables)}
    out["shapes"] = [[int(d) for d in v.shape] for v in variables]
    out["weights"] = [keras.ops.convert_to_numpy(v) for v in variables] if values else None
    for layer in model.layers:
        try:
            config = json.dumps(keras.saving.serialize_keras_object(layer))
        except Exception:  # noqa: BLE001
            config = None
        out["layers"].append({"config": config, "weights": [index.get(id(v), -1) for v in layer.weights]})
    try:
        build = model.get_build_config() or {}
        shape = build.get("input_shape")
        out["input_shape"] = [None if d is None else int(d) for d in shape] if isinstance(shape, (list, tuple)) else None
    except Exception:  # noqa: BLE001
        pass
    return out


def _build_layers(model: Any) -> None:
    """A model marked built by ``model.build(shape)`` without a ``build`` of its own has layers without weights
    until its first call: call it once on zeros of that shape, as ``fit`` or ``predict`` would."""
    try:
        shape = (model.get_build_config() or {}).get("input_shape")
        if model.built and isinstance(shape, (list, tuple)) and any(not l.built for l in model.layers):
            model(np.zeros((1, *[int(d) for d in shape[1:]]), dtype="float32"), training=False)
    except Exception:  # noqa: BLE001 - a model that cannot be called so is judged as it is
        pass


def probe_outputs(model: Any, seed: int, x: Any) -> Any:
    """The model's outputs on ``x`` with every weight set to the judge's seeded values (``probe_weights``),
    its own weights put back afterwards: the judge's copy, rebuilt from the config, must give the same."""
    saved = model.get_weights()
    try:
        model.set_weights(probe_weights([list(np.shape(w)) for w in saved], seed))
        return predict(model, x)
    finally:
        model.set_weights(saved)


def probe_weights(shapes: list, seed: int) -> list[np.ndarray]:
    """Weights drawn from the judge's seed for arrays of these shapes (the same numbers in the oracle and in the
    student's process): kernels uniform with variance 1/fan-in, vectors in [0.5, 1.5] (a valid variance, scale or bias)."""
    rng = np.random.default_rng(seed)
    out = []
    for shape in shapes:
        if len(shape) >= 2:
            fan_in = max(int(np.prod(shape[:-1])), 1)
            limit = np.float32(np.sqrt(3.0 / fan_in))  # uniform of variance 1/fan_in: 4x faster to draw than normal
            kernel = rng.random(shape, dtype=np.float32)
            kernel *= 2 * limit
            kernel -= limit
            out.append(kernel)
        else:
            out.append(rng.random(shape, dtype=np.float32) + np.float32(0.5))
    return out
