"""Sandbox side: plain facts about a Keras model, and training/prediction on the judge's request.

Only Keras' public API is used (``layers``, ``get_config``, ``get_compile_config``,
``count_params``, ``inputs``/``outputs``), so the facts hold across Keras 3 releases.
"""

from __future__ import annotations

import re
from typing import Any, Callable, TypedDict

import numpy as np


def _shape(shape: Any) -> list | None:
    if shape is None:
        return None
    try:
        return [None if d is None else int(d) for d in tuple(shape)]
    except TypeError:
        return None


def _snake(name: str) -> str:
    """``MeanSquaredError`` → ``mean_squared_error``; acronyms stay whole (``SGD`` → ``sgd``)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def plain_name(spec: Any) -> Any:
    """A loss, metric or activation as written or serialized, reduced to a lowercase name."""
    if spec is None or isinstance(spec, (bool, int, float)):
        return spec
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        if "class_name" in spec:
            config = spec.get("config") or {}
            if isinstance(config, dict) and isinstance(config.get("name"), str) and spec["class_name"] != "function":
                return _snake(spec["class_name"])
            return config if isinstance(config, str) else _snake(str(spec["class_name"]))
        return {str(k): plain_name(v) for k, v in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [plain_name(s) for s in spec]
    name = getattr(spec, "__name__", None) or type(spec).__name__
    return _snake(name) if name[:1].isupper() else name


def api_kind(model: Any) -> str:
    import keras

    if isinstance(model, keras.Sequential):
        return "sequential"
    module = type(model).__module__ or ""
    if module.startswith("keras"):
        return "functional"
    return "subclass"


class LayerFacts(TypedDict):
    """One layer, as ``describe`` reports it (plain data: it crosses the sandbox boundary)."""

    name: str
    class_: str  # written "class" in the dict (a keyword here)
    units: int | None  # Dense
    activation: str | None  # "relu", "softmax", "linear"...; None for layers without one
    rate: float | None  # Dropout
    params: int | None  # None until the layer is built
    trainable: bool
    output_shape: list[int | None] | None  # None for a layer never called symbolically


class ModelFacts(TypedDict, total=False):
    """What ``ctx.model`` / ``ctx.describe`` give a check about a student's object (``describe``'s schema).

    Every model has the keys up to ``compiled``; the compile settings appear only once it is compiled.
    A non-model gives ``{"is_model": False, "type": ...}`` only."""

    is_model: bool
    type: str  # the object's class name, e.g. "Sequential", "YourModel"
    api: str  # "sequential", "functional" or "subclass"
    built: bool
    params: int | None  # count_params(), None while unbuilt
    layers: list[LayerFacts]
    inputs: list[list[int | None]]  # one shape per input, batch dimension None
    outputs: list[list[int | None]]
    input_names: list[str]
    edges: list[list[str]]  # functional models: [source layer, target layer]
    compiled: bool
    optimizer: str  # snake_case class name: "adam", "sgd"
    learning_rate: float | None
    loss: Any  # a name ("binary_crossentropy"), or a list/dict of names for several outputs
    loss_weights: Any
    metrics: Any


def _layer_fact(layer: Any) -> dict:
    try:
        config = layer.get_config()
    except Exception:  # a student layer may not implement get_config
        config = {}
    fact = {
        "name": layer.name,
        "class": type(layer).__name__,
        "units": config.get("units"),
        "activation": plain_name(config.get("activation")),
        "rate": config.get("rate"),
        "params": int(layer.count_params()) if layer.built else None,
        "trainable": bool(layer.trainable),
        "output_shape": None,
    }
    try:
        fact["output_shape"] = _shape(layer.output.shape)
    except (AttributeError, ValueError, RuntimeError):
        pass
    return fact


def _edges(model: Any) -> list:
    """Which layer feeds which, read from the functional config's keras_history entries."""
    try:
        layers = model.get_config().get("layers", [])
    except Exception:
        return []
    edges = []

    def sources(node: Any) -> list:
        if isinstance(node, dict):
            config = node.get("config")
            if isinstance(config, dict) and "keras_history" in config:
                return [config["keras_history"][0]]
            return [s for v in node.values() for s in sources(v)]
        if isinstance(node, (list, tuple)):  # Keras 3 keeps a node's args as a tuple
            return [s for v in node for s in sources(v)]
        return []

    for layer in layers:
        for src in sources(layer.get("inbound_nodes", [])):
            edges.append([src, layer.get("name")])
    return edges


