"""`grade new`: a new exercise's two folders from templates, well-formed but not yet written."""

from __future__ import annotations

import re
from pathlib import Path

from grader.catalog import LOCK_FILE, Catalog
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

META = '''id = "{id}"
slug = "{slug}"
file = "{slug}.py"
points = 2
time_limit = 10
tensorflow = false

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

from grader.checks import check


@check(title={{"ko": "예시", "en": "The worked example"}}, points=1, needs="solve")
def worked_example(ctx):
    got = ctx.call("solve", np.array([1.0, 2.0]), label="solve(x)")
    ctx.expect_close(got, np.array([1.0, 2.0]), label="solve(x)", inputs={{"x": np.array([1.0, 2.0])}})
'''

HIDDEN = '''"""{id} hidden checks: random inputs each run, compared with the reference."""

from grader.checks import check


@check(title={{"ko": "무작위 입력", "en": "Random inputs"}}, points=1, needs="solve")
def random_inputs(ctx):
    cases = [(ctx.rng.random(int(ctx.rng.integers(2, 6))),) for _ in range(5)]
    ctx.expect_cases("solve", cases, ctx.reference.solve, label="solve(x)")
'''


def scaffold(catalog: Catalog, exercise_id: str, slug: str) -> list[Path]:
    """Create exercises/<id>_<slug>/ and solutions/<id>_<slug>/; refuses to overwrite anything."""
    if not re.fullmatch(r"(ex|q)\d{2}", exercise_id):
        raise ValueError(f"id must look like ex16, not {exercise_id!r}")
    if not re.fullmatch(r"[a-z0-9_]+", slug):
        raise ValueError(f"slug must be lowercase letters, digits and _, not {slug!r}")
    if any(e.id == exercise_id for e in catalog.items):
        raise ValueError(f"{exercise_id} exists already")
    name = f"{exercise_id}_{slug}"
    values = {"id": exercise_id, "slug": slug, "reference_placeholder": REFERENCE_PLACEHOLDER}
    files = {
        catalog.exercises_dir / name / "exercise.toml": META,
        catalog.exercises_dir / name / "statement.ko.md": STATEMENT["ko"],
        catalog.exercises_dir / name / "statement.en.md": STATEMENT["en"],
        catalog.exercises_dir / name / f"{slug}.py": STUB,
        catalog.exercises_dir / name / LOCK_FILE: None,  # the stub's fingerprints, written from the stub below
        catalog.exercises_dir / name / "checks.py": CHECKS,
        catalog.solutions_dir / name / f"{slug}.py": REFERENCE,
        catalog.solutions_dir / name / "hidden_checks.py": HIDDEN,
    }
    for path in files:
        if path.exists():
            raise ValueError(f"{path} exists already")
    stub = STUB.format(**values)
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = template.format(**values) if template is not None else lock_text(f"{slug}.py", fingerprints(stub))
        path.write_text(text, encoding="utf-8")
    return list(files)
