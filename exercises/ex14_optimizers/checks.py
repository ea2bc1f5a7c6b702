"""ex14 public checks: the lesson's paths on f(x, y) = x²/20 + y² from (-7, 2), and each class's defaults.

The optimizer runs in the sandbox (a trusted loop calls the student's update() with gradients of f);
the paths come back and are compared here with the reference's, written out below.
"""

import numpy as np

from grader.checks import Explanation, Incorrect, check
from grader.feedback import Series
from grader.i18n import Msg, tr

START = (-7.0, 2.0)
STEPS = 30
DEFAULT_STEPS = 8
LESSON = {"SGD": {"lr": 0.95}, "Momentum": {"lr": 0.1}, "AdaGrad": {"lr": 1.5}, "RMSprop": {"lr": 0.1},
          "Adam": {"lr": 0.3}}
# Adam's epsilon may sit inside or outside the square root, with the bias-corrected lr_t or with m̂ and v̂.
# These paths differ by up to about 5e-4 (lr_t with sqrt(v + 1e-7) the most), so Adam gets an absolute tolerance.
TOLERANCE = {"Adam": {"rtol": 1e-4, "atol": 1.5e-3}}
DEFAULT_TOLERANCE = {"rtol": 1e-5, "atol": 1e-8}

# The trusted loop run in the sandbox: gradients of f(x, y) = x²/20 + y², the student's update().
TRAJECTORY = """
params = {"x": np.array([float(start[0])]), "y": np.array([float(start[1])])}
original = dict(params)
inplace = True
path = [[float(start[0]), float(start[1])]]
for _ in range(steps):
    grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}
    optimizer.update(params, grads)
    if params["x"] is not original["x"] or params["y"] is not original["y"]:
        inplace = False
    path.append([float(np.ravel(params["x"])[0]), float(np.ravel(params["y"])[0])])
result = {"path": path, "inplace": inplace}
"""

