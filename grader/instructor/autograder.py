"""The Gradescope autograder zip (`grade autograder`): setup.sh, run_autograder, the grader with references and
hidden checks."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from grader.catalog import LOCK_FILE, Catalog
from grader.instructor.release import PACKAGE, PROJECT_FILES, refuse_drafts, shipped_lock
from grader.public import public_files


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
        for folder in (PACKAGE, catalog.solutions_dir):
            sources += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
        sources += public_files(catalog.exercises_dir)  # what the release ships: no answers files, no state files
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
