# expect-fail: rank_of_examples
# expect-message: length of the first axis
# len(t) is the length of the first axis, not the number of axes.
import tensorflow as tf


def make_rank3_tensor():
    return tf.reshape(tf.range(1, 28), (3, 3, 3))


def rank_of(t):
    return t.shape[0] if t.ndim else 0


def make_float16(value):
    return tf.constant(value, dtype=tf.float16)


def to_float32(t):
    return tf.cast(t, tf.float32)


def add_tensors(a, b):
    return a + tf.cast(b, a.dtype)
