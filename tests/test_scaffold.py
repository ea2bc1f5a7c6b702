"""`grade new` scaffolds an exercise that `grade validate` reads as well-formed but not yet written."""

from __future__ import annotations

import shutil

from grader.catalog import Catalog
from grader.validate import check_metadata, check_stub, validate_exercise
from tests.conftest import ROOT, run_grade


def test_new_exercise_is_well_formed_and_not_yet_written(tmp_path):
    shutil.copytree(ROOT / "exercises" / "ex05_losses", tmp_path / "exercises" / "ex05_losses")
    proc = run_grade("new", "ex16", "--slug", "my_topic", env={"GRADE_ROOT": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    catalog = Catalog(tmp_path)
    item = catalog.resolve("ex16")
    assert item.name == "ex16_my_topic"
    assert check_metadata(item) == []
    assert check_stub(item, seed=1) == ""
    findings = {f.what: f for f in validate_exercise(catalog, item)}
    assert findings["metadata"].ok and findings["stub"].ok
    assert not findings["reference"].ok and "not written yet" in findings["reference"].detail


def test_new_refuses_an_existing_id_or_a_bad_slug(tmp_path):
    shutil.copytree(ROOT / "exercises" / "ex05_losses", tmp_path / "exercises" / "ex05_losses")
    env = {"GRADE_ROOT": str(tmp_path)}
    assert run_grade("new", "ex05", "--slug", "again", env=env).returncode == 2
    assert run_grade("new", "ex17", "--slug", "Bad Slug", env=env).returncode == 2
