"""Static reading of a student file, without running it: syntax errors and untouched stubs."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

MARKER = "[[YOUR CODE]]"


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


def _definitions(tree: ast.Module) -> dict[str, str]:
    """Top-level functions and classes (and methods, as Class.method) by a dump of their AST."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = ast.dump(node, include_attributes=False)
        elif isinstance(node, ast.ClassDef):
            out[node.name] = ast.dump(node, include_attributes=False)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out[f"{node.name}.{item.name}"] = ast.dump(item, include_attributes=False)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    out[target.id] = ast.dump(node, include_attributes=False)
    return out


def definitions(source: str) -> dict[str, str]:
    try:
        return _definitions(ast.parse(source))
    except (SyntaxError, ValueError):
        return {}


def untouched(student: str, stub: str) -> set[str]:
    """Names whose definition is exactly as in the stub (comments and blank lines aside)."""
    mine, theirs = definitions(student), definitions(stub)
    return {name for name, dump in theirs.items() if mine.get(name) == dump}
