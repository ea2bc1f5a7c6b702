"""Checking from inside a notebook: ``from grader.notebook import check, hint; check("ex05")``.

``check`` grades the answer cells of the notebook as saved on disk (on Colab: as the notebook holds them now),
never the kernel's live variables.  Grading runs in a separate process (``python -m grader.notebook``) through
the same judge and sandbox as the command line, so the kernel's state is left as it was; the result table is
shown as HTML in Jupyter and as plain text elsewhere.  Student mistakes never raise: the failure is the feedback.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader.i18n import LANGS, Msg, TextLike, default_lang, tr

#: How rich formats its HTML for Jupyter (the same as rich.jupyter).
HTML_FORMAT = (
    '<pre style="white-space:pre;overflow-x:auto;line-height:normal;'
    "font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace\">{code}</pre>"
)
WIDTH = 100


def check(exercise: str, notebook: str | os.PathLike | None = None, *, lang: str | None = None,
          seed: int | None = None) -> None:
    """Grade this notebook's answer cells for ``exercise`` (``"ex05"``, ``"q01"``) and show the result."""
    lang = lang if lang in LANGS else default_lang()
    try:
        text, html = _check(exercise, notebook, lang, seed)
    except Exception as exc:  # never raise into the student's notebook
        text = tr(Msg("nb_check_failed", error=f"{type(exc).__name__}: {exc}"), lang)
        html = None
    show(text, html)


def hint(exercise: str, *, lang: str | None = None) -> None:
    """Show the next hint of ``exercise`` (``hint("ex05")``): one more each time, as ``grade hint ex05`` does."""
    lang = lang if lang in LANGS else default_lang()
    try:
        from grader.catalog import Catalog, CatalogError, find_root
        from grader.state import Progress

        catalog = Catalog(find_root())
        try:
            item = catalog.resolve(exercise)
        except CatalogError as exc:
            print(tr(exc.message, lang))
            return
        lines = Progress(catalog.root).hint_lines(item.name, item.hints, lang, f'hint("{item.id}")')
    except Exception as exc:  # never raise into the student's notebook
        lines = [tr(Msg("nb_check_failed", error=f"{type(exc).__name__}: {exc}"), lang)]
    print("\n".join(lines))


def show(text: str, html: str | None) -> None:
    """HTML and plain text in a Jupyter kernel (the front end picks), plain text elsewhere."""
    shell = _shell()
    if shell is not None and html is not None:
        from IPython.display import display

        display({"text/plain": text, "text/html": html}, raw=True)
    else:
        print(text)


def _shell() -> Any:
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _check(exercise: str, notebook: str | os.PathLike | None, lang: str, seed: int | None) -> tuple[str, str | None]:
    from grader.catalog import Catalog, CatalogError, find_root

    root = find_root()
    catalog = Catalog(root)
    try:
        item = catalog.resolve(exercise)
    except CatalogError as exc:
        return _message_only(exc.message, lang)
    path, temporary = locate(item, notebook)
    if path is None:
        return _message_only(Msg("nb_not_found", exercise=item.name, folder=str(Path.cwd()), id=item.id), lang)
    warnings: list[TextLike] = []
    try:
        if not temporary and not_saved(path, item):
            warnings.append(Msg("nb_not_saved"))
        return run_isolated(item.name, path, lang, seed, root, warnings)
    finally:
        if temporary:
            path.unlink(missing_ok=True)


def _message_only(message: TextLike, lang: str) -> tuple[str, str | None]:
    return render_texts([message], lang)


# --- finding the notebook -----------------------------------------------------------------------


def locate(item: Any, notebook: str | os.PathLike | None = None) -> tuple[Path | None, bool]:
    """The notebook to grade and whether it is a temporary copy (Colab keeps no file on disk)."""
    from grader.submission import find_in_dir

    if notebook is not None:
        path = Path(notebook).expanduser()
        return (path, False) if path.is_file() else (None, False)
    if "google.colab" in sys.modules:
        path = _colab_copy()
        if path is not None:
            return path, True
    shell = _shell()
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
    shell = _shell()
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


