"""Building whole-assignment submissions for tests: every reference, every stub, or a mix."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.catalog import Catalog


def stub_submission(catalog: Catalog, folder: Path) -> Path:
    for item in catalog.items:
        shutil.copytree(item.folder, folder / item.name)
    return folder
