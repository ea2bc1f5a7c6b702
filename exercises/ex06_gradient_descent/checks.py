"""ex06 public checks: the lesson's gradients of f(x) = x0² + x1², a 2-D input, x left unchanged,
and gradient descent from (-3, 4) with good, too large and too small learning rates."""

import numpy as np

from grader.checks import Explanation, Fn, Handle, Incorrect, Mistake, NumTable, Row, _kind, check, close
from grader.i18n import Msg

H = 1e-4
SPHERE = "lambda x: x[0]**2 + x[1]**2"  # the lesson's function_2
INIT_X = np.array([-3.0, 4.0])
GRAD_RTOL, GRAD_ATOL = 1e-6, 1e-7

# run in the sandbox: call the student's function on a copy and send back what became of the argument, and what the
# function returned (a side condition pays only when the function also computes the right value on that input)
AFTER_GRADIENT = "x = x0.copy()\nout = module.numerical_gradient(f, x)\nresult = {'after': x, 'returned': out}"
AFTER_DESCENT = ("init_x = x0.copy()\nout = module.gradient_descent(f, init_x, lr=lr, step_num=step_num)\n"
                 "result = {'after': init_x, 'returned': out}")
RIGHT_VALUE_FIRST = {
    "ko": "이 검사(입력을 바꾸지 않음)는 함수가 같은 입력에서 올바른 값도 돌려줄 때만 점수를 줍니다. 아무것도 계산하지 않는 "
          "함수도 입력은 바꾸지 않기 때문입니다.",
    "en": "This check (the input left unchanged) pays only when the function also returns the right value for that "
          "input: a function that computes nothing leaves its input unchanged too.",
}


def function(source, **params):
    """The same trusted function twice: built in the sandbox (Fn) and here, for the expected value."""
    return Fn(source, **params), eval(source, {"np": np, **params})


