"""The catalog of exercises: folders under exercises/ (student side) and solutions/ (instructor side)."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.i18n import LANGS, Msg

META_FILE = "exercise.toml"
PUBLIC_CHECKS = "checks.py"
HIDDEN_CHECKS = "hidden_checks.py"
LOCK_FILE = "stub.lock"  # the fingerprints of the stub as shipped (grader/source.py)
_DIR_NAME = re.compile(r"^(?P<id>(ex|q)\d{2})_(?P<slug>[a-z0-9_]+)$")


class CatalogError(Exception):
    """Bad input from the user or a broken exercise folder; shown as a message, exit code 2."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.render("en"))
        self.message = message


@dataclass
class Exercise:
    id: str
    slug: str
    folder: Path
    solution_folder: Path | None
    meta: dict[str, Any] = field(repr=False)

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


def _read_meta(folder: Path) -> dict[str, Any]:
    path = folder / META_FILE
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(Msg("bad_exercise", path=str(path), error=str(exc))) from exc
    title = meta.get("title")
    if not isinstance(title, dict) or not all(isinstance(title.get(lang), str) for lang in LANGS):
        raise CatalogError(Msg("bad_exercise", path=str(path), error="title needs 'ko' and 'en'"))
    if meta.get("kind", "exercise") == "exercise" and not isinstance(meta.get("file"), str):
        raise CatalogError(Msg("bad_exercise", path=str(path), error="'file' (the stub's file name) is missing"))
    return meta


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
        found = []
        if not self.exercises_dir.is_dir():
            return found
        for folder in sorted(self.exercises_dir.iterdir()):
            match = _DIR_NAME.match(folder.name)
            if not match or not (folder / META_FILE).exists():
                continue
            solution = self.solutions_dir / folder.name
            found.append(
                Exercise(
                    id=match["id"],
                    slug=match["slug"],
                    folder=folder,
                    solution_folder=solution if solution.is_dir() else None,
                    meta=_read_meta(folder),
                )
            )
        return found

    def suggest(self, key: str, n: int = 2) -> list[Exercise]:
        """Exercises whose slug (or a word of it), name or id is close to a misspelt ``key`` (difflib)."""
        import difflib

        names: dict[str, Exercise] = {}
        for e in self.items:
            for word in (e.slug, e.name, *e.slug.split("_")):
                if len(word) >= 3:
                    names.setdefault(word, e)
        found: list[Exercise] = []
        for word in difflib.get_close_matches(key, list(names), n=6, cutoff=0.7):
            if names[word] not in found:
                found.append(names[word])
        return found[:n]

    def resolve(self, name: str) -> Exercise:
        """``ex05``, ``5``, ``05``, ``losses``, ``ex05_losses`` and ``q01`` all name an exercise."""
        key = name.strip().lower().rstrip("/")
        key = Path(key).name if "/" in key else key
        if key.isdigit():
            key = f"ex{int(key):02d}"
        elif re.fullmatch(r"(ex|q)\d+", key):
            prefix = "ex" if key.startswith("ex") else "q"
            key = f"{prefix}{int(key[len(prefix):]):02d}"
        matches = [e for e in self.items if key in (e.id, e.slug, e.name)]
        if not matches:
            matches = [e for e in self.items if e.slug.startswith(key) or key in e.slug.split("_")]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            close = self.suggest(key)
            if close:
                shown = [f"{e.id} ({e.slug})" for e in close]
                raise CatalogError(Msg("did_you_mean", name=name, suggestions=_either(shown)))
            raise CatalogError(Msg("unknown_exercise", name=name))
        raise CatalogError(Msg("ambiguous_exercise", name=name, matches=", ".join(e.name for e in matches)))


def _either(items: list[str]) -> object:
    """``a`` or ``a`` / ``b`` joined with the language's "or"."""
    if len(items) == 1:
        return items[0]
    return {lang: Msg("or").render(lang).join(items) for lang in LANGS}