def describe(model: Any) -> ModelFacts:
    import keras

    if not isinstance(model, keras.Model):
        return {"is_model": False, "type": type(model).__name__}
    layers = [l for l in model.layers if type(l).__name__ != "InputLayer"]
    facts: dict[str, Any] = {
        "is_model": True,
        "type": type(model).__name__,
        "api": api_kind(model),
        "built": bool(model.built),
        "params": int(model.count_params()) if model.built else None,
        "layers": [_layer_fact(l) for l in layers],
        "inputs": [],
        "outputs": [],
        "input_names": [],
        "edges": [],
        "compiled": False,
    }
    try:
        facts["inputs"] = [_shape(t.shape) for t in model.inputs]
        facts["input_names"] = [l.name for l in model.layers if type(l).__name__ == "InputLayer"]
        facts["outputs"] = [_shape(t.shape) for t in model.outputs]
    except (AttributeError, ValueError, TypeError):
        pass
    if facts["api"] == "functional":
        facts["edges"] = _edges(model)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(model, "compiled", True):
        facts["compiled"] = True
        facts["optimizer"] = _snake(type(optimizer).__name__)
        try:
            facts["learning_rate"] = float(np.asarray(optimizer.learning_rate))
        except (TypeError, ValueError):
            facts["learning_rate"] = None
        try:
            compile_config = model.get_compile_config() or {}
        except Exception:
            compile_config = {}
        facts["loss"] = plain_name(compile_config.get("loss", getattr(model, "loss", None)))
        facts["loss_weights"] = plain_name(compile_config.get("loss_weights"))
        facts["metrics"] = plain_name(compile_config.get("metrics"))
    return facts


