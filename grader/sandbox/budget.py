"""Budgets beyond one session: a student's whole deadline in `grade batch`, and the verdicts of the judge's caps."""

from __future__ import annotations

import threading
import time

from grader.i18n import Msg, register
from grader.sandbox.records import Verdict

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "cpu_limit": {
        "ko": "CPU 시간 한도({seconds}초)를 넘어 중단했습니다. 무한 루프나 너무 많은 계산이 있는지 확인하세요.",
        "en": "Stopped: used more than the {seconds} s CPU-time limit. Look for an infinite loop or far too much work.",
    },
    "student_timeout": {
        "ko": "이 학생의 채점 시간 한도({seconds:g}초)를 넘어 나머지는 실행하지 않았습니다.",
        "en": "Not run: this student's grading time ({seconds:g} s in all) was used up.",
    },
    "reply_too_large": {
        "ko": "제출한 코드가 채점기에 너무 큰 값을 보냈습니다({size:,} {what}; 한도 {limit:,} {what}). 거대한 리스트나 "
              "문자열 대신 작은 값(숫자, 배열)을 반환하세요.",
        "en": "The submission sent the grader a value too large to read ({size:,} {what}; the limit is {limit:,} {what}). "
              "Return small values (a number, an array), not huge lists or strings.",
    },
})

_STUDENT = threading.local()  # `grade batch`: the deadline of the student this thread grades


def student_deadline(seconds: float | None) -> None:
    """Every session this thread uses from now on stops ``seconds`` from now (None or 0: no such deadline): the
    whole student's wall-clock budget in `grade batch` and on Dask, besides each exercise's own."""
    _STUDENT.deadline = time.monotonic() + seconds if seconds else None
    _STUDENT.seconds = seconds


def student_over(now: float) -> Verdict | None:
    deadline = getattr(_STUDENT, "deadline", None)
    if deadline is not None and now >= deadline:
        return Verdict("timeout", Msg("student_timeout", seconds=_STUDENT.seconds))
    return None


UNITS = {"bytes": {"ko": "바이트", "en": "bytes"}, "values": {"ko": "개 값", "en": "values"}}
