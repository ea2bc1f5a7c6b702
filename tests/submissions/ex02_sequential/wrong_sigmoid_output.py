# expect-fail: layer_stack, output_is_distribution, random_batch_outputs
import keras
from keras import layers


def build_model():
    return keras.Sequential([
        keras.Input(shape=(100, 100, 3)),
        layers.Flatten(),
        layers.Dense(400, activation="relu"),
        layers.Dense(200, activation="relu"),
        layers.Dense(100, activation="sigmoid"),
    ])
