# expect-fail: float16_example, float16_random
# expect-message: makes a float32 tensor
# Without a dtype the constant is float32.
import tensorflow as tf


def make_rank3_tensor():
    return tf.reshape(tf.range(1, 28), (3, 3, 3))


def rank_of(t):
    return t.ndim


def make_float16(value):
    return tf.constant(float(value))


def to_float32(t):
    return tf.cast(t, tf.float32)


def add_tensors(a, b):
    return a + tf.cast(b, a.dtype)
