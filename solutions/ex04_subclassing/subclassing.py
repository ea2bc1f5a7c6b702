"""ex04 — reference solution."""

import keras
from keras import layers


class YourModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.hidden1 = layers.Dense(400, activation="relu")
        self.hidden2 = layers.Dense(200, activation="relu")
        self.classifier = layers.Dense(100, activation="softmax")

    def call(self, inputs):
        x = self.flatten(inputs)
        x = self.hidden1(x)
        x = self.hidden2(x)
        return self.classifier(x)


def build_model():
    return YourModel()
