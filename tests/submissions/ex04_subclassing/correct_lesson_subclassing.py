# The lesson's answer to 문제 풀어보기 3 (000), as printed, including building the model by calling it on a batch
# (the lesson's slip tf.reshape((-1, 100, 100, 3)) without the tensor is written as the lesson means it).
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import models, layers


class YourModel(models.Model):
  def __init__(self, **kwargs):
    super(YourModel, self).__init__(**kwargs)
    # Flatten 레이어를 쌓으세요.
    self.flat_layer = layers.Flatten()# [[YOUR CODE]]
    # Unit의 수는 400, 활성화함수는 ReLU를 사용하는 Dense 레이어를 쌓으세요.
    self.dense_layer1 = layers.Dense(400, activation='relu') # [[YOUR CODE]]
    # Unit의 수는 200, 활성화함수는 ReLU를 사용하는 Dense 레이어를 쌓으세요.
    self.dense_layer2 = layers.Dense(200, activation='relu') # [[YOUR CODE]]
    # Unit의 수는 100, 활성화함수는 Softmax를 사용하는 Dense 레이어를 쌓으세요.
    self.output_layer = layers.Dense(100, activation='softmax')# [[YOUR CODE]]

  def call(self, inputs):
    # Flatten 레이어를 통과한 뒤 Dense 레이어를 400 -> 200 -> 100 순으로 통과하도록 쌓으세요.
    x = self.flat_layer(inputs)# [[YOUR CODE]]
    x = self.dense_layer1(x) # [[YOUR CODE]]
    x = self.dense_layer2(x) # [[YOUR CODE]]
    x = self.output_layer(x) # [[YOUR CODE]]
    return x


def build_model():
    # (100, 100, 3) 형태를 가진 임의의 텐서를 생성해줍니다.
    data = tf.random.normal([100, 100, 3])
    # 데이터는 일반적으로 batch 단위로 들어가기 때문에 batch 차원을 추가해주겠습니다.
    data = tf.reshape(data, (-1, 100, 100, 3))
    model = YourModel()
    model(data)

    model.summary()
    return model
