"""ex12 public checks: the classifier's layers and compile settings, the two callbacks' settings, and a training
by the grader (with the student's callbacks) on sklearn's 8×8 digits, judged on held-out images.

The split is shuffled with the judge's secret (grader.checks.secret_seed) and the held-out images are new images
near the data set's (grader.checks.datasets.perturb_images: sub-pixel shifts, small rotations, contrast and noise), so
they are not rows of the public ``load_digits()`` that a student's code could look up. The held-out predictions
are computed by the judge from the trained weights (grader.replay)."""

import os

import numpy as np

from grader.checks import datasets, verified
from grader.checks import Explanation, Incorrect, check, flat_names
from grader.i18n import Msg
from grader.checks.trials import build_seeded, try_seeds

BUILD = "build_classifier((8, 8), 10)"
CALLBACKS = "make_callbacks(checkpoint_path)"
INPUT_SHAPE = (8, 8)
NUM_CLASSES = 10
DATA_SEED = 0        # the digits split used for training: 1,168 training / 270 validation / 359 held-out images
REPEAT = 3           # per epoch, the 1,168 training images and 2 perturbed copies of them: 110 steps of batch 32
EPOCHS = 6           # at most 6 epochs (660 steps); EarlyStopping may end sooner
BATCH = 32
MIN_ACCURACY = 0.90
ACCURACY_NAMES = ("accuracy", "acc", "sparse_categorical_accuracy")

CATEGORICAL_WITH_INTEGERS = {
    "ko": "loss가 'categorical_crossentropy'입니다. 이 손실은 정답이 원-핫 벡터([0, 0, 1, 0, ...])라고 가정합니다. "
          "digits의 정답은 0~9의 정수 하나이므로 'sparse_categorical_crossentropy'를 써야 합니다 "
          "(또는 정답을 keras.utils.to_categorical로 바꿔야 하지만, 채점기는 정수 레이블을 줍니다).",
    "en": "The loss is 'categorical_crossentropy', which expects one-hot answers ([0, 0, 1, 0, ...]). The digits' answers "
          "are single integers 0-9, so use 'sparse_categorical_crossentropy' (the other way is to one-hot the labels "
          "with keras.utils.to_categorical, but the grader gives integer labels).",
}
NO_SOFTMAX = {
    "ko": "출력층에 softmax가 없습니다. softmax가 있어야 출력이 합이 1인 클래스별 확률이 되고, "
          "sparse_categorical_crossentropy(기본 from_logits=False)는 확률을 입력으로 기대합니다.",
    "en": "The output layer has no softmax. softmax turns the outputs into class probabilities summing to 1, and "
          "sparse_categorical_crossentropy (from_logits=False by default) expects probabilities.",
}
SAVE_BEST_ONLY = {
    "ko": "save_best_only=True가 없으면 ModelCheckpoint는 매 epoch마다 덮어써서, 파일에는 가장 좋은 모델이 아니라 "
          "마지막 epoch의 모델이 남습니다.",
    "en": "Without save_best_only=True, ModelCheckpoint overwrites the file every epoch: it ends up holding the last "
          "epoch's model, not the best one.",
}
RESTORE_BEST = {
    "ko": "restore_best_weights=True가 없으면 학습이 끝난 모델은 마지막 epoch의 가중치를 그대로 가집니다. "
          "검증 손실이 가장 낮았던 epoch의 가중치로 되돌리려면 이 옵션이 필요합니다.",
    "en": "Without restore_best_weights=True the model keeps the last epoch's weights when training ends. The option "
          "brings back the weights of the epoch with the lowest validation loss.",
}
PATIENCE = {
    "ko": "patience는 검증 손실이 나아지지 않는 epoch를 몇 번까지 참을지입니다. 이 문제는 patience=2입니다.",
    "en": "patience is how many epochs without a better validation loss to wait before stopping. Here it is patience=2.",
}

INSPECT = """
items = list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]
result = []
for c in items:
    if isinstance(c, keras.callbacks.ModelCheckpoint):
        kind = "ModelCheckpoint"
    elif isinstance(c, keras.callbacks.EarlyStopping):
        kind = "EarlyStopping"
    else:
        kind = type(c).__name__
    patience = getattr(c, "patience", None)
    result.append({
        "kind": kind,
        "monitor": str(getattr(c, "monitor", "")),
        "filepath": str(getattr(c, "filepath", "")),
        "save_best_only": bool(getattr(c, "save_best_only", False)),
        "patience": patience if isinstance(patience, (int, float)) else None,
        "restore_best_weights": bool(getattr(c, "restore_best_weights", False)),
    })
"""

