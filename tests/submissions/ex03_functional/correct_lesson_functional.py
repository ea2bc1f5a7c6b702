# The lessons' own code: 문제 풀어보기 2 (000) for the classifier, and the Wide & Deep model with an auxiliary
# output from the Keras lecture (004), compiled as printed there.
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import models, layers


def build_model():
    # (100, 100, 3) 형태의 데이터를 받는 Input 레이어를 쌓으세요
    inputs = layers.Input(shape=(100,100,3))

    # Flatten 레이어를 쌓으세요.
    x = layers.Flatten()(inputs)
    # Unit의 수는 400, 활성화함수는 ReLU를 사용하는 Dense 레이어를 쌓으세요.
    x = layers.Dense(400, activation='relu')(x)

    # Unit의 수는 200, 활성화함수는 ReLU를 사용하는 Dense 레이어를 쌓으세요.
    x = layers.Dense(200, activation='relu')(x) # 이 부분에 x를 연결해주어야 합니다.

    # Unit의 수는 100, 활성화함수는 Softmax를 사용하는 Dense 레이어를 쌓으세요.
    x = layers.Dense(100, activation='softmax')(x)

    model = models.Model(inputs = inputs, outputs = x)
    model.summary()

    model.summary()
    return model


def build_wide_deep_model():
    input_A = keras.layers.Input(shape=[5])
    input_B = keras.layers.Input(shape=[6])
    hidden1 = keras.layers.Dense(30, activation="relu")(input_B)
    hidden2 = keras.layers.Dense(30, activation="relu")(hidden1)
    concat = keras.layers.concatenate([input_A, hidden2])
    output = keras.layers.Dense(1)(concat)
    aux_output = keras.layers.Dense(1)(hidden2)
    model = keras.models.Model(inputs=[input_A, input_B],
                               outputs=[output, aux_output])
    return model


def compile_wide_deep(model):
    model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer="sgd")
