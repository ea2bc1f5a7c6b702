"""ex01 public checks: a rank-3 int32 tensor, ranks as ints, float16, casting, adding mixed dtypes.

Each student function is called inside the sandbox by a small probe that reports what came back
(a tf.Tensor or not, its dtype) together with its values; every comparison is made here.
"""

import numpy as np

from grader.checks import Explanation, Incorrect, Mistake, Tensor, check
from grader.feedback import HIDDEN, NumTable, Row, describe_input, format_value
from grader.i18n import Msg

# Runs in the sandbox: call the student's function and describe the result without judging it.
PROBE = """
out = getattr(module, name)(*args)
info = {
    "none": out is None,
    "type": type(out).__module__ + "." + type(out).__qualname__,
    "is_tensor": isinstance(out, (tf.Tensor, tf.Variable)),
    "is_int": isinstance(out, (int, np.integer)) and not isinstance(out, (bool, np.bool_)),
    "dtype": None,
    "value": None,
}
try:
    arr = np.asarray(out.numpy() if hasattr(out, "numpy") else out)
    if arr.dtype.kind in "biuf":
        info["value"] = arr
        info["dtype"] = str(arr.dtype)
except Exception:
    pass
result = info
"""

RANK3 = np.arange(1, 28, dtype=np.int32).reshape(3, 3, 3)

NOT_A_TENSOR = {
    "ko": "TensorFlow 텐서를 반환해야 합니다. numpy 배열이나 리스트가 아니라 tf.constant(...), tf.cast(...)처럼 "
          "TensorFlow 함수가 만든 tf.Tensor를 반환하세요.",
    "en": "Return a TensorFlow tensor: not a numpy array or a list, but the tf.Tensor that a TensorFlow function "
          "such as tf.constant(...) or tf.cast(...) gives.",
}

RANK3_MISTAKES = [
    Mistake({"ko": "값 27개를 1차원으로 만든 채 반환했습니다. (3, 3, 3) 모양으로 바꾸세요(reshape).",
             "en": "You returned the 27 values as a 1-D tensor. Reshape it to (3, 3, 3)."},
            when=lambda got: np.size(got) == 27 and np.ndim(got) != 3),
    Mistake({"ko": "range(27)의 값은 0부터 26까지입니다. 1부터 27까지는 range(1, 28)입니다.",
             "en": "range(27) runs from 0 to 26. 1 to 27 is range(1, 28)."},
            value=RANK3 - 1),
    Mistake({"ko": "값의 순서가 다릅니다. 행 우선(row-major) 순서, 즉 마지막 축이 가장 빨리 변해야 합니다: "
                   "t[0, 0] = [1, 2, 3], t[0, 1] = [4, 5, 6].",
             "en": "The values are in another order. Row-major order means the last axis changes fastest: "
                   "t[0, 0] = [1, 2, 3], t[0, 1] = [4, 5, 6]."},
            when=lambda got: np.array_equal(np.sort(np.ravel(got)), np.arange(1, 28))),
]

DTYPE_WHY = {
    "int64": {"ko": "np.arange나 np.array로 만든 정수 배열은 int64이고, tf.constant는 그 dtype을 그대로 씁니다. "
                    "tf.constant(..., dtype=tf.int32)처럼 dtype을 지정하세요.",
              "en": "Integer arrays from np.arange or np.array are int64, and tf.constant keeps that dtype. "
                    "Give the dtype: tf.constant(..., dtype=tf.int32)."},
    "float": {"ko": "실수 텐서가 되었습니다. 정수 텐서는 dtype=tf.int32로 만드세요.",
              "en": "This is a float tensor. Make an integer tensor with dtype=tf.int32."},
}

FLOAT16_WHY = {"ko": "dtype을 주지 않으면 tf.constant는 실수로 float32 텐서를 만듭니다. 텐서를 만들 때 원하는 dtype(float16)을 함께 주세요.",
               "en": "Without a dtype, tf.constant makes a float32 tensor from a float: give the dtype you want (float16) when you make the tensor."}

