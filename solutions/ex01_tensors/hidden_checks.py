"""ex01 hidden checks: random shapes, dtypes and values, fresh every run; expected values from numpy."""

import numpy as np

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)

INT_DTYPES = ("int32", "int64")
FLOAT_DTYPES = ("float16", "float32", "float64")


def _shape(rng, rank):
    return tuple(int(d) for d in rng.integers(1, 5, size=rank))


def _array(rng, shape, dtype):
    if dtype.startswith("int"):
        return rng.integers(-50, 50, size=shape).astype(dtype)
    return (rng.normal(0, 10, size=shape)).astype(dtype)


@check(points=2.5, title={"ko": "rank_of: 무작위 모양과 dtype", "en": "rank_of: random shapes and dtypes"}, needs="rank_of")
def rank_of_random(ctx):
    rng = ctx.rng
    ranks = rng.permutation(6)[:5]
    tensors = [_array(rng, _shape(rng, int(r)), str(rng.choice(INT_DTYPES + FLOAT_DTYPES))) for r in ranks]
    public.expect_ranks(ctx, tensors)


@check(points=2, title={"ko": "make_float16: 무작위 값", "en": "make_float16: random values"}, needs="make_float16")
def float16_random(ctx):
    rng = ctx.rng
    values = [round(float(rng.uniform(-100, 100)), 3) for _ in range(3)] + [int(rng.integers(-20, 20))]
    cases = [((v,), (v,)) for v in values]
    public.expect_cases(ctx, "make_float16", cases, lambda v: np.float16(v), "make_float16(value)",
                        dtype_fn=lambda v: "float16", dtype_why=lambda got: public.FLOAT16_WHY, rtol=2e-3)


@check(points=2, title={"ko": "to_float32: 무작위 텐서", "en": "to_float32: random tensors"}, needs="to_float32")
def to_float32_random(ctx):
    rng = ctx.rng
    dtypes = ["int32", "int64", "float16", "float64", str(rng.choice(INT_DTYPES + FLOAT_DTYPES))]
    cases = [public.tensor_case((_array(rng, _shape(rng, int(rng.integers(1, 4))), d), d)) for d in dtypes]
    public.expect_cases(ctx, "to_float32", cases, lambda t: t.astype(np.float32), "to_float32(t)",
                        dtype_fn=lambda t: "float32", dtype_why=lambda got: public.NO_CAST_WHY,
                        raised_why=public.convert_raised_why)


@check(title={"ko": "add_tensors: 무작위 텐서와 dtype", "en": "add_tensors: random tensors and dtypes"}, points=2.5,
       needs="add_tensors")
def add_tensors_random(ctx):
    rng = ctx.rng
    pairs = [("float32", "int32"), ("float32", "float64"), ("float64", "float32"), ("int32", "float32"),
             ("float64", "int64")]
    cases = []
    for a_dtype, b_dtype in pairs:
        shape = _shape(rng, int(rng.integers(1, 4)))
        cases.append(public.tensor_case((_array(rng, shape, a_dtype), a_dtype), (_array(rng, shape, b_dtype), b_dtype)))
    public.expect_cases(ctx, "add_tensors", cases, public.add_expected, "add_tensors(a, b)",
                        dtype_fn=lambda a, b: str(a.dtype), dtype_why=lambda got: public.ADD_DTYPE_WHY,
                        raised_why=public.add_raised_why, rtol=1e-6, atol=1e-6)
