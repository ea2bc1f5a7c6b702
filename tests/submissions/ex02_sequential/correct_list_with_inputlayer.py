# Layers passed as a list, an InputLayer, activations given as functions.
import keras


def build_model():
    return keras.Sequential(
        [
            keras.layers.InputLayer(shape=(100, 100, 3)),
            keras.layers.Flatten(),
            keras.layers.Dense(400, activation=keras.activations.relu),
            keras.layers.Dense(200, activation=keras.activations.relu),
            keras.layers.Dense(100, activation=keras.activations.softmax),
        ],
        name="my_classifier",
    )
