# The lesson's answer to 문제 풀어보기 1 (000), as printed: models.Sequential() and model.add(...).
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import models, layers


def build_model():
    model = models.Sequential()

    # (100, 100, 3) 형태의 데이터를 받는 Input 레이어를 쌓으세요.
    # [[YOUR CODE]]
    model.add(layers.Input(shape=(100, 100, 3)))
    # Flatten 레이어를 쌓으세요.
    # [[YOUR CODE]]
    model.add(layers.Flatten())
    # Unit의 수는 400, 활성화함수는 ReLU를 사용하는 Dense 레이어를 쌓으세요.
    # [[YOUR CODE]]
    model.add(layers.Dense(400, activation='relu'))

    # Unit의 수는 200, 활성화함수는 ReLU를 사용하는 Dense 레이어를 쌓으세요.
    # [[YOUR CODE]]
    model.add(layers.Dense(200, activation='relu'))

    # Unit의 수는 100, 활성화함수는 Softmax를 사용하는 Dense 레이어를 쌓으세요.
    # [[YOUR CODE]]
    model.add(layers.Dense(100, activation='softmax'))

    model.summary()
    return model
