# Counting as model.summary() does (001: "Param #는 각 층의 모델 파라미터 개수"): let Keras build the layers and
# count. A numpy exercise whose answer imports Keras: the judge must start TensorFlow for this file.
import numpy as np
from tensorflow import keras


def dense_params(n_inputs, n_units):
    layer = keras.layers.Dense(n_units)
    layer.build((None, n_inputs))
    return layer.count_params()


def mlp_params(input_dim, units):
    model = keras.Sequential([keras.Input(shape=(input_dim,))] + [keras.layers.Dense(n) for n in units])
    return model.count_params()


def flatten_size(shape):
    return int(np.prod(keras.layers.Flatten().compute_output_shape((None, *shape))[1:]))
