"""The student release (`grade release`): statements, stubs with their fingerprints, public checks, hashed quiz keys
and the grader; no solutions. The Gradescope autograder zip is ``autograder.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader import quiz
from grader.catalog import LOCK_FILE, Catalog, Exercise
from grader.instructor.validate import drafts
from grader.public import ignore_private
from grader.source import fingerprints, lock_text, read_source


class DraftError(Exception):
    """Exercises that fail the static validation: `grade release` and `grade autograder` refuse them."""

    def __init__(self, drafts: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{name}: {', '.join(problems)}" for name, problems in drafts.items()))
        self.drafts = drafts


def refuse_drafts(catalog: Catalog, allow_draft: bool = False) -> dict[str, list[str]]:
    """The exercises failing the cheap, static part of `grade validate` (metadata, placeholders, samples,
    fingerprints); raises DraftError unless ``allow_draft``. Nothing is graded."""
    found = drafts(catalog)
    if found and not allow_draft:
        raise DraftError(found)
    return found


def shipped_lock(exercise: Exercise) -> str:
    """``stub.lock`` for the stub exactly as it ships, so in-place grading of the shipped copy is right."""
    return lock_text(exercise.meta["file"], fingerprints(read_source(exercise.stub_path)))

PACKAGE = Path(__file__).resolve().parent.parent  # grader/, shipped whole
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".grade_state.json", ".ipynb_checkpoints", "*.egg-info")
PROJECT_FILES = ("pyproject.toml", "requirements.lock")

STUDENT_README = """# 딥러닝 실습 과제 / Deep-learning exercises

## 시작하기 / Setup

```bash
python3 -m venv .venv && . .venv/bin/activate
pip install -r requirements.lock && pip install --no-deps -e .
```

## 채점 / Grading

| 명령 / command | 하는 일 / what it does |
|---|---|
| `grade list` | 연습 문제와 퀴즈 목록 / the exercises and quizzes |
| `grade ex05` | `exercises/ex05_*/`의 파일을 채점 / grade your file in `exercises/ex05_*/` |
| `grade hint ex05` | 다음 힌트 / the next hint |
| `grade q01` | 퀴즈 풀기 / take a quiz |
| `grade` | 진행 상황 / your progress |
| `grade all` | 전체 과제 채점 / the whole assignment |

`--lang ko` 또는 `--lang en`으로 언어를 고릅니다. 각 연습 문제의 `statement.ko.md` / `statement.en.md`를 읽고
`exercises/` 안의 파일에서 `# [[YOUR CODE]]` 부분을 직접 채운 뒤 `grade ex05`처럼 채점하세요. 아직 손대지 않은 함수는
"시도 안 함"으로 표시됩니다. 각 폴더의 `stub.lock`은 처음 받은 파일의 지문이니 지우거나 고치지 마세요.
숨겨진 검사는 강사의 채점에서만 실행됩니다.

Choose the language with `--lang ko` or `--lang en`. Read each exercise's `statement.en.md`, fill in the
`# [[YOUR CODE]]` parts of its file in `exercises/` in place, and run `grade ex05`. A function you have not changed
yet is shown as "not attempted". Each folder's `stub.lock` holds the fingerprints of the file as shipped: leave it as
it is. Hidden checks run only when your instructor grades.

## Exercises
{table}
"""


def _exercise_table(catalog: Catalog) -> str:
    rows = ["| id | 주제 / topic | points |", "|---|---|---|"]
    for item in catalog.items:
        rows.append(f"| {item.name} | {item.title['ko']} / {item.title['en']} | {item.points:g} |")
    return "\n".join(rows)


def _copy_package(target: Path) -> None:
    shutil.copytree(PACKAGE, target / "grader", ignore=IGNORE)


def build_release(catalog: Catalog, out: Path, allow_draft: bool = False) -> list[Path]:
    """Statements, stubs with their fingerprints, public checks, quiz questions with hashed keys, the grader:
    nothing from solutions/. Refuses (DraftError) exercises that fail the static validation unless ``allow_draft``."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    refuse_drafts(catalog, allow_draft)
    out.mkdir(parents=True, exist_ok=True)
    (out / "exercises").mkdir()
    for item in catalog.items:
        target = out / "exercises" / item.name
        shutil.copytree(item.folder, target, ignore=ignore_private)  # never answers files, keys or state files
        if item.kind == "quiz":
            import tomli_w

            loaded = quiz.load_quiz(item, public=False)
            (target / quiz.PUBLIC_KEY_FILE).write_text(tomli_w.dumps(quiz.hashed_key(loaded)), encoding="utf-8")
            (target / quiz.ANSWERS_FILE).write_text(quiz.answers_template(loaded), encoding="utf-8")
        elif item.stub_path.exists():
            (target / LOCK_FILE).write_text(shipped_lock(item), encoding="utf-8")
    _copy_package(out)
    for name in PROJECT_FILES:
        shutil.copy2(catalog.root / name, out / name)
    (out / "README.md").write_text(STUDENT_README.format(table=_exercise_table(catalog)), encoding="utf-8")
    (out / ".gitignore").write_text(".venv/\n__pycache__/\n.grade_state.json\n*.egg-info/\n", encoding="utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())
