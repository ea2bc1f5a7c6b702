"""The catalog of exercises: folders under exercises/ (student side) and solutions/ (instructor side).

Each folder's ``exercise.toml`` is checked against :data:`KEYS` (every key, documented in one place) into a typed
:class:`Meta`: an unknown, misplaced or mistyped key is a :class:`CatalogError` naming the file and the line.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, Callable

from grader.errors import CatalogError  # noqa: F401  (defined in grader.errors, importable from here as before)
from grader.i18n import LANGS, Msg, register

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    # command line
    "unknown_exercise": {
        "ko": "'{name}'에 해당하는 연습 문제가 없습니다. `grade list`로 목록을 보세요.",
        "en": "No exercise called '{name}'. See `grade list`.",
    },
    "did_you_mean": {
        "ko": "'{name}'에 해당하는 연습 문제가 없습니다. 혹시 {suggestions}인가요? 전체 목록은 `grade list`로 볼 수 있습니다.",
        "en": "No exercise called '{name}'. Did you mean {suggestions}? See `grade list` for all of them.",
    },
    "or": {"ko": " 또는 ", "en": " or "},
    "ambiguous_exercise": {
        "ko": "'{name}'에 해당하는 연습 문제가 여러 개입니다: {matches}",
        "en": "'{name}' matches several exercises: {matches}",
    },
})

META_FILE = "exercise.toml"
PUBLIC_CHECKS = "checks.py"
HIDDEN_CHECKS = "hidden_checks.py"
LOCK_FILE = "stub.lock"  # the fingerprints of the stub as shipped (grader/source.py)
_DIR_NAME = re.compile(r"^(?P<id>(ex|q)\d{2})_(?P<slug>[a-z0-9_]+)$")


@dataclass
class Exercise:
    id: str
    slug: str
    folder: Path
    solution_folder: Path | None
    meta: dict[str, Any] = field(repr=False)  # the raw table, for code that reads a key directly
    metadata: Meta | None = field(default=None, repr=False)  # the same, typed and checked (parse_meta)

    @property
    def name(self) -> str:
        return f"{self.id}_{self.slug}"

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "exercise")

    @property
    def title(self) -> dict[str, str]:
        return self.meta["title"]

    @property
    def points(self) -> float:
        return float(self.meta.get("points", 0))

    @property
    def time_limit(self) -> float:
        return float(self.meta.get("time_limit", 10))

    @property
    def memory_mb(self) -> int:
        return int(self.meta.get("memory_mb", 2048 if self.tensorflow else 1024))

    @property
    def tensorflow(self) -> bool:
        return bool(self.meta.get("tensorflow", False))

    @property
    def hints(self) -> list[dict[str, str]]:
        return list(self.meta.get("hints", []))

    @property
    def topic(self) -> dict[str, str]:
        return self.meta.get("topic", self.title)

    @property
    def stub_path(self) -> Path:
        return self.folder / self.meta["file"]

    @property
    def fingerprints(self) -> dict[str, str] | None:
        """The fingerprints of the stub as shipped, from ``stub.lock``; None when there is none for this stub."""
        from grader.source import read_lock

        lock = read_lock(self.folder / LOCK_FILE) if self.kind == "exercise" else None
        if lock is None or lock[0] not in ("", self.meta.get("file")):
            return None
        return lock[1]

    @property
    def reference_path(self) -> Path | None:
        if self.solution_folder is None:
            return None
        path = self.solution_folder / self.meta["file"]
        return path if path.exists() else None

    @property
    def hidden_checks_path(self) -> Path | None:
        if self.solution_folder is None:
            return None
        path = self.solution_folder / HIDDEN_CHECKS
        return path if path.exists() else None

    def statement(self, lang: str) -> str:
        path = self.folder / f"statement.{lang}.md"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def public_checks_module(self) -> ModuleType:
        return load_module(self.folder / PUBLIC_CHECKS, f"_grader_checks.{self.id}_public")

    def hidden_checks_module(self) -> ModuleType | None:
        path = self.hidden_checks_path
        return load_module(path, f"_grader_checks.{self.id}_hidden") if path else None

    def reference_module(self) -> ModuleType | None:
        """The reference solution, loaded in the judge's process (trusted instructor code)."""
        path = self.reference_path
        return load_module(path, f"_grader_reference.{self.id}") if path else None


def load_module(path: Path, name: str) -> ModuleType:
    """The module at ``path``, loaded once per process; two courses' exercises with one id never share it."""
    name = f"{name}_{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:10]}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CatalogError(Msg("bad_exercise", path=str(path), error="cannot load"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise CatalogError(Msg("bad_exercise", path=str(path), error=f"{type(exc).__name__}: {exc}")) from exc
    return module


