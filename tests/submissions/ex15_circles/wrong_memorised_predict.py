# expect-fail: learns_circles, fresh_circles
# A cheat: the model class remembers the training points in fit() (and trains nothing), and its __call__ and
# predict answer with the label of the nearest remembered point. The grader computes the held-out predictions
# from the model's layers and (untrained) weights itself, so the memorised answers count for nothing.
import numpy as np
import keras
from keras import layers


class Memorised(keras.Sequential):
    def fit(self, x=None, y=None, *args, **kwargs):
        self._points = np.asarray(x, dtype=float)
        self._labels = np.asarray(y, dtype=float).reshape(-1)
        history = keras.callbacks.History()
        history.history = {"loss": [0.0], "accuracy": [1.0]}
        return history

    def _answer(self, x):
        x = np.asarray(x, dtype=float)
        nearest = ((x[:, None, :] - self._points[None, :, :]) ** 2).sum(axis=-1).argmin(axis=1)
        return self._labels[nearest].reshape(-1, 1).astype("float32")

    def __call__(self, x, *args, **kwargs):
        if getattr(self, "_points", None) is not None:
            return self._answer(x)
        return super().__call__(x, *args, **kwargs)

    def predict(self, x, *args, **kwargs):
        return self._answer(x)


def build_circles_model():
    model = Memorised([
        keras.Input(shape=(2,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy")
    return model
