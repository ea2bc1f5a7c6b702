"""Turning a submission file (.py or .ipynb) into the Python source the judge grades.

A notebook's code comes from its answer cells, found by their ``answer`` tag wherever the student moved them.
A notebook without tags (built from scratch) falls back to every code cell, without the shell and magic lines
(``!pip …``, ``%matplotlib …``) and, when the exercise asks only for functions, without the cells that train a
model or draw plots at top level. The student's file is only read, never modified.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.feedback import Code
from grader.i18n import Msg, TextLike, register
from grader.source import read_source, syntax_problem

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "nb_wrong_exercise": {
        "ko": "이 노트북은 {made_for} 문제용이라 {graded} 문제로 채점할 수 없습니다. {made_for_id} 문제로 채점하거나({command}), {graded_id} 문제의 노트북을 여세요.",
        "en": "This notebook was made for {made_for}, not {graded}. Grade it as {made_for_id} ({command}), or open the notebook of {graded_id}.",
    },
    # notebooks
    "nb_invalid_json": {
        "ko": "노트북 파일 {path}의 내용이 올바른 JSON이 아닙니다({error}). 저장이 끝나지 않았거나 파일이 잘렸을 수 있습니다. Jupyter나 Colab에서 다시 저장(파일 → .ipynb 다운로드)하세요.",
        "en": "The notebook {path} is not valid JSON ({error}). It may be cut short or half-saved; save it again from Jupyter or Colab (File → Download .ipynb).",
    },
    "nb_bad_version": {
        "ko": "노트북 {path}의 nbformat 버전이 {version}입니다. 채점기는 버전 4 노트북을 읽습니다. Jupyter나 Colab에서 열어 다시 저장하세요.",
        "en": "The notebook {path} has nbformat version {version}; the grader reads version 4 notebooks. Open it in Jupyter or Colab and save it again.",
    },
    "nb_no_version": {
        "ko": "{path} 파일에는 노트북이면 있어야 할 nbformat 버전이 없습니다. Jupyter나 Colab에서 만든 .ipynb 파일이 맞는지 확인하고, 열어서 다시 저장하세요.",
        "en": "{path} has no nbformat version, which every notebook has: check that it is an .ipynb saved by Jupyter or Colab, open it there and save it again.",
    },
    "nb_unreadable": {
        "ko": "노트북 {path}의 구조를 읽을 수 없습니다: {error}",
        "en": "The notebook {path} has a structure the grader cannot read: {error}",
    },
    "nb_cell_syntax": {
        "ko": "{cell}번째 셀 {line}행에 문법 오류가 있습니다: {msg}",
        "en": "Syntax error in cell {cell}, line {line}: {msg}",
    },
    "nb_untagged": {
        "ko": "'{tag}' 태그가 붙은 답안 셀이 없어 모든 코드 셀을 채점했습니다. 제공된 노트북의 답안 셀에 답을 쓰면 더 정확하게 채점됩니다.",
        "en": "No answer cell tagged '{tag}' was found, so every code cell was graded. Writing in the answer cell of the provided notebook grades more reliably.",
    },
    "nb_magics_removed": {
        "ko": "파이썬이 아닌 셸/매직 줄 {n}개를 빼고 채점했습니다(셀 번호: 줄): {lines}",
        "en": "Left out {n} shell/magic {n|line|lines} that {n|is|are} not Python (cell: line): {lines}",
    },
    "nb_cells_skipped": {
        "ko": "이 문제는 함수만 채점하므로, 최상위에서 모델을 학습하거나 그래프를 그리는 셀(줄)은 실행하지 않았습니다: {cells}",
        "en": "This exercise grades functions only, so cells (or lines) that train a model or draw plots at top level were not run: {cells}",
    },
    "nb_too_big": {
        "ko": "노트북 {path}의 크기가 {size:,}바이트로, 상한 {cap:,}바이트를 넘어 채점하지 않았습니다. 큰 출력(이미지, 긴 로그)을 지우고(Edit → Clear All Outputs) 저장한 뒤 다시 제출하세요.",
        "en": "The notebook {path} is {size:,} bytes, over the {cap:,}-byte limit, so it was not graded. Clear its large outputs (Edit → Clear All Outputs), save it and submit it again.",
    },
    "nb_cell_too_big": {
        "ko": "노트북 {path}의 {cell}번째 셀 코드가 {size:,}자로, 셀 하나의 상한 {cap:,}자를 넘어 채점하지 않았습니다.",
        "en": "Cell {cell} of the notebook {path} holds {size:,} characters of code, over the {cap:,}-character limit of one cell, so it was not graded.",
    },
})

#: The tag of the cells holding the answer (cell metadata "tags", kept by Jupyter and Colab).
ANSWER_TAG = "answer"
#: The tag prefix naming the question of a quiz answer cell: ``question:q01-3``.
QUESTION_TAG = "question:"
NOTEBOOK_SUFFIX = ".ipynb"
NBFORMAT_MAJOR = 4

#: Calls that train a model (a loop over epochs lives in them or around them).
TRAIN_CALLS = {"fit", "fit_generator", "train_on_batch", "apply_gradients", "GradientTape"}
#: Calls that draw; any call through these module aliases draws too.
PLOT_CALLS = {"plot", "imshow", "scatter", "hist", "show", "subplots", "subplot", "figure", "savefig", "bar", "pairplot"}
PLOT_MODULES = {"plt", "pyplot", "sns", "seaborn", "matplotlib"}
#: Cell magics whose body is still Python.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture"}
#: The largest notebook read (outputs and images included), and the largest code cell in it.
MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024
MAX_CELL_CHARS = 256 * 1024
#: What may stand before ``= !cmd`` / ``= %magic`` (``files, other = !ls``): names, dots, commas, brackets, spaces.
_TARGET_CHARS = frozenset(".,[]() \t\f\v")


@dataclass
class Extracted:
    source: str
    notes: list[TextLike] = field(default_factory=list)
    problem: TextLike | None = None
    details: list[Any] = field(default_factory=list)  # feedback details of the problem (the offending line)
    notebook: bool = False


@dataclass
class Cell:
    number: int  # 1-based position among all cells of the notebook, as the student counts them
    source: str
    tags: list[str]

    @property
    def tagged(self) -> bool:
        return ANSWER_TAG in self.tags


def is_notebook(path: Path) -> bool:
    return path.suffix.lower() == NOTEBOOK_SUFFIX


def extract(path: Path, stub: str | None = None, exercise: Any = None) -> Extracted:
    """The gradable source of ``path``; ``stub`` (the exercise's stub source) tells whether it asks for functions only.

    With ``exercise``, a notebook generated for another exercise is a problem that names the right one."""
    path = Path(path)
    if not is_notebook(path):
        return Extracted(read_source(path))
    cells, problem = read_cells(path)
    if problem is not None:
        return Extracted("", problem=problem, notebook=True)
    if exercise is not None:
        wrong = wrong_exercise(path, exercise)
        if wrong is not None:
            return Extracted("", problem=wrong, notebook=True)
    return _from_cells(cells, functions_only=asks_functions_only(stub) if stub else False)


def read_notebook_text(path: Path) -> tuple[str | None, int]:
    """The text of the notebook ``path`` and its size; None when it is over :data:`MAX_NOTEBOOK_BYTES` (never read whole)."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_NOTEBOOK_BYTES + 1)
        if len(data) > MAX_NOTEBOOK_BYTES:
            handle.seek(0, 2)
            return None, handle.tell()
    return data.decode("utf-8", "replace"), len(data)


def made_for(path: Path) -> str | None:
    """The exercise a generated notebook was made for (its ``grader`` metadata), or None."""
    import json

    try:
        text, _ = read_notebook_text(Path(path))
        raw = json.loads(text) if text is not None else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict):
        return None
    meta = (raw.get("metadata") or {}).get("grader") or {}
    if isinstance(meta, dict) and isinstance(meta.get("exercise"), str):
        return meta["exercise"]
    for cell in raw.get("cells") or []:  # answer cells copied into a notebook of the student's own
        cell_meta = ((cell or {}).get("metadata") or {}).get("grader") or {} if isinstance(cell, dict) else {}
        if isinstance(cell_meta, dict) and cell_meta.get("role") == "answer" and isinstance(cell_meta.get("exercise"), str):
            return cell_meta["exercise"]
    return None


