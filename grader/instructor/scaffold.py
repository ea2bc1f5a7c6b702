"""`grade new`: a new exercise's three folders, or a new quiz's two, from templates: well-formed, not yet written.

``grade new ex16 --slug dropout`` writes ``exercises/ex16_dropout/`` (exercise.toml, statements, stub, its
stub.lock, public checks), ``solutions/ex16_dropout/`` (reference, hidden checks) and
``tests/submissions/ex16_dropout/`` (a commented correct and a commented wrong sample, both written as
"the reference plus a patch"). ``grade new q04 --slug review`` writes a quiz: ``exercises/q04_review/``
(exercise.toml, questions.toml, answers.toml) and ``solutions/q04_review/key.toml``. Everything the
instructor must replace is a placeholder that `grade validate` reports until it is gone.
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.catalog import LOCK_FILE, Catalog
from grader.quiz import load_quiz
from grader.quiz.answers import answers_template
from grader.source import fingerprints, lock_text

#: The scaffold's text that an instructor must replace; `grade validate` reports any of it left in an exercise.
PLACEHOLDERS = (
    "(write the title)",
    "(제목을 쓰세요)",
    "Write the first hint.",
    "Write the second hint.",
    "첫 번째 힌트를 쓰세요.",
    "두 번째 힌트를 쓰세요.",
    "TODO",
)
REFERENCE_PLACEHOLDER = 'raise NotImplementedError("write the reference solution")'

META_HEAD = '''# Every key is described in docs/checks.md, "exercise.toml keys" (grader/catalog.py KEYS); unknown keys are refused.
'''

META_TAIL = '''
[title]
ko = "{slug} (제목을 쓰세요)"
en = "{slug} (write the title)"

[topic]
ko = "{slug}"
en = "{slug}"

[[hints]]
ko = "첫 번째 힌트를 쓰세요."
en = "Write the first hint."

[[hints]]
ko = "두 번째 힌트를 쓰세요."
en = "Write the second hint."
'''

META = META_HEAD + '''file = "{slug}.py"
points = 2  # = the sum of the checks' points (public and hidden); grade validate compares them
time_limit = 10
tensorflow = false
''' + META_TAIL

QUIZ_META = META_HEAD + '''kind = "quiz"
points = 2  # = the sum of the questions' points; grade validate compares them
explain_after_tries = true

[retry_factor]  # what each wrong try multiplies a question's points by
single = 0.0
multiple = 0.0
numeric = 0.5
text = 0.5
''' + META_TAIL

QUESTIONS = '''# {id}: the questions. kind: single | multiple | numeric | text. Each has a key in solutions/{name}/key.toml.
# Keys of a question: id, kind, title, prompt, hint, choices, points, tries, abs_tol, rel_tol, integer.

[[questions]]
id = "first_question"
kind = "single"
title = {{ ko = "TODO 첫 번째 문제의 제목", en = "TODO the first question's title" }}
hint = {{ ko = "TODO 힌트", en = "TODO a hint" }}
prompt.ko = "TODO 질문을 쓰세요."
prompt.en = "TODO write the question."
choices = [
    {{ id = "a", ko = "TODO 보기 a", en = "TODO choice a" }},
    {{ id = "b", ko = "TODO 보기 b", en = "TODO choice b" }},
]

[[questions]]
id = "second_question"
kind = "numeric"
integer = true
title = {{ ko = "TODO 두 번째 문제의 제목", en = "TODO the second question's title" }}
prompt.ko = "TODO 답이 정수인 질문을 쓰세요."
prompt.en = "TODO write a question whose answer is an integer."
'''

KEY = '''# Answer key of {name} (stays in solutions/; `grade release` ships it hashed).

[first_question]
answer = "a"
explanation.ko = "TODO 해설"
explanation.en = "TODO the explanation"

[second_question]
answer = 42
explanation.ko = "TODO 해설"
explanation.en = "TODO the explanation"
'''

STATEMENT = {
    "ko": "# {id} {slug}\n\nTODO: 무엇을 만드는지, 함수의 인터페이스, 숫자가 있는 예시, 채점 방법을 쓰세요.\n",
    "en": "# {id} {slug}\n\nTODO: what to build, the function's interface, a worked example with numbers, how it is graded.\n",
}

STUB = '''"""{id} — {slug}. Fill in the place marked # [[YOUR CODE]]."""

import numpy as np


def solve(x):
    """TODO: describe what solve returns."""
    # [[YOUR CODE]]
    pass
'''

REFERENCE = '''"""{id} — reference solution."""

import numpy as np


def solve(x):
    {reference_placeholder}
