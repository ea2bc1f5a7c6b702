"""ex02 — the Sequential API. Fill in the place marked # [[YOUR CODE]]."""

import keras
from keras import layers


def build_model():
    """Return a keras.Sequential model: Input (100, 100, 3) → Flatten → Dense 400 relu → Dense 200 relu → Dense 100 softmax."""
    # [[YOUR CODE]]
    pass
