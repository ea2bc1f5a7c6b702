"""Similar submissions per exercise: copydetect's winnowing (as in MOSS) on normalised tokens, the stub as boilerplate.

copydetect tokenises with Pygments and writes every identifier as ``V`` and every function name as ``F``, dropping
comments and whitespace, so renaming variables, reordering functions or rewriting comments leaves the k-grams of
each function's body as they were. Passages of the shipped stub never count, nor passages that more than
max(COMMON_MIN, COMMON_SHARE of the class) submissions share (MOSS's ``-m``: what many honest solutions share is
not evidence). An exercise whose reference answer averages SHORT_TOKENS tokens or fewer per function (one-line
formulas) has necessarily alike answers: its pairs are listed as such, never flagged.
"""

from __future__ import annotations

import io
import itertools
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from grader.classroom.sources import ExerciseInfo, Kept

K = 25  # k-gram length in normalised characters (copydetect's default noise threshold)
WINDOW = 6  # winnowing window: a shared run of K + WINDOW - 1 = 30 characters is always found (copydetect's default)
DEFAULT_THRESHOLD = 0.6  # a pair is flagged when this share of either submission is found in the other
MIN_OVERLAP = 2 * K  # and at least this many normalised characters are shared
SHORT_TOKENS = 25  # reference answer tokens per function at or below which answers are necessarily alike
COMMON_MIN, COMMON_SHARE = 10, 0.1  # a passage in more than max(10, 10% of the submissions) is common


@dataclass
class Pair:
    exercise: str
    a: str
    b: str
    similarity: float  # the larger of the two shares
    shares: tuple[float, float]  # share of a found in b, of b found in a
    overlap: int  # normalised characters shared
    slices: tuple[list[tuple[int, int]], list[tuple[int, int]]]  # shared passages in each source, as (start, end)
    alike: bool = False  # necessarily alike (a short exercise): listed, not flagged


@dataclass
class Cluster:
    exercise: str
    members: list[str]
    pairs: list[Pair]


@dataclass
class Findings:
    threshold: float
    exercises: dict[str, ExerciseInfo]
    compared: dict[str, int]  # exercise -> submissions compared
    pairs: list[Pair] = field(default_factory=list)  # flagged
    alike: list[Pair] = field(default_factory=list)  # above the threshold in a short exercise
    clusters: list[Cluster] = field(default_factory=list)
    unsigned: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def short(self, exercise: str) -> bool:
        info = self.exercises.get(exercise)
        return bool(info and info.answer_tokens and info.tokens_per_function <= SHORT_TOKENS)


def _copydetect() -> Any:
    os.environ.setdefault("MPLBACKEND", "Agg")  # copydetect imports matplotlib.pyplot; never a display
    import copydetect
    from copydetect import utils

    return copydetect, utils


def _boilerplate(stub: str) -> set[int]:
    """Every k-gram hash of the stub (not only the winnowed ones), as copydetect's own boilerplate does."""
    _, utils = _copydetect()
    filtered, _ = utils.filter_code(stub, "stub.py", "python")
    return set(int(h) for h in utils.hashed_kgrams(filtered, K)) if len(filtered) >= K else set()


def fingerprint(code: str, boilerplate: set[int]) -> Any:
    """copydetect's fingerprint of ``code`` with the stub's k-grams taken out."""
    copydetect, utils = _copydetect()
    fp = copydetect.CodeFingerprint("submission.py", K, WINDOW, fp=io.StringIO(code), language="python")
    drop = {h for h in fp.hashes if int(h) in boilerplate}
    for h in drop:
        fp.hash_idx.pop(h, None)
    fp.hashes = set(fp.hashes) - drop
    fp.token_coverage = utils.get_token_coverage(fp.hash_idx, K, len(fp.filtered_code))
    return fp


def _drop(fp: Any, hashes: set) -> None:
    for h in hashes & fp.hashes:
        fp.hash_idx.pop(h, None)
    fp.hashes = fp.hashes - hashes


def compare_exercise(exercise: str, sources: dict[str, str], stub: str, threshold: float) -> list[Pair]:
    """The pairs of ``sources`` (student -> code) above ``threshold``, most similar first."""
    copydetect, _ = _copydetect()
    boilerplate = _boilerplate(stub)
    prints = {s: fingerprint(code, boilerplate) for s, code in sorted(sources.items())}
    holders: dict[Any, list[str]] = defaultdict(list)
    for student, fp in prints.items():
        for h in fp.hashes:
            holders[h].append(student)
    limit = max(COMMON_MIN, COMMON_SHARE * len(prints))
    common = {h for h, who in holders.items() if len(who) > limit}
    for fp in prints.values():
        _drop(fp, common)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for h, who in holders.items():
        if h not in common:
            for a, b in itertools.combinations(who, 2):
                shared[(a, b)] += 1
    pairs = []
    for (a, b), count in shared.items():
        smaller = max(1, min(len(prints[a].hashes), len(prints[b].hashes)))
        if count / smaller < threshold / 2:  # far below: not worth locating the passages
            continue
        overlap, shares, slices = copydetect.compare_files(prints[a], prints[b])
        similarity = float(max(shares))
        if similarity >= threshold and overlap >= MIN_OVERLAP:
            spans = tuple([(int(s), int(e)) for s, e in zip(*sl)] if len(sl) and len(sl[0]) else [] for sl in slices)
            pairs.append(Pair(exercise, a, b, similarity, (float(shares[0]), float(shares[1])), int(overlap), spans))
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


def clusters_of(pairs: list[Pair]) -> list[Cluster]:
    """Groups of three or more students linked by flagged pairs of one exercise (connected components)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[root(p.a)] = root(p.b)
    groups: dict[str, list[str]] = defaultdict(list)
    for student in parent:
        groups[root(student)].append(student)
    found = []
    for members in groups.values():
        if len(members) >= 3:
            inside = set(members)
            found.append(Cluster(pairs[0].exercise, sorted(members), [p for p in pairs if p.a in inside]))
    return sorted(found, key=lambda c: (-len(c.members), c.members))


def analyse(kept: Kept, threshold: float = DEFAULT_THRESHOLD) -> Findings:
    """Compare every exercise's kept sources across the class."""
    started = time.perf_counter()
    findings = Findings(threshold, kept.exercises, {}, unsigned=list(kept.unsigned))
    names = list(kept.exercises) or sorted({n for s in kept.sources.values() for n in s})
    for name in names:
        sources = {s: code[name] for s, code in kept.sources.items() if name in code}
        findings.compared[name] = len(sources)
        if len(sources) < 2:
            continue
        info = kept.exercises.get(name)
        pairs = compare_exercise(name, sources, info.stub if info else "", threshold)
        if findings.short(name):
            findings.alike += [Pair(p.exercise, p.a, p.b, p.similarity, p.shares, p.overlap, p.slices, True) for p in pairs]
            continue
        findings.pairs += pairs
        findings.clusters += clusters_of(pairs)
    findings.seconds = time.perf_counter() - started
    return findings
