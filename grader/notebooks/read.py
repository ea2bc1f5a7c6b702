"""Finding the notebook a kernel runs (a file on disk, Colab's live copy, VS Code's or Jupyter's session) and the
answer cells this kernel actually ran (IPython's history), so that ``check`` grades what the student ran."""

from __future__ import annotations

import ast
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

_QUIZ_ANSWER = re.compile(r"^answer\s*=", re.M)


def ipython_shell() -> Any:
    """The running IPython shell, or None outside one (IPython is never imported here)."""
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def find_open_notebook(item: Any, notebook: str | os.PathLike | None = None) -> tuple[Path | None, bool]:
    """The notebook to grade for ``item``: ``notebook`` when given, else the one this kernel runs as its front end
    names it (Colab's live copy, VS Code's ``__vsc_ipynb_file__``, Jupyter's ``__session__``/``JPY_SESSION_NAME``);
    and whether it is a temporary copy (Colab keeps no file on disk).

    None when the kernel is not told its notebook (nbclient, papermill): never another file of the folder, which
    may be another student's or another try of the same exercise.  Outside any IPython kernel (a script calling
    ``check``), the exercise's notebook in the current folder."""
    from grader.submission import find_in_dir

    if notebook is not None:
        path = Path(notebook).expanduser()
        return (path, False) if path.is_file() else (None, False)
    if "google.colab" in sys.modules:
        path = _colab_copy()
        if path is not None:
            return path, True
    shell = ipython_shell()
    names = getattr(shell, "user_ns", {}) if shell is not None else {}
    for candidate in (names.get("__vsc_ipynb_file__"), names.get("__session__"), os.environ.get("JPY_SESSION_NAME")):
        if candidate and str(candidate).endswith(".ipynb"):
            for path in (Path(candidate), Path.cwd() / Path(candidate).name):
                if path.is_file():
                    return path, False
    if shell is not None:
        return None, False
    return find_in_dir(Path.cwd(), item, notebooks_only=True), False


def _colab_copy() -> Path | None:
    """Colab's notebook as it is now, written to a temporary file (read from the front end, with nbformat)."""
    try:
        import nbformat
        from google.colab import _message  # type: ignore[import-not-found]

        content = _message.blocking_request("get_ipynb", request="", timeout_sec=30)["ipynb"]
        handle, name = tempfile.mkstemp(suffix=".ipynb", prefix="colab-")
        os.close(handle)
        nbformat.write(nbformat.from_dict(content), name)
        return Path(name)
    except Exception:
        return None


def _normalise(code: str) -> str:
    return "\n".join(line.rstrip() for line in code.strip().splitlines())


def _history() -> list[str]:
    """The cells this kernel ran, oldest first, as typed (the current one last)."""
    shell = ipython_shell()
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    return [str(code) for code in history] if history else []


def _answer_names(item: Any) -> list[str]:
    from grader.source import definitions

    stub = item.stub_path.read_text(encoding="utf-8") if item.stub_path.exists() else ""
    return [n for n in definitions(stub) if "." not in n]


def _without_grader_calls(tree: ast.Module, code: str) -> str:
    """``code`` less its top-level lines that import the grader or call ``check``/``hint`` (they ran in the kernel,
    not in the answer), kept line for line (``pass``) so that messages name the lines the student wrote."""
    lines = code.splitlines()
    for node in tree.body:
        grader_import = (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "grader") or (
            isinstance(node, ast.Import) and any(a.name.split(".")[0] == "grader" for a in node.names))
        call = isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) \
            and node.value.func.id in ("check", "hint")
        if grader_import or call:
            start, end = node.lineno - 1, node.end_lineno or node.lineno
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            lines[start:end] = [f"{indent}pass"] + [""] * (end - start - 1)
    return "\n".join(lines)


def executed_answer(item: Any) -> list[str] | None:
    """The answer cells this kernel ran for the exercise ``item``, in the order they ran: for each function or class
    the stub asks for, the last cell that defined it (a cell that did not parse defined nothing: the kernel kept the
    older definition).  None outside a kernel, for a quiz, or when no cell defining them ran."""
    from grader.submission import MAX_CELL_CHARS

    if item.kind == "quiz":
        return None
    history = _history()
    names = set(_answer_names(item))
    if not history or not names:
        return None
    latest: dict[str, int] = {}
    answers: dict[int, str] = {}
    for index, code in enumerate(history):
        if not code.strip() or len(code) > MAX_CELL_CHARS:
            continue
        tree, answer = _as_answer(code)
        if tree is None:
            continue
        defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        if defined & names:
            answers[index] = answer
            for name in defined & names:
                latest[name] = index
    if not latest:
        return None
    return [answers[index] for index in sorted(set(latest.values()))]


def saved_answer(path: Path) -> list[str] | None:
    """The answer cells of the notebook file ``path`` (its tagged cells, else every code cell); None if unreadable."""
    from grader.submission import read_cells

    cells, problem = read_cells(path)
    if problem is not None:
        return None
    tagged = [c.source for c in cells if c.tagged]
    return tagged or [c.source for c in cells]


def differs(ran: list[str], path: Path) -> bool:
    """True when a cell this kernel ran is not among the saved answer cells of ``path`` (unsaved or unrun edits)."""
    saved = saved_answer(path)
    if saved is None:
        return False
    kept = {_normalise(_as_answer(code)[1]) for code in saved}
    return any(_normalise(code) not in kept for code in ran)


def _as_answer(code: str) -> tuple[ast.Module | None, str]:
    """A cell as the answer grades it: magics left out, grader calls dropped; its tree (None if it does not parse)."""
    from grader.submission import strip_magics

    try:
        clean = strip_magics(code)
        tree = ast.parse(clean)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None, code
    return tree, _without_grader_calls(tree, clean)


def not_saved(path: Path, item: Any) -> bool:
    """True when the answer code the kernel last ran is not what the file on disk holds (unsaved edits)."""
    if item.kind != "quiz":
        ran = executed_answer(item)
        return ran is not None and differs(ran, path)
    history = _history()
    if not history:
        return False
    from grader.submission import read_cells

    ran_quiz = next((code for code in reversed(history[:-1]) if code and _QUIZ_ANSWER.search(code)), None)
    if ran_quiz is None:
        return False
    cells, problem = read_cells(path)
    if problem is not None:
        return False
    return _normalise(ran_quiz) not in {_normalise(c.source) for c in cells}
