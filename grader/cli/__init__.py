"""The `grade` command line (typer): the student's commands, the class's (`grade batch`) and the instructor's.

Grade an exercise, show progress, list exercises, give hints; the instructor's batch, validation, scaffolding and
release commands.

``app.py`` holds the typer app, the shared options and `main`; the commands register on it by decorator in
``student.py``, ``classes.py`` (`grade batch`) and ``instructor.py``, imported here in the order `grade --help`
lists them.
"""

from grader.cli import student, classes, instructor, classroom, server  # noqa: F401  (registers the commands, in this order)
from grader.cli.app import app, main

__all__ = ["app", "main"]
