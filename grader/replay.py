"""The judge's own forward pass of a trained Keras model, in numpy, from plain data.

After a training in the sandbox, :func:`grader.sandbox.keras_facts.export` sends back each layer's class, the few config
values that define what it computes, and its weights (``layer.get_weights()``), as plain data. :func:`forward`
computes the model's outputs from those alone, so what is judged is what the weights learned: a student who patches
``fit``, ``predict`` or ``__call__`` in the sandbox changes nothing here.

Only models that are a chain of standard layers are replayed (Sequential models, and functional models whose graph
is one input → one layer after another → one output). Anything else (custom layers, a subclassed model's own
``call``, branches) is "not replayable" and the check says so.

This module is numpy only: the judge's process never imports TensorFlow.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

# Layers that are the identity at inference time
IDENTITY = {
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
    "AlphaDropout", "ActivityRegularization", "InputLayer",
}
LAYERS = {"Dense", "Flatten", "Activation", "Rescaling", "Reshape", "BatchNormalization", "ReLU", "LeakyReLU",
          "Softmax", "ELU", *IDENTITY}


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    z = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))


def _erf(x: np.ndarray) -> np.ndarray:
    from math import erf

    return np.vectorize(erf, otypes=[float])(x)


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softmax": _softmax,
    "softplus": lambda x: np.logaddexp(0.0, x),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0.0))),
    "swish": lambda x: x * _sigmoid(x),
    "silu": lambda x: x * _sigmoid(x),
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2.0))),
    "exponential": np.exp,
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "hard_sigmoid": lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
}


class NotReplayable(Exception):
    """The model (or one of its layers) is not one the judge can compute itself; the message says why."""


def activation(name: Any) -> Callable[[np.ndarray], np.ndarray]:
    if name is None:
        return ACTIVATIONS["linear"]
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise NotReplayable(f"activation {name!r}")
    return ACTIVATIONS[name]


def supported(layer: dict) -> str | None:
    """None when the judge can compute this layer fact, else the reason."""
    kind = layer.get("class")
    if kind not in LAYERS:
        return f"layer {kind}"
    if kind in ("Dense", "Activation"):
        name = layer.get("activation")
        if name is not None and (not isinstance(name, str) or name not in ACTIVATIONS):
            return f"activation {name!r}"
    return None


def _layer(layer: dict, x: np.ndarray) -> np.ndarray:
    kind = layer["class"]
    weights = [np.asarray(w, dtype=np.float64) for w in layer.get("weights", [])]
    if kind in IDENTITY:
        return x
    if kind == "Flatten":
        return x.reshape(len(x), -1)
    if kind == "Reshape":
        return x.reshape(len(x), *[int(d) for d in layer["target_shape"]])
    if kind == "Rescaling":
        return x * np.asarray(layer.get("scale", 1.0), dtype=np.float64) + np.asarray(layer.get("offset", 0.0), dtype=np.float64)
    if kind == "Activation":
        return activation(layer.get("activation"))(x)
    if kind == "ReLU":
        negative_slope, threshold = float(layer.get("negative_slope") or 0.0), float(layer.get("threshold") or 0.0)
        out = np.where(x >= threshold, x, negative_slope * (x - threshold))
        if layer.get("max_value") is not None:
            out = np.minimum(out, float(layer["max_value"]))
        return out
    if kind == "LeakyReLU":
        slope = layer.get("negative_slope", layer.get("alpha", 0.3))
        return np.where(x > 0, x, float(slope) * x)
    if kind == "ELU":
        return np.where(x > 0, x, float(layer.get("alpha", 1.0)) * np.expm1(np.minimum(x, 0.0)))
    if kind == "Softmax":
        return _softmax(x, axis=int(layer.get("axis", -1) if not isinstance(layer.get("axis"), list) else layer["axis"][0]))
    if kind == "Dense":
        if not weights:
            raise NotReplayable("Dense layer without weights")
        out = x @ weights[0]
        if layer.get("use_bias", True) and len(weights) > 1:
            out = out + weights[1]
        return activation(layer.get("activation"))(out)
    if kind == "BatchNormalization":
        axis = layer.get("axis", -1)
        axis = axis[0] if isinstance(axis, list) else axis
        if axis not in (-1, x.ndim - 1):
            raise NotReplayable("BatchNormalization on an axis other than the last")
        it = iter(weights)
        gamma = next(it) if layer.get("scale", True) else 1.0
        beta = next(it) if layer.get("center", True) else 0.0
        mean, variance = next(it), next(it)
        return gamma * (x - mean) / np.sqrt(variance + float(layer.get("epsilon", 1e-3))) + beta
    raise NotReplayable(f"layer {kind}")


def forward(exported: dict, x: Any) -> np.ndarray:
    """The model's outputs on ``x``, computed here from the exported layers and weights (float64)."""
    if not exported.get("replayable"):
        raise NotReplayable(exported.get("reason") or "not replayable")
    out = np.asarray(x, dtype=np.float64)
    for layer in exported["layers"]:
        out = _layer(layer, out)
    return out
