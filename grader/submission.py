"""Turning a submission file (.py or .ipynb) into the Python source the judge grades.

A notebook's code comes from its answer cells, found by their ``answer`` tag wherever the student moved them.
A notebook without tags (built from scratch) falls back to every code cell, without the shell and magic lines
(``!pip …``, ``%matplotlib …``) and, when the exercise asks only for functions, without the cells that train a
model or draw plots at top level. The student's file is only read, never modified.
"""

from __future__ import annotations

import ast
import re
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
    "nb_quiz_not_literal": {
        "ko": "{cell}번째 셀(문항 {qid})의 answer는 계산식이 아닌 값(문자열, 숫자, 리스트)이어야 합니다. 답하지 않은 것으로 처리했습니다.",
        "en": "In cell {cell} (question {qid}), answer must be a plain value (a string, a number, a list), not an expression; it counts as unanswered.",
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
_MAGIC_LINE = re.compile(r"^\s*([!%]|[\w.,\s\[\]()]+=\s*[!%])|^\s*[\w.]+\?{1,2}\s*$")


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


def made_for(path: Path) -> str | None:
    """The exercise a generated notebook was made for (its ``grader`` metadata), or None."""
    import json

    try:
        raw = json.loads(read_source(Path(path)))
    except ValueError:
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
    text = read_source(path)
    try:
        raw = parse_json(text)
    except NotJSONError as exc:
        cause = exc.__cause__
        where = f"line {cause.lineno}, column {cause.colno}: {cause.msg}" if hasattr(cause, "lineno") else str(exc)
        return [], Msg("nb_invalid_json", path=name, error=where)
    if not isinstance(raw, dict):
        return [], Msg("nb_invalid_json", path=name, error=f"a {type(raw).__name__}, not an object")
    version = raw.get("nbformat")
    if version not in (3, NBFORMAT_MAJOR):
        return [], Msg("nb_bad_version", path=name, version="?" if version is None else repr(version))
    try:
        notebook = nbformat.reads(text, as_version=NBFORMAT_MAJOR, capture_validation_error={})
        cells = []
        for number, cell in enumerate(notebook.cells, start=1):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
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
        if _MAGIC_LINE.match(line) and not _is_python(line):
            if removed is not None:
                removed.append(f"{number}: {line.strip()}")
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass")
        else:
            out.append(line)
    return "\n".join(out)


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


@dataclass
class QuizAnswers:
    answers: dict[str, Any]  # question id -> the literal value of `answer` in its cell (None when blank)
    notes: list[TextLike] = field(default_factory=list)
    problem: TextLike | None = None


def quiz_answers(path: Path) -> QuizAnswers:
    """The answers of a quiz notebook: in each cell tagged ``question:<id>``, the value assigned to ``answer``.

    Nothing is executed: the value is read with ``ast.literal_eval`` (a string, a number, a list of strings).
    """
    cells, problem = read_cells(Path(path))
    if problem is not None:
        return QuizAnswers({}, problem=problem)
    out = QuizAnswers({})
    for cell in cells:
        qids = [t[len(QUESTION_TAG):] for t in cell.tags if t.startswith(QUESTION_TAG)]
        if not qids:
            continue
        code = strip_magics(cell.source)
        syntax = syntax_problem(code, f"cell {cell.number}")
        if syntax is not None:
            out.problem = Msg("nb_cell_syntax", cell=cell.number, line=syntax.line, msg=syntax.message)
            return out
        value = None
        for node in ast.parse(code).body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "answer" for t in node.targets):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    out.notes.append(Msg("nb_quiz_not_literal", cell=cell.number, qid=qids[0]))
                    value = None
        for qid in qids:
            out.answers[qid] = value
    return out