# fmt: off
# Paths of the reference solution (solutions/ex14_optimizers), 12 significant digits.
LESSON_PATHS = {
    "SGD": np.array([
    (-7.0, 2.0), (-6.335, -1.8), (-5.733175, 1.62), (-5.188523375, -1.458), (-4.69561365438, 1.3122),
    (-4.24953035721, -1.18098), (-3.84582497327, 1.062882), (-3.48047160081, -0.9565938),
    (-3.14982679874, 0.86093442), (-2.85059325286, -0.774840978), (-2.57978689383, 0.6973568802),
    (-2.33470713892, -0.62762119218), (-2.11290996072, 0.564859072962), (-1.91218351445, -0.508373165666),
    (-1.73052608058, 0.457535849099), (-1.56612610293, -0.411782264189), (-1.41734412315, 0.37060403777),
    (-1.28269643145, -0.333543633993), (-1.16084027046, 0.300189270594), (-1.05056044477, -0.270170343535),
    (-0.950757202515, 0.243153309181), (-0.860435268276, -0.218837978263), (-0.77869391779, 0.196954180437),
    (-0.7047179956, -0.177258762393), (-0.637769786018, 0.159532886154), (-0.577181656346, -0.143579597538),
    (-0.522349398993, 0.129221637785), (-0.472726206089, -0.116299474006), (-0.42781721651, 0.104669526605),
    (-0.387174580942, -0.0942025739449), (-0.350392995752, 0.0847823165504),
    ]),
    "Momentum": np.array([
    (-7.0, 2.0), (-6.93, 1.6), (-6.7977, 0.92), (-6.610653, 0.124), (-6.37620417, -0.6172),
    (-6.1014381813, -1.16084), (-5.79313440966, -1.417948), (-5.45772967108, -1.3657556),
    (-5.10128810965, -1.04563132), (-4.72947782327, -0.548393204), (-4.34755378729, 0.0087997412),
    (-3.96034661704, 0.50851344364), (-3.57225669765, 0.856553087108), (-3.18725320321, 0.998478148808),
    (-2.80887752619, 0.926515074576), (-2.44025064161, 0.676445292852), (-2.08408393907, 0.31609343073),
    (-1.74269306739, -0.0714419313256), (-1.41801435221, -0.405935370911), (-1.11162336502, -0.625792392355),
    (-0.824755242901, -0.698505233184), (-0.558326380566, -0.624245743293), (-0.312957140658, -0.432563053733),
    (-0.0889952533349, -0.173536022382), (0.11346039779, 0.0942955103101), (0.294535879824, 0.316484787671),
    (0.454558454856, 0.453158179762), (0.594033187837, 0.485532596691), (0.713620115641, 0.417563052589),
    (0.814112149508, 0.27287785238), (0.896413858494, 0.0880856017151),
    ]),
    "AdaGrad": np.array([
    (-7.0, 2.0), (-5.50000021429, 0.5000000375), (-4.57326796816, 0.136196583089),
    (-3.88784233897, 0.0373145704965), (-3.34468870354, 0.0102277074716), (-2.89856197671, 0.00280344627105),
    (-2.52417716664, 0.000768435171888), (-2.20558731823, 0.000210631010702), (-1.93188199015, 5.77347639757e-05),
    (-1.69514705957, 1.58253191858e-05), (-1.48938552938, 4.33778039617e-06), (-1.30989879983, 1.18900216448e-06),
    (-1.1529090584, 3.25910031865e-07), (-1.01531687454, 8.93331837766e-08), (-0.894538852929, 2.448656667e-08),
    (-0.788394852748, 6.71186139275e-09), (-0.695027067035, 1.83974682783e-09),
    (-0.612840257046, 5.0428162807e-10), (-0.540456445719, 1.38225519165e-10),
    (-0.476679758654, 3.78881424284e-11), (-0.420468564804, 1.03852844638e-11),
    (-0.370912992406, 2.84664611355e-12), (-0.327216491847, 7.80276565754e-13),
    (-0.288680509955, 2.13876785094e-13), (-0.254691603844, 5.86244431907e-14),
    (-0.224710502309, 1.6069183656e-14), (-0.198262747507, 4.40462457833e-15),
    (-0.174930637546, 1.20732440997e-15), (-0.154346253476, 3.30932229291e-16),
    (-0.136185399907, 9.07097872615e-17), (-0.120162322314, 2.48638989398e-17),
    ]),
    "RMSprop": np.array([
    (-7.0, 2.0), (-6.00000142857, 1.00000025), (-5.34732671618, 0.550987006118), (-4.84263511955, 0.309687583565),
    (-4.42520934926, 0.174628568059), (-4.06724666321, 0.0983102112478), (-3.75330080295, 0.0551692089929),
    (-3.4737383032, 0.0308448031127), (-3.22206554494, 0.0171779248605), (-2.99365268962, 0.00952851876174),
    (-2.78505498946, 0.00526408998097), (-2.59362186833, 0.00289631754034), (-2.41725749681, 0.00158700037534),
    (-2.25426681635, 0.000865962620341), (-2.10325250062, 0.000470539106957), (-1.96304369014, 0.000254594948381),
    (-1.83264531238, 0.000137165257369), (-1.71120117471, 7.35802596641e-05), (-1.59796653055, 3.92991986321e-05),
    (-1.49228731922, 2.08974524611e-05), (-1.3935842071, 1.10629795275e-05), (-1.30134014718, 5.83044317361e-06),
    (-1.21509055964, 3.0588842595e-06), (-1.13441549335, 1.597487989e-06), (-1.05893330435, 8.30435729264e-07),
    (-0.988295509417, 4.29683653382e-07), (-0.922182559616, 2.2128208238e-07),
    (-0.860300340944, 1.13417017652e-07), (-0.80237725451, 5.78528025351e-08),
    (-0.748161762307, 2.93673078998e-08), (-0.697420309681, 1.48346215083e-08),
    ]),
    "Adam": np.array([
    (-7.0, 2.0), (-6.70000135526, 1.70000023717), (-6.40041662404, 1.4022457409), (-6.10154900698, 1.10891203943),
    (-5.80372228221, 0.822851537884), (-5.50728128367, 0.547713702209), (-5.21259214632, 0.287989057316),
    (-4.92004235525, 0.0488851907961), (-4.63004057015, -0.164060167292), (-4.34301618437, -0.345650362844),
    (-4.0594185726, -0.491846287476), (-3.77971597761, -0.600440142481), (-3.50439398586, -0.67131981499),
    (-3.23395354252, -0.70627064644), (-2.96890846038, -0.708486112373), (-2.7097823845, -0.682025040874),
    (-2.45710518568, -0.631374015066), (-2.21140877124, -0.561162493305), (-1.97322232157, -0.47600742956),
    (-1.74306698501, -0.380439888865), (-1.52145009063, -0.278868002259), (-1.30885896851, -0.17554151133),
    (-1.10575449632, -0.0744956302968), (-0.912564519377, 0.0205354881353), (-0.729677314551, 0.106232703742),
    (-0.557435285501, 0.179818572334), (-0.396129083991, 0.239174240394), (-0.245992349347, 0.282923176496),
    (-0.10719724369, 0.310465325472), (0.0201490647175, 0.321957221871), (0.136006852395, 0.318245375537),
    ]),
}

