"""The old name of :mod:`grader.notebooks.jupyter`: notebooks generated before the package was split
end in ``from grader.notebook import check, hint`` and keep working."""

from grader.notebooks.jupyter import check, hint

__all__ = ["check", "hint"]
