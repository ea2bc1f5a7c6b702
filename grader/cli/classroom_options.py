"""The similarity option of `grade batch` and `grade report`, and the sources `grade batch` keeps for it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from grader.cli.app import _usage_error
from grader.i18n import Msg, register

# this module's messages, in Korean and English
register({
    "sim_bad_threshold": {
        "ko": "--similarity-threshold는 0보다 크고 1 이하인 비율이어야 합니다(예: 0.6은 60%). 받은 값: {value}",
        "en": "--similarity-threshold must be a share above 0 and at most 1 (0.6 means 60%); got {value}",
    },
})

SimilarityOpt = Annotated[Optional[float], typer.Option(
    "--similarity-threshold", help="Flag a pair of submissions when this share (0-1] of either is found in the other (default 0.6).")]


def check_threshold(value: Optional[float], lang: str) -> None:
    if value is not None and not (0 < value <= 1):
        raise _usage_error(Msg("sim_bad_threshold", value=value), lang)


def keep_sources(catalog: Any, students: list, results: Path, key: bytes, regraded: list[str]) -> None:
    """`grade batch` keeps the graded sources (signed) that the similarity section compares."""
    from grader.classroom import sources

    sources.keep(catalog, students, results, key, regraded)
