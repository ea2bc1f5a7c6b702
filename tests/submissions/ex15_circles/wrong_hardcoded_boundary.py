# expect-fail: fresh_circles
# A frozen, hand-made boundary: the circle of radius 0.65 that splits the worked example's circles
# (radii 0.3 and 1). Nothing is learned; only the hidden check, whose circles have another size, catches it.
import keras
from keras import layers


def build_circles_model():
    square = layers.Dense(2, activation=keras.ops.square, kernel_initializer="identity", bias_initializer="zeros")
    radius = layers.Dense(1, activation="sigmoid", kernel_initializer=keras.initializers.Constant(-20.0),
                          bias_initializer=keras.initializers.Constant(20.0 * 0.65 ** 2))
    square.trainable = False
    radius.trainable = False
    model = keras.Sequential([keras.Input(shape=(2,)), square, radius])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
