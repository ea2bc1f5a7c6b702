"""Student notebooks: one per exercise and quiz, generated from the exercise folder with nbformat.

Each notebook holds an install cell (the grader, only when it is missing), the statement as markdown cells,
the stub in a code cell tagged ``answer`` (a quiz: one tagged cell per question), a scratch cell and a last
cell that checks the answer from inside the notebook.  Cell ids derive from the exercise id and the cell's
role, so regenerating from the same exercise gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.catalog import Catalog, Exercise
from grader.i18n import Msg, register, tr
from grader.quiz.model import QUESTIONS_FILE, parse_questions
from grader.source import read_source
from grader.submission import ANSWER_TAG, QUESTION_TAG

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "nb_answer_here": {
        "ko": "## 답안\n아래 셀(태그 `answer`)의 `# [[YOUR CODE]]` 부분을 채우세요. 채점기는 이 셀만 읽으므로, 답에 필요한 import와 도우미 함수도 이 셀에 두세요. 셀을 옮기거나 새 셀을 추가해도 괜찮습니다.",
        "en": "## Your answer\nFill in the `# [[YOUR CODE]]` parts of the cell below (tagged `answer`). The grader reads only this cell, so keep the imports and helper functions your answer needs in it. Moving cells or adding new ones is fine.",
    },
    "nb_scratch_here": {
        "ko": "## 연습 공간\n자유롭게 시험해 보세요. 이 셀은 채점하지 않습니다.",
        "en": "## Scratch space\nTry things out here. This cell is not graded.",
    },
    "nb_check_here": {
        "ko": "## 채점\n노트북을 먼저 저장(Ctrl+S)한 뒤 아래 셀을 실행하세요. 채점기는 디스크에 저장된 노트북의 답안 셀을 읽습니다.",
        "en": "## Check your answer\nSave the notebook first (Ctrl+S), then run the cell below. The grader reads the answer cells of the notebook saved on disk.",
    },
    "nb_install_comment": {
        "ko": "채점기(grader)가 없을 때만 설치합니다(예: Colab). 이미 설치되어 있으면 아무 일도 하지 않습니다.",
        "en": "Installs the grader only when it is missing (e.g. on Colab); does nothing when it is already installed.",
    },
    "nb_install_course": {
        "ko": "강사가 알려 준 과제 저장소(git URL, `grade release`로 만든 학생용 과제) 또는 그 폴더",
        "en": "the course's student release (made by `grade release`): its git URL from your instructor, or its folder",
    },
    "nb_install_missing": {
        "ko": "채점기가 설치되어 있지 않고 COURSE도 비어 있어 아무것도 설치하지 않았습니다. 과제 폴더에서 make notebook을 실행하거나(JupyterLab을 .venv에 한 번 설치하고, notebooks/에 노트북을 만들어 엽니다. make가 없으면 .venv/bin/pip install -e \".[notebook]\" 후 .venv/bin/jupyter lab), 강사에게 과제 저장소의 git URL을 받아 이 셀의 COURSE에 넣고 다시 실행하세요.",
        "en": "The grader is not installed here and COURSE is empty, so nothing was installed. In the course folder, run make notebook (it installs JupyterLab into .venv once, writes the notebooks into notebooks/ and opens them; without make: .venv/bin/pip install -e \".[notebook]\", then .venv/bin/jupyter lab), or ask your instructor for the course's git URL, put it in COURSE in this cell and run it again.",
    },
    "nb_hint_comment": {
        "ko": "막히면: hint(\"{id}\", lang=\"{lang}\")를 실행할 때마다 힌트가 하나씩 더 나옵니다.",
        "en": "Stuck? Each run of hint(\"{id}\", lang=\"{lang}\") shows one more hint.",
    },
    "nb_scratch_comment": {
        "ko": "연습 공간: 채점하지 않습니다.",
        "en": "Scratch space: not graded.",
    },
    "nb_kept_changed": {
        "ko": "{path}은(는) 만들어진 뒤 바뀌었으므로(학생의 답이나 메모) 그대로 두었습니다. 새 노트북은 {new}에 썼습니다.",
        "en": "{path} was changed since it was generated (a student's answer or notes), so it was left as it is; the new notebook is {new}.",
    },
    "nb_quiz_answer_here": {
        "ko": "아래 셀(태그 `answer`, `question:{qid}`)에 답을 쓰세요.",
        "en": "Write your answer in the cell below (tagged `answer`, `question:{qid}`).",
    },
})

#: Where the install cell gets the grader: the course's student release made by `grade release`, as a git URL
#: (cloned) or a folder; `grade notebooks --course`. Empty: the cell says what to do instead of installing anything.
INSTALL_SPEC = os.environ.get("GRADE_COURSE", os.environ.get("GRADE_INSTALL_SPEC", ""))
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
_FENCE = re.compile(r"^\s*(```|~~~)")


def cell_id(exercise: Exercise, role: str) -> str:
    """A stable, valid (nbformat 4.5) cell id from the exercise id and the cell's role."""
    raw = re.sub(r"[^A-Za-z0-9_-]", "-", f"{exercise.id}-{role}")
    if len(raw) > 64:
        raw = f"{raw[:55]}-{hashlib.sha1(raw.encode()).hexdigest()[:8]}"
    return raw


