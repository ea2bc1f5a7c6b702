# patch: reference
# expect-fail: early_stopping_callback
# expect-message: patience is how many epochs
# The reference with EarlyStopping waiting 5 epochs instead of 2.


def make_callbacks(checkpoint_path):
    return [
        keras.callbacks.ModelCheckpoint(checkpoint_path, save_best_only=True),
        keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True),
    ]
