"""Labels of student calls, read from the stub's own signature: ``mean_squared_error(y, t)``.

A check says which function it calls and with which arguments; the label the student reads is built from the
parameter names the stub declares (the instructor's file, parsed here in the judge, never imported), so it
is written once and cannot drift from the stub. Keyword arguments keep their names.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence


@lru_cache(maxsize=64)
def _signatures(path: str, mtime: float) -> dict[str, tuple[str, ...]]:
    """Positional parameter names of every module-level function and class (its ``__init__``) in ``path``."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = tuple(a.arg for a in [*node.args.posonlyargs, *node.args.args])
        elif isinstance(node, ast.ClassDef):
            init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
            names = [a.arg for a in [*init.args.posonlyargs, *init.args.args]][1:] if init else []
            found[node.name] = tuple(names)
    return found


def parameters(stub: Path | None, name: str) -> tuple[str, ...] | None:
    """The stub's positional parameter names of ``name``; None when the stub or the function is unknown."""
    if stub is None:
        return None
    try:
        mtime = stub.stat().st_mtime
    except OSError:
        return None
    return _signatures(str(stub), mtime).get(name)


def call_label(stub: Path | None, name: str, args: Sequence[Any] = (), kwargs: dict[str, Any] | None = None) -> str:
    """``name(p1, p2, key=key)``: the stub's parameter names for the positional arguments given.

    Without a stub (or for a name it does not define) the positions are shown as ``...``."""
    params = parameters(stub, name)
    shown = []
    for i, _ in enumerate(args):
        shown.append(params[i] if params is not None and i < len(params) else "...")
    if params is None and args:
        shown = ["..."]
    shown += [f"{k}={k}" for k in (kwargs or {})]
    return f"{name}({', '.join(shown)})"


def bound_inputs(stub: Path | None, name: str, args: Sequence[Any], kwargs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The call's arguments by the stub's parameter names (for the feedback table's input column)."""
    params = parameters(stub, name) or ()
    named = {(params[i] if i < len(params) else f"arg{i}"): value for i, value in enumerate(args)}
    named.update(kwargs or {})
    return named


def stub_of(ctx: Any) -> Path | None:
    """The stub file of the exercise a check context grades (from ``ctx.exercise`` or its reference loader)."""
    exercise = ctx.exercise if ctx.exercise is not None else getattr(ctx.reference_loader, "__self__", None)
    try:
        return Path(exercise.stub_path) if exercise is not None else None
    except (AttributeError, KeyError, TypeError):
        return None
