"""Static reading of a student file, without running it: syntax errors and untouched stubs."""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

MARKER = "[[YOUR CODE]]"
FINGERPRINT_CHARS = 16


@dataclass
class SyntaxProblem:
    line: int
    column: int
    message: str
    text: str

    def excerpt(self) -> str:
        """The offending line with a caret under the column."""
        if not self.text:
            return ""
        pointer = " " * max(self.column - 1, 0) + "^"
        return f"{self.line:>4} | {self.text.rstrip()}\n     | {pointer}"


def read_source(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def syntax_problem(source: str, filename: str = "<submission>") -> SyntaxProblem | None:
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        lines = source.splitlines()
        line = exc.lineno or 0
        text = lines[line - 1] if 0 < line <= len(lines) else (exc.text or "")
        return SyntaxProblem(line, exc.offset or 0, exc.msg, text)
    except ValueError as exc:  # null bytes
        return SyntaxProblem(0, 0, str(exc), "")
    return None


def _dump(node: ast.AST) -> str:
    """The AST of a definition without docstrings (the Korean notebook's stub has Korean ones)."""
    import copy

    node = copy.deepcopy(node)
    for item in ast.walk(node):
        body = getattr(item, "body", None)
        if (isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            item.body = body[1:]
    return canonical(node)


#: Fields that differ between Python versions and never change what code does.
_VERSION_FIELDS = frozenset({"type_comment", "type_params", "kind"})


def canonical(node: object) -> str:
    """``ast.dump(node, include_attributes=False)`` made the same on every Python version (3.11 to 3.13):
    no empty or None fields, no ``type_params``/``type_comment``/``kind``; fingerprints hash this text."""
    if isinstance(node, ast.AST):
        fields = []
        for name in node._fields:
            value = getattr(node, name, None)
            if name in _VERSION_FIELDS or value is None or (isinstance(value, list) and not value):
                continue
            fields.append(f"{name}={canonical(value)}")
        return f"{type(node).__name__}({', '.join(fields)})"
    if isinstance(node, list):
        return "[" + ", ".join(canonical(item) for item in node) + "]"
    return repr(node)


def _definitions(tree: ast.Module) -> dict[str, str]:
    """Top-level functions and classes (and methods, as Class.method) by a dump of their AST, docstrings aside."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = _dump(node)
        elif isinstance(node, ast.ClassDef):
            out[node.name] = _dump(node)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out[f"{node.name}.{item.name}"] = _dump(item)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    out[target.id] = canonical(node)
    return out


def definitions(source: str) -> dict[str, str]:
    try:
        return _definitions(ast.parse(source))
    except (SyntaxError, ValueError):
        return {}


def fingerprint(dump: str) -> str:
    """A short hash of one definition's normalised AST (a dump from ``definitions``)."""
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def fingerprints(source: str) -> dict[str, str]:
    """Every definition of ``source`` (functions, classes, methods, module-level names) by its fingerprint."""
    return {name: fingerprint(dump) for name, dump in definitions(source).items()}


def shipped(stored: Mapping[str, str] | None, stub: str) -> dict[str, str]:
    """The fingerprints of the stub as it was shipped: the stored ones (``stub.lock``), else the stub file's own."""
    return dict(stored) if stored is not None else fingerprints(stub)


def untouched(student: str, stub: str | Mapping[str, str]) -> set[str]:
    """Names whose definition is exactly as in the stub as shipped (comments, blank lines and docstrings aside).

    ``stub`` is the shipped stub's fingerprints (``shipped``), or a stub's source to compare with."""
    theirs = dict(stub) if isinstance(stub, Mapping) else fingerprints(stub)
    mine = fingerprints(student)
    return {name for name, print_ in theirs.items() if mine.get(name) == print_}


# --- stub.lock: the fingerprints of the stub as shipped ----------------------------------------------

LOCK_HEADER = """\
# The fingerprints of the stub as shipped: a definition whose fingerprint is still this one is "not attempted".
# Students edit the stub in place, so the stub itself cannot tell. Written by `grade new` and
# `grade validate --fix` (after you change the stub); do not edit by hand.
"""


def lock_text(file: str, prints: Mapping[str, str]) -> str:
    """The text of a ``stub.lock`` file for the stub ``file`` with these fingerprints."""
    import tomli_w

    return LOCK_HEADER + tomli_w.dumps({"file": file, "fingerprints": dict(sorted(prints.items()))})


def read_lock(path: Path) -> tuple[str, dict[str, str]] | None:
    """``(file, fingerprints)`` from a ``stub.lock``; None when it is missing or unreadable."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    prints = data.get("fingerprints")
    if not isinstance(prints, dict) or not all(isinstance(v, str) for v in prints.values()):
        return None
    return str(data.get("file", "")), {str(k): v for k, v in prints.items()}
