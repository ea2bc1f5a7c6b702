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
from grader.errors import GraderError
from grader.i18n import Msg, default_lang, register, tr
from grader.report.console import make_console

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "unconfined_refused": {
        "ko": "이 컴퓨터에서는 학생 코드를 격리할 수 없습니다({missing}). 그래도 채점하려면 --allow-unconfined 옵션을 주세요.",
        "en": "Student code cannot be confined on this machine ({missing} missing). Pass --allow-unconfined to grade anyway.",
    },
    "interrupted": {
        "ko": "Ctrl+C를 눌러 `{command}` 실행을 중간에 멈췄습니다. 끝까지 채점하려면 다시 실행하세요.",
        "en": "Stopped by Ctrl+C: `{command}` did not finish. Run it again to grade everything.",
    },
})

CHECK_COMMAND = "check"
#: Options of `grade ex05` followed by a value (the exercise is the first word that is not one of these values).
VALUE_OPTIONS = frozenset(("--lang", "-l", "--submission", "--format", "-f", "--output", "-o", "--seed", "--device",
                           "--backend", "--answers"))


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
            name = ctx.invoked_subcommand or ""
            if name == CHECK_COMMAND:  # `grade ex05`: the exercise as typed
                argv = sys.argv[1:]
                name = next((a for i, a in enumerate(argv) if not a.startswith("-") and a != CHECK_COMMAND
                             and not (i and argv[i - 1] in VALUE_OPTIONS)), "")
            command = f"grade {name}".strip()
            make_console(stderr=True).print("\n" + tr(Msg("interrupted", command=command), argv_lang()), style="yellow",
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


def argv_lang() -> str:
    """The language of the command line (``--lang``/``-l``), for messages given before or after a command ran."""
    argv = sys.argv[1:]
    flags = [i for i, a in enumerate(argv[:-1]) if a in ("--lang", "-l")]
    lang = argv[flags[-1] + 1] if flags else default_lang()
    return lang if lang in ("ko", "en") else "en"


def main() -> None:
    try:
        app()
    except GraderError as exc:  # a broken course folder or bad input found outside a command's own handling
        make_console(stderr=True).print(tr(exc.message, argv_lang()), style="red", markup=False)
        sys.exit(2)