'''

CHECKS = '''"""{id} public checks."""

import numpy as np

from grader.checks import Mistake, check

X = np.array([1.0, 2.0])

# A common mistake: what the mistaken code returns for the same arguments (compute), and why it is wrong.
DOUBLED = Mistake({{"ko": "TODO 흔한 실수의 설명", "en": "TODO explain the common mistake"}}, compute=lambda x: 2 * x)


@check(title={{"ko": "예시", "en": "The worked example"}}, points=1, needs="solve")
def worked_example(ctx):
    ctx.expect_call("solve", X, close=np.array([1.0, 2.0]), mistakes=[DOUBLED])  # label: solve(x), from the stub
'''

HIDDEN = '''"""{id} hidden checks: random inputs each run, compared with the reference."""

from grader.catalog import public_checks_of
from grader.checks import check

public = public_checks_of(__file__)


@check(title={{"ko": "무작위 입력", "en": "Random inputs"}}, points=1, needs="solve")
def random_inputs(ctx):
    cases = [(ctx.rng.random(int(ctx.rng.integers(2, 6))),) for _ in range(5)]
    ctx.expect_cases("solve", cases, ctx.reference.solve, mistakes=[public.DOUBLED])
'''

SAMPLE_CORRECT = '''# patch: reference
# TODO: a correct solution written another way than the reference (loops, another formula), to show that the checks
# accept it. "# patch: reference" means: the reference with the definitions below swapped in. Delete that line to
# write a whole file instead, as a student would. Every correct_* sample must score full marks.
import numpy as np


def solve(x):
    return np.array([float(v) for v in x])
'''

SAMPLE_WRONG = '''# patch: reference
# expect-fail: worked_example, random_inputs
# expect-message: returned a wrong value
# TODO: one common mistake per wrong_* sample (at least three): "expect-fail" names the checks it must fail,
# "expect-message" a few words the failure must show (in English). Only the definitions below replace the
# reference's, so a change to the reference need not be repeated here.
import numpy as np


def solve(x):
    return 2 * np.asarray(x)
'''


def scaffold(catalog: Catalog, exercise_id: str, slug: str) -> list[Path]:
    """Create the folders of a new exercise (``exNN``) or quiz (``qNN``); refuses to overwrite anything."""
    if not re.fullmatch(r"(ex|q)\d{2}", exercise_id):
        raise ValueError(f"id must look like ex16 (an exercise) or q04 (a quiz), not {exercise_id!r}")
    if not re.fullmatch(r"[a-z0-9_]+", slug):
        raise ValueError(f"slug must be lowercase letters, digits and _, not {slug!r}")
    if any(e.id == exercise_id for e in catalog.items):
        raise ValueError(f"{exercise_id} exists already")
    name = f"{exercise_id}_{slug}"
    values = {"id": exercise_id, "slug": slug, "name": name, "reference_placeholder": REFERENCE_PLACEHOLDER}
    exercise, solution = catalog.exercises_dir / name, catalog.solutions_dir / name
    if exercise_id.startswith("q"):
        files: dict[Path, str | None] = {
            exercise / "exercise.toml": QUIZ_META,
            exercise / "questions.toml": QUESTIONS,
            solution / "key.toml": KEY,
        }
    else:
        samples = catalog.root / "tests" / "submissions" / name
        files = {
            exercise / "exercise.toml": META,
            exercise / "statement.ko.md": STATEMENT["ko"],
            exercise / "statement.en.md": STATEMENT["en"],
            exercise / f"{slug}.py": STUB,
            exercise / LOCK_FILE: None,  # the stub's fingerprints, written from the stub below
            exercise / "checks.py": CHECKS,
            solution / f"{slug}.py": REFERENCE,
            solution / "hidden_checks.py": HIDDEN,
            samples / "correct_example.py": SAMPLE_CORRECT,
            samples / "wrong_example.py": SAMPLE_WRONG,
        }
    for path in files:
        if path.exists():
            raise ValueError(f"{path} exists already")
    stub = STUB.format(**values)
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = template.format(**values) if template is not None else lock_text(f"{slug}.py", fingerprints(stub))
        path.write_text(text, encoding="utf-8")
    if exercise_id.startswith("q"):
        files[exercise / "answers.toml"] = None
        (exercise / "answers.toml").write_text(_answers(catalog, name), encoding="utf-8")
    return list(files)


def _answers(catalog: Catalog, name: str) -> str:
    """The new quiz's answers file, as `grade q04` and the release write it."""
    fresh = Catalog(catalog.root)
    return answers_template(load_quiz(next(e for e in fresh.items if e.name == name)))
