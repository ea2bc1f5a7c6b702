"""The `grade` app itself: the typer app, the options every command shares, usage errors and `main`.

The commands register themselves on :data:`app` by decorator in ``student.py`` (a student's commands),
``classes.py`` (`grade batch`) and ``instructor.py``; ``grader/cli/__init__.py`` imports them in that order,
which is the order of `grade --help`.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from grader.catalog import Catalog, find_root
from grader import interrupted
from grader.errors import GraderError
from grader.interrupted import CHECK_COMMAND, argv_lang
from grader.i18n import Msg, default_lang, register, tr
from grader.report.console import make_console

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "unconfined_refused": {
        "ko": "이 컴퓨터에서는 학생 코드를 격리할 수 없습니다({missing}). 그래도 채점하려면 --allow-unconfined 옵션을 주세요.",
        "en": "Student code cannot be confined on this machine ({missing} missing). Pass --allow-unconfined to grade anyway.",
    },
})


class ExerciseFirstGroup(TyperGroup):
    """`grade ex05` means `grade check ex05`: an unknown first word is an exercise name."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, CHECK_COMMAND)
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        return [c for c in super().list_commands(ctx) if c != CHECK_COMMAND] + [CHECK_COMMAND]

    def invoke(self, ctx: Any) -> Any:
        """Ctrl+C in any command that does not handle it itself (quiz, watch do) says so and exits 130."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            make_console(stderr=True).print("\n" + interrupted.message(ctx.invoked_subcommand), style="yellow",
                                            markup=False)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=ExerciseFirstGroup,
    help="Grade deep-learning exercises and quizzes.  `grade ex05` grades exercise 5; `grade` shows your progress.",
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Lang(str, Enum):
    ko = "ko"
    en = "en"


class Device(str, Enum):
    auto = "auto"
    cpu = "cpu"
    gpu = "gpu"


class Format(str, Enum):
    text = "text"
    json = "json"


LangOpt = Annotated[Optional[Lang], typer.Option("--lang", "-l", help="Language of messages (default: from the locale).")]


class Backend(str, Enum):
    tensorflow = "tensorflow"
    jax = "jax"
    torch = "torch"


def _set_backend(value: Optional[Backend]) -> Optional[Backend]:
    """``--backend`` wins over ``KERAS_BACKEND``; the judge and every worker read it from there."""
    if value is not None:
        os.environ["KERAS_BACKEND"] = value.value
    return value


BackendOpt = Annotated[Optional[Backend], typer.Option(
    "--backend", help="Keras' backend for Keras exercises (default: KERAS_BACKEND, else tensorflow).",
    callback=_set_backend)]


def _lang(lang: Optional[Lang]) -> str:
    return lang.value if lang is not None else default_lang()


def _catalog() -> Catalog:
    return Catalog(find_root())


def _usage_error(message: Msg, lang: str) -> typer.Exit:
    make_console(stderr=True).print(tr(message, lang), style="red", markup=False)
    return typer.Exit(2)



def require_boundary(root: Path, allow_unconfined: bool, lang: str) -> list[str]:
    """Refuse to grade others' code without a file and process boundary, unless told to."""
    from grader.sandbox import probe_isolation
    from grader.sandbox.boundary import describe

    layers = probe_isolation(root)
    held = describe(layers)
    missing = [name for name in ("files", "processes") if not held[name]]
    if missing and not allow_unconfined:
        raise _usage_error(Msg("unconfined_refused", missing=", ".join(missing)), lang)
    return layers


def main() -> None:
    try:
        app()
    except GraderError as exc:  # a broken course folder or bad input found outside a command's own handling
        make_console(stderr=True).print(tr(exc.message, argv_lang()), style="red", markup=False)
        sys.exit(2)
