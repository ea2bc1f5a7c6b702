"""JSON output: always one valid document, written atomically when it goes to a file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def dumps(document: Any) -> str:
    """Readable JSON (Hangul as is) in which no control character is written raw (C0 by json, DEL/C1/bidi here)."""
    from grader.report.safe_text import json_safe

    return json_safe(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see either the old or the whole new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
