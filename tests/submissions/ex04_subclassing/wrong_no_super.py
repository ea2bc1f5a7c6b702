# expect-fail: returns_instance, call_output, layers_in_init, parameter_count, random_batch
# expect-message: super().__init__
# super().__init__() is never called.
import keras
from keras import layers


class YourModel(keras.Model):
    def __init__(self, **kwargs):
        self.flatten = layers.Flatten()
        self.hidden1 = layers.Dense(400, activation="relu")
        self.hidden2 = layers.Dense(200, activation="relu")
        self.classifier = layers.Dense(100, activation="softmax")

    def call(self, inputs):
        return self.classifier(self.hidden2(self.hidden1(self.flatten(inputs))))


def build_model():
    return YourModel()
