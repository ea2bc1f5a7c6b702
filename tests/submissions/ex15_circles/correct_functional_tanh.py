# The Functional API, two tanh hidden layers, loss and optimizer as objects.
import keras


def build_circles_model():
    points = keras.Input(shape=(2,))
    h = keras.layers.Dense(12, activation="tanh")(points)
    h = keras.layers.Dense(6, activation="tanh")(h)
    inside = keras.layers.Dense(1, activation=keras.activations.sigmoid)(h)
    model = keras.Model(points, inside)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02), loss=keras.losses.BinaryCrossentropy(),
                  metrics=[keras.metrics.BinaryAccuracy()])
    return model
