# A correct solution written with other TensorFlow functions than the reference.
import tensorflow as tf


def make_rank3_tensor():
    return tf.reshape(tf.range(1, 28, dtype=tf.int32), [3, 3, 3])


def rank_of(t):
    return int(tf.rank(t))


def make_float16(value):
    return tf.convert_to_tensor(value, dtype=tf.float16)


def to_float32(t):
    return tf.dtypes.cast(t, dtype="float32")


def add_tensors(a, b):
    return tf.add(a, tf.cast(b, dtype=a.dtype))
