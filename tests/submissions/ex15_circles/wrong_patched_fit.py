# expect-fail: learns_circles, fresh_circles
# A cheat: keras.Model.fit is replaced for every model by one that only remembers the training points, and
# keras.Model.__call__ by a nearest-point lookup in them. The grader computes the held-out predictions from the
# model's layers and weights itself: the weights were never trained, so the cheat earns nothing.
import numpy as np
import keras
from keras import layers

_MEMORY = {}
_call = keras.Model.__call__


def _fit(self, x=None, y=None, *args, **kwargs):
    _MEMORY["x"] = np.asarray(x, dtype=float)
    _MEMORY["y"] = np.asarray(y, dtype=float).reshape(-1)
    history = keras.callbacks.History()
    history.history = {"loss": [0.0]}
    return history


def _lookup(self, x, *args, **kwargs):
    if "x" not in _MEMORY:
        return _call(self, x, *args, **kwargs)
    x = np.asarray(x, dtype=float)
    nearest = ((x[:, None, :] - _MEMORY["x"][None, :, :]) ** 2).sum(axis=-1).argmin(axis=1)
    return _MEMORY["y"][nearest].reshape(-1, 1).astype("float32")


keras.Model.fit = _fit
keras.Model.__call__ = _lookup
keras.Model.predict = _lookup


def build_circles_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy")
    return model