def public_checks_of(hidden_checks_file: str) -> ModuleType:
    """From a hidden checks file, the public checks module of the same exercise (to share mistakes)."""
    folder = Path(hidden_checks_file).resolve().parent
    match = _DIR_NAME.match(folder.name)
    if match is None:
        raise CatalogError(Msg("bad_exercise", path=str(folder), error="not an exercise folder"))
    return load_module(folder.parent.parent / "exercises" / folder.name / PUBLIC_CHECKS, f"_grader_checks.{match['id']}_public")


# --- exercise.toml: the one place where every key is documented -----------------------------------


@dataclass(frozen=True)
class Key:
    """One key of ``exercise.toml``: its type, where it applies and what it means."""

    name: str
    types: tuple[type, ...]
    kinds: tuple[str, ...]  # "exercise", "quiz"
    required: bool
    doc: str


_BOTH, _EX, _QUIZ = ("exercise", "quiz"), ("exercise",), ("quiz",)
_NUMBER = (int, float)

#: Every key ``exercise.toml`` may hold (docs/checks.md "exercise.toml keys" shows this table; a test keeps them equal).
KEYS: tuple[Key, ...] = (
    Key("id", (str,), _BOTH, False, "The id, `ex16` or `q04`; must equal the folder's (the folder name is what counts)."),
    Key("slug", (str,), _BOTH, False, "The short name; must equal the folder's `<id>_<slug>`."),
    Key("kind", (str,), _BOTH, False, '`"exercise"` (default) or `"quiz"`.'),
    Key("title", (dict,), _BOTH, True, "`[title]` with `ko` and `en`: what students see in `grade list` and reports."),
    Key("topic", (dict,), _BOTH, False, "`[topic]` with `ko` and `en`: the lesson topic in the release's table of "
        "exercises (default: the title)."),
    Key("points", _NUMBER, _BOTH, True, "The exercise's total: `grade validate` checks it equals the sum of the "
        "checks' points (public and hidden), or of the quiz's questions."),
    Key("hints", (list,), _BOTH, False, "`[[hints]]` tables with `ko` and `en`, shown one at a time by `grade hint`; "
        "at least 2."),
    Key("file", (str,), _EX, True, "The stub's file name in the exercise folder (and the reference's in solutions/)."),
    Key("time_limit", _NUMBER, _EX, False, "Seconds the student's code may run for the whole exercise (default 10)."),
    Key("memory_mb", (int,), _EX, False, "Memory cap of the student's process in MB (default 2048 with TensorFlow, "
        "else 1024)."),
    Key("tensorflow", (bool,), _EX, False, "The sandbox imports TensorFlow/Keras before the student's code "
        "(default false: numpy only, much faster)."),
    Key("backends", (list,), _EX, False, 'Keras backends the exercise can be graded on, e.g. `["tensorflow"]` '
        "(default: all); another asked for is replaced, and the result says so."),
    Key("oracle_tensorflow", (bool,), _EX, False, "The hidden checks use `ctx.oracle_run` (trusted Keras code in a "
        "separate sandbox, e.g. Keras' own parameter count): start it early, beside the student's (default false)."),
    Key("explain_after_tries", (bool,), _QUIZ, False, "After the allowed tries, show the explanation (default true; "
        "the release then holds the explanations)."),
    Key("retry_factor", (dict,), _QUIZ, False, "`[retry_factor]` with `single`, `multiple`, `numeric`, `text` "
        "(numbers from 0 to 1): what each wrong try multiplies a question's points by."),
)
_BILINGUAL_TABLES = ("title", "topic")
_RETRY_KINDS = ("single", "multiple", "numeric", "text")


@dataclass(frozen=True)
class Meta:
    """``exercise.toml`` read and checked: unknown keys, wrong types and missing keys are refused at load."""

    kind: str
    title: dict[str, str]
    points: float
    file: str | None = None
    topic: dict[str, str] | None = None
    hints: tuple[dict[str, str], ...] = ()
    time_limit: float = 10.0
    memory_mb: int | None = None
    tensorflow: bool = False
    backends: tuple[str, ...] | None = None
    oracle_tensorflow: bool = False
    explain_after_tries: bool = True
    retry_factor: dict[str, float] | None = None