AS_LIST = "result = list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]"

MKTEMP = """
import os, tempfile
result = os.path.join(tempfile.mkdtemp(prefix="grade-ex12-"), "best_model.keras")
"""



def model_facts(ctx):
    """The student's model for the digits, built once per run, and its facts."""
    return ctx.model("build_classifier", INPUT_SHAPE, NUM_CLASSES, label=BUILD)


def checkpoint_path(ctx):
    """A fresh folder per grading run inside the sandbox's own temporary directory (the only place its code may
    write), made by the sandbox itself."""
    return ctx.once("checkpoint_path", lambda: ctx.run(MKTEMP, label="tempfile.mkdtemp()"))


def callbacks(ctx):
    """The student's callbacks (a handle to the list in the sandbox) and their public settings."""
    def make():
        path = checkpoint_path(ctx)
        handle = ctx.call("make_callbacks", path, label=CALLBACKS)
        if handle is None:
            raise Incorrect(Msg("returned_none", call=CALLBACKS))
        settings = ctx.run(INSPECT, label=CALLBACKS, callbacks=handle)
        return ctx.run(AS_LIST, label=CALLBACKS, callbacks=handle), settings, path
    return ctx.once("callbacks", make)


def find(settings, kind):
    return next((s for s in settings if s["kind"] == kind), None)


def causes(facts, settings=()):
    """Explanations for a model that trains badly, from its layers, compile settings and callbacks."""
    found = []
    last = facts["layers"][-1] if facts.get("layers") else {}
    if last.get("activation") != "softmax":
        found.append(Explanation(NO_SOFTMAX))
    if "categorical_crossentropy" in flat_names(facts.get("loss")):
        found.append(Explanation(CATEGORICAL_WITH_INTEGERS))
    return found


def digits(ctx):
    """The digits split by the judge's secret, the held-out images perturbed (never verbatim load_digits() rows)."""
    def make():
        data = datasets.digits(DATA_SEED, split_seed=ctx.secret_rng("digits-split", seed=DATA_SEED).integers(2**63))
        held_out = datasets.perturb_images(data.x_test, ctx.secret_rng("digits-held-out", seed=DATA_SEED))
        validation = datasets.perturb_images(data.x_val, ctx.secret_rng("digits-validation", seed=DATA_SEED))
        return data._replace(x_val=validation, x_test=held_out)
    return ctx.once("digits", make)


def trained(ctx):
    """Train the student's model with the student's callbacks on the digits (validation data included), once."""
    def train():
        # a fresh model whose weights (and shuffles) come from a seed of the student's code, not from --seed: the
        # same code trains the same way at every seed (grader.checks.trials)
        model = build_seeded(ctx, try_seeds(ctx, "digits", 1)[0], "build_classifier", BUILD, INPUT_SHAPE, NUM_CLASSES)
        facts = ctx.describe(model, BUILD)
        if not facts["compiled"]:
            raise Incorrect(Msg("not_compiled"))
        handle, settings, path = callbacks(ctx)
        data = digits(ctx)
        rng = ctx.secret_rng("digits-augment", seed=DATA_SEED)
        x = np.concatenate([data.x_train, *[datasets.perturb_images(data.x_train, rng) for _ in range(REPEAT - 1)]])
        try:
            history = ctx.fit(model, x, np.tile(data.y_train, REPEAT), label="model.fit(..., callbacks=make_callbacks(path))",
                              callbacks=handle, validation_data=(data.x_val, data.y_val), epochs=EPOCHS,
                              batch_size=BATCH, shuffle=True)
        except Incorrect as exc:
            raise Incorrect(exc.message, *causes(facts), *exc.details) from None
        return model, facts, settings, path, data, history
    return ctx.once("trained", train)


@check(title={"ko": "compile된 Keras 모델", "en": "A compiled Keras model"}, needs="build_classifier",
       hint={"ko": "모델을 반환하기 전에 compile해야 합니다: 정수 레이블의 다중 분류에 맞는 손실과 정확도 지표를 정하세요.",
             "en": "Compile the model before returning it, with the loss for multi-class classification of integer labels and an accuracy metric."})
