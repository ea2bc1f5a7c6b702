"""The judge's own Keras: a student's model rebuilt from plain data, in a confined child that runs no student code.

The student's process exports its model as plain data (:func:`grader.sandbox.model_export.export_model`: the
serialized config, the compile config and the weight arrays). Nothing in it is believed as it is. Here, in the
oracle (a sandbox with TensorFlow and no student code, :class:`grader.judge.Oracle`), the config is rebuilt with
Keras' built-in classes only (``safe_mode=True``, no custom objects, modules under ``keras`` only, no ``Lambda``),
the exported arrays are loaded into it (an array that does not fit the config refuses the rebuild), the parameters
are counted from those arrays, and the facts are read off the rebuilt model. The rebuilt model's outputs on inputs
drawn from the judge's seed come back with them: the judge compares them with the student's model's own outputs
(:mod:`grader.checks.verified`), so a model whose code computes something else than its config says is caught.

A model whose config cannot be rebuilt (a subclassed model's own ``call``) has each of its layers rebuilt the same
way and applied one after another; the facts hold only where that chain gives the student's outputs.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

#: built-in classes that run code or load files named in their config: never rebuilt
DENIED = frozenset({"Lambda", "TFSMLayer", "TorchModuleWrapper", "JaxLayer", "FlaxLayer", "__lambda__"})
MAX_CONFIG = 2_000_000  # characters of one serialized config
MAX_DEPTH = 64


class Refused(Exception):
    """The exported data cannot be rebuilt with built-in Keras classes; the message says why."""


def check_config(node: Any, depth: int = 0) -> None:
    """Refuse a config that names anything but Keras' own classes and functions."""
    if depth > MAX_DEPTH:
        raise Refused("config nested too deeply")
    if isinstance(node, dict):
        name = node.get("class_name")
        if isinstance(name, str):
            module = node.get("module")
            if name in DENIED:
                raise Refused(f"{name} runs code of its own")
            if module is not None and not (isinstance(module, str) and (
                    module == "keras" or module.startswith("keras.") or module == "builtins")):
                raise Refused(f"custom class {module}.{name}")
            registered = node.get("registered_name")
            if isinstance(registered, str) and ">" in registered:
                raise Refused(f"custom object {registered}")
        for value in node.values():
            check_config(value, depth + 1)
    elif isinstance(node, (list, tuple)):
        for value in node:
            check_config(value, depth + 1)


def _parse(text: Any, sequential: bool = False) -> dict:
    """The exported config, checked; ``sequential``: a subclass of Sequential, rebuilt as the Sequential its layers
    make (only the outermost class is replaced: every layer must still be Keras' own)."""
    if not isinstance(text, str) or len(text) > MAX_CONFIG:
        raise Refused("no config" if text is None else "config too large")
    try:
        config = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Refused(f"config is not JSON: {type(exc).__name__}") from None
    if not isinstance(config, dict):
        raise Refused("config is not an object")
    if sequential and config.get("class_name") != "Sequential":
        config = {**config, "class_name": "Sequential", "module": "keras", "registered_name": None}
    check_config(config)
    return config


def _deserialize(config: dict) -> Any:
    import keras

    try:
        return keras.saving.deserialize_keras_object(config, custom_objects={}, safe_mode=True)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever Keras refuses, the reason is reported
        raise Refused(f"{type(exc).__name__}: {str(exc)[:200]}") from None


def shapes_of(exported: dict) -> list[list[int]]:
    shapes = exported.get("shapes")
    if not isinstance(shapes, list) or not all(isinstance(s, (list, tuple)) and all(type(d) is int and d >= 0 for d in s)
                                               for s in shapes):
        raise Refused("weight shapes are not lists of sizes")
    return [list(s) for s in shapes]


def _arrays(exported: dict, seed: int = 0) -> list[np.ndarray]:
    """The exported weight arrays where they were sent (a trained model), else arrays of the exported shapes drawn
    from ``seed`` (the student's process computes with the same: model_export.probe_outputs)."""
    shapes = shapes_of(exported)
    weights = exported.get("weights")
    if weights is None:
        from grader.sandbox.model_export import probe_weights

        return probe_weights(shapes, seed)
    if not isinstance(weights, list) or not all(isinstance(w, np.ndarray) for w in weights):
        raise Refused("weights are not arrays")
    if [list(w.shape) for w in weights] != shapes:
        raise Refused("weights do not have their exported shapes")
    return weights


