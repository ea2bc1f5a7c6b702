"""Checking from inside a notebook: ``from grader.notebooks import check, hint; check("ex05")``.

``check`` grades what the student ran: the answer cells of the notebook this kernel runs (as saved on disk; on
Colab, as the notebook holds them now), or, where they differ from the cells this kernel ran or the kernel is not
told its file (nbclient, papermill), the answer cells it ran, from IPython's history (``grader.notebooks.read``),
never another notebook of the folder and never the kernel's live variables.  Grading runs in a separate process (``python -m grader.notebooks.jupyter``) through
the same judge and sandbox as the command line, so the kernel's state is left as it was; the result table is
shown as HTML in Jupyter (the student pages' view, ``grader.notebooks.html``) and as plain text elsewhere.  Student mistakes never raise: the failure is the feedback.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader.i18n import LANGS, Msg, TextLike, default_lang, register, tr
from grader.notebooks.read import differs, executed_answer, find_open_notebook, ipython_shell, not_saved

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "nb_not_saved": {
        "ko": "디스크에 저장된 노트북이 마지막으로 실행한 답안 셀과 다릅니다. 먼저 저장(Ctrl+S)한 뒤 다시 채점하세요. 아래 결과는 저장된 버전의 채점 결과입니다.",
        "en": "The notebook on disk differs from the answer cell you last ran. Save it first (Ctrl+S), then check again. The result below grades the saved version.",
    },
    "nb_graded_executed": {
        "ko": "저장된 노트북({file})의 답안 셀이 이 커널에서 실행한 답안 셀과 다릅니다. 아래 결과는 실행한 셀의 채점 결과입니다. 파일도 같게 하려면 저장(Ctrl+S)하세요.",
        "en": "The answer cells saved in {file} differ from the ones this kernel ran: the result below grades the cells you ran. Save the notebook (Ctrl+S) so the file matches.",
    },
    "nb_graded_unrun": {
        "ko": "노트북의 답안 셀이 이 커널에서 마지막으로 실행한 셀과 다릅니다(실행한 뒤 고쳤습니다). 아래 결과는 실행한 셀의 채점 결과입니다. 고친 셀을 실행한 뒤 다시 채점하세요.",
        "en": "The notebook's answer cells differ from the ones this kernel last ran (edited since): the result below grades the cells you ran. Run the edited cells, then check again.",
    },
    "nb_graded_kernel": {
        "ko": "이 커널은 자신의 노트북 파일 이름을 알지 못해(nbclient, papermill 등) 지금 커널에서 실행한 답안 셀을 채점했습니다.",
        "en": "This kernel is not told its notebook's file (nbclient, papermill…), so the answer cells it ran were graded.",
    },
    "nb_run_answer_first": {
        "ko": "이 커널에서 {exercise}의 답안 셀을 아직 실행하지 않았고, 커널이 노트북 파일 이름도 알지 못합니다. 답안 셀을 실행한 뒤 다시 채점하거나, 경로를 알려 주세요: check(\"{id}\", \"내_노트북.ipynb\")",
        "en": "This kernel has not run an answer cell of {exercise} yet, and is not told its notebook's file. Run your answer cell and check again, or pass the path: check(\"{id}\", \"my_notebook.ipynb\")",
    },
    "nb_not_found": {
        "ko": "{folder}에서 {exercise}의 노트북을 찾지 못했습니다. 경로를 직접 알려 주세요: check(\"{id}\", \"내_노트북.ipynb\")",
        "en": "Could not find the notebook of {exercise} in {folder}. Pass its path: check(\"{id}\", \"my_notebook.ipynb\")",
    },
    "nb_check_failed": {
        "ko": "채점기를 실행하지 못했습니다: {error}",
        "en": "The grader could not run: {error}",
    },
})

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
    shell = ipython_shell()
    if shell is not None and html is not None:
        from IPython.display import display

        display({"text/plain": text, "text/html": html}, raw=True)
    else:
        print(text)


def _check(exercise: str, notebook: str | os.PathLike | None, lang: str, seed: int | None) -> tuple[str, str | None]:
    from grader.catalog import Catalog, CatalogError, find_root

    root = find_root()
    catalog = Catalog(root)
    try:
        item = catalog.resolve(exercise)
    except CatalogError as exc:
        return _message_only(exc.message, lang)
    path, temporary = find_open_notebook(item, notebook)
    try:
        ran = executed_answer(item) if notebook is None else None
        if path is None and ran is None:
            if notebook is None and ipython_shell() is not None and item.kind != "quiz":
                return _message_only(Msg("nb_run_answer_first", exercise=item.name, id=item.id), lang)
            return _message_only(Msg("nb_not_found", exercise=item.name, folder=str(Path.cwd()), id=item.id), lang)
        if ran is not None and (path is None or differs(ran, path)):
            warning = (Msg("nb_graded_kernel") if path is None else Msg("nb_graded_unrun") if temporary
                       else Msg("nb_graded_executed", file=path.name))
            with tempfile.TemporaryDirectory(prefix="grade-kernel-") as folder:
                executed = write_executed(item, ran, Path(folder))
                return run_isolated(item.name, executed, lang, seed, root, [warning])
        warnings: list[TextLike] = []
        if item.kind == "quiz" and not temporary and not_saved(path, item):
            warnings.append(Msg("nb_not_saved"))
        return run_isolated(item.name, path, lang, seed, root, warnings)
    finally:
        if temporary and path is not None:
            path.unlink(missing_ok=True)


def write_executed(item: Any, cells: list[str], folder: Path) -> Path:
    """The answer cells this kernel ran, as a notebook of tagged answer cells made for ``item`` (graded like any)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from grader.submission import ANSWER_TAG

    notebook = new_notebook(cells=[new_code_cell(code, metadata={"tags": [ANSWER_TAG]}) for code in cells])
    notebook.metadata = {"grader": {"exercise": item.name, "kind": item.kind, "source": "kernel"}}
    path = folder / f"{item.name}.ipynb"
    nbformat.write(notebook, str(path))
    return path


