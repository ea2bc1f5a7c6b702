"""Who raised: an error in a check's own code caused by what the student's code returned is the student's answer."""

from __future__ import annotations

from grader.i18n import Msg, register

register({
    "check_could_not_read": {
        "ko": "`{call}`이(가) 반환한 값({got})을 검사가 읽을 수 없습니다({error}). 문제에서 요구한 종류의 값(숫자, "
              "numpy 배열 등)을 반환하세요.",
        "en": "The check could not read what `{call}` returned ({got}: {error}). Return the kind of value the "
              "exercise asks for (a number, a numpy array, ...).",
    },
})


#: what a check's own code raises when it reads a value of the wrong kind
READING_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, ZeroDivisionError)


def text_of(exc: BaseException) -> str:
    """An exception's text, even where its ``__str__`` raises."""
    try:
        return str(exc)[:300]
    except Exception:  # noqa: BLE001
        return "?"


def readable(value: object, depth: int = 0) -> bool:
    """Plain numbers as a check reads them: numbers, numeric arrays and regular nested lists, dicts of those."""
    import numpy as np

    from grader.sandbox.wire import Handle

    if depth > 8 or value is None or isinstance(value, (str, bytes, Handle)):
        return False
    if isinstance(value, dict):
        return all(readable(v, depth + 1) for v in value.values())
    if isinstance(value, bool):
        return True
    try:
        return np.asarray(value, dtype=float) is not None
    except (TypeError, ValueError, OverflowError):
        return False


def who_raised(ctx: object, exc: Exception) -> Msg | None:
    """Judge by who raised: an error that the check's own code raised while reading a value the student's code
    gave it (a string, None, an object, a ragged list where numbers belong), or that a mistake detector raised on
    it, is the student's wrong answer ("the check could not read ..."), not "the check itself failed". The judge's
    own bugs, with readable values, stay "the check itself failed" (and `grade validate` reports them)."""
    from grader.checks.core import MistakeError

    error = exc.error if isinstance(exc, MistakeError) else exc
    if not isinstance(error, READING_ERRORS):
        return None
    last = getattr(ctx, "last_received", None)
    if not last or readable(last[1]):
        return None
    from grader.checks.core import _kind

    return Msg("check_could_not_read", call=last[0], got=_kind(last[1]), error=type(error).__name__)