def _map(fn: Callable[[Any], Any], value: Any) -> Any:
    """``fn`` on one input, or on each of a model's several inputs (a dict, or a list or tuple: a list)."""
    if isinstance(value, dict):
        return {k: fn(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [fn(v) for v in value]
    return fn(value)


def _to_inputs(x: Any) -> Any:
    return _map(np.asarray, x)


def fit(model: Any, x: Any, y: Any, kwargs: dict, on_epoch: Callable[[int, dict], None]) -> dict:
    """``model.fit`` with the student's own compile settings, streaming each epoch's logs.

    ``until`` (a judge's option, not Keras'): ``{"x": ..., "y": ..., "accuracy": a}`` and/or ``"within": d``
    ends the training at the first epoch after which the outputs on ``x`` (thresholded at 0.5) reach accuracy
    ``a`` on the 0/1 targets ``y``, and/or are all within ``d`` of them: one ``fit`` call instead of one per
    epoch. Only the length of the training depends on it; the judge decides on the trained weights itself."""
    import keras

    class Stream(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            on_epoch(epoch, {k: float(v) for k, v in (logs or {}).items()})

    class Until(keras.callbacks.Callback):
        def __init__(self, goal: dict) -> None:
            super().__init__()
            self.goal = goal
            self.target = np.asarray(goal["y"], dtype=float).reshape(-1)

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            out = np.asarray(predict(self.model, self.goal["x"]), dtype=float).reshape(-1)
            if out.shape != self.target.shape:
                return
            reached = True
            if "accuracy" in self.goal:
                reached &= float(np.mean((out > 0.5) == (self.target > 0.5))) >= float(self.goal["accuracy"])
            if "within" in self.goal:
                reached &= float(np.max(np.abs(out - self.target))) <= float(self.goal["within"])
            if reached:
                self.model.stop_training = True

    kwargs = dict(kwargs)
    callbacks = list(kwargs.pop("callbacks", None) or [])
    x, y = _to_inputs(x), _to_inputs(y)
    until = kwargs.pop("until", None)
    batch = int(kwargs.get("batch_size") or 32)
    planned = 0 if until is not None else -(-_length(x) // batch) * int(kwargs.get("epochs") or 1)
    _ready_to_trace(model, x, y, batch, batch_callbacks=bool(callbacks), steps=planned)
    if until is not None:
        callbacks.append(Until(until))
    kwargs.setdefault("verbose", 0)
    history = model.fit(x, y, callbacks=[*callbacks, Stream()], **kwargs)
    return {k: [float(v) for v in values] for k, values in history.history.items()}


# steps run in one call of the traced train function, in a training of at least LONG_TRAINING steps that no
# callback of the student's watches batch by batch: ~0.6 ms less per step, ~60 ms more to trace the loop
STEPS_PER_EXECUTION = 64
LONG_TRAINING = 200


def _length(x: Any) -> int:
    if isinstance(x, dict):
        x = next(iter(x.values()), np.zeros(0))
    elif isinstance(x, (list, tuple)):
        x = x[0] if x else np.zeros(0)
    return int(np.shape(x)[0]) if np.ndim(x) else 0


def _ready_to_trace(model: Any, x: Any, y: Any, batch_size: int, batch_callbacks: bool, steps: int) -> None:
    """On TensorFlow, build what the first ``fit`` would build inside its trace (metrics, loss, optimizer
    variables) beforehand, on symbolic tensors, as Keras does itself on JAX and PyTorch.

    Left to the trace, variables created there make TensorFlow trace the train step twice: ~0.2 s of every
    short training. The weights and the training are the same either way. Where this cannot be done (a
    model whose ``call`` fails on symbolic inputs), ``fit`` does it as usual and reports the error itself.
    A long training (``steps`` planned, 0 when it ends on a goal) without callbacks of the student's also runs
    ``STEPS_PER_EXECUTION`` steps per call of the train function (the same steps, in the same order: only
    per-batch callbacks would tell the difference).
    """
    import keras

    if keras.backend.backend() != "tensorflow" or not isinstance(model, keras.Model):
        return
    build = getattr(model, "_symbolic_build", None)  # Keras' own step before every fit on JAX and PyTorch
    if callable(build):
        def first(v: Any) -> Any:
            return v[:batch_size] if isinstance(v, np.ndarray) else v

        try:
            batch = (_map(first, x), _map(first, y))
            build(data_batch=batch)
        except Exception:  # noqa: BLE001 - model.fit meets the same error and reports it
            pass
    fresh = getattr(model, "train_function", None) is None  # a traced train function keeps its own step count
    if fresh and steps >= LONG_TRAINING and not batch_callbacks and getattr(model, "steps_per_execution", 1) == 1:
        model.steps_per_execution = STEPS_PER_EXECUTION


def predict(model: Any, x: Any) -> Any:
    """Outputs on ``x`` in inference mode; a direct call is far faster than ``predict`` on small data."""
    import keras

    out = model(_to_inputs(x), training=False)
    numpy = keras.ops.convert_to_numpy  # on PyTorch a tensor that requires grad refuses np.asarray
    if isinstance(out, dict):
        return {k: numpy(v) for k, v in out.items()}
    if isinstance(out, (list, tuple)):
        return [numpy(v) for v in out]
    return numpy(out)


# --- the trained model as plain data, for the judge's own forward pass (grader.replay) --------------------------

# the config keys that define what a standard layer computes at inference
_REPLAY_KEYS = ("units", "use_bias", "target_shape", "scale", "offset", "axis", "epsilon", "center", "max_value",
                "negative_slope", "threshold", "alpha")


def _functional_chain(model: Any, layers: list) -> str | None:
    """None when a functional model is one input → each layer feeding the next → one output, else the reason."""
    try:
        if len(model.inputs) != 1 or len(model.outputs) != 1:
            return "more than one input or output"
    except (AttributeError, ValueError, TypeError):
        return "no inputs/outputs"
    edges = _edges(model)
    names = [l.name for l in model.layers]
    if edges != [[a, b] for a, b in zip(names, names[1:])]:
        return "the layers are not one chain"
    return None


def export(model: Any) -> dict:
    """The layers of a model made of standard Keras layers, with their weights, or why it cannot be replayed.

    Sequential models (whatever their class overrides: what is replayed is their layers in order) and functional
    models that are one chain are replayable; a subclassed model's own ``call`` is not.
    """
    import keras

    from grader import replay

    def refuse(reason: str) -> dict:
        return {"replayable": False, "reason": reason, "layers": []}

    if not isinstance(model, keras.Model):
        return refuse("not a Keras model")
    layers = list(model.layers)
    if isinstance(model, keras.Sequential):
        pass
    else:
        try:
            from keras.src.models.functional import Functional
        except ImportError:  # pragma: no cover - a Keras without this module
            Functional = None
        if Functional is None or not isinstance(model, Functional):
            return refuse("a subclassed model computes its outputs in its own call()")
        reason = _functional_chain(model, layers)
        if reason:
            return refuse(reason)
    exported = []
    for layer in layers:
        kind = type(layer).__name__
        if not (type(layer).__module__ or "").startswith("keras"):
            return refuse(f"custom layer {kind}")
        try:
            config = layer.get_config()
        except Exception:
            return refuse(f"layer {kind} without get_config")
        fact = {"class": kind, "name": layer.name, "activation": plain_name(config.get("activation"))}
        for key in _REPLAY_KEYS:
            if key in config:
                value = config[key]
                fact[key] = list(value) if isinstance(value, tuple) else value
        reason = replay.supported(fact)
        if reason:
            return refuse(reason)
        fact["weights"] = [np.asarray(w) for w in layer.get_weights()]
        exported.append(fact)
    return {"replayable": True, "reason": "", "layers": exported}


def probe(model: Any, input_shapes: list, n: int = 3) -> dict:
    """Call the model on a batch of ``n`` random inputs of each expected shape: the shapes of what comes out."""
    rng = np.random.default_rng(0)
    xs = [rng.uniform(-1, 1, size=(n, *[int(d) for d in s])).astype("float32") for s in input_shapes]
    try:
        out = model(xs[0] if len(xs) == 1 else xs, training=False)
    except Exception as exc:  # the model does not take this input
        return {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    if isinstance(out, dict):
        outs = list(out.values())
    elif isinstance(out, (list, tuple)):
        outs = list(out)
    else:
        outs = [out]
    return {"ok": True, "outputs": [[None, *[int(d) for d in np.shape(o)[1:]]] for o in outs]}
