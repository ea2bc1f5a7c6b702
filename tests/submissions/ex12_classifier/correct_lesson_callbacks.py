# The chapter's model and callbacks (001, "드롭아웃" and "콜백"; the code of 혼자 공부하는 머신러닝+딥러닝 7-3):
# Sequential with Flatten(input_shape=...), Dense(100, relu), Dropout(0.3), Dense(10, softmax), Adam, sparse
# categorical cross-entropy; ModelCheckpoint(save_best_only=True) and EarlyStopping(patience=2,
# restore_best_weights=True).
from tensorflow import keras


def build_classifier(input_shape, num_classes):
    model = keras.Sequential()
    model.add(keras.layers.Flatten(input_shape=input_shape))
    model.add(keras.layers.Dense(100, activation='relu'))
    model.add(keras.layers.Dropout(0.3))
    model.add(keras.layers.Dense(num_classes, activation='softmax'))
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    return model


def make_callbacks(checkpoint_path):
    checkpoint_cb = keras.callbacks.ModelCheckpoint(checkpoint_path, save_best_only=True)
    early_stopping_cb = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    return [checkpoint_cb, early_stopping_cb]