DEFAULT_PATHS = {
    "SGD": np.array([
    (-7.0, 2.0), (-6.993, 1.96), (-6.986007, 1.9208), (-6.979020993, 1.882384), (-6.97204197201, 1.84473632),
    (-6.96506993003, 1.8078415936), (-6.9581048601, 1.77168476173), (-6.95114675524, 1.73625106649),
    (-6.94419560849, 1.70152604516),
    ]),
    "Momentum": np.array([
    (-7.0, 2.0), (-6.993, 1.96), (-6.979707, 1.8848), (-6.960763593, 1.779424), (-6.93675376311, 1.64899712),
    (-6.90820816244, 1.4986329856), (-6.87560891368, 1.33333260493), (-6.83939398088, 1.15789561022),
    (-6.79996114738, 0.976844402787),
    ]),
    "AdaGrad": np.array([
    (-7.0, 2.0), (-6.99000000143, 1.99000000025), (-6.98293399051, 1.98294667669), (-6.97716713433, 1.97719651128),
    (-6.97217455028, 1.9722225672), (-6.96771028223, 1.9677780926), (-6.96363596407, 1.963724332),
    (-6.95986469379, 1.9599741644), (-6.95633769036, 1.95646867342),
    ]),
    "RMSprop": np.array([
    (-7.0, 2.0), (-6.90000014286, 1.900000025), (-6.82962135685, 1.83094336248), (-6.77226860346, 1.77534948608),
    (-6.72264504543, 1.72771386304), (-6.67827669877, 1.68548163286), (-6.63777502502, 1.64722424653),
    (-6.60026956619, 1.61204841306), (-6.56517247729, 1.5793519505),
    ]),
    "Adam": np.array([
    (-7.0, 2.0), (-6.99900000452, 1.99900000079), (-6.99800001144, 1.99800001442), (-6.99700002398, 1.9970000497),
    (-6.99600004483, 1.99600011532), (-6.99500007656, 1.99500021988), (-6.99400012163, 1.9940003719),
    (-6.99300018249, 1.99300057979), (-6.99200026152, 1.99200085186),
    ]),
}

# The first points of common wrong versions on the lesson's settings.
MOMENTUM_RESET = [(-7.0, 2.0), (-6.93, 1.6), (-6.8607, 1.28), (-6.792093, 1.024)]
ADAGRAD_NO_SQRT = [(-7.0, 2.0), (-4.85714329446, 1.62500000234), (-3.85348863584, 1.44147059122)]
ADAGRAD_NO_SUM = [(-7.0, 2.0), (-5.50000021429, 0.5000000375), (-4.00000048701, -0.9999998125)]
RMSPROP_SWAPPED = [(-7.0, 2.0), (-6.8994962329, 1.899496221), (-6.79950577223, 1.79954495541)]
ADAM_NO_BIAS = [(-7.0, 2.0), (-6.05132098764, 1.05131745195), (-4.78462114217, -0.146325702493)]
# fmt: on


def f(point):
    return point[0] ** 2 / 20.0 + point[1] ** 2


def starts_like(points):
    points = np.asarray(points)
    return lambda got: len(got) >= len(points) and np.allclose(got[: len(points)], points, rtol=1e-6, atol=1e-9)


UPHILL = {
    "ko": "첫 스텝부터 f가 커졌습니다(언덕을 올라감). 기울기의 반대 방향으로 가야 하니, 기울기에 학습률을 곱한 값을 "
          "빼세요(Momentum은 그 값을 속도 v에 더한 뒤 v만큼 움직입니다).",
    "en": "f grew on the very first step (you went uphill). Step against the gradient: subtract the gradient times "
          "the learning rate (Momentum adds that to the velocity v, then moves by v).",
}
NOT_MOVING = {
    "ko": "update() 뒤에도 매개변수가 그대로입니다. update()는 값을 반환하지 않고 params 딕셔너리의 배열을 "
          "직접 바꿔야 합니다 (params[key] -= ...).",
    "en": "The parameters did not change after update(). update() returns nothing: it changes the arrays in the "
          "params dict itself (params[key] -= ...).",
}
NOT_IN_PLACE = {
    "ko": "params[key] = params[key] - ... 처럼 새 배열을 만들어 딕셔너리에 다시 넣었습니다. 신경망의 층은 원래 배열을 "
          "참조하고 있어서 새 배열로 바꾸면 학습이 반영되지 않습니다. params[key] -= ... 처럼 제자리(in-place)에서 바꾸세요.",
    "en": "You built a new array and put it back in the dict (params[key] = params[key] - ...). A network's layers "
          "hold the original arrays, so they would never see the update. Change them in place: params[key] -= ....",
}
NOT_FINITE = {
    "ko": "경로에 nan이나 inf가 나왔습니다. 0으로 나누지 않았나요? AdaGrad·RMSprop은 분모에 1e-7을 더하고, "
          "Adam은 1 − β₁ᵗ 가 0이 되지 않도록 t(self.iter)를 먼저 1 늘린 뒤 계산합니다.",
    "en": "The path holds nan or inf. Did you divide by zero? AdaGrad and RMSprop add 1e-7 to the denominator; "
          "Adam increases t (self.iter) first, so that 1 − β₁ᵗ is never 0.",
}