def _inputs(shapes: list, seed: int, n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for shape in shapes:
        dims = [int(d) for d in shape[1:]]
        if any(d <= 0 for d in dims) or int(np.prod(dims)) > 1_000_000:
            raise Refused(f"input shape {shape}")
        out.append(rng.random((n, *dims), dtype=np.float32))
    return out


def _numpy(value: Any) -> Any:
    import keras

    if isinstance(value, dict):
        return [keras.ops.convert_to_numpy(v) for v in value.values()]
    if isinstance(value, (list, tuple)):
        return [keras.ops.convert_to_numpy(v) for v in value]
    return keras.ops.convert_to_numpy(value)


def _from_config(exported: dict, seed: int, n: int, given: Any = None) -> dict:
    """A Sequential or functional model rebuilt from its config, with the exported arrays as its weights."""
    import keras

    from grader.sandbox import keras_facts

    config = _parse(exported.get("config"), sequential=exported.get("api") == "sequential")
    config.pop("compile_config", None)  # compile settings are rebuilt on their own (compile_facts)
    if config.get("class_name") not in ("Sequential", "Functional", "Model"):
        raise Refused(f"class {config.get('class_name')!r} is not a Sequential or functional model")
    model = _deserialize(config)
    if not isinstance(model, keras.Model) or keras_facts.api_kind(model) == "subclass":
        raise Refused("not a Sequential or functional model")
    weights = _arrays(exported, seed)
    if weights or model.weights:
        from grader.sandbox.model_export import set_weights

        try:
            set_weights(model.weights, weights)
        except Exception as exc:  # noqa: BLE001 - arrays that do not fit the config
            raise Refused(f"the weight arrays do not fit the config ({type(exc).__name__}: {str(exc)[:200]})") from None
    facts = dict(keras_facts.describe(model))
    facts["params"] = int(sum(w.size for w in weights)) if model.built else None
    result: dict[str, Any] = {"how": "config", "facts": facts}
    if model.built and model.inputs:
        x = _inputs([t.shape for t in model.inputs], seed, n) if given is None else None
        result["x"] = given if x is None else x[0] if len(x) == 1 else x
        result["y"] = _numpy(model(result["x"], training=False))
    return result


def _from_layers(exported: dict, seed: int, n: int, given: Any = None) -> dict:
    """A model with its own ``call``: each layer rebuilt alone, then applied one after the other."""
    from grader.sandbox import keras_facts

    weights = _arrays(exported, seed)
    entries = exported.get("layers")
    if not isinstance(entries, list):
        raise Refused("no layers")
    layers, used = [], set()
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("weights"), list):
            raise Refused("malformed layer")
        indices = entry["weights"]
        if not all(type(i) is int and 0 <= i < len(weights) for i in indices):
            raise Refused("a layer's weights are not the model's")
        used.update(indices)
        layers.append((_deserialize(_parse(entry.get("config"))), [weights[i] for i in indices]))
    if used != set(range(len(weights))):
        raise Refused("the model has weights outside its layers")
    shape = exported.get("input_shape")
    shape = list(shape) if isinstance(shape, tuple) else shape
    if not (isinstance(shape, list) and shape and all(d is None or type(d) is int for d in shape)):
        raise Refused("the model was never called")
    x = _inputs([shape], seed, n)[0] if given is None else np.asarray(given, dtype=np.float32)
    out: Any = x
    facts_layers = []
    for layer, arrays in layers:
        if not hasattr(layer, "built"):
            raise Refused(f"{type(layer).__name__} is not a layer")
        try:
            out = layer(out, training=False)  # builds the layer on the shape it is given
            layer.set_weights(arrays)
        except Exception as exc:  # noqa: BLE001
            raise Refused(f"layer {type(layer).__name__}: {type(exc).__name__}: {str(exc)[:200]}") from None
        fact = keras_facts._layer_fact(layer)
        fact["params"] = int(sum(a.size for a in arrays))
        facts_layers.append(fact)
    out = x
    for (layer, _), fact in zip(layers, facts_layers):
        out = layer(out, training=False)
        fact["output_shape"] = [None, *[int(d) for d in np.shape(out)[1:]]]
    facts_layers = [f for f in facts_layers if f["class"] != "InputLayer"]
    facts = {"is_model": True, "type": str(exported.get("type") or ""), "api": "subclass", "built": True,
             "params": int(sum(w.size for w in weights)), "layers": facts_layers, "inputs": [list(shape)],
             "outputs": [[None, *[int(d) for d in np.shape(out)[1:]]]], "input_names": [], "edges": [],
             "compiled": False}
    return {"how": "layers", "facts": facts, "x": x, "y": _numpy(out)}


def compile_facts(text: Any) -> dict:
    """The compile settings, rebuilt with Keras' own classes (on a model of one weight, as only they matter)."""
    import keras

    from grader.sandbox import keras_facts

    config = _parse(text)
    dummy = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    try:
        dummy.compile_from_config(config)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Refused(f"compile settings: {type(exc).__name__}: {str(exc)[:200]}") from None
    facts = keras_facts.describe(dummy)
    return {k: facts.get(k) for k in ("compiled", "optimizer", "learning_rate", "loss", "loss_weights", "metrics")}


