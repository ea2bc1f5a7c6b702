# patch: reference
# expect-fail: checkpoint_callback
# expect-message: save_best_only=True
# The reference with a ModelCheckpoint that saves every epoch (no save_best_only=True).


def make_callbacks(checkpoint_path):
    return [
        keras.callbacks.ModelCheckpoint(checkpoint_path),
        keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True),
    ]
