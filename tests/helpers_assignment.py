"""Building whole-assignment submissions for tests: every reference, every stub, or a mix."""

from __future__ import annotations

import shutil
from pathlib import Path

import tomli_w

from grader.catalog import Catalog


def reference_submission(catalog: Catalog, folder: Path, only: set[str] | None = None) -> Path:
    """A student's copy of exercises/ holding every reference solution and every right quiz answer."""
    from grader import quiz

    for item in catalog.items:
        if only is not None and item.id not in only:
            continue
        target = folder / item.name
        target.mkdir(parents=True, exist_ok=True)
        if item.kind == "quiz":
            answers = quiz.right_answers(quiz.load_quiz(item, public=False))
            (target / "answers.toml").write_text(tomli_w.dumps(answers), encoding="utf-8")
        else:
            shutil.copy(item.reference_path, target / item.meta["file"])
    return folder


def stub_submission(catalog: Catalog, folder: Path) -> Path:
    for item in catalog.items:
        shutil.copytree(item.folder, folder / item.name)
    return folder
