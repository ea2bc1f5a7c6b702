# A correct solution in another style: the layers kept in a list, applied in a loop; a training argument.
import keras


class YourModel(keras.Model):
    def __init__(self):
        super().__init__(name="your_model")
        self.stack = [
            keras.layers.Flatten(),
            keras.layers.Dense(400, activation=keras.activations.relu),
            keras.layers.Dense(200, activation="relu"),
            keras.layers.Dense(100, activation="softmax"),
        ]

    def call(self, inputs, training=None):
        x = inputs
        for layer in self.stack:
            x = layer(x)
        return x


def build_model():
    model = YourModel()
    return model