def forward_gradient(f, x):
    """What a forward difference (f(x+h) - f(x)) / h gives: the mistake, not the answer."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + H
        grad[idx] = (f(x) - fx) / H
        x[idx] = tmp
    return grad


GRADIENT_MISTAKES = [
    Mistake(
        {"ko": "전방 차분 (f(x+h) − f(x)) / h를 썼습니다. 오차가 h에 비례해 커지므로, 수업처럼 중앙 차분 "
               "(f(x+h) − f(x−h)) / 2h를 쓰세요.",
         "en": "You used a forward difference (f(x+h) − f(x)) / h, whose error grows with h. Use the lesson's "
               "central difference (f(x+h) − f(x−h)) / 2h."},
        compute=forward_gradient,
    ),
    Mistake(
        {"ko": "기울기가 모두 0입니다. h가 너무 작으면(예: 1e-50) x + h가 반올림되어 x와 같아집니다. "
               "h = 1e-4를 쓰세요. 또는 grad에 값을 넣지 않고 반환하지 않았는지 확인하세요.",
         "en": "The gradient is all zeros. With a tiny h (say 1e-50), x + h rounds back to x; use h = 1e-4. "
               "Also check that you store each value into grad before returning it."},
        when=lambda got: np.allclose(np.asarray(got, dtype=float), 0.0),
    ),
]

RESTORE_X = {"ko": "x[idx]를 x+h, x−h로 바꾼 뒤 원래 값으로 되돌리지 않았습니다. 바꾸기 전에 원래 값을 저장해 두고, 두 번 계산한 뒤 되돌리세요. 그렇지 않으면 호출한 쪽의 x가 바뀌고, 다음 원소의 기울기도 엉뚱한 위치에서 계산됩니다.",
             "en": "You set x[idx] to x+h and x−h but never put the original value back. Save it before changing it and restore it after the two evaluations; otherwise the caller's x changes and later elements are differentiated at the wrong point."}

COPY_INIT_X = {"ko": "gradient_descent가 init_x를 그 자리에서 바꿨습니다. 대입(=)은 복사가 아니라 같은 배열에 이름을 하나 더 붙일 뿐이라, 제자리 갱신(-=)이 init_x까지 바꿉니다. init_x의 복사본(init_x.copy())에서 시작하세요.",
               "en": "gradient_descent changed init_x in place. Assignment (=) is not a copy, only another name for the same array, so an in-place update (-=) changes init_x too. Start from a copy of init_x (init_x.copy())."}


def descent_path(f, init_x, lr, step_num, sign=-1.0):
    x = np.array(init_x, dtype=float)
    for _ in range(step_num):
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            tmp = x[idx]
            x[idx] = tmp + H
            fxh1 = f(x)
            x[idx] = tmp - H
            fxh2 = f(x)
            grad[idx] = (fxh1 - fxh2) / (2 * H)
            x[idx] = tmp
        x = x + sign * lr * grad
    return x


DESCENT_MISTAKES = [
    Mistake(
        {"ko": "x가 점점 커집니다: 기울기 방향으로 올라갔습니다(경사 상승법). 경사 하강법은 기울기의 반대 "
               "방향으로, 학습률 × 기울기를 빼며 내려갑니다.",
         "en": "x grows: it climbs along the gradient (gradient ascent). Gradient descent moves against the "
               "gradient, subtracting the learning rate times the gradient."},
        compute=lambda f, x, lr, steps: descent_path(f, x, lr, steps, sign=+1.0),
    ),
    Mistake(
        {"ko": "x가 처음 위치 init_x 그대로입니다. 반복문 안에서 x를 갱신하고, 마지막 x를 반환하세요.",
         "en": "x is still init_x. Update x inside the loop and return the final x."},
        compute=lambda f, x, lr, steps: x,
    ),
]


def modified(ctx, code, call, x0, name, explanation, expected, *, rtol=1e-6, atol=1e-7, **bindings):
    """Fail when the student's function changed the array ``name`` it was given (seen inside the sandbox), or
    when it did not return ``expected`` for it (a side condition pays only with the right value)."""
    seen = ctx.run(code, label=call, x0=x0, **bindings)
    after, returned = (seen.get("after"), seen.get("returned")) if isinstance(seen, dict) else (seen, None)
    if isinstance(returned, Handle) or returned is None or not close(returned, expected, rtol=rtol, atol=atol):
        got = _kind(returned) if isinstance(returned, Handle) or returned is None else returned
        raise Incorrect(Msg("wrong_value", call=call), Explanation(RIGHT_VALUE_FIRST),
                        NumTable([Row(f"{name} = {x0.tolist()}", expected, got)]))
    if isinstance(after, Handle) or np.shape(after) != x0.shape:
        raise Incorrect(Msg("input_modified", call=call))
    if not np.array_equal(np.asarray(after, dtype=float), x0):
        change = np.asarray(after, dtype=float) - x0
        raise Incorrect(Msg("input_modified", call=call), Explanation(explanation),
                        NumTable([Row(f"{name}: after − before", np.zeros_like(x0), change)]))


@check(title={"ko": "기울기: 수업 예시 (3, 4) → (6, 8)", "en": "Gradient: the lesson's example (3, 4) → (6, 8)"},
       points=1, needs="numerical_gradient",
       hint={"ko": "각 원소를 h만큼 올렸을 때와 내렸을 때 f의 차이를 2h로 나눈 것이 그 원소의 기울기입니다(중앙 차분).",
             "en": "The gradient of one element is the difference of f with the element nudged up and down by h, divided by 2h (a central difference)."})
def gradient_lesson_example(ctx):
    fn, f = function(SPHERE)
    for point, expected in (([3.0, 4.0], [6.0, 8.0]), ([0.0, 2.0], [0.0, 4.0]), ([3.0, 0.0], [6.0, 0.0])):
        x = np.array(point)
        got = ctx.call("numerical_gradient", fn, x.copy(), label="numerical_gradient(f, x)")
        ctx.expect_close(got, expected, label="numerical_gradient(f, x)", inputs={"f": "x0**2 + x1**2", "x": x},
                         args=(f, x), rtol=GRAD_RTOL, atol=GRAD_ATOL, mistakes=GRADIENT_MISTAKES)


@check(points=0.5, title={"ko": "기울기: x를 원래대로 둠", "en": "Gradient: x is left as it was"}, needs="numerical_gradient")
def gradient_leaves_x_unchanged(ctx):
    fn, _ = function(SPHERE)
    modified(ctx, AFTER_GRADIENT, "numerical_gradient(f, x)", np.array([3.0, 4.0]), "x", RESTORE_X, [6.0, 8.0],
             rtol=GRAD_RTOL, atol=GRAD_ATOL, f=fn)


@check(points=0.5, title={"ko": "기울기: 2차원 배열 입력", "en": "Gradient: a 2-D array input"}, needs="numerical_gradient",
       hint={"ko": "2차원 배열에서는 원소의 위치가 (i, j)입니다. 모양이 무엇이든 모든 위치를 방문하는 방법(np.nditer의 multi_index)을 쓰세요.",
             "en": "In a 2-D array a position is (i, j). Visit every position whatever the shape (np.nditer's multi_index does this)."})
def gradient_2d_array(ctx):
    w = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    fn, f = function("lambda x: np.sum(w * x**2)", w=w)
    x = np.array([[1.0, -2.0, 0.5], [3.0, 1.0, -1.5]])
    got = ctx.call("numerical_gradient", fn, x.copy(), label="numerical_gradient(f, x)")
    ctx.expect_close(got, 2 * w * x, label="numerical_gradient(f, x)", inputs={"f": "np.sum(w * x**2)", "x": x},
                     args=(f, x), rtol=GRAD_RTOL, atol=GRAD_ATOL, mistakes=GRADIENT_MISTAKES)
    modified(ctx, AFTER_GRADIENT, "numerical_gradient(f, x)", x, "x", RESTORE_X, 2 * w * x, rtol=GRAD_RTOL,
             atol=GRAD_ATOL, f=fn)


@check(title={"ko": "경사 하강법: 수업 예시 (−3, 4)에서 출발", "en": "Gradient descent: the lesson's example from (−3, 4)"},
       points=1, needs="gradient_descent",
       hint={"ko": "경사 하강법은 step_num번, 지금 위치의 기울기를 구해 그 반대 방향으로 학습률만큼 움직인 뒤 마지막 위치를 반환합니다.",
             "en": "Gradient descent repeats step_num times: compute the gradient at the current point and move against it, scaled by the learning rate; then return the last point."})
def descent_lesson_example(ctx):
    fn, f = function(SPHERE)
    got = ctx.call("gradient_descent", fn, INIT_X.copy(), lr=0.1, step_num=100,
                   label="gradient_descent(f, init_x, lr=0.1, step_num=100)")
    ctx.expect_close(got, [-6.11110793e-10, 8.14814391e-10], label="gradient_descent(f, init_x, lr=0.1)",
                     inputs={"f": "x0**2 + x1**2", "init_x": INIT_X, "lr": 0.1}, args=(f, INIT_X, 0.1, 100),
                     rtol=1e-4, atol=1e-13, mistakes=DESCENT_MISTAKES)
    got = ctx.call("gradient_descent", fn, INIT_X.copy(), label="gradient_descent(f, init_x)")
    ctx.expect_close(got, [-0.39785867, 0.53047822], label="gradient_descent(f, init_x)",
                     inputs={"f": "x0**2 + x1**2", "init_x": INIT_X, "lr (default)": 0.01}, args=(f, INIT_X, 0.01, 100),
                     rtol=1e-6, atol=1e-9, mistakes=DESCENT_MISTAKES)


@check(points=0.5, title={"ko": "경사 하강법: 너무 큰 / 너무 작은 학습률", "en": "Gradient descent: too large / too small a learning rate"},
       needs="gradient_descent")
def descent_learning_rates(ctx):
    fn, f = function(SPHERE)
    label = "gradient_descent(f, init_x, lr=10.0)"
    got = ctx.call("gradient_descent", fn, INIT_X.copy(), lr=10.0, step_num=100, label=label)
    ctx.expect_value(got, label)
    size = np.abs(np.asarray(got, dtype=float))
    ctx.expect(bool(np.all(size > 1e6) or not np.all(np.isfinite(size))),
               Msg("expected_got", expected="|x| > 1e6 (diverges)", got=got))
    got = ctx.call("gradient_descent", fn, INIT_X.copy(), lr=1e-10, step_num=100,
                   label="gradient_descent(f, init_x, lr=1e-10)")
    ctx.expect_close(got, INIT_X * (1 - 2e-10) ** 100, label="gradient_descent(f, init_x, lr=1e-10)",
                     inputs={"f": "x0**2 + x1**2", "init_x": INIT_X, "lr": 1e-10}, args=(f, INIT_X, 1e-10, 100),
                     rtol=1e-10, atol=0.0, mistakes=DESCENT_MISTAKES)


@check(points=0.5, title={"ko": "경사 하강법: init_x를 바꾸지 않음", "en": "Gradient descent: init_x is not changed"},
       needs="gradient_descent",
       hint={"ko": "대입(=)은 배열을 복사하지 않습니다. 제자리에서 바꿀 배열은 init_x의 복사본이어야 합니다.",
             "en": "Assignment (=) does not copy an array: the array you change in place must be a copy of init_x."})
def descent_keeps_init_x(ctx):
    fn, f = function(SPHERE)
    modified(ctx, AFTER_DESCENT, "gradient_descent(f, init_x)", INIT_X.copy(), "init_x", COPY_INIT_X,
             descent_path(f, INIT_X, 0.1, 10), rtol=1e-6, atol=1e-9, f=fn, lr=0.1, step_num=10)
