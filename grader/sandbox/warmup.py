"""TensorFlow's runtime started ahead, in a spare student's process that is already confined.

The first model a fresh process builds pays for TensorFlow's eager context, its thread pools and the first run
of Keras' layer code (~0.1 s of a warm `grade ex02`). A spare chain (:mod:`grader.sandbox.chain`) whose
scratch folder, readable paths and environment are known ahead confines itself before its request comes
(Landlock, capabilities, seccomp: the threads started here inherit all of it) and then builds and calls a tiny
model here. Keras' global state (layer names, seed generators, settings) is cleared afterwards, as
``keras.backend.clear_session`` does, and every file is loaded after the same seeding as before
(:func:`grader.sandbox.worker._seed_everything`): the student's code sees what a fresh process shows.
"""

from __future__ import annotations

import os
from typing import Any

from grader.sandbox.boundary import gpu_present


def start(info: dict[str, Any]) -> bool:
    """Start TensorFlow's runtime in this (confined) process; False where nothing was started: not a TensorFlow
    worker, or a GPU this process may see (CUDA starts for the student, with the memory settings it is given)."""
    if not info.get("tensorflow"):  # set by the zygote on the TensorFlow backend only
        return False
    if os.environ.get("CUDA_VISIBLE_DEVICES") != "-1" and gpu_present():
        return False
    try:
        import keras
        import numpy as np

        try:
            model = keras.Sequential([keras.Input(shape=(4, 4, 1)), keras.layers.Flatten(),
                                      keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2, activation="softmax")])
            keras.ops.convert_to_numpy(model(np.zeros((2, 4, 4, 1), dtype="float32"), training=False))
            del model
        finally:
            keras.backend.clear_session(free_memory=False)  # no collection: it would copy every page of the heap
    except Exception:  # noqa: BLE001 - only a head start: the student's process starts it as it always did
        return False
    return True