def key_line(text: str, *path: str | int) -> int:
    """The line (1-based) of a key in TOML ``text``: ``("points",)``, ``("title", "ko")``, ``("hints", 2, "en")``;
    0 when not found. Good enough for the files `grade new` writes and for hand-written ones."""
    lines = text.splitlines()
    start = 0
    if len(path) > 1:  # inside a table: its header, or the n-th [[array]] header
        name, nth = path[0], path[1] if isinstance(path[1], int) else 0
        headers = [i for i, line in enumerate(lines) if re.match(rf"^\s*\[\[?\s*{re.escape(str(name))}\s*\]\]?\s*(#.*)?$", line)]
        if nth < len(headers):
            start = headers[nth]
    last = str(path[-1])
    for i in range(start, len(lines)):
        if re.match(rf"^\s*[\"']?{re.escape(last)}[\"']?\s*(=|\.)", lines[i]) or (
            len(path) == 1 and re.match(rf"^\s*\[\[?\s*{re.escape(last)}\s*\]\]?", lines[i])
        ):
            return i + 1
        if i > start and len(path) > 1 and lines[i].lstrip().startswith("["):
            break
    return 0


def parse_meta(data: dict[str, Any], text: str, where: str) -> Meta:
    """Check ``data`` (exercise.toml, parsed from ``text``) against :data:`KEYS`; a :class:`CatalogError` naming
    ``where:line`` and the key otherwise."""

    def fail(error: str, *path: str | int) -> CatalogError:
        line = key_line(text, *path) if path else 0
        return CatalogError(Msg("bad_exercise", path=f"{where}:{line}" if line else where, error=error))

    keys = {k.name: k for k in KEYS}
    kind = data.get("kind", "exercise")
    if kind not in ("exercise", "quiz"):
        raise fail(f"kind must be \"exercise\" or \"quiz\", not {kind!r}", "kind")
    for name, value in data.items():
        key = keys.get(name)
        if key is None:
            import difflib

            close = difflib.get_close_matches(name, list(keys), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(keys)})"
            raise fail(f"unknown key '{name}'{hint}", name)
        if kind not in key.kinds:
            raise fail(f"'{name}' is for {' and '.join(key.kinds)}s, not for a {kind}", name)
        if isinstance(value, bool) and bool not in key.types or not isinstance(value, key.types):
            wanted = " or ".join({"dict": "a table", "list": "a list", "bool": "true or false", "str": "a string",
                                  "int": "an integer", "float": "a number"}[t.__name__] for t in key.types)
            raise fail(f"'{name}' must be {wanted}, not {type(value).__name__}", name)
    for key in KEYS:
        if key.required and kind in key.kinds and key.name not in data:
            raise fail(f"'{key.name}' is missing: {key.doc}")
    for name in _BILINGUAL_TABLES:
        if name in data:
            _bilingual(data[name], name, fail, name)
    hints = data.get("hints", [])
    for i, hint in enumerate(hints):
        _bilingual(hint, f"hints[{i + 1}]", fail, "hints", i)
    retry = data.get("retry_factor") or {}
    for name, value in retry.items():
        if name not in _RETRY_KINDS:
            raise fail(f"retry_factor: unknown key '{name}' (keys: {', '.join(_RETRY_KINDS)})", "retry_factor", name)
    backends = data.get("backends")
    if backends is not None and not all(isinstance(b, str) for b in backends):
        raise fail("backends must be a list of names such as \"tensorflow\"", "backends")
    return Meta(
        kind=kind, title=dict(data["title"]), points=float(data["points"]), file=data.get("file"),
        topic=dict(data["topic"]) if "topic" in data else None, hints=tuple(dict(h) for h in hints),
        time_limit=float(data.get("time_limit", 10)), memory_mb=data.get("memory_mb"),
        tensorflow=bool(data.get("tensorflow", False)), backends=tuple(backends) if backends is not None else None,
        oracle_tensorflow=bool(data.get("oracle_tensorflow", False)),
        explain_after_tries=bool(data.get("explain_after_tries", True)),
        retry_factor=dict(retry) if retry else None,
    )


def _bilingual(value: Any, what: str, fail: Callable[..., CatalogError], *path: str | int) -> None:
    if not isinstance(value, dict):
        raise fail(f"{what} must be a table with 'ko' and 'en'", *path[:1])
    for lang in value:
        if lang not in LANGS:
            raise fail(f"{what}: unknown key '{lang}' (a text has 'ko' and 'en')", *path, lang)
    for lang in LANGS:
        if not isinstance(value.get(lang), str):
            raise fail(f"{what} needs '{lang}' (a string)", *path[:1])


def _read_meta(folder: Path, root: Path | None = None) -> tuple[dict[str, Any], Meta]:
    path = folder / META_FILE
    where = str(path.relative_to(root)) if root is not None and path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        meta = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(Msg("bad_exercise", path=where, error=str(exc))) from exc
    match = _DIR_NAME.match(folder.name)
    for name in ("id", "slug"):
        if match and name in meta and meta[name] != match[name]:
            error = f"{name} = {meta[name]!r} but the folder says {match[name]!r} (the folder name is what counts)"
            raise CatalogError(Msg("bad_exercise", path=f"{where}:{key_line(text, name)}", error=error))
    return meta, parse_meta(meta, text, where)


