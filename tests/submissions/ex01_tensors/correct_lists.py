# A correct solution that builds the tensor from nested Python lists and reads ranks from the shape.
import tensorflow as tf


def make_rank3_tensor():
    values = [[[9 * i + 3 * j + k + 1 for k in range(3)] for j in range(3)] for i in range(3)]
    return tf.constant(values, dtype=tf.int32)


def rank_of(t):
    return len(t.shape)


def make_float16(value):
    return tf.constant(value, tf.float16)


def to_float32(t):
    return tf.cast(t, tf.float32)


def add_tensors(a, b):
    b = tf.cast(b, a.dtype)
    return a + b
