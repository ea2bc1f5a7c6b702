# expect-fail: add_tensors_examples, add_tensors_random
# expect-message: Do not cast a to b's dtype
# Casts a to b's dtype instead of b to a's.
import tensorflow as tf


def make_rank3_tensor():
    return tf.reshape(tf.range(1, 28), (3, 3, 3))


def rank_of(t):
    return t.ndim


def make_float16(value):
    return tf.constant(value, dtype=tf.float16)


def to_float32(t):
    return tf.cast(t, tf.float32)


def add_tensors(a, b):
    return tf.cast(a, b.dtype) + b
