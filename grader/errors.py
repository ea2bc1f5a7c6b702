"""The grader's own errors: what it reports to its user as a message in both languages (exit code 2).

Errors that never reach the user as such stay beside the code that raises and catches them: the sandbox's
(``grader.sandbox``: a verdict on the student's code, a launch failure), the wire protocol's (``grader.sandbox.wire``),
the check library's control flow (``grader.checks``), an unreadable zip (``grader.assignment.UnpackError``),
a draft refused by the release and a cluster that cannot be reached.
"""

from __future__ import annotations

from grader.i18n import Msg


class GraderError(Exception):
    """Shown as its message (a :class:`~grader.i18n.Msg`), exit code 2."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.render("en"))
        self.message = message


class CatalogError(GraderError):
    """Bad input from the user or a broken exercise folder (exercise.toml, questions.toml, a key)."""


class SubmissionMissing(GraderError):
    """The file to grade (``--submission``, the stub, a notebook) does not exist."""

    def __init__(self, path: object) -> None:
        super().__init__(Msg("missing_file", path=str(path)))
        self.path = path


class AnswerError(Exception):
    """A quiz answer that cannot be read (not a wrong answer): a bilingual message naming the question."""

    def __init__(self, message: dict[str, str]) -> None:
        super().__init__(message["en"])
        self.message = message


class AnswersFileError(Exception):
    """A quiz's answers file that cannot be graded; ``problems`` are bilingual messages."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(p["en"] for p in problems))
        self.problems = problems
