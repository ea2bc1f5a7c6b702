# The lesson's regression model (000, "모델 생성" and "모델 학습"), as printed: Dense(1, linear) with input_shape,
# optimizers.SGD(), loss 'mse', metrics ['mae', 'mse'].
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import models, layers, optimizers, utils


def build_regression_model():
    model = keras.Sequential()
    model.add(layers.Dense(1, activation='linear', input_shape=(1,)))
    model.summary()

    # 모델 컴파일
    optimizer = optimizers.SGD()
    model.compile(loss='mse', optimizer=optimizer, metrics=['mae', 'mse'])
    return model
