"""`grade new` scaffolds an exercise that `grade validate` reads as well-formed but not yet written, and that
`grade release` / `grade autograder` refuse as a draft until its placeholders and samples are done."""

from __future__ import annotations

import shutil

from grader.catalog import Catalog
from grader.source import fingerprints
from grader.instructor.validate import check_metadata, check_stub, validate_exercise
from tests.conftest import ROOT, run_grade


def test_new_exercise_is_well_formed_and_not_yet_written(tmp_path):
    shutil.copytree(ROOT / "exercises" / "ex05_losses", tmp_path / "exercises" / "ex05_losses")
    proc = run_grade("new", "ex16", "--slug", "my_topic", env={"GRADE_ROOT": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    catalog = Catalog(tmp_path)
    item = catalog.resolve("ex16")
    assert item.name == "ex16_my_topic"
    assert check_metadata(item) == []
    assert item.fingerprints == fingerprints(item.stub_path.read_text(encoding="utf-8"))  # `grade new` writes stub.lock
    assert check_stub(item, seed=1) == ""
    findings = {f.what: f for f in validate_exercise(catalog, item)}
    assert findings["metadata"].ok and findings["stub"].ok and findings["fingerprints"].ok
    assert not findings["reference in place"].ok and "not written yet" in findings["reference in place"].detail
    assert not findings["placeholders"].ok and not findings["samples"].ok


def test_validate_reports_the_scaffolds_placeholders_and_missing_samples(tmp_path):
    from grader.instructor.validate import placeholder_problems, sample_problems

    root = _course_with_a_draft(tmp_path)
    catalog = Catalog(root)
    draft = catalog.resolve("ex16")
    problems = " | ".join(placeholder_problems(draft))
    for text in ("title (en)", "title (ko)", "statement.en.md", "statement.ko.md", "hint 1 (en)", "hint 2 (ko)",
                 "reference solution is still the scaffold's"):
        assert text in problems, text
    assert "(write the title)" in problems and "TODO" in problems and "Write the first hint." in problems
    assert any("wrong_* samples" in p for p in sample_problems(catalog, draft))  # the scaffold writes one of each
    finished = catalog.resolve("ex05")
    assert placeholder_problems(finished) == [] and sample_problems(catalog, finished) == []
    quiz = next(i for i in Catalog(ROOT).items if i.kind == "quiz")
    assert sample_problems(Catalog(ROOT), quiz) == []  # quizzes have no sample submissions

    two_wrong = root / "tests/submissions/ex16_my_topic"
    shutil.rmtree(two_wrong)  # the scaffold's commented examples: replaced by two wrong and one correct
    two_wrong.mkdir(parents=True)
    for name in ("wrong_a.py", "wrong_b.py", "correct_a.py"):
        (two_wrong / name).write_text("def solve(x):\n    return x\n")
    assert sample_problems(catalog, draft) == ["2 wrong_* samples in tests/submissions/ex16_my_topic/; at least 3 are needed"]
    proc = run_grade("validate", "--static", "ex16", env={"GRADE_ROOT": str(root), "COLUMNS": "400"})
    assert proc.returncode == 1 and "placeholders" in proc.stdout and "(write the title)" in proc.stdout
    ko = run_grade("validate", "--static", "ex16", "--lang", "ko", env={"GRADE_ROOT": str(root), "COLUMNS": "400"})
    assert ko.returncode == 1 and "문제점" in ko.stdout and "남은 자리표시자" in ko.stdout, ko.stdout
    assert "wrong_* 예시가 2개입니다. 적어도 3개가 필요합니다" in ko.stdout and "1개 항목, 문제 2개" in ko.stdout


def _course_with_a_draft(tmp_path):
    """ex05 as it is in the course (with its samples) and a new ex16 straight from `grade new`."""
    root = tmp_path / "course"
    for folder in ("exercises/ex05_losses", "solutions/ex05_losses", "tests/submissions/ex05_losses"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, root / name)
    proc = run_grade("new", "ex16", "--slug", "my_topic", env={"GRADE_ROOT": str(root)})
    assert proc.returncode == 0, proc.stderr
    return root


def test_release_and_autograder_refuse_a_draft_unless_allowed(tmp_path):
    root = _course_with_a_draft(tmp_path)
    env = {"GRADE_ROOT": str(root)}
    for command, target in (("release", tmp_path / "out"), ("autograder", tmp_path / "a.zip")):
        en = run_grade(command, str(target), "--lang", "en", env=env)
        assert en.returncode == 2, en.stdout + en.stderr
        assert "ex16_my_topic" in en.stderr and "(write the title)" in en.stderr and "--allow-draft" in en.stderr
        assert "ex05_losses" not in en.stderr and "1 exercise fails validation" in en.stderr
        assert not target.exists() or not any(target.iterdir()) if target.suffix != ".zip" else not target.exists()
        ko = run_grade(command, str(target), "--lang", "ko", env=env)
        assert ko.returncode == 2 and "ex16_my_topic" in ko.stderr and "검증을 통과하지 못한 연습 문제가 1개" in ko.stderr
        allowed = run_grade(command, str(target), "--allow-draft", "--lang", "en", env=env)
        assert allowed.returncode == 0, allowed.stderr
        assert "ex16_my_topic" in allowed.stderr and "--allow-draft" in allowed.stderr
    assert (tmp_path / "out/exercises/ex16_my_topic/stub.lock").is_file()
    import zipfile

    assert "exercises/ex16_my_topic/stub.lock" in zipfile.ZipFile(tmp_path / "a.zip").namelist()


def test_new_refuses_an_existing_id_or_a_bad_slug(tmp_path):
    shutil.copytree(ROOT / "exercises" / "ex05_losses", tmp_path / "exercises" / "ex05_losses")
    env = {"GRADE_ROOT": str(tmp_path)}
    assert run_grade("new", "ex05", "--slug", "again", env=env).returncode == 2
    assert run_grade("new", "ex17", "--slug", "Bad Slug", env=env).returncode == 2
