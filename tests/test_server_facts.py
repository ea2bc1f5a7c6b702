"""The warm server's facts cache (grader.server.facts): a model graded again skips the oracle, and still cannot lie."""

from __future__ import annotations

import shutil
import sys

import pytest

from tests.conftest import ROOT, run_grade
from tests.test_facts import LYING_LAYERS, SPOOF
from tests.test_server import _env, _forks, _servers, server_dir  # noqa: F401  (a fixture)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the warm server is Linux only")


def _course(tmp_path):
    root = tmp_path / "course"
    for top in ("exercises", "solutions"):
        shutil.copytree(ROOT / top / "ex02_sequential", root / top / "ex02_sequential",
                        ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _grade(course, folder, source: str) -> dict:
    import json

    (course / "exercises" / "ex02_sequential" / "sequential.py").write_text(source, encoding="utf-8")
    done = run_grade("ex02", "--lang", "en", "--format", "json", "--seed", "1", env=_env(course, folder), timeout=300)
    assert done.stdout.strip().startswith("{"), done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(done.stdout)


def _failed(result: dict) -> set[str]:
    return {t["feedback"]["check"] for t in result["tests"] if t["feedback"]["status"] == "failed"}


def test_a_model_graded_again_takes_its_facts_from_the_cache_and_a_lying_model_is_still_caught(tmp_path, server_dir):
    course = _course(tmp_path)
    honest = (ROOT / "solutions" / "ex02_sequential" / "sequential.py").read_text(encoding="utf-8")
    first = _grade(course, server_dir, honest)
    assert first["score"] == first["max_score"] == 11
    kept = sorted((server_dir / "facts").glob("*.facts"))
    assert len(kept) == 1 and (server_dir / "facts").stat().st_mode & 0o777 == 0o700
    forks = _forks(server_dir)
    again = _grade(course, server_dir, honest)
    assert again["score"] == 11 and [t["score"] for t in again["tests"]] == [t["score"] for t in first["tests"]]
    assert _forks(server_dir) == forks + 1  # the student's child only: the oracle was not asked again
    kept[0].write_bytes(b"\x00\x00\x00\x05not a frame")  # a damaged entry is ignored and replaced
    repaired = _grade(course, server_dir, honest)
    assert repaired["score"] == 11 and _forks(server_dir) == forks + 3
    # layers passed off as Keras' Dense: their own rebuilt facts are kept too, and their outputs are still probed
    for _ in range(2):
        lying = _grade(course, server_dir, LYING_LAYERS.replace("{spoof}", SPOOF))
        assert {"layer_stack", "parameter_count"} <= _failed(lying) and lying["score"] < 11 / 2
        assert "rebuilt by the grader" in " ".join(t.get("output", "") for t in lying["tests"])
    assert len(_servers(server_dir)) == 1


def test_no_cache_without_the_server(tmp_path, server_dir):
    course = _course(tmp_path)
    honest = (ROOT / "solutions" / "ex02_sequential" / "sequential.py").read_text(encoding="utf-8")
    (course / "exercises" / "ex02_sequential" / "sequential.py").write_text(honest, encoding="utf-8")
    done = run_grade("ex02", "--lang", "en", "--no-server", env=_env(course, server_dir), timeout=300)
    assert done.returncode == 0 and "All checks passed" in done.stdout
    assert not (server_dir / "facts").exists() and not _servers(server_dir)
