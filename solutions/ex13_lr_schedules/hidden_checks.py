"""ex13 hidden checks: random schedules, fresh every run. Cosine decay is compared with the closed form of Keras'
CosineDecay (public.keras_cosine_decay, checked against Keras itself once in tests/test_schedules.py): grading a
numpy exercise never starts TensorFlow."""

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)

@check(title={"ko": "계단식·지수 감쇠: 무작위 값", "en": "Step and exponential decay: random values"}, points=4,
       needs=("step_decay", "exponential_decay"))
def step_exponential_random(ctx):
    rng = ctx.rng
    cases = []
    for i in range(8):
        epochs_drop = int(rng.integers(2, 20))
        # some epochs sit exactly on a drop or just before one, where floor and off-by-one errors show
        on_drop = epochs_drop * int(rng.integers(1, 6))
        epoch = (on_drop, on_drop - 1, int(rng.integers(0, 100)))[i % 3]
        cases.append((float(rng.uniform(0.001, 1.0)), float(rng.uniform(0.1, 0.9)), epochs_drop, epoch))
    ctx.expect_cases("step_decay", cases, ctx.reference.step_decay, label="step_decay(lr0, drop, epochs_drop, epoch)",
                     rtol=public.RTOL, atol=public.ATOL, mistakes=public.STEP_MISTAKES)
    cases = [(float(rng.uniform(0.001, 1.0)), float(rng.uniform(0.001, 0.5)), int(rng.integers(0, 50)))
             for _ in range(6)]
    ctx.expect_cases("exponential_decay", cases, ctx.reference.exponential_decay, label="exponential_decay(lr0, k, t)",
                     rtol=public.RTOL, atol=public.ATOL, mistakes=public.EXP_MISTAKES)


@check(title={"ko": "코사인 감쇠: Keras CosineDecay와 비교", "en": "Cosine decay: compared with Keras' CosineDecay"},
       points=3, needs="cosine_decay")
def cosine_keras(ctx):
    rng = ctx.rng
    cases = []
    for i in range(8):
        total = int(rng.integers(10, 5000))
        t = int(rng.integers(total + 1, 2 * total)) if i in (3, 7) else int(rng.integers(0, total + 1))
        alpha = 0.0 if i < 3 else float(rng.uniform(0.01, 0.5))
        cases.append((float(rng.uniform(0.001, 1.0)), t, total, alpha))
    ctx.expect_cases("cosine_decay", cases, public.keras_cosine_decay,
                     label="cosine_decay(lr0, t, total_steps, alpha)", rtol=1e-5, atol=1e-7,
                     mistakes=public.COSINE_MISTAKES)
