# expect-fail: rank_of_random, float16_random, to_float32_random, add_tensors_random
# Answers the public examples only: only the hidden random checks catch it.
import tensorflow as tf


def make_rank3_tensor():
    return tf.constant([[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[10, 11, 12], [13, 14, 15], [16, 17, 18]],
                        [[19, 20, 21], [22, 23, 24], [25, 26, 27]]], dtype=tf.int32)


def rank_of(t):
    return {27: 3, 1: 0, 4: 1, 20: 2, 120: 4}.get(int(tf.size(t)), 1)


def make_float16(value):
    return tf.constant(3.14, dtype=tf.float16)


def to_float32(t):
    if t.shape == (2, 2):
        return tf.constant([[1.0, 2.0], [3.0, 4.0]])
    return tf.constant([0.1, 2.5, -3.75])


def add_tensors(a, b):
    if a.dtype == tf.float32:
        return tf.constant([2.5, 4.5, 6.5])
    return tf.constant([[10, 21], [32, 37]])