def wrong_exercise(path: Path, exercise: Any) -> TextLike | None:
    """A message when the notebook ``path`` was generated for another exercise than ``exercise``."""
    owner = made_for(path)
    if not owner or owner in (exercise.name, exercise.id) or owner.split("_")[0] == exercise.id:
        return None
    owner_id = owner.split("_")[0]
    return Msg("nb_wrong_exercise", made_for=owner, graded=exercise.name, made_for_id=owner_id, graded_id=exercise.id,
               command=f"grade {owner_id} --submission {Path(path).name}")


def read_cells(path: Path) -> tuple[list[Cell], TextLike | None]:
    """The code cells of a notebook, or a message naming why it cannot be read."""
    import nbformat
    from nbformat.reader import NotJSONError, parse_json

    name = path.name
    text, size = read_notebook_text(path)
    if text is None:
        return [], Msg("nb_too_big", path=name, size=size, cap=MAX_NOTEBOOK_BYTES)
    try:
        raw = parse_json(text)
    except RecursionError:
        return [], Msg("nb_invalid_json", path=name, error="nested too deeply")
    except NotJSONError as exc:
        cause = exc.__cause__
        where = f"line {cause.lineno}, column {cause.colno}: {cause.msg}" if hasattr(cause, "lineno") else str(exc)
        return [], Msg("nb_invalid_json", path=name, error=where)
    if not isinstance(raw, dict):
        return [], Msg("nb_invalid_json", path=name, error=f"a {type(raw).__name__}, not an object")
    version = raw.get("nbformat")
    if version is None:  # not "version ?": say what is missing
        return [], Msg("nb_no_version", path=name)
    if version not in (3, NBFORMAT_MAJOR):
        return [], Msg("nb_bad_version", path=name, version=repr(version))
    try:
        notebook = nbformat.reads(text, as_version=NBFORMAT_MAJOR, capture_validation_error={})
        cells = []
        for number, cell in enumerate(notebook.cells, start=1):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            if len(source) > MAX_CELL_CHARS:
                return [], Msg("nb_cell_too_big", path=name, cell=number, size=len(source), cap=MAX_CELL_CHARS)
            tags = (cell.get("metadata") or {}).get("tags") or []
            cells.append(Cell(number, source, [str(t) for t in tags]))
    except Exception as exc:  # a structure nbformat cannot convert
        return [], Msg("nb_unreadable", path=name, error=f"{type(exc).__name__}: {exc}")
    return cells, None