def rebuild(exported: Any, seed: int, n: int = 2) -> dict:
    """Facts about the exported model from the judge's own Keras: ``{"how", "facts", "x", "y"}`` where rebuilt
    (``how``: ``config`` or ``layers``), else ``{"how": "none", "reason", "facts"}`` with what the arrays alone
    tell (the parameter count from their real shapes)."""
    if not isinstance(exported, dict):
        return {"how": "none", "reason": "nothing exported", "facts": {}}
    reasons = []
    result = None
    for attempt in (_from_config, _from_layers):
        try:
            result = attempt(exported, seed, n)
            break
        except Refused as exc:
            reasons.append(str(exc))
    if result is None:
        try:
            params = int(sum(int(np.prod(s)) for s in shapes_of(exported)))
        except Refused:
            params = None
        api = exported.get("api") if exported.get("api") in ("sequential", "functional") else "subclass"
        facts = {"is_model": True, "type": str(exported.get("type") or ""), "api": api,
                 "built": bool(exported.get("built")), "params": params if exported.get("built") else None,
                 "layers": [], "inputs": [], "outputs": [], "input_names": [], "edges": [], "compiled": False}
        result = {"how": "none", "reason": "; ".join(dict.fromkeys(reasons)), "facts": facts}
    if exported.get("compile") is not None:
        try:
            result["facts"].update(compile_facts(exported["compile"]))
        except Refused as exc:
            result["compile_reason"] = str(exc)
            result["facts"]["compiled"] = True  # compiled with something the judge cannot rebuild
    return result


def outputs(exported: Any, x: Any, layers: bool = True) -> Any:
    """The exported model's outputs on ``x``, computed by the model rebuilt from its config or (``layers``) by its
    layers applied in order; None where it cannot be rebuilt."""
    if not isinstance(exported, dict):
        return None
    for attempt in (_from_config, _from_layers) if layers else (_from_config,):
        try:
            return attempt(exported, 0, 0, given=x).get("y")
        except Refused:
            continue
    return None


MAX_CHECKPOINT = 64 * 1024 * 1024


def checkpoint_outputs(data: Any, x: Any) -> dict:
    """A saved ``.keras`` file (its bytes, from the student's process) loaded by the judge's own Keras, built-in
    classes only: ``{"y": outputs on x}``, or ``{"error": why}`` where it cannot be."""
    import io
    import os
    import tempfile
    import zipfile

    import keras

    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 1:
        return {"error": "no file"}
    if data.size > MAX_CHECKPOINT:
        return {"error": f"the file is larger than {MAX_CHECKPOINT // 2**20} MB"}
    raw = data.tobytes()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(i.file_size for i in archive.infolist()) > 4 * MAX_CHECKPOINT:
                return {"error": "the archive unpacks to too much"}
            _parse(archive.read("config.json").decode("utf-8"))
    except Refused as exc:
        return {"error": str(exc)}
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError, ValueError) as exc:
        return {"error": f"not a .keras file ({type(exc).__name__})"}
    folder = tempfile.mkdtemp(prefix="checkpoint-")
    path = os.path.join(folder, "model.keras")
    try:
        with open(path, "wb") as file:
            file.write(raw)
        model = keras.saving.load_model(path, custom_objects={}, compile=False, safe_mode=True)
        return {"y": _numpy(model(np.asarray(x, dtype=np.float32), training=False))}
    except Exception as exc:  # noqa: BLE001 - whatever Keras refuses, the reason is reported
        return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    finally:
        try:
            os.remove(path)
            os.rmdir(folder)
        except OSError:
            pass


def compute_loss(exported: Any, x: Any, y: Any) -> dict:
    """The total loss Keras computes for the exported model, rebuilt from its config and compiled with its rebuilt
    compile settings, on ``x`` and ``y``: ``{"loss", "pred"}``, or ``{"error": why}``."""
    import keras

    try:
        if not isinstance(exported, dict) or exported.get("compile") is None:
            raise Refused("the model is not compiled")
        config = _parse(exported.get("config"), sequential=exported.get("api") == "sequential")
        config.pop("compile_config", None)
        model = _deserialize(config)
        if not isinstance(model, keras.Model):
            raise Refused("not a model")
        model.set_weights(_arrays(exported))
        model.compile_from_config(_parse(exported["compile"]))
        pred = model(x, training=False)
        total = model.compute_loss(x=x, y=y, y_pred=pred, training=False)
        return {"loss": float(keras.ops.convert_to_numpy(total)), "pred": _numpy(pred)}
    except Refused as exc:
        return {"error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - e.g. one loss for two outputs: the student's settings, reported
        return {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
