"""Sample submissions: ``tests/submissions/<exercise folder>/``, and the samples written as a patch of the reference.

``correct_*.py`` must score full marks; ``wrong_*.py`` must fail the checks named in its header::

    # expect-fail: mse_lesson_example, mse_random
    # expect-message: half of the sum

A sample whose header holds the line ``# patch: reference`` is the reference solution with the sample's
top-level definitions swapped in (:func:`apply_patch`): only what differs is written, so a fix to the reference
reaches every such sample. ``Sample.file`` gives the path to grade either way, and :func:`submission_file` does
the same for `grade exNN --submission SAMPLE` where the instructor's ``solutions/`` is present.
"""

from __future__ import annotations

import ast
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from grader.catalog import Catalog, CatalogError, Exercise
from grader.i18n import Msg


SUBMISSIONS = Path("tests") / "submissions"
MIN_WRONG_SAMPLES = 3


#: A sample written as "the reference plus a small patch": this header line, then only what differs (functions,
#: classes, constants, imports). The reference's definitions of the same names are replaced, new ones appended.
PATCH_HEADER = re.compile(r"^#\s*patch:\s*reference\s*$", re.M)


@dataclass
class Sample:
    path: Path
    kind: str  # correct | wrong
    expect_fail: tuple[str, ...] = ()
    expect_message: str = ""
    patch: bool = False  # "# patch: reference": graded as the reference with this file's definitions swapped in

    def source(self, exercise: Exercise) -> str:
        """The submission this sample stands for: the file itself, or the reference with the patch applied."""
        text = self.path.read_text(encoding="utf-8")
        if not self.patch:
            return text
        if exercise.reference_path is None:
            error = "a '# patch: reference' sample needs the reference solution"
            raise CatalogError(Msg("bad_exercise", path=str(self.path), error=error))
        return apply_patch(exercise.reference_path.read_text(encoding="utf-8"), text)

    @contextmanager
    def file(self, exercise: Exercise) -> Iterator[Path]:
        """A path to grade: the sample itself, or (a patch) the patched reference in a temporary file."""
        if not self.patch:
            yield self.path
            return
        with tempfile.TemporaryDirectory(prefix="grade-sample-") as tmp:
            path = Path(tmp) / (exercise.meta.get("file") or self.path.name)
            path.write_text(self.source(exercise), encoding="utf-8")
            yield path


def _names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def _span(node: ast.stmt) -> tuple[int, int]:
    """0-based first line (decorators included) and end line (exclusive) of a statement."""
    first = min([node.lineno, *[d.lineno for d in getattr(node, "decorator_list", [])]])
    return first - 1, node.end_lineno or node.lineno


def apply_patch(reference: str, patch: str) -> str:
    """``reference`` with each top-level definition of ``patch`` swapped in for the reference's definition of the
    same name (functions, classes, assignments); the patch's imports go after the reference's, and definitions
    the reference does not have are appended. Comments and everything else of the reference stay."""
    ref_tree, patch_tree = ast.parse(reference), ast.parse(patch)
    patch_lines = patch.splitlines(keepends=True)
    chunks: list[tuple[int, int, str]] = []  # (start, end) lines of the reference replaced by text
    imports, appended = [], []
    for node in patch_tree.body:
        start, end = _span(node)
        text = "".join(patch_lines[start:end]).rstrip("\n") + "\n"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if text.strip() not in (line.strip() for line in reference.splitlines()):
                imports.append(text)
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the patch's docstring
        names = _names(node)
        target = next((r for r in ref_tree.body if names and _names(r) & names), None)
        if target is None:
            appended.append(text)
        else:
            chunks.append((*_span(target), text))
    last_import = max((_span(r)[1] for r in ref_tree.body if isinstance(r, (ast.Import, ast.ImportFrom))), default=0)
    if imports:
        chunks.append((last_import, last_import, "".join(imports)))
    lines = reference.splitlines(keepends=True)
    for start, end, text in sorted(chunks, key=lambda c: (c[0], c[1]), reverse=True):
        lines[start:end] = [text]
    text = "".join(lines)
    return text.rstrip("\n") + "\n" + "".join("\n\n" + t for t in appended)


def samples(catalog: Catalog, exercise: Exercise) -> list[Sample]:
    folder = catalog.root / SUBMISSIONS / exercise.name
    found = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        kind = path.name.split("_", 1)[0]
        if kind not in ("correct", "wrong") or path.suffix not in (".py", ".ipynb", ".toml"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        fails = re.search(r"expect-fail:\s*([\w ,]+)", text)
        message = re.search(r"expect-message:\s*(.+)", text)
        found.append(
            Sample(
                path,
                kind,
                tuple(n.strip() for n in fails.group(1).split(",") if n.strip()) if fails else (),
                message.group(1).strip().rstrip('",') if message else "",
                patch=path.suffix == ".py" and bool(PATCH_HEADER.search(text)),
            )
        )
    return found


def is_patch_sample(path: Path) -> bool:
    """A ``.py`` file whose header holds the line ``# patch: reference`` (what :func:`samples` calls a patch)."""
    if path.suffix != ".py":
        return False
    try:
        return bool(PATCH_HEADER.search(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


@contextmanager
def submission_file(exercise: Exercise, path: Path) -> Iterator[Path]:
    """The file `grade exNN --submission PATH` grades: a ``# patch: reference`` sample is graded as the reference
    with the patch applied, as `grade validate` grades it, where the instructor's ``solutions/`` holds the reference;
    any other file (and every file in a student's copy, which has no solutions/) as it is. A patch that is not valid
    Python is graded as it is, so the student's view of a syntax error names its line."""
    if exercise.reference_path is None or not is_patch_sample(path):
        yield path
        return
    sample = Sample(path, path.name.split("_", 1)[0], patch=True)
    try:
        sample.source(exercise)
    except SyntaxError:
        yield path
        return
    with sample.file(exercise) as patched:
        yield patched
