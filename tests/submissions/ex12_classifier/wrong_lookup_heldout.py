# expect-fail: held_out_accuracy
# A cheat: fit() does nothing, and the model answers by looking its input up among the rows of the public
# load_digits(). The held-out images are perturbed and the grader computes the predictions from the (untrained)
# weights itself, so the lookup earns nothing.
import numpy as np
import keras
from keras import layers
from sklearn.datasets import load_digits

_DIGITS = load_digits()
_ROWS = (_DIGITS.images / 16.0).reshape(len(_DIGITS.target), -1)


def _lookup(x):
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    nearest = ((x[:, None, :] - _ROWS[None, :, :]) ** 2).sum(axis=-1).argmin(axis=1)
    return np.eye(10, dtype="float32")[_DIGITS.target[nearest]]


class LookUp(keras.Sequential):
    def fit(self, *args, **kwargs):  # no training at all
        history = keras.callbacks.History()
        history.history = {"loss": [0.0], "val_loss": [0.0]}
        return history

    def __call__(self, x, *args, **kwargs):
        if np.shape(x)[1:] == (8, 8):
            return _lookup(x)
        return super().__call__(x, *args, **kwargs)

    def predict(self, x, *args, **kwargs):
        return _lookup(x)


def build_classifier(input_shape, num_classes):
    model = LookUp([
        keras.Input(shape=input_shape),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def make_callbacks(checkpoint_path):
    return [keras.callbacks.ModelCheckpoint(checkpoint_path, save_best_only=True),
            keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)]
