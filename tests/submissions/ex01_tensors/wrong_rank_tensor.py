# expect-fail: rank_of_examples, rank_of_random
# expect-message: returns a 0-d tensor
# tf.rank returns a tensor, not a Python int.
import tensorflow as tf


def make_rank3_tensor():
    return tf.reshape(tf.range(1, 28), (3, 3, 3))


def rank_of(t):
    return tf.rank(t)


def make_float16(value):
    return tf.constant(value, dtype=tf.float16)


def to_float32(t):
    return tf.cast(t, tf.float32)


def add_tensors(a, b):
    return a + tf.cast(b, a.dtype)