def _message_only(message: TextLike, lang: str) -> tuple[str, str | None]:
    return render_texts([message], lang)


# --- grading in a separate process --------------------------------------------------------------


def run_isolated(name: str, path: Path, lang: str, seed: int | None, root: Path,
                 warnings: list[TextLike] | None = None) -> tuple[str, str | None]:
    """Grade in ``python -m grader.notebooks.jupyter`` and return its renderings (text, HTML)."""
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    with tempfile.TemporaryDirectory(prefix="grade-check-") as folder:
        out = Path(folder) / "result.json"
        command = [sys.executable, "-m", "grader.notebooks.jupyter", name, str(Path(path).resolve()), "--lang", lang,
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


def render_texts(messages: list[TextLike], lang: str, result: Any = None) -> tuple[str, str]:
    """Messages and, when given, the result: as plain text (the terminal view, for plain terminals and logs) and
    as HTML (the student pages' view of the exercise, ``grader.notebooks.html``)."""
    from rich.console import Console
    from rich.text import Text

    from grader.notebooks.html import result_html

    plain = Console(file=io.StringIO(), width=WIDTH, force_terminal=False, no_color=True, color_system=None,
                    highlight=False, emoji=False)
    for message in messages:
        plain.print(Text(tr(message, lang), style="bold yellow"))
    if result is not None:
        from grader.report.terminal import ExerciseView

        plain.print(ExerciseView(result, lang, commands="notebook"))
    return plain.file.getvalue(), result_html(result, lang, messages)


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.notebooks.jupyter EXERCISE NOTEBOOK --out result.json``: grade and write both renderings."""
    parser = argparse.ArgumentParser(prog="python -m grader.notebooks.jupyter")
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
        if item.kind == "exercise":
            from grader.server.client import enable

            enable(item.folder.parent.parent)  # the user's warm server: every check() after the first is quick
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
