"""Finding the notebook a kernel runs (a file on disk, Colab's live copy, VS Code's or Jupyter's session)
and telling whether its answer cells were saved since they last ran."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any


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
    """The notebook to grade for ``item``: ``notebook`` when given, else the one the kernel runs; and whether
    it is a temporary copy (Colab keeps no file on disk)."""
    from grader.submission import find_in_dir

    if notebook is not None:
        path = Path(notebook).expanduser()
        return (path, False) if path.is_file() else (None, False)
    if "google.colab" in sys.modules:
        path = _colab_copy()
        if path is not None:
            return path, True
    shell = ipython_shell()
    vscode = getattr(shell, "user_ns", {}).get("__vsc_ipynb_file__") if shell is not None else None
    for candidate in (vscode, os.environ.get("JPY_SESSION_NAME")):
        if candidate and str(candidate).endswith(".ipynb"):
            for path in (Path(candidate), Path.cwd() / Path(candidate).name):
                if path.is_file():
                    return path, False
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


def not_saved(path: Path, item: Any) -> bool:
    """True when the answer code the kernel last ran is not what the file on disk holds (unsaved edits)."""
    shell = ipython_shell()
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if not history:
        return False
    from grader.source import definitions
    from grader.submission import read_cells

    if item.kind == "quiz":
        pattern = re.compile(r"^answer\s*=", re.M)
    else:
        stub = item.stub_path.read_text(encoding="utf-8") if item.stub_path.exists() else ""
        names = [n for n in definitions(stub) if "." not in n]
        if not names:
            return False
        pattern = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+(?:%s)\b" % "|".join(map(re.escape, names)), re.M)
    ran = next((code for code in reversed(history[:-1]) if code and pattern.search(code)), None)
    if ran is None:
        return False
    cells, problem = read_cells(path)
    if problem is not None:
        return False
    saved = {_normalise(c.source) for c in cells}
    return _normalise(ran) not in saved