def compiled_model(ctx):
    _, facts = model_facts(ctx)
    ctx.expect(facts["compiled"], Msg("not_compiled"))


@check(title={"ko": "입력 (8, 8), 출력 10개", "en": "Input (8, 8), 10 outputs"}, needs="build_classifier")
def input_output(ctx):
    model, facts = model_facts(ctx)
    ctx.expect_io(model, facts, [INPUT_SHAPE], [(NUM_CLASSES,)], label=BUILD)


@check(title={"ko": "층 구성: Flatten, Dense relu, Dropout, Dense softmax",
              "en": "Layers: Flatten, Dense relu, Dropout, Dense softmax"}, points=3, needs="build_classifier")
def layer_stack(ctx):
    _, facts = model_facts(ctx)
    expected = [
        {"class": "Flatten"},
        {"class": "Dense", "activation": "relu"},
        {"class": "Dropout"},
        {"class": "Dense", "units": NUM_CLASSES, "activation": "softmax"},
    ]
    try:
        ctx.expect_layers(facts, expected)
    except Incorrect as exc:
        last = facts["layers"][-1] if facts["layers"] else {}
        extra = [Explanation(NO_SOFTMAX)] if last.get("class") == "Dense" and last.get("activation") != "softmax" else []
        raise Incorrect(exc.message, *extra, *exc.details) from None


@check(title={"ko": "손실 sparse_categorical_crossentropy", "en": "Loss sparse_categorical_crossentropy"}, points=2,
       needs="build_classifier")
def sparse_loss(ctx):
    _, facts = model_facts(ctx)
    ctx.expect(facts["compiled"], Msg("not_compiled"))
    loss = flat_names(facts.get("loss"))
    why = CATEGORICAL_WITH_INTEGERS if "categorical_crossentropy" in loss else None
    ctx.expect_equal(loss[0] if len(loss) == 1 else loss, "sparse_categorical_crossentropy", "loss", why=why)


@check(title={"ko": "Adam 옵티마이저와 accuracy 지표", "en": "Adam optimizer and the accuracy metric"},
       needs="build_classifier")
def adam_accuracy(ctx):
    _, facts = model_facts(ctx)
    ctx.expect(facts["compiled"], Msg("not_compiled"))
    ctx.expect_equal(str(facts.get("optimizer") or "").replace("_", ""), "adam", "optimizer")
    ctx.expect(any(n in ACCURACY_NAMES for n in flat_names(facts.get("metrics"))),
               Msg("expected_got", expected="metrics=['accuracy']", got=facts.get("metrics") or "[]"))


@check(title={"ko": "ModelCheckpoint: 가장 좋은 모델만 저장", "en": "ModelCheckpoint: saves only the best model"},
       points=2, needs="make_callbacks")
def checkpoint_callback(ctx):
    _, settings, path = callbacks(ctx)
    found = find(settings, "ModelCheckpoint")
    kinds = [s["kind"] for s in settings]
    ctx.expect(found is not None, Msg("expected_got", expected="keras.callbacks.ModelCheckpoint(...)", got=kinds))
    ctx.expect(os.path.abspath(found["filepath"]) == os.path.abspath(path),
               {"ko": f"ModelCheckpoint의 경로가 {found['filepath']!r}입니다. 인자로 받은 checkpoint_path를 그대로 쓰세요.",
                "en": f"ModelCheckpoint saves to {found['filepath']!r}. Use the checkpoint_path argument as it is."})
    ctx.expect_equal(found["monitor"], "val_loss", "monitor")
    ctx.expect_equal(found["save_best_only"], True, "save_best_only", why=SAVE_BEST_ONLY)


@check(title={"ko": "EarlyStopping: patience 2, 최적 가중치 복원", "en": "EarlyStopping: patience 2, restores the best weights"},
       points=2, needs="make_callbacks")
def early_stopping_callback(ctx):
    _, settings, _ = callbacks(ctx)
    found = find(settings, "EarlyStopping")
    kinds = [s["kind"] for s in settings]
    ctx.expect(found is not None, Msg("expected_got", expected="keras.callbacks.EarlyStopping(...)", got=kinds))
    ctx.expect_equal(found["monitor"], "val_loss", "monitor")
    ctx.expect_equal(found["patience"], 2, "patience", why=PATIENCE)
    ctx.expect_equal(found["restore_best_weights"], True, "restore_best_weights", why=RESTORE_BEST)