MISTAKES = {
    "Momentum": [(starts_like(MOMENTUM_RESET), {
        "ko": "경로가 lr=0.1인 SGD와 같습니다: 속도 v가 매번 0으로 초기화되고 있습니다. v는 처음 한 번만 "
              "만들고(if self.v is None:) 이후에는 v = momentum·v − lr·grad로 이어서 갱신하세요.",
        "en": "The path is SGD's with lr=0.1: the velocity v is reset to zero on every call. Create v once "
              "(if self.v is None:) and afterwards keep updating it: v = momentum·v − lr·grad.",
    })],
    "AdaGrad": [
        (starts_like(ADAGRAD_NO_SQRT), {
            "ko": "h의 제곱근을 빠뜨렸습니다: lr * grad / (np.sqrt(h) + 1e-7)입니다.",
            "en": "The square root of h is missing: lr * grad / (np.sqrt(h) + 1e-7).",
        }),
        (starts_like(ADAGRAD_NO_SUM), {
            "ko": "h가 누적되지 않습니다(h = grad²). AdaGrad는 지금까지의 기울기 제곱을 모두 더합니다: h += grad * grad.",
            "en": "h does not accumulate (h = grad²). AdaGrad sums every squared gradient so far: h += grad * grad.",
        }),
    ],
    "RMSprop": [(starts_like(RMSPROP_SWAPPED), {
        "ko": "decay_rate와 1 − decay_rate가 뒤바뀌었습니다: h = decay_rate·h + (1 − decay_rate)·grad²입니다. "
              "옛 기울기는 조금씩 잊고(decay_rate를 곱함) 새 기울기는 조금만 반영합니다.",
        "en": "decay_rate and 1 − decay_rate are swapped: h = decay_rate·h + (1 − decay_rate)·grad². Old gradients "
              "fade slowly (multiplied by decay_rate) and a new one adds only a little.",
    })],
    "Adam": [(starts_like(ADAM_NO_BIAS), {
        "ko": "편향 보정이 빠졌습니다. 처음에는 m, v가 0에 가까우므로 lr_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)를 쓰거나 "
              "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)로 보정하세요 (t는 1부터).",
        "en": "The bias correction is missing. m and v start near 0, so use lr_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), or "
              "m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ) (t counts from 1).",
    })],
}


def call_text(name, kwargs):
    return f"{name}({', '.join(f'{k}={v:.4g}' for k, v in kwargs.items())})"


def run_path(ctx, name, kwargs, start, steps):
    """Build the student's optimizer and run it on f in the sandbox; returns (path array, in-place flag)."""
    label = call_text(name, kwargs)
    optimizer = ctx.call(name, label=label, **kwargs)
    got = ctx.run(TRAJECTORY, label=f"{label}.update(params, grads)", optimizer=optimizer,
                  start=[float(start[0]), float(start[1])], steps=int(steps))
    return np.asarray(got["path"], dtype=float), bool(got["inplace"])


def path_series(ctx, title, got, expected=None):
    """Both paths side by side, x and y (the student's only when ``expected`` is None)."""
    yours = tr(Msg("yours"), ctx.lang)
    lines = {}
    for axis, column in (("x", 0), ("y", 1)):
        if expected is not None:
            lines[f"{axis} {tr(Msg('expected'), ctx.lang)}"] = [float(v) for v in expected[:, column]]
        lines[f"{axis} {yours}"] = [float(v) for v in got[:, column]]
    return Series(title, lines)


def diagnose(got, inplace, mistakes=()):
    """Explanations for a wrong path, the most specific first."""
    if not np.all(np.isfinite(got)):
        return [Explanation(NOT_FINITE)]
    if np.allclose(got, got[0]):
        return [Explanation(NOT_MOVING)]
    if f(got[1]) > f(got[0]):
        return [Explanation(UPHILL)]
    for when, text in mistakes:
        if when(got):
            return [Explanation(text)]
    if not inplace:
        return [Explanation(NOT_IN_PLACE)]
    return []


