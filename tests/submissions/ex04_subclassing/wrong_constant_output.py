# expect-fail: layers_in_init, random_batch
# Runs the layers but returns the uniform distribution: shape, sums and parameters pass; the grader's own Keras,
# applying the model's layers in order, gets other outputs (layers), and so does the hidden check's random batch.
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
        y = self.classifier(self.hidden2(self.hidden1(self.flatten(inputs))))
        return keras.ops.ones_like(y) / 100.0


def build_model():
    return YourModel()
