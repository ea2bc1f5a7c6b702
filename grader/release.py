"""The instructor's outputs: the student release (no solutions) and a Gradescope autograder zip."""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path

from grader import quiz
from grader.catalog import LOCK_FILE, Catalog, Exercise
from grader.source import fingerprints, lock_text, read_source


class DraftError(Exception):
    """Exercises that fail the static validation: `grade release` and `grade autograder` refuse them."""

    def __init__(self, drafts: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{name}: {', '.join(problems)}" for name, problems in drafts.items()))
        self.drafts = drafts


def refuse_drafts(catalog: Catalog, allow_draft: bool = False) -> dict[str, list[str]]:
    """The exercises failing the cheap, static part of `grade validate` (metadata, placeholders, samples,
    fingerprints); raises DraftError unless ``allow_draft``. Nothing is graded."""
    from grader.validate import drafts

    found = drafts(catalog)
    if found and not allow_draft:
        raise DraftError(found)
    return found


def shipped_lock(exercise: Exercise) -> str:
    """``stub.lock`` for the stub exactly as it ships, so in-place grading of the shipped copy is right."""
    return lock_text(exercise.meta["file"], fingerprints(read_source(exercise.stub_path)))

PACKAGE = Path(__file__).resolve().parent
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
        shutil.copytree(item.folder, target, ignore=shutil.ignore_patterns(
            "__pycache__", "*.pyc", quiz.KEY_FILE, "answers.toml" if item.kind == "quiz" else "__none__"))
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


SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
set -euo pipefail
cd /autograder/source
apt-get update -qq && apt-get install -y -qq python3-venv python3-pip >/dev/null || true
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet -r requirements.lock
/autograder/venv/bin/pip install --quiet --no-deps -e .
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Grades /autograder/submission and always leaves a valid /autograder/results/results.json.
# Only the judge writes it: any results.json present before grading is removed, the judge writes a
# temporary file, and that file is used only when the judge itself ended normally (exit 0 or 1).
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PY="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS" "$RESULTS.judge"
cd "$ROOT/source" || exit 0
GRADE_ROOT="$ROOT/source" NO_COLOR=1 timeout -s KILL "${AUTOGRADER_TIMEOUT:-1800}" \
    "$PY" -m grader all --submission "$ROOT/submission" --format json --output "$RESULTS.judge" \
    --lang "${GRADE_LANG:-ko}" --seed "${GRADE_SEED:-$RANDOM}" __BOUNDARY__ > "$ROOT/results/grader.log" 2>&1
status=$?
if [ "$status" -le 1 ] && "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert isinstance(d["score"], (int, float))' "$RESULTS.judge" 2>/dev/null; then
    mv -f "$RESULTS.judge" "$RESULTS"
else
    rm -f "$RESULTS" "$RESULTS.judge"
    "$PY" - "$RESULTS" "$status" "$ROOT/results/grader.log" <<'EOF' 2>/dev/null || printf '{"score": 0, "output": "The grader failed before writing a result."}\n' > "$RESULTS"
import json, sys
log = open(sys.argv[3], errors="replace").read()[-2000:]
json.dump({"score": 0, "output": f"The grader failed (exit {sys.argv[2]}); nothing was graded.\n{log}", "tests": []}, open(sys.argv[1], "w"))
EOF
fi
exit 0
"""


def run_autograder_script(allow_unconfined: bool = False) -> str:
    """``run_autograder``: it refuses to grade without a file and process boundary unless allowed."""
    return RUN_AUTOGRADER.replace("__BOUNDARY__", "" if allow_unconfined else "--require-boundary")


def build_autograder(catalog: Catalog, zip_path: Path, allow_draft: bool = False,
                     allow_unconfined: bool = False) -> list[str]:
    """A Gradescope autograder: setup.sh, run_autograder and the grader with references and hidden checks.
    Refuses (DraftError) exercises that fail the static validation unless ``allow_draft``."""
    refuse_drafts(catalog, allow_draft)
    locks = {item.folder / LOCK_FILE: shipped_lock(item) for item in catalog.items
             if item.kind == "exercise" and item.stub_path.exists()}
    names: list[str] = []
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", run_autograder_script(allow_unconfined))):
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFREG | 0o755) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
            names.append(name)
        sources = [catalog.root / n for n in PROJECT_FILES]
        for folder in (PACKAGE, catalog.exercises_dir, catalog.solutions_dir):
            sources += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
        for path in sources:
            arcname = (  # Gradescope unpacks the zip into /autograder/source
                "grader/" + str(path.relative_to(PACKAGE)) if path.is_relative_to(PACKAGE) else str(path.relative_to(catalog.root))
            )
            if path in locks:
                continue  # written below from the stub as it ships
            archive.write(path, arcname)
            names.append(arcname)
        for path, text in locks.items():
            arcname = str(path.relative_to(catalog.root))
            archive.writestr(arcname, text)
            names.append(arcname)
    return names
