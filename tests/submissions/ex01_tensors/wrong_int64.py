# expect-fail: rank3_tensor
# expect-message: int64
# np.arange gives int64 and tf.constant keeps it.
import numpy as np
import tensorflow as tf


def make_rank3_tensor():
    return tf.constant(np.arange(1, 28).reshape(3, 3, 3))


def rank_of(t):
    return len(t.shape)


def make_float16(value):
    return tf.constant(value, dtype=tf.float16)


def to_float32(t):
    return tf.cast(t, tf.float32)


def add_tensors(a, b):
    return a + tf.cast(b, a.dtype)