NO_CAST_WHY = {"ko": "dtype이 바뀌지 않았습니다. 같은 값을 새 dtype의 텐서로 만드는 것은 tf.cast입니다.",
               "en": "The dtype did not change. tf.cast makes a tensor of the same values in a new dtype."}

CONVERT_WHY = {"ko": "tf.constant나 tf.convert_to_tensor는 이미 있는 텐서의 dtype을 바꾸지 않고 오류를 냅니다. dtype을 바꾸는 함수는 tf.cast입니다.",
               "en": "tf.constant and tf.convert_to_tensor do not change the dtype of an existing tensor; they raise an error. The function that changes a dtype is tf.cast."}

ADD_RAISED_WHY = {"ko": "TensorFlow는 dtype을 자동으로 맞춰 주지 않습니다: float32 텐서와 int32 텐서를 더하면 InvalidArgumentError가 납니다. 더하기 전에 한쪽을 다른 쪽의 dtype으로 바꾸세요.",
                  "en": "TensorFlow never converts dtypes for you: adding a float32 tensor and an int32 tensor raises InvalidArgumentError. Cast one of them to the other's dtype before adding."}

ADD_DTYPE_WHY = {
    "ko": "결과의 dtype은 a의 dtype이어야 합니다. a를 b의 dtype으로 바꾸거나 float32로 고정하지 말고, "
          "b를 a의 dtype으로 바꾸세요(tf.cast).",
    "en": "The result must have a's dtype. Do not cast a to b's dtype, nor everything to float32: "
          "cast b to a's dtype (tf.cast).",
}


def _is_float(dtype):
    return bool(dtype) and dtype.startswith(("float", "bfloat"))


def probe(ctx, name, args, label):
    """What the student's function returns for ``args``: type facts and values (never judged there)."""
    info = ctx.run(PROBE, label=label, name=name, args=list(args))
    if not isinstance(info, dict):
        raise Incorrect(Msg("unsupported_value", call=label, kind=getattr(info, "type_name", "object")))
    if info["none"]:
        raise Incorrect(Msg("returned_none", call=label))
    return info


def expect_tensor(ctx, info, label, dtype, dtype_why=None):
    """The result is a tf.Tensor of ``dtype`` (``dtype_why(got_dtype)`` explains a wrong one)."""
    if not info["is_tensor"]:
        raise Incorrect(Msg("wrong_type", call=label, got=info["type"], expected="tf.Tensor"), Explanation(NOT_A_TENSOR))
    if info["value"] is None:
        raise Incorrect(Msg("unsupported_value", call=label, kind=info["type"]))
    if info["dtype"] != dtype:
        why = dtype_why(info["dtype"]) if dtype_why else None
        details = [Explanation(why)] if why else []
        raise Incorrect({"ko": f"`{label}` 결과의 dtype이 {info['dtype']}입니다. {dtype}(이)어야 합니다.",
                         "en": f"`{label}` returned dtype {info['dtype']}; expected {dtype}."}, *details)


def expect_cases(ctx, name, cases, expected_fn, label, *, dtype_fn, dtype_why=None, rtol=1e-6, atol=0.0,
                 mistakes=(), raised_why=None):
    """Call ``name`` on each case (numpy arrays become tf tensors); compare type, dtype, shape and values.

    A case is (shown_inputs, args): ``shown_inputs`` are the numpy arrays/values for the table,
    ``args`` what is sent (``Tensor`` markers for tensors). On hidden checks the expected
    values are never shown.
    """
    rows, wrong, candidates = [], 0, list(mistakes)
    for shown, args in cases:
        try:
            info = probe(ctx, name, args, label)
        except Incorrect as exc:
            if raised_why is not None and (why := raised_why(exc)):
                raise Incorrect(exc.message, Explanation(why), *exc.details) from None
            raise
        want = np.asarray(expected_fn(*shown))
        expect_tensor(ctx, info, label, dtype_fn(*shown), dtype_why)
        got = info["value"]
        if got.shape != want.shape:
            why = next((m for m in mistakes if m.matches(got, shown)), None)
            raise Incorrect(Msg("wrong_shape", call=label, got=tuple(got.shape), expected=tuple(want.shape)),
                            *([Explanation(why.explanation)] if why else []))
        if np.allclose(got.astype(float), want.astype(float), rtol=rtol, atol=atol):
            continue
        wrong += 1
        candidates = [m for m in candidates if m.matches(got, shown)]  # a mistake must explain every wrong case
        if len(rows) < 4:
            text = ", ".join(describe_input(v) if ctx.hidden else format_value(v, width=40) for v in shown) or "—"
            rows.append(Row(text, HIDDEN if ctx.hidden else want, got))
    if not wrong:
        return
    details = [Explanation(m.explanation) for m in candidates[:1]] + [NumTable(rows)]
    if ctx.hidden:
        raise Incorrect(Msg("wrong_value_hidden", call=label, failed=wrong, total=len(cases)), *details)
    raise Incorrect(Msg("wrong_value", call=label), *details)