def _from_cells(cells: list[Cell], functions_only: bool) -> Extracted:
    result = Extracted("", notebook=True)
    tagged = [c for c in cells if c.tagged]
    chosen = tagged or [c for c in cells if not _is_grader_cell(c.source)]
    if not tagged:
        result.notes.append(Msg("nb_untagged", tag=ANSWER_TAG))
    removed: list[str] = []
    parts: list[tuple[Cell, str]] = []
    for cell in chosen:
        code = strip_magics(cell.source, removed, cell.number)
        problem = syntax_problem(code, f"cell {cell.number}")
        if problem is not None:
            result.problem = Msg("nb_cell_syntax", cell=cell.number, line=problem.line, msg=problem.message)
            result.details = [Code(problem.excerpt())] if problem.text else []
            return result
        parts.append((cell, code))
    if removed:
        result.notes.append(Msg("nb_magics_removed", n=len(removed), lines="; ".join(removed)))
    if not tagged and functions_only:
        skipped: list[str] = []
        parts = [(cell, _drop_top_level_work(cell, code, skipped)) for cell, code in parts]
        parts = [(cell, code) for cell, code in parts if code is not None]
        if skipped:
            result.notes.append(Msg("nb_cells_skipped", cells=", ".join(skipped)))
    result.source = "\n\n".join(f"# --- cell {cell.number} ---\n{code.rstrip()}" for cell, code in parts) + "\n"
    return result