def _meta(exercise: Exercise, role: str, **extra: Any) -> dict[str, Any]:
    return {"grader": {"exercise": exercise.id, "role": role, **extra}}


def split_markdown(text: str) -> list[str]:
    """The statement in cells, one per level-2 section (headings inside code fences do not split)."""
    parts: list[list[str]] = [[]]
    fenced = False
    for line in text.strip().splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and line.startswith("## ") and any(s.strip() for s in parts[-1]):
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(p).strip() for p in parts if any(s.strip() for s in p)]


def notebook_commands(text: str, exercise_id: str) -> str:
    """The statement's command lines as a notebook runs them: `grade hint ex05` → `hint("ex05")`, `grade ex05` → `check("ex05")`."""
    text = text.replace(f"`grade hint {exercise_id}`", f'`hint("{exercise_id}")`')
    return text.replace(f"`grade {exercise_id}`", f'`check("{exercise_id}")`')


def install_source(lang: str, spec: str = INSTALL_SPEC) -> str:
    """The first cell: makes the grader importable only when it is missing (Colab).

    ``spec`` is the course's student release (what `grade release` writes, pushed to a git repository): a git URL
    is cloned into ``course/``; the release folder is installed with pip (``-e``, so ``grade`` works in ``!grade``),
    put on ``sys.path`` and used as ``GRADE_ROOT``, so the exercises are there too. Without a spec, the cell
    installs nothing and says what to do.
    """
    head = (f"# {tr(Msg('nb_install_comment'), lang)}\nimport importlib.util\nimport os\nimport subprocess\nimport sys\n\n"
            f"COURSE = {spec!r}  # {tr(Msg('nb_install_course'), lang)}\n")
    missing = tr(Msg("nb_install_missing"), lang)
    return head + (
        'if importlib.util.find_spec("grader") is None:\n'
        '    if COURSE.startswith(("https://", "http://", "git@", "ssh://")) or COURSE.endswith(".git"):\n'
        '        if not os.path.isdir("course"):\n'
        '            subprocess.run(["git", "clone", "--depth", "1", COURSE, "course"], check=True)\n'
        '        COURSE = "course"\n'
        '    if COURSE and os.path.isdir(os.path.join(COURSE, "grader")):\n'
        '        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", COURSE], check=False)\n'
        '        sys.path.insert(0, os.path.abspath(COURSE))\n'
        '        os.environ["GRADE_ROOT"] = os.path.abspath(COURSE)\n'
        '    else:\n'
        f'        print({missing!r})'
    )


def check_source(exercise: Exercise, lang: str) -> str:
    return (f'from grader.notebooks import check, hint\n\ncheck("{exercise.id}", lang="{lang}")\n'
            f'# {tr(Msg("nb_hint_comment", id=exercise.id, lang=lang), lang)}')