@check(title={"ko": "학습 후 평가용 이미지 정확도 ≥ 0.90", "en": "After training, held-out accuracy ≥ 0.90"}, points=3,
       needs=("build_classifier", "make_callbacks"))
def held_out_accuracy(ctx):
    model, facts, _, _, data, history = trained(ctx)
    out, _ = ctx.predict_trained(model, data.x_test, label="model(x_test)")
    out = np.asarray(out, dtype=float)
    if out.shape != (len(data.x_test), NUM_CLASSES):
        raise Incorrect(Msg("wrong_shape", call="model(x_test)", got=tuple(out.shape),
                            expected=(len(data.x_test), NUM_CLASSES)))
    accuracy = float(np.mean(out.argmax(axis=1) == data.y_test))
    if accuracy >= MIN_ACCURACY:
        return
    raise Incorrect(Msg("accuracy_low", got=accuracy, expected=MIN_ACCURACY), *causes(facts), *ctx.replay_notes)


@check(title={"ko": "체크포인트 파일: 불러오면 같은 예측", "en": "Checkpoint file: loads and gives the same predictions"},
       points=3, needs=("build_classifier", "make_callbacks"))
def checkpoint_saved(ctx):
    model, facts, settings, path, data, history = trained(ctx)
    saved = verified.read_file(ctx, path, label="open(checkpoint_path)")  # the file's bytes, plain data
    if saved is None:
        raise Incorrect({"ko": "학습 뒤 checkpoint_path에 파일이 없습니다. ModelCheckpoint(checkpoint_path, ...)를 "
                               "make_callbacks가 반환하는 리스트에 넣었는지 확인하세요.",
                         "en": "After training there is no file at checkpoint_path. Check that "
                               "ModelCheckpoint(checkpoint_path, ...) is in the list make_callbacks returns."})
    # both sides computed by the judge's own Keras, never by the student's process: the file loaded with built-in
    # classes only, and the trained model rebuilt from its exported config and weights
    label = "keras.models.load_model(checkpoint_path)"
    out = verified.checkpoint_outputs(ctx, saved, data.x_val, label=label)
    if "error" in out:
        raise Incorrect({"ko": f"채점기가 체크포인트 파일을 Keras 기본 층으로 불러오지 못했습니다: {out['error']}",
                         "en": f"The grader could not load the checkpoint file with Keras' built-in layers: {out['error']}"})
    current = verified.rebuilt_outputs(ctx, model, data.x_val, label="model(x_val)")
    if current is None:
        current, _ = ctx.predict_trained(model, data.x_val, label="model(x_val)")
    loaded, current = np.asarray(out["y"], dtype=float), np.asarray(current, dtype=float)
    if loaded.shape == current.shape and np.allclose(loaded, current, rtol=1e-4, atol=1e-5):
        return
    details = []
    if loaded.shape == current.shape == (len(data.y_val), NUM_CLASSES):
        rows = np.arange(len(data.y_val))
        saved_loss = float(-np.mean(np.log(np.clip(loaded[rows, data.y_val], 1e-7, 1.0))))
        best = min(history.get("val_loss", [np.nan]))
        details.append(Explanation(
            {"ko": f"파일에 저장된 모델의 검증 손실은 {saved_loss:.4f}, 학습 중 가장 낮았던 val_loss는 {best:.4f}입니다.",
             "en": f"The saved model's validation loss is {saved_loss:.4f}; the lowest val_loss during training was {best:.4f}."}))
    checkpoint, stopping = find(settings, "ModelCheckpoint") or {}, find(settings, "EarlyStopping") or {}
    if not checkpoint.get("save_best_only", True):
        details.append(Explanation(SAVE_BEST_ONLY))
    if not stopping.get("restore_best_weights", True):
        details.append(Explanation(RESTORE_BEST))
    raise Incorrect(
        {"ko": "체크포인트 파일을 불러온 모델과 학습이 끝난 모델의 예측이 다릅니다. 둘 다 검증 손실이 가장 낮았던 "
               "epoch의 모델이어야 합니다.",
         "en": "The model loaded from the checkpoint and the trained model predict differently. Both should be the "
               "model of the epoch with the lowest validation loss."},
        *details)
