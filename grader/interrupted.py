"""Ctrl+C said once, the same way whether the command line had loaded or not: which command stopped, exit 130."""

from __future__ import annotations

import sys

from grader.i18n import Msg, default_lang, register, tr

register({
    "interrupted": {
        "ko": "Ctrl+C를 눌러 `{command}` 실행을 중간에 멈췄습니다. 끝까지 채점하려면 다시 실행하세요.",
        "en": "Stopped by Ctrl+C: `{command}` did not finish. Run it again to grade everything.",
    },
})

CHECK_COMMAND = "check"
#: Options of `grade ex05` followed by a value (the exercise is the first word that is not one of these values).
VALUE_OPTIONS = frozenset(("--lang", "-l", "--submission", "--format", "-f", "--output", "-o", "--seed", "--device",
                           "--backend", "--answers"))


def argv_lang() -> str:
    """The language of the command line (``--lang``/``-l``), for messages given before or after a command ran."""
    argv = sys.argv[1:]
    flags = [i for i, a in enumerate(argv[:-1]) if a in ("--lang", "-l")]
    lang = argv[flags[-1] + 1] if flags else default_lang()
    return lang if lang in ("ko", "en") else "en"


def typed_command(invoked: str | None = None) -> str:
    """`grade <command>` as typed: ``invoked`` (the command line's subcommand) or, for `grade ex05` and before the
    command line has read anything, the first word that is not an option or an option's value."""
    name = invoked or ""
    if not name or name == CHECK_COMMAND:
        argv = sys.argv[1:]
        name = next((a for i, a in enumerate(argv) if not a.startswith("-") and a != CHECK_COMMAND
                     and not (i and argv[i - 1] in VALUE_OPTIONS)), "")
    return f"grade {name}".strip()


def message(invoked: str | None = None) -> str:
    return tr(Msg("interrupted", command=typed_command(invoked)), argv_lang())