def strip_magics(source: str, removed: list[str] | None = None, number: int = 0) -> str:
    """IPython-only lines become ``pass`` (same line numbers, indented blocks stay valid)."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)
        if removed is not None:
            removed.append(f"{number}: {lines[0].strip()}")
        if magic and magic[0] in PYTHON_CELL_MAGICS:
            return "\n".join(["pass"] + lines[1:])
        return ""
    out = []
    for line in lines:
        if looks_like_magic(line) and not _is_python(line):
            if removed is not None:
                removed.append(f"{number}: {line.strip()}")
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass")
        else:
            out.append(line)
    return "\n".join(out)


def looks_like_magic(line: str) -> bool:
    """``!pip …``, ``%time …``, ``files = !ls``, ``np.sum?``: a shell, magic or help line (one linear scan, no regex)."""
    stripped = line.strip()
    if stripped.startswith(("!", "%")):
        return True
    target, equals, rest = stripped.partition("=")
    if equals and target and rest.lstrip().startswith(("!", "%")) and all(
            ch.isalnum() or ch == "_" or ch in _TARGET_CHARS for ch in target):
        return True
    name = stripped[:-2] if stripped.endswith("??") else stripped[:-1] if stripped.endswith("?") else ""
    return bool(name) and all(ch.isalnum() or ch in "_." for ch in name)


def _is_python(line: str) -> bool:
    """``x = a != b`` or ``y = a % b`` look like magics to the pattern; real Python parses alone."""
    stripped = line.strip()
    if stripped.startswith(("!", "%")) or stripped.endswith("?"):
        return False
    try:
        ast.parse(stripped)
    except SyntaxError:
        return False
    return True


def _is_grader_cell(source: str) -> bool:
    """The generated install and check cells: they must not run inside the sandbox."""
    try:
        tree = ast.parse(strip_magics(source))
    except (SyntaxError, ValueError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "grader" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "grader":
            return True
        if isinstance(node, ast.Constant) and node.value == "grader":
            return True
    return False


def asks_functions_only(stub: str) -> bool:
    """The stub defines functions or classes and runs nothing at top level (imports and constants aside)."""
    try:
        tree = ast.parse(stub)
    except (SyntaxError, ValueError):
        return False
    defines = False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defines = True
        elif isinstance(node, (ast.Import, ast.ImportFrom, ast.Pass)):
            continue
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and not _calls(node):
            continue  # a constant
        else:
            return False
    return defines


def _calls(node: ast.AST) -> list[str]:
    """The names of the calls made when ``node`` runs (not those inside functions it defines)."""
    found: list[str] = []

    def visit(n: ast.AST) -> None:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return
        if isinstance(n, ast.Call):
            found.append(_call_name(n.func))
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return found


def _call_name(func: ast.AST) -> str:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    elif isinstance(func, ast.Call):
        parts.append(_call_name(func.func) + "()")
    return ".".join(reversed(parts))


def _work(node: ast.stmt) -> str | None:
    """The training or plotting call a top-level statement makes, if any."""
    for name in _calls(node):
        parts = name.split(".")
        if parts[-1] in TRAIN_CALLS or parts[0] in PLOT_MODULES or (len(parts) > 1 and parts[-1] in PLOT_CALLS):
            return name
    return None


def _drop_top_level_work(cell: Cell, code: str, skipped: list[str]) -> str | None:
    """Without top-level training and plotting: None for a cell that does only that, else the cell less those lines."""
    tree = ast.parse(code)
    work = [(node, _work(node)) for node in tree.body]
    work = [(node, name) for node, name in work if name]
    if not work:
        return code
    defines = any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in tree.body)
    if not defines:
        skipped.append(f"{cell.number} ({', '.join(dict.fromkeys(name for _, name in work))})")
        return None
    lines = code.splitlines()
    for node, name in work:
        start, end = node.lineno - 1, (node.end_lineno or node.lineno)
        lines[start:end] = ["pass"] + [""] * (end - start - 1)
        skipped.append(f"{cell.number} line {node.lineno} ({name})")
    return "\n".join(lines)


def find_in_dir(folder: Path, exercise: Any, notebooks_only: bool = False) -> Path | None:
    """The student's file for ``exercise`` in ``folder``: the stub's file name, else ``<name>.ipynb``,
    else ``<stub stem>.ipynb``, else the newest ``<id>*.ipynb``."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    file = exercise.meta.get("file")
    names = [file] if file and not notebooks_only else []
    names += [f"{exercise.name}{NOTEBOOK_SUFFIX}"]
    if file:
        names.append(f"{Path(file).stem}{NOTEBOOK_SUFFIX}")
    for name in names:
        if (folder / name).is_file():
            return folder / name
    found = [p for p in folder.glob(f"{exercise.id}*{NOTEBOOK_SUFFIX}") if p.is_file()]
    if not found:
        return None
    return max(found, key=lambda p: (p.stat().st_mtime, p.name))


def loadable_path(submission: Path, extracted: Extracted, file_name: str | None = None) -> Path:
    """The file the sandbox loads: a .py submission itself, a notebook's code in a temporary ``<stub name>.py``."""
    if not extracted.notebook:
        return submission
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="grade-notebook-"))
    path = folder / (file_name or "submission.py")
    path.write_text(extracted.source, encoding="utf-8")
    return path


def remove_loadable(loadable: Path, submission: Path) -> None:
    """Remove the temporary file made by :func:`loadable_path` (never the student's own file)."""
    if Path(loadable) == Path(submission) or not Path(loadable).parent.name.startswith("grade-notebook-"):
        return
    import shutil

    shutil.rmtree(Path(loadable).parent, ignore_errors=True)
