"""The similarity report's cost on a class of N students (default 200): time and peak memory, printed as JSON.

Each student's file per exercise is one of that exercise's sample submissions (tests/submissions/), its names
renamed at random and its functions shuffled, so every pair is compared as a class's would be; two copies are
planted. Measures what `grade batch` adds: keeping the sources (unpack, extract, sign) and comparing them.
"""

from __future__ import annotations

import io
import json
import random
import resource
import sys
import tempfile
import time
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def renamed(source: str, rng: random.Random) -> str:
    """Every name that is not a keyword, builtin, module or the exercise's function renamed (as a student would)."""
    import builtins
    import keyword

    keep = set(dir(builtins)) | set(keyword.kwlist) | {"np", "numpy", "math", "self"}
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    defined = {tokens[i + 1].string for i, t in enumerate(tokens[:-1]) if t.string == "def"}
    names: dict[str, str] = {}
    out = []
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string not in keep and tok.string not in defined:
            prev = out[-1].string if out else ""
            if prev != ".":
                tok = tok._replace(string=names.setdefault(tok.string, f"v{rng.randrange(10**6)}"))
        out.append(tok)
    return tokenize.untokenize(out)


def shuffled(source: str, rng: random.Random) -> str:
    head, *functions = source.split("\n\n\n")
    rng.shuffle(functions)
    return "\n\n\n".join([head, *functions])


def main(n: int = 200) -> dict:
    from grader import batch
    from grader.catalog import Catalog
    from grader.classroom import similarity, sources

    similarity._copydetect()  # its import (matplotlib) is part of the cost, measured apart
    catalog = Catalog(ROOT)
    rng = random.Random(7)
    samples = {e.name: sorted((ROOT / "tests/submissions" / e.name).glob("*.py")) for e in catalog.items
               if e.kind == "exercise" and not e.tensorflow and (ROOT / "tests/submissions" / e.name).is_dir()}
    samples = {k: v for k, v in samples.items() if v}
    with tempfile.TemporaryDirectory() as tmp:
        subs, results = Path(tmp) / "subs", Path(tmp) / "results"
        for i in range(n):
            for name, files in samples.items():
                text = shuffled(renamed(rng.choice(files).read_text(), rng), rng)
                if i == 1:  # a planted copy of student 0
                    text = shuffled((subs / "s000" / name / catalog.resolve(name).meta["file"]).read_text(), rng)
                target = subs / f"s{i:03d}" / name
                target.mkdir(parents=True, exist_ok=True)
                (target / catalog.resolve(name).meta["file"]).write_text(text)
        students = batch.find_students(subs)
        key = batch.results_key(results)
        before = rss_mb()
        started = time.perf_counter()
        sources.keep(catalog, students, results, key, [s.id for s in students])
        keep_s = time.perf_counter() - started
        started = time.perf_counter()
        kept = sources.load(results, key, [s.id for s in students])
        found = similarity.analyse(kept)
        compare_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"students": n, "exercises": len(samples), "keep_seconds": keep_s, "compare_seconds": compare_s,
            "pairs_flagged": len(found.pairs), "pairs_alike": len(found.alike), "clusters": len(found.clusters),
            "rss_before_mb": before, "peak_rss_mb": peak}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)))
