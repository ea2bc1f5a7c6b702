"""ex03 — the Functional API. Fill in the places marked # [[YOUR CODE]]."""

import keras
from keras import layers


def build_model():
    """Return ex02's classifier written with the Functional API:
    Input (100, 100, 3) → Flatten → Dense 400 relu → Dense 200 relu → Dense 100 softmax, as keras.Model(inputs, outputs)."""
    # [[YOUR CODE]]
    pass


def build_wide_deep_model():
    """Return a Wide & Deep model with two inputs and two outputs:
    input A (5,), input B (6,); B → Dense(30, relu) → Dense(30, relu) = hidden2;
    concatenate [A, hidden2] → Dense(1) main output; hidden2 → Dense(1) auxiliary output.
    keras.Model(inputs=[input_A, input_B], outputs=[output, aux_output])."""
    # [[YOUR CODE]]
    pass


def compile_wide_deep(model):
    """Compile the model passed in: one MSE loss per output, loss weights 0.9 (main) and 0.1 (auxiliary), SGD."""
    # [[YOUR CODE]]
    pass