def first_difference(got, expected, tolerance):
    ok = np.isclose(got, expected, **tolerance).all(axis=1)
    return int(np.argmin(ok))


def expect_path(ctx, name, kwargs, start, steps, expected, *, mistakes=(), note=False):
    """Compare the student's path with ``expected``; a failure shows both paths (hidden checks: yours only)."""
    got, inplace = run_path(ctx, name, kwargs, start, steps)
    label = call_text(name, kwargs)
    title = {"ko": f"{label}의 경로 ({steps}스텝)", "en": f"Path of {label} ({steps} steps)"}
    tolerance = TOLERANCE.get(name, DEFAULT_TOLERANCE)
    if got.shape != expected.shape:
        raise Incorrect(Msg("wrong_shape", call=label, got=got.shape, expected=expected.shape))
    if np.allclose(got, expected, **tolerance):
        if not inplace:
            raise Incorrect({"ko": f"{label}: 경로는 맞지만 params의 배열을 제자리에서 바꾸지 않았습니다.",
                             "en": f"{label}: the path is right, but the arrays of params were not changed in place."},
                            Explanation(NOT_IN_PLACE))
        if note:
            ctx.notes.append(path_series(ctx, title, got))
        return got
    step = first_difference(got, expected, tolerance)
    details = diagnose(got, inplace, mistakes)
    if ctx.hidden:
        message = {"ko": f"숨겨진 시작점과 학습률에서 {name}의 경로가 {step}번째 스텝부터 다릅니다.",
                   "en": f"On a hidden start point and learning rate, the path of {name} differs from step {step} on."}
        raise Incorrect(message, *details, path_series(ctx, title, got))
    message = {"ko": f"{label}의 경로가 {step}번째 스텝부터 기댓값과 다릅니다 (시작점 {start}).",
               "en": f"The path of {label} differs from the expected one from step {step} on (start {start})."}
    raise Incorrect(message, *details, path_series(ctx, title, got, expected))


def lesson_and_defaults(ctx, name):
    expect_path(ctx, name, LESSON[name], START, STEPS, LESSON_PATHS[name], mistakes=MISTAKES.get(name, ()),
                note=True)
    expect_path(ctx, name, {}, START, DEFAULT_STEPS, DEFAULT_PATHS[name], mistakes=MISTAKES.get(name, ()))


@check(title={"ko": "SGD: 수업의 경로 (lr=0.95), 기본 lr=0.01", "en": "SGD: the lesson's path (lr=0.95), default lr=0.01"},
       points=0.75, needs="SGD.update")
def sgd_path(ctx):
    lesson_and_defaults(ctx, "SGD")


@check(title={"ko": "Momentum: 수업의 경로 (lr=0.1), 기본값", "en": "Momentum: the lesson's path (lr=0.1), defaults"},
       points=0.75, needs="Momentum.update",
       hint={"ko": "속도 v는 첫 update 때 한 번만 0으로 만들고, 그 뒤로는 이전 속도에 momentum을 곱한 값에서 기울기 쪽으로 새로 더해 갑니다.",
             "en": "Create the velocity v as zeros once, on the first update; after that each update keeps momentum times the old velocity and adds the step against the gradient."})
def momentum_path(ctx):
    lesson_and_defaults(ctx, "Momentum")


@check(title={"ko": "AdaGrad: 수업의 경로 (lr=1.5), 기본 lr=0.01", "en": "AdaGrad: the lesson's path (lr=1.5), default lr=0.01"},
       points=0.75, needs="AdaGrad.update")
def adagrad_path(ctx):
    lesson_and_defaults(ctx, "AdaGrad")


@check(title={"ko": "RMSprop: lr=0.1의 경로, 기본값", "en": "RMSprop: the path with lr=0.1, defaults"},
       points=0.75, needs="RMSprop.update")
def rmsprop_path(ctx):
    lesson_and_defaults(ctx, "RMSprop")


@check(title={"ko": "Adam: 수업의 경로 (lr=0.3), 기본값", "en": "Adam: the lesson's path (lr=0.3), defaults"},
       points=1, needs="Adam.update",
       hint={"ko": "Adam은 단계 수 t를 먼저 1 늘리고, 기울기의 이동 평균(m)과 제곱의 이동 평균(v)을 갱신한 뒤, 편향을 보정한 학습률로 m/√v 방향으로 움직입니다.",
             "en": "Adam first increases the step count t, updates the moving averages of the gradient (m) and of its square (v), then moves along m/√v with a bias-corrected learning rate."})
def adam_path(ctx):
    lesson_and_defaults(ctx, "Adam")
