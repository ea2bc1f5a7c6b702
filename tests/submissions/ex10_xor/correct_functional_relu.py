# The Functional API, relu hidden units, binary accuracy metric.
import keras


def build_xor_model():
    inputs = keras.Input(shape=(2,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    outputs = keras.layers.Dense(1, activation="sigmoid")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.03), loss="binary_crossentropy",
                  metrics=["binary_accuracy"])
    return model
