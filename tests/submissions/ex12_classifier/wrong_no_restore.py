# patch: reference
# expect-fail: early_stopping_callback
# expect-message: restore_best_weights=True
# The reference with EarlyStopping left without restore_best_weights=True.


def make_callbacks(checkpoint_path):
    return [
        keras.callbacks.ModelCheckpoint(checkpoint_path, save_best_only=True),
        keras.callbacks.EarlyStopping(patience=2),
    ]