def build_notebook(exercise: Exercise, lang: str, install: str = INSTALL_SPEC) -> NotebookNode:
    """The student notebook of ``exercise`` (an exercise or a quiz) in ``lang``."""
    cells = [new_code_cell(install_source(lang, install), id=cell_id(exercise, "install"), metadata=_meta(exercise, "install"))]
    statement = exercise.statement(lang) or f"# {exercise.id} {tr(exercise.title, lang)}"
    for i, part in enumerate(split_markdown(notebook_commands(statement, exercise.id)), start=1):
        cells.append(new_markdown_cell(part, id=cell_id(exercise, f"statement-{i}"), metadata=_meta(exercise, "statement")))
    if exercise.kind == "quiz":
        cells += _quiz_cells(exercise, lang)
    else:
        cells.append(new_markdown_cell(tr(Msg("nb_answer_here"), lang), id=cell_id(exercise, "answer-intro"),
                                       metadata=_meta(exercise, "answer-intro")))
        stub = localized_stub(exercise, lang).rstrip() if exercise.stub_path.exists() else ""
        cells.append(new_code_cell(stub, id=cell_id(exercise, "answer"),
                                   metadata={"tags": [ANSWER_TAG], **_meta(exercise, "answer")}))
    cells.append(new_markdown_cell(tr(Msg("nb_scratch_here"), lang), id=cell_id(exercise, "scratch-intro"),
                                   metadata=_meta(exercise, "scratch-intro")))
    cells.append(new_code_cell(f"# {tr(Msg('nb_scratch_comment'), lang)}\n", id=cell_id(exercise, "scratch"),
                               metadata=_meta(exercise, "scratch")))
    cells.append(new_markdown_cell(tr(Msg("nb_check_here"), lang), id=cell_id(exercise, "check-intro"),
                                   metadata=_meta(exercise, "check-intro")))
    cells.append(new_code_cell(check_source(exercise, lang), id=cell_id(exercise, "check"), metadata=_meta(exercise, "check")))
    notebook = new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "grader": {"exercise": exercise.name, "kind": exercise.kind, "lang": lang,
                   "fingerprint": fingerprint(cells)},
    }
    nbformat.validate(notebook)
    return notebook


#: The stub's docstrings in another language, next to the stub: ``docstrings.<lang>.toml``, ``[docstrings]`` by name.
DOCSTRINGS_FILE = "docstrings.{lang}.toml"


def localized_stub(exercise: Exercise, lang: str) -> str:
    """The stub with its docstrings in ``lang`` where the exercise gives them (the code itself is unchanged)."""
    import ast
    import tomllib

    stub = read_source(exercise.stub_path)
    path = exercise.folder / DOCSTRINGS_FILE.format(lang=lang)
    if not path.exists():
        return stub
    texts = tomllib.loads(path.read_text(encoding="utf-8")).get("docstrings", {})
    try:
        tree = ast.parse(stub)
    except SyntaxError:
        return stub
    places: list[tuple[ast.AST, str]] = [(tree, "")]
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            places.append((node, node.name))
            if isinstance(node, ast.ClassDef):
                places += [(item, f"{node.name}.{item.name}") for item in node.body
                           if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
    lines = stub.splitlines(keepends=True)
    edits = []
    for node, key in places:
        body = getattr(node, "body", [])
        first = body[0] if body else None
        if (key in texts and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)):
            edits.append((first.lineno, first.end_lineno or first.lineno, first.col_offset, str(texts[key])))
    for start, end, column, text in sorted(edits, reverse=True):
        indent = " " * column
        text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        body = "\n".join((indent + line) if line and i else line for i, line in enumerate(text.split("\n")))
        if text.endswith("\n"):
            body += indent
        lines[start - 1:end] = [f'{indent}"""{body}"""\n']
    return "".join(lines)


