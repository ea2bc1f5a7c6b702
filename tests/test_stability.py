"""One verdict per file: every reference and sample (the lessons' answers included) keeps one score over ten seeds,
and `grade validate --seeds N` says so, or names the file whose score depends on the seed."""

from __future__ import annotations

import shutil

import pytest
from concurrent.futures import ThreadPoolExecutor

from grader.catalog import Catalog
from grader.instructor.validate import validate_stability
from tests.conftest import ROOT, run_grade

CATALOG = Catalog(ROOT)
SEEDS = 10


def test_every_reference_and_sample_keeps_one_score_over_ten_seeds():
    # in one process: the warm workers are shared, and a file is graded again at the other seeds only when a check
    # of its first grading depended on the seed (grader.instructor.validate.scores_by_seed)
    from grader.batch import preload

    preload(CATALOG)
    exercises = [e for e in CATALOG.items if e.kind == "exercise"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = [f for fs in pool.map(lambda e: validate_stability(CATALOG, e, SEEDS), exercises) for f in fs]
    assert len(found) >= len(exercises) * 5  # the references and every sample were graded
    unstable = [f"{f.exercise} {f.what}: {f.detail}" for f in found if not f.ok]
    assert not unstable, "\n".join(unstable)


def _course_with(tmp_path, name: str, sample: str, text: str):
    course = tmp_path / "course"
    for top in ("exercises", "solutions", "tests/submissions"):
        shutil.copytree(ROOT / top / name, course / top / name, ignore=shutil.ignore_patterns("__pycache__"))
    (course / "tests" / "submissions" / name / sample).write_text(text, encoding="utf-8")
    return course


def test_validate_seeds_names_a_file_whose_score_depends_on_the_seed(tmp_path):
    # wrong only on odd-sized hidden rows: right at some seeds, wrong at others. The honest samples beside it keep
    # one score and are reported as such.
    borderline = (
        "# patch: reference\n# expect-fail: cee_random\nimport numpy as np\n\n\n"
        "def cross_entropy_error(y, t):\n"
        "    batch = y.shape[0] if y.ndim == 2 else 1\n"
        "    value = -np.sum(t * np.log(y + 1e-7)) / batch\n"
        "    return value * 1.5 if y.size in (33, 35, 39, 45, 49, 55, 63) else value\n"
    )
    course = _course_with(tmp_path, "ex05_losses", "wrong_borderline.py", borderline)
    proc = run_grade("validate", "ex05", "--seeds", "10", "--lang", "en", env={"GRADE_ROOT": str(course), "COLUMNS": "250"},
                     timeout=600)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1
    flagged = [line for line in lines if "the score depends on the seed" in line]
    assert len(flagged) == 1 and "wrong_borderline.py: 10 seeds" in flagged[0], proc.stdout[-3000:]
    assert any("correct_lesson_losses.py: 10 seeds" in line and "✓" in line for line in lines)
    assert any("reference: 10 seeds" in line and "✓" in line for line in lines)
