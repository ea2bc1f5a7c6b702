# A functional-API model with optimizer, loss and metric given as objects.
import keras


def build_regression_model():
    inputs = keras.Input(shape=(1,), name="x")
    outputs = keras.layers.Dense(units=1, activation=None, name="line")(inputs)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.05),
        loss=keras.losses.MeanSquaredError(),
        metrics=[keras.metrics.MeanAbsoluteError(), keras.metrics.RootMeanSquaredError()],
    )
    return model