#: The empty answer a quiz cell starts from, and what it expects, by question kind.
QUIZ_BLANKS = {
    "single": ('answer = ""', {"ko": "위 보기 중 id 하나 (문자열)", "en": "one choice id from the list above (a string)"}),
    "multiple": ("answer = []", {"ko": "위 보기 id의 리스트 (문자열 리스트)", "en": "a list of choice ids from the list above"}),
    "numeric": ("answer = None", {"ko": "숫자", "en": "a number"}),
    "text": ('answer = ""', {"ko": "짧은 글 (문자열)", "en": "a short text (a string)"}),
}


def quiz_questions(exercise: Exercise) -> list[Any]:
    """The questions of a quiz, read with grader.quiz (no answer key needed)."""
    import tomllib

    path = exercise.folder / QUESTIONS_FILE
    return parse_questions(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


def _quiz_cells(exercise: Exercise, lang: str) -> list[Any]:
    cells = []
    for number, question in enumerate(quiz_questions(exercise), start=1):
        lines = [f"### {number}. {tr(question.title, lang)}", "", tr(question.full_prompt(), lang)]
        if question.choices:
            lines.append("")
            lines += [f"- `{c.id}`: {tr(c.text, lang)}" for c in question.choices]
        lines += ["", tr(Msg("nb_quiz_answer_here", qid=question.id), lang)]
        role = f"question-{question.id}"
        cells.append(new_markdown_cell("\n".join(lines), id=cell_id(exercise, role), metadata=_meta(exercise, role)))
        blank, expects = QUIZ_BLANKS[question.kind]
        cells.append(
            new_code_cell(
                f"{blank}  # {tr(expects, lang)}",
                id=cell_id(exercise, f"answer-{question.id}"),
                metadata={"tags": [ANSWER_TAG, f"{QUESTION_TAG}{question.id}"],
                          **_meta(exercise, "answer", question=question.id)},
            )
        )
    return cells


def notebook_text(notebook: NotebookNode) -> str:
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def fingerprint(cells: list[Any]) -> str:
    """A digest of the cells' kinds and sources: what a student changes (outputs and run counts are left out)."""
    parts = []
    for cell in cells:
        source = cell.get("source", "")
        parts.append([str(cell.get("cell_type", "")), "".join(source) if isinstance(source, list) else str(source)])
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def untouched(path: Path) -> bool:
    """True when the notebook at ``path`` still holds the cells it was generated with (safe to replace)."""
    from grader.submission import read_notebook_text

    try:
        text, _ = read_notebook_text(path)
        raw = json.loads(text) if text is not None else None
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return False
    meta = (raw.get("metadata") or {}).get("grader") or {}
    cells = [c for c in raw["cells"] if isinstance(c, dict)]
    return isinstance(meta, dict) and meta.get("fingerprint") == fingerprint(cells)


def _beside(path: Path, text: str) -> Path:
    """Where a new notebook goes when the student changed ``path``: ``<name>.new.ipynb`` (then ``.new-2``…), reusing
    one that is identical or still untouched."""
    for n in range(1, 1000):
        candidate = path.with_name(f"{path.stem}.new{'' if n == 1 else f'-{n}'}{path.suffix}")
        if not candidate.exists() or candidate.read_text(encoding="utf-8", errors="replace") == text or untouched(candidate):
            return candidate
    raise OSError(f"no free name beside {path}")


def write_notebooks(catalog: Catalog, out: Path, lang: str, install: str = INSTALL_SPEC,
                    kept: list[tuple[Path, Path]] | None = None) -> list[Path]:
    """Write ``<out>/<exercise name>.ipynb`` for every exercise and quiz; files already identical stay untouched.

    A notebook changed since it was generated (an answer, notes: its cells no longer match its fingerprint) is
    never overwritten: the new one is written beside it (``<name>.new.ipynb``) and the pair is added to ``kept``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise in catalog.items:
        path = out / f"{exercise.name}.ipynb"
        text = notebook_text(build_notebook(exercise, lang, install))
        if path.exists() and path.read_text(encoding="utf-8", errors="replace") != text and not untouched(path):
            new = _beside(path, text)
            if kept is not None:
                kept.append((path, new))
            path = new
        if not path.exists() or path.read_text(encoding="utf-8", errors="replace") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
