# A correct solution in another style: Concatenate class, named layers, loss objects, compile returning None.
import keras


def build_model():
    image = keras.layers.Input(shape=(100, 100, 3), name="image")
    hidden = keras.layers.Dense(200, activation=keras.activations.relu)(
        keras.layers.Dense(400, activation="relu")(keras.layers.Flatten()(image)))
    probs = keras.layers.Dense(100, activation="softmax", name="probs")(hidden)
    return keras.Model(inputs=[image], outputs=[probs], name="functional_classifier")


def build_wide_deep_model():
    wide = keras.layers.Input(shape=(5,), name="wide")
    deep = keras.layers.Input(shape=(6,), name="deep")
    deep_1 = keras.layers.Dense(30, activation="relu", name="deep_1")(deep)
    deep_2 = keras.layers.Dense(30, activation="relu", name="deep_2")(deep_1)
    joined = keras.layers.Concatenate(name="joined")([deep_2, wide])
    main = keras.layers.Dense(1, name="main")(joined)
    helper = keras.layers.Dense(1, name="helper")(deep_2)
    return keras.Model([wide, deep], [main, helper])


def compile_wide_deep(model):
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.005),
                  loss=[keras.losses.MeanSquaredError(), "mean_squared_error"],
                  loss_weights=[0.9, 0.1])
