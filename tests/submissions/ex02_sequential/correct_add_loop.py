# add() in a loop over the unit counts.
import keras
from keras import layers


def build_model():
    model = keras.Sequential()
    model.add(layers.Input((100, 100, 3)))
    model.add(layers.Flatten())
    for units in (400, 200):
        model.add(layers.Dense(units, activation="relu"))
    model.add(layers.Dense(100, activation="softmax"))
    return model
