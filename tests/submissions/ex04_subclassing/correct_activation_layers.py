# A correct solution written with activation layers: Dense(400) followed by a ReLU() layer, Dense(200) by
# Activation("relu"), Dense(100) by Softmax(). It computes the same function with the same 12,100,700 parameters, so
# it must score full marks (layer comparisons read Dense + activation layer as Dense with that activation).
import keras
from keras import layers


class YourModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(400)
        self.a1 = layers.ReLU()
        self.d2 = layers.Dense(200)
        self.a2 = layers.Activation("relu")
        self.d3 = layers.Dense(100)
        self.a3 = layers.Softmax()

    def call(self, x):
        x = self.flatten(x)
        x = self.a1(self.d1(x))
        x = self.a2(self.d2(x))
        return self.a3(self.d3(x))


def build_model():
    return YourModel()