def tensor_case(*arrays_and_dtypes):
    """((array, dtype), ...) → (shown numpy arrays, Tensor markers for the sandbox)."""
    shown = tuple(np.asarray(a).astype(d) for a, d in arrays_and_dtypes)
    return shown, tuple(Tensor(s, str(s.dtype)) for s in shown)


# --- rank_of ---------------------------------------------------------------------------------

RANK_TENSOR_WHY = {
    "ko": "tf.rank(t)는 정수가 아니라 0차원 텐서를 반환합니다. t.ndim, len(t.shape), int(tf.rank(t))처럼 "
          "파이썬 정수로 반환하세요.",
    "en": "tf.rank(t) returns a 0-d tensor, not an int. Return a Python int: t.ndim, len(t.shape) or int(tf.rank(t)).",
}
RANK_MISTAKES = [
    Mistake({"ko": "첫 번째 축의 길이(len(t) 또는 t.shape[0])를 반환했습니다. 랭크는 축의 개수, 즉 len(t.shape)입니다.",
             "en": "You returned the length of the first axis (len(t) or t.shape[0]). The rank is the number of axes: "
                   "len(t.shape)."},
            compute=lambda t: np.shape(t)[0] if np.ndim(t) else None),
    Mistake({"ko": "원소의 개수(tf.size)를 반환했습니다. 랭크는 축의 개수입니다.",
             "en": "You returned the number of elements (tf.size). The rank is the number of axes."},
            compute=lambda t: np.size(t) if np.size(t) != np.ndim(t) else None),
]


def expect_ranks(ctx, tensors):
    label = "rank_of(t)"
    rows, wrong, candidates = [], 0, list(RANK_MISTAKES)
    for arr in tensors:
        info = probe(ctx, "rank_of", [Tensor(arr, str(arr.dtype))], label)
        if info["is_tensor"]:
            raise Incorrect(Msg("wrong_type", call=label, got=info["type"], expected="int"), Explanation(RANK_TENSOR_WHY))
        if not info["is_int"]:
            raise Incorrect(Msg("wrong_type", call=label, got=info["type"], expected="int"))
        got = int(info["value"])
        if got == arr.ndim:
            continue
        wrong += 1
        candidates = [m for m in candidates if m.matches(got, (arr,))]  # a mistake must explain every wrong case
        shown = f"t: shape={tuple(arr.shape)}, {arr.dtype}"
        rows.append(Row(shown, HIDDEN if ctx.hidden else arr.ndim, got))
    if not wrong:
        return
    details = [Explanation(m.explanation) for m in candidates[:1]] + [NumTable(rows[:4])]
    if ctx.hidden:
        raise Incorrect(Msg("wrong_value_hidden", call=label, failed=wrong, total=len(tensors)), *details)
    raise Incorrect(Msg("wrong_value", call=label), *details)


# --- to_float32 / add_tensors ----------------------------------------------------------------


def convert_raised_why(exc):
    text = str(getattr(exc.message, "params", {}).get("error", ""))
    if "Expected tensor" in text or "conversion requested dtype" in text:
        return CONVERT_WHY
    return None


