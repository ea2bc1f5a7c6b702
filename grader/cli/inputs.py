"""What `grade ex05 --submission FILE` refuses before grading (exit 2): a folder, a missing file, an unreadable notebook."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from grader.errors import CatalogError, SubmissionMissing
from grader.i18n import Msg, register

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "submission_is_folder": {
        "ko": "--submission에 준 {path} 경로는 폴더입니다. 파일 하나(.py 또는 .ipynb)를 주세요: `grade {id} --submission {example}`. "
              "exercises/ 폴더 사본 전체를 채점하려면: `grade all --submission {path}`",
        "en": "{path} is a folder; --submission takes one file (.py or .ipynb): `grade {id} --submission {example}`. "
              "To grade a whole copy of exercises/: `grade all --submission {path}`",
    },
    "submission_unreadable": {
        "ko": "{problem}\n고친 뒤 다시 채점하세요: `{command}`",
        "en": "{problem}\nThen grade it again: `{command}`",
    },
})


def grade_command(item: Any, submission: Path | None) -> str:
    """The command that grades this file again, as the student typed it (``--submission`` kept)."""
    short_id = item.id
    return f"grade {short_id}" + (f" --submission {shlex.quote(str(submission))}" if submission is not None else "")


def check_submission(item: Any, submission: Path) -> None:
    """Raise a :class:`~grader.errors.GraderError` (exit 2, both languages) for a file that cannot be graded at all.

    A notebook that is not JSON, has no or another nbformat version, or is over the size limit is bad input, not a
    wrong answer: the message says what is wrong and the command to run once it is fixed."""
    if submission.is_dir():
        example = next((p.name for p in sorted(submission.glob("*.py")) + sorted(submission.glob("*.ipynb"))), None)
        example = str(submission / (example or item.stub_path.name))
        raise CatalogError(Msg("submission_is_folder", path=str(submission), id=item.id, example=shlex.quote(example)))
    if not submission.is_file():
        raise SubmissionMissing(submission)
    from grader.submission import is_notebook, read_cells

    if is_notebook(submission):
        _, problem = read_cells(submission)
        if problem is not None:
            raise CatalogError(Msg("submission_unreadable", problem=problem, command=grade_command(item, submission)))
