# expect-fail: rank3_tensor
# expect-message: Reshape it
# tf.constant(range(...)) without a reshape: the 27 values stay a 1-D tensor.
import tensorflow as tf


def make_rank3_tensor():
    return tf.constant(range(1, 28))


def rank_of(t):
    return t.ndim


def make_float16(value):
    return tf.constant(value, dtype=tf.float16)


def to_float32(t):
    return tf.cast(t, tf.float32)


def add_tensors(a, b):
    return a + tf.cast(b, a.dtype)
