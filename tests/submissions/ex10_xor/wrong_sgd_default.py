# expect-fail: learns_xor, jittered_points
# expect-message: learning rate
# From issue 19: optimizer="sgd" (learning rate 0.01) scored 10, 8 or 4 of 10 depending on the run. Not borderline
# any more: the trainings' seeds come from this file's code, and with plain SGD at 0.01 none of the tries learns XOR
# within the stated 512 steps (the statement says so), at every --seed.
import keras
from keras import layers


def build_xor_model():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(8, activation="tanh"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    return model