def find_root(start: Path | None = None) -> Path:
    """The course folder: GRADE_ROOT, else the nearest folder upwards holding exercises/."""
    env = os.environ.get("GRADE_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir():
            return folder
    return Path(__file__).resolve().parent.parent


class Catalog:
    """Every exercise and quiz under ``root``, in id order."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.exercises_dir = root / "exercises"
        self.solutions_dir = root / "solutions"
        self._items: list[Exercise] | None = None

    @property
    def items(self) -> list[Exercise]:
        if self._items is None:
            self._items = self._scan()
        return self._items

    def _scan(self) -> list[Exercise]:
        return [self._load(folder, match) for folder, match in self._folders()]

    def _folders(self) -> list[tuple[Path, re.Match]]:
        """The exercise and quiz folders, in id order, their metadata unread."""
        if not self.exercises_dir.is_dir():
            return []
        found = []
        for folder in sorted(self.exercises_dir.iterdir()):
            match = _DIR_NAME.match(folder.name)
            if match and (folder / META_FILE).exists():
                found.append((folder, match))
        return found

    def _load(self, folder: Path, match: re.Match) -> Exercise:
        solution = self.solutions_dir / folder.name
        meta, typed = _read_meta(folder, self.root)
        return Exercise(id=match["id"], slug=match["slug"], folder=folder,
                        solution_folder=solution if solution.is_dir() else None, meta=meta, metadata=typed)

    def suggest(self, key: str, n: int = 2) -> list[Exercise]:
        """Exercises whose slug (or a word of it), name or id is close to a misspelt ``key`` (difflib)."""
        import difflib

        names: dict[str, Exercise] = {}
        for e in self.items:
            for word in (e.slug, e.name, *e.slug.split("_")):
                if len(word) >= 3:
                    names.setdefault(word, e)
        found: list[Exercise] = []
        number = re.match(r"(ex|e|x|q)?\D{0,2}?0*(\d{1,3})(?!\d)", key)  # ex5x, e05, ex_5, q1a: the number names it
        if number:
            wanted = f"{'q' if (number.group(1) or '') == 'q' else 'ex'}{int(number.group(2)):02d}"
            found += [e for e in self.items if e.id == wanted]
        for word in difflib.get_close_matches(key, list(names), n=6, cutoff=0.7):
            if names[word] not in found:
                found.append(names[word])
        return found[:n]

    def resolve(self, name: str) -> Exercise:
        """``ex05``, ``5``, ``05``, ``losses``, ``ex05_losses`` and ``q01`` all name an exercise."""
        key = _key(name)
        matches = _matching(key, self.items)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            close = self.suggest(key)
            if close:
                shown = [f"{e.id} ({e.slug})" for e in close]
                raise CatalogError(Msg("did_you_mean", name=name, suggestions=_either(shown)))
            raise CatalogError(Msg("unknown_exercise", name=name))
        raise CatalogError(Msg("ambiguous_exercise", name=name, matches=", ".join(e.name for e in matches)))


    def one(self, name: str) -> Exercise | None:
        """:meth:`resolve` where ``name`` names exactly one item, reading that item's metadata only (the command
        itself reads them all, and reports any problem); None otherwise."""
        entries = [SimpleNamespace(id=m["id"], slug=m["slug"], name=f.name, where=(f, m)) for f, m in self._folders()]
        matches = _matching(_key(name), entries)
        return self._load(*matches[0].where) if len(matches) == 1 else None


def _key(name: str) -> str:
    """``ex5``, ``5``, ``05`` → ``ex05``; a path → its last part; lower case."""
    key = name.strip().lower().rstrip("/")
    key = Path(key).name if "/" in key else key
    if key.isdigit():
        key = f"ex{int(key):02d}"
    elif re.fullmatch(r"(ex|q)\d+", key):
        prefix = "ex" if key.startswith("ex") else "q"
        key = f"{prefix}{int(key[len(prefix):]):02d}"
    return key


def _matching(key: str, items: list) -> list:
    """The items ``key`` names: by id, slug or name, else by the start of the slug or one of its words."""
    matches = [e for e in items if key in (e.id, e.slug, e.name)]
    if not matches:
        matches = [e for e in items if e.slug.startswith(key) or key in e.slug.split("_")]
    return matches


def _either(items: list[str]) -> object:
    """``a`` or ``a`` / ``b`` joined with the language's "or"."""
    if len(items) == 1:
        return items[0]
    return {lang: Msg("or").render(lang).join(items) for lang in LANGS}
