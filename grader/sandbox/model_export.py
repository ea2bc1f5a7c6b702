"""Sandbox side of the judge's own model facts: a model as plain data (config, shapes, weights) and a seeded probe."""

from __future__ import annotations

import threading
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
    import keras

    variables = list(model.weights)
    saved = [keras.ops.copy(v.value) for v in variables]  # in the backend: no round trip through numpy
    try:
        set_weights(variables, probe_weights([[int(d) for d in v.shape] for v in variables], seed))
        return predict(model, x)
    finally:
        for variable, value in zip(variables, saved):
            variable.assign(value)


def set_weights(variables: list, arrays: list[np.ndarray]) -> None:
    """Keras' ``set_weights`` on these variables (the same checks), without copying the arrays where the backend
    can take numpy's memory as it is (TensorFlow, through DLPack): a 12 M-parameter model in 5 ms instead of 50."""
    if len(variables) != len(arrays):
        raise ValueError(f"expected {len(variables)} weight arrays, got {len(arrays)}")
    for variable, array in zip(variables, arrays):
        if tuple(variable.shape) != tuple(np.shape(array)):
            raise ValueError(f"weight of shape {tuple(variable.shape)} given an array of shape {np.shape(array)}")
    for variable, array in zip(variables, arrays):
        variable.assign(_tensor(array, variable.dtype))


ALIGN = 128  # bytes: TensorFlow aborts the process on a tensor whose memory is not aligned for Eigen (64 at most)


def _tensor(array: np.ndarray, dtype: Any) -> Any:
    """``array`` as the backend's tensor, its memory shared where TensorFlow can (an array of the variable's dtype,
    contiguous, writable and aligned: :func:`aligned_empty`); else as it is, for ``assign`` to convert."""
    import keras

    if keras.backend.backend() != "tensorflow" or not isinstance(array, np.ndarray) or array.dtype != np.dtype(dtype) \
            or not array.flags.c_contiguous or not array.flags.writeable or array.size == 0 \
            or array.ctypes.data % ALIGN:
        return array
    try:
        import tensorflow as tf

        return tf.experimental.dlpack.from_dlpack(array.__dlpack__())
    except Exception:  # noqa: BLE001 - an array DLPack does not take: copied by assign as before
        return array


SPLIT_FROM = 1 << 20  # elements: an array this large is drawn as two halves, the second on a thread of its own


def probe_weights(shapes: list, seed: int) -> list[np.ndarray]:
    """Weights drawn from the judge's seed for arrays of these shapes (the same numbers in the oracle and in the
    student's process): kernels uniform with variance 1/fan-in, vectors in [0.5, 1.5] (a valid variance, scale or bias).

    Each array (each half of a large one) has a generator of its own (SFC64, keyed by seed, array and half), so
    the numbers do not depend on who draws them: the second halves are drawn on another thread (numpy lets go of
    the interpreter while it fills), 12 M float32 in ~25 ms instead of ~45 where a core is free."""
    out, mine, theirs = [], [], []
    for index, shape in enumerate(shapes):
        array = aligned_empty(shape)
        flat = array.reshape(-1)
        limit = np.float32(np.sqrt(3.0 / max(int(np.prod(shape[:-1])), 1))) if len(shape) >= 2 else None
        half = flat.size // 2 if flat.size >= SPLIT_FROM else flat.size
        mine.append((flat[:half], (seed, index, 0), limit))
        if half < flat.size:
            theirs.append((flat[half:], (seed, index, 1), limit))
        out.append(array)
    failed: list[BaseException] = []
    helper = threading.Thread(target=_draw_all, args=(theirs, failed), daemon=True) if theirs else None
    try:
        if helper is not None:
            helper.start()
    except RuntimeError:  # no thread to be had (a process limit): drawn here, the same numbers
        mine, helper = mine + theirs, None
    _draw_all(mine, failed)
    if helper is not None:
        helper.join()
    if failed:
        raise failed[0]
    return out


def _draw_all(jobs: list, failed: list) -> None:
    try:
        for part, key, limit in jobs:
            rng = np.random.Generator(np.random.SFC64([int(k) for k in key]))
            rng.random(dtype=np.float32, out=part)
            if limit is None:  # a vector: [0.5, 1.5)
                part += np.float32(0.5)
            else:  # a kernel: uniform in [-limit, limit), of variance 1/fan-in
                part *= 2 * limit
                part -= limit
    except BaseException as exc:  # noqa: BLE001 - raised by the thread that asked
        failed.append(exc)


def aligned_empty(shape: list) -> np.ndarray:
    """An uninitialised float32 array whose memory starts on an :data:`ALIGN` boundary (numpy's own: 16 bytes)."""
    size = int(np.prod(shape, dtype=np.int64))
    raw = np.empty(size * 4 + ALIGN, dtype=np.uint8)
    start = -raw.ctypes.data % ALIGN
    return raw[start:start + size * 4].view(np.float32).reshape(shape)