# --- grading in a separate process --------------------------------------------------------------


def run_isolated(name: str, path: Path, lang: str, seed: int | None, root: Path,
                 warnings: list[TextLike] | None = None) -> tuple[str, str | None]:
    """Grade in ``python -m grader.notebook`` and return its renderings (text, HTML)."""
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    with tempfile.TemporaryDirectory(prefix="grade-check-") as folder:
        out = Path(folder) / "result.json"
        command = [sys.executable, "-m", "grader.notebook", name, str(Path(path).resolve()), "--lang", lang,
                   "--seed", str(seed), "--out", str(out)]
        for warning in warnings or []:
            command += ["--warning", json.dumps({code: tr(warning, code) for code in LANGS}, ensure_ascii=False)]
        env = {**os.environ, "GRADE_ROOT": str(root), "NO_COLOR": "1"}
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
        if not out.exists():
            tail = (proc.stderr or proc.stdout or f"exit code {proc.returncode}").strip().splitlines()[-5:]
            return _message_only(Msg("nb_check_failed", error="\n".join(tail)), lang)
        data = json.loads(out.read_text(encoding="utf-8"))
    return data["text"], data["html"]


def grade_notebook(item: Any, path: Path, lang: str, seed: int) -> Any:
    """An ExerciseResult for the notebook ``path``: the judge for exercises, the quiz key for quizzes."""
    if item.kind == "quiz":
        return grade_quiz_notebook(item, path, lang, seed)
    from grader.judge import Options, Reporter, grade

    return grade(item, path, Options(lang=lang, seed=seed), Reporter())


def grade_quiz_notebook(item: Any, path: Path, lang: str, seed: int) -> Any:
    """A quiz notebook: the literal ``answer`` of each question cell, judged by grader.quiz (nothing executed)."""
    from grader.judge import Options
    from grader.quiz.grading import grade_answers_file

    return grade_answers_file(item, path, Options(lang=lang, seed=seed))


# --- rendering ----------------------------------------------------------------------------------


def _consoles() -> tuple[Any, Any]:
    from rich.console import Console

    plain = Console(file=io.StringIO(), width=WIDTH, force_terminal=False, no_color=True, color_system=None,
                    highlight=False, emoji=False)
    rich_html = Console(file=io.StringIO(), record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
                        highlight=False, emoji=False)
    return plain, rich_html


def render_texts(messages: list[TextLike], lang: str, result: Any = None) -> tuple[str, str]:
    """Messages (in yellow) and, when given, the result table: as plain text and as HTML."""
    from rich.text import Text

    plain, rich_html = _consoles()
    for console in (plain, rich_html):
        for message in messages:
            console.print(Text(tr(message, lang), style="bold yellow"))
        if result is not None:
            from grader.report.terminal import ExerciseView

            console.print(ExerciseView(result, lang, commands="notebook"))
    return plain.file.getvalue(), rich_html.export_html(inline_styles=True, code_format=HTML_FORMAT)


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.notebook EXERCISE NOTEBOOK --out result.json``: grade and write both renderings."""
    parser = argparse.ArgumentParser(prog="python -m grader.notebook")
    parser.add_argument("exercise")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--lang", default=default_lang(), choices=LANGS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--warning", action="append", default=[])
    args = parser.parse_args(argv)

    from grader.catalog import Catalog, CatalogError, find_root
    from grader.report.json_result import write_atomic

    warnings: list[TextLike] = [json.loads(w) for w in args.warning]
    document: dict[str, Any] = {}
    try:
        item = Catalog(find_root()).resolve(args.exercise)
        result = grade_notebook(item, args.notebook, args.lang, args.seed)
        document.update(score=result.score, max_score=result.max_score, status=result.status)
        text, html = render_texts(warnings, args.lang, result)
    except CatalogError as exc:
        text, html = render_texts([*warnings, exc.message], args.lang)
    document.update(text=text, html=html)
    write_atomic(args.out, json.dumps(document, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