def add_raised_why(exc):
    text = str(getattr(exc.message, "params", {}).get("error", ""))
    if "InvalidArgumentError" in text or "expected to be a" in text:
        return ADD_RAISED_WHY
    return None


def add_expected(a, b):
    return (a + b.astype(a.dtype)).astype(a.dtype)


# --- the checks ------------------------------------------------------------------------------


@check(title={"ko": "1~27을 담은 (3, 3, 3) int32 텐서", "en": "A (3, 3, 3) int32 tensor of 1..27"}, points=1,
       needs="make_rank3_tensor",
       hint={"ko": "1부터 27까지의 정수를 만든 뒤 3×3×3 모양으로 바꾸고, 정수 dtype(int32)의 텐서로 만드세요.",
             "en": "Make the integers 1 to 27, give them the 3×3×3 shape, and turn them into a tensor of an integer dtype (int32)."})
def rank3_tensor(ctx):
    label = "make_rank3_tensor()"

    def dtype_why(got):
        return DTYPE_WHY["int64"] if got == "int64" else DTYPE_WHY["float"] if _is_float(got) else None

    expect_cases(ctx, "make_rank3_tensor", [((), ())], lambda: RANK3, label, dtype_fn=lambda: "int32",
                 dtype_why=dtype_why, mistakes=RANK3_MISTAKES)


@check(title={"ko": "rank_of: 랭크를 정수로", "en": "rank_of: the rank as an int"}, points=1, needs="rank_of",
       hint={"ko": "랭크는 축의 개수, 곧 모양(shape)의 길이입니다.",
             "en": "The rank is the number of axes: the length of the shape."})
def rank_of_examples(ctx):
    expect_ranks(ctx, [RANK3, np.array(2.5, np.float32), np.zeros(4, np.float32),
                       np.zeros((4, 5), np.float64), np.zeros((2, 3, 4, 5), np.int32)])


@check(points=0.5, title={"ko": "make_float16(3.14): float16 상수", "en": "make_float16(3.14): a float16 constant"},
       needs="make_float16")
def float16_example(ctx):
    expect_cases(ctx, "make_float16", [((3.14,), (3.14,))], lambda v: np.float16(v), "make_float16(3.14)",
                 dtype_fn=lambda v: "float16", dtype_why=lambda got: FLOAT16_WHY, rtol=1e-3)


@check(points=0.5, title={"ko": "to_float32: int32와 float64 텐서 변환", "en": "to_float32: casting int32 and float64 tensors"},
       needs="to_float32")
def to_float32_examples(ctx):
    cases = [tensor_case(([[1, 2], [3, 4]], "int32")), tensor_case(([0.1, 2.5, -3.75], "float64"))]
    expect_cases(ctx, "to_float32", cases, lambda t: t.astype(np.float32), "to_float32(t)",
                 dtype_fn=lambda t: "float32", dtype_why=lambda got: NO_CAST_WHY, raised_why=convert_raised_why)


@check(title={"ko": "add_tensors: dtype이 다른 두 텐서 더하기", "en": "add_tensors: adding tensors of different dtypes"},
       points=1, needs="add_tensors",
       hint={"ko": "TensorFlow는 dtype이 다른 두 텐서를 더하지 않습니다. 한쪽을 다른 쪽의 dtype으로 바꾼(cast) 뒤 더하세요.",
             "en": "TensorFlow will not add two tensors of different dtypes: cast one of them to the other's dtype first."})
def add_tensors_examples(ctx):
    cases = [
        tensor_case(([1.5, 2.5, 3.5], "float32"), ([1, 2, 3], "int32")),
        tensor_case(([[10, 20], [30, 40]], "int32"), ([[0.5, 1.5], [2.5, -3.9]], "float32")),
    ]
    expect_cases(ctx, "add_tensors", cases, add_expected, "add_tensors(a, b)",
                 dtype_fn=lambda a, b: str(a.dtype), dtype_why=lambda got: ADD_DTYPE_WHY, raised_why=add_raised_why)
