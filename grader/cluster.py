"""`grade batch --scheduler`: a class graded on a Dask cluster, one task per student.

The instructor's process ships the course (``exercises/`` and ``solutions/``, zipped once) to every
worker as a Dask worker plugin, so workers joining or restarting later get it too and no shared file
system is needed. Each student's submission travels as bytes (their folder zipped here, regular
files only, or their zip as is). On the worker, :func:`grade_submission` unpacks it into a temporary
folder and grades it with :func:`grader.assignment.grade_assignment`: the worker process is the
judge, student code runs in confined children of its warm workers (TensorFlow imported once per
Dask worker process), exactly as in the local pool. The task returns the result as JSON text; this
process parses it, signs it and writes it atomically as it arrives. A task that fails or whose
worker dies is retried (bounded); a student whose grading fails every try gets a failure row.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

try:
    from distributed import Client, as_completed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as exc:  # the optional extra
    raise ImportError(f"grading on a cluster needs Dask: pip install 'dl-grader[cluster]' ({exc})") from exc

from grader import batch
from grader.assignment import MAX_MEMBER_BYTES, MAX_ZIP_BYTES, SKIPPED_DIRS
from grader.catalog import Catalog
from grader.public import private

COURSE_DIRS = ("exercises", "solutions")
RETRIES = 2  # a task that raises is tried again this many times (a dead worker: see ALLOWED_FAILURES)
ALLOWED_FAILURES = 2  # local clusters: a task that was on this many dying workers (+1) ends as KilledWorker
PREFETCH = 2  # students in flight per worker thread: one grading, one queued
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PLUGIN_PREFIX = "dl-grader-course-"

FAILED = {
    "en": "not graded: grading failed on the cluster on every try ({tries}); last error: {error}",
    "ko": "채점하지 못했습니다: 클러스터에서 {tries}번 모두 채점에 실패했습니다. 마지막 오류: {error}",
}


# --- packing (instructor side) --------------------------------------------------------------------


def _add(archive: zipfile.ZipFile, name: str, data: bytes | None, compress: bool = True) -> None:
    info = zipfile.ZipInfo(name + ("/" if data is None else ""), date_time=_ZIP_DATE)
    info.external_attr = ((0o40755 if data is None else 0o100644) << 16)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    archive.writestr(info, b"" if data is None else data)


def course_bundle(root: Path) -> tuple[str, bytes]:
    """``exercises/`` and ``solutions/`` as one deterministic zip, and its SHA-256 (the course's identity)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for top in COURSE_DIRS:
            base = root / top
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(d for d in dirnames
                                     if d not in SKIPPED_DIRS and not (top == "exercises" and private(d)))
                relative = Path(dirpath).relative_to(root)
                _add(archive, relative.as_posix(), None)
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    if top == "exercises" and private(name):
                        continue  # what the release ships of exercises/ only: no answers or state files
                    if path.is_file() and not name.endswith(".pyc"):
                        _add(archive, (relative / name).as_posix(), path.read_bytes())
    data = buffer.getvalue()
    return hashlib.sha256(data).hexdigest(), data


def _zip_regular_files(source: Path, archive: zipfile.ZipFile, refused: list[str], base: Path) -> None:
    """The same walk as :func:`grader.assignment.copy_regular_files`, into a zip: links and devices are refused."""
    with os.scandir(source) as entries:
        for entry in entries:
            relative = Path(entry.path).relative_to(base).as_posix()
            if entry.is_symlink():
                refused.append(relative)
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS:
                    _add(archive, relative, None, compress=False)
                    _zip_regular_files(Path(entry.path), archive, refused, base)
            elif entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as handle:
                    data = handle.read(MAX_MEMBER_BYTES + 1)  # never more than the cap held here
                if len(data) > MAX_MEMBER_BYTES:  # a row naming the cap, as the local pool gives
                    raise OSError(f"{relative} is over the limit of {MAX_MEMBER_BYTES:,} bytes for one file")
                _add(archive, relative, data, compress=False)  # small files: no CPU spent
            else:
                refused.append(relative)


@dataclass
class Packed:
    """One submission as it travels: ``dir`` (a zip made here), ``zip`` (the student's own) or ``link``."""

    kind: str
    name: str
    payload: bytes = b""
    refused: list[str] = field(default_factory=list)


def pack_submission(path: Path) -> Packed:
    if path.is_symlink():
        return Packed("link", path.name)  # refused on the worker with the local pool's own message
    if path.is_dir():
        buffer, refused = io.BytesIO(), []
        with zipfile.ZipFile(buffer, "w") as archive:
            _zip_regular_files(path, archive, refused, path)
        return Packed("dir", path.name, buffer.getvalue(), refused)
    size = path.stat().st_size
    if size > MAX_ZIP_BYTES:  # never read into this process: a row that names the cap instead
        raise OSError(f"{path.name} is {size:,} bytes, over the limit of {MAX_ZIP_BYTES:,} for a submission")
    return Packed("zip", path.name, path.read_bytes())


# --- the worker side ------------------------------------------------------------------------------

_COURSES: dict[str, Path] = {}
_CATALOGS: dict[str, Catalog] = {}
_CONFINED: dict[str, bool] = {}
_LOCK = threading.Lock()


def _unpack_course(digest: str, data: bytes, into: Path) -> Path:
    target = into / f"{PLUGIN_PREFIX}{digest[:16]}"
    if not (target / ".complete").is_file():
        partial = Path(tempfile.mkdtemp(prefix=".course-", dir=into))
        _extract(data, partial)
        (partial / ".complete").write_text(digest)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
    return target


def _extract(data: bytes, target: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            name = Path(member.filename)
            if name.is_absolute() or ".." in name.parts:
                raise ValueError(f"unsafe path in the archive: {member.filename}")
        archive.extractall(target)


class CoursePlugin(WorkerPlugin):
    """Puts the course on every worker (also on workers that join or restart later)."""

    def __init__(self, digest: str, data: bytes) -> None:
        self.digest, self.data = digest, data
        self.name = PLUGIN_PREFIX + digest[:16]

    def setup(self, worker) -> None:
        base = Path(getattr(worker, "local_directory", None) or tempfile.gettempdir())
        with _LOCK:
            _COURSES[self.digest] = _unpack_course(self.digest, self.data, base)

    def teardown(self, worker) -> None:
        from grader.sandbox import launcher

        with _LOCK:
            path = _COURSES.pop(self.digest, None)
            _CATALOGS.pop(self.digest, None)
        launcher.close_all()
        if path is not None:
            shutil.rmtree(path, ignore_errors=True)


def _catalog(digest: str) -> Catalog:
    """This worker's copy of the course, loaded once (checks and references read before any student code).

    Checks are modules named by exercise id (grader/catalog.py), so a worker process holds one course at a
    time: a task of another course reloads them (run one course's batch at a time on a shared cluster).
    """
    with _LOCK:
        if digest not in _CATALOGS:
            root = _COURSES.get(digest)
            if root is None:
                raise RuntimeError(f"the course {digest[:16]} is not on this worker (plugin not run)")
            if _CATALOGS:  # another course was graded in this process before
                from grader.sandbox import launcher

                _CATALOGS.clear()
                launcher.close_all()  # its warm workers see that course's exercises/
            for name in [m for m in sys.modules if m.startswith(("_grader_checks.", "_grader_reference."))]:
                del sys.modules[name]
            catalog = Catalog(root)
            batch.preload(catalog)
            _CATALOGS[digest] = catalog
        return _CATALOGS[digest]


def _require_boundary(digest: str, root: Path, allow_unconfined: bool) -> None:
    """Refuse to run student code on a worker that cannot confine it (as `grade batch` does locally)."""
    if allow_unconfined:
        return
    if digest not in _CONFINED:
        from grader.sandbox import probe_isolation
        from grader.sandbox.boundary import describe

        held = describe(probe_isolation(root))
        _CONFINED[digest] = held["files"] and held["processes"]
    if not _CONFINED[digest]:
        import socket

        raise RuntimeError(f"worker {socket.gethostname()} cannot confine student code (no file/process boundary); "
                           "install bubblewrap or use a kernel with Landlock, or pass --allow-unconfined")


def grade_submission(digest: str, student: str, packed: Packed, seed: int, lang: str, device: str,
                     allow_unconfined: bool = False, student_timeout: float | None = None) -> str:
    """The task: grade one student on this worker, within the student's whole wall-clock budget (as the local pool:
    past it the student's row says "timed out" and the worker takes the next one); the result as JSON text."""
    from grader.assignment import grade_assignment
    from grader.report.gradescope import to_gradescope
    from grader.i18n import Msg
    from grader.judge import Options
    from grader.report.json_result import dumps

    catalog = _catalog(digest)
    _require_boundary(digest, catalog.root, allow_unconfined)
    seconds = batch.student_seconds(catalog) if student_timeout is None else student_timeout
    tmp = tempfile.mkdtemp(prefix="grade-cluster-")

    def work():
        path = Path(tmp) / packed.name
        if packed.kind == "link":
            path.symlink_to(Path(tmp) / "missing")
        elif packed.kind == "zip":
            path.write_bytes(packed.payload)
        else:
            path.mkdir()
            _extract(packed.payload, path)
        return grade_assignment(catalog, path, Options(lang=lang, seed=seed, device=device))

    begun = time.monotonic()
    try:
        result = batch.within(seconds, work)
    except batch.StudentTimeout:
        reason = batch.timed_out_reason(seconds, lang)
        return dumps({"score": 0, "max_score": 0, "output": reason, "tests": [], "exercises": {}, "seed": seed,
                      "error": reason, "student": student})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # a thread left behind loses its files, not this worker its disk
    if packed.refused and result.results and result.problem is None:
        result.results[0].notes.append(Msg("refused_files", names=", ".join(packed.refused[:10])))
    data = to_gradescope(result)
    data["student"] = student
    if batch.timed_out(result) or seconds and time.monotonic() - begun >= seconds:
        data["error"] = batch.timed_out_reason(seconds, lang)
    return dumps(data)


# --- the instructor side --------------------------------------------------------------------------


class ClusterError(ConnectionError):
    """The cluster cannot be started or reached (`grade batch` exits with code 2)."""


def connect(scheduler: str) -> tuple[Client, object | None]:
    """``local[:N]`` starts N worker processes here; a scheduler file (.json) or an address joins a cluster."""
    try:
        return _connect(scheduler)
    except (OSError, ValueError, TimeoutError) as exc:
        raise ClusterError(f"cannot start or reach the Dask scheduler: {type(exc).__name__}: {exc}") from exc


def _connect(scheduler: str) -> tuple[Client, object | None]:
    if scheduler == "local" or scheduler.startswith("local:"):
        import logging

        import dask
        from distributed import LocalCluster

        count = int(scheduler.partition(":")[2] or os.cpu_count() or 1)
        if count < 1:
            raise ValueError(f"local:N needs N >= 1, not {count}")
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)
        return Client(cluster), cluster
    if scheduler.endswith(".json") and Path(scheduler).is_file():
        return Client(scheduler_file=scheduler), None  # waits up to distributed.comm.timeouts.connect (30 s)
    return Client(scheduler), None


@dataclass
class DaskRunner:
    """Grades students on a Dask cluster; a context manager that connects, ships the course and cleans up."""

    catalog: Catalog
    scheduler: str
    device: str = "auto"
    key: bytes | None = None
    allow_unconfined: bool = False
    student_timeout: float | None = None
    retries: int = RETRIES
    task: Callable[..., str] = grade_submission
    client: Client | None = None
    cluster: object | None = None
    digest: str = ""

    def __enter__(self) -> "DaskRunner":
        self.client, self.cluster = connect(self.scheduler)
        try:
            self.digest, data = course_bundle(self.catalog.root)
            self.client.register_plugin(CoursePlugin(self.digest, data))
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.client is not None:
            try:
                if self.digest and self.cluster is None:  # a shared cluster: take the course away again
                    self.client.unregister_worker_plugin(PLUGIN_PREFIX + self.digest[:16])
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def threads(self) -> int:
        assert self.client is not None
        return max(sum(self.client.nthreads().values()), 1)

    def run(self, students: list[batch.Student], results: Path, seed: int, lang: str,
            on_start: Callable[[batch.Student], None] = lambda s: None,
            on_done: Callable[[batch.Student], None] = lambda s: None, jobs: int = 0) -> None:
        """Grade ``students``; at most ``jobs`` in flight (default: twice the cluster's threads, as it is now, so
        that a worker finds its next student queued and never waits for this process's round trip)."""
        assert self.client is not None, "use DaskRunner as a context manager"
        results.mkdir(parents=True, exist_ok=True)
        queue = list(students)
        running = as_completed()
        owner: dict[str, batch.Student] = {}

        def submit() -> None:
            while queue and len(owner) < (jobs or PREFETCH * self.threads()):
                student = queue.pop(0)
                try:
                    packed = pack_submission(student.path)
                except OSError as exc:
                    self._fail(results, student, seed, lang, exc, tries=0)
                    on_start(student)
                    on_done(student)
                    continue
                on_start(student)
                future = self.client.submit(
                    self.task, self.digest, student.id, packed, batch.student_seed(seed, student.id), lang,
                    self.device, self.allow_unconfined, self.student_timeout,
                    key=f"grade-{hashlib.sha256(student.id.encode()).hexdigest()[:16]}-{os.urandom(6).hex()}",
                    retries=self.retries, pure=False)
                owner[future.key] = student
                running.add(future)

        submit()
        while owner:
            future = next(running)
            student = owner.pop(future.key)
            submit()  # the next student first: writing this result (fsync) is off the workers' path
            output = batch.result_path(results, student.id)
            try:
                data = json.loads(future.result())
                if not isinstance(data, dict) or not isinstance(data.get("score"), (int, float)):
                    raise ValueError("the worker returned no score")
                batch.write_result(output, data, self.key)
            except Exception as exc:  # KilledWorker, a grader error on every try, a bad reply
                self._fail(results, student, seed, lang, exc, tries=self.retries + 1)
            finally:
                future.release()
            on_done(student)

    def _fail(self, results: Path, student: batch.Student, seed: int, lang: str, exc: BaseException, tries: int) -> None:
        error = f"{type(exc).__name__}: {exc}"[:300]
        reason = FAILED.get(lang, FAILED["en"]).format(tries=tries, error=error) if tries else f"not graded: {error}"
        batch.write_failure(batch.result_path(results, student.id), student, batch.student_seed(seed, student.id),
                            reason, self.key)


def run_batch(students: list[batch.Student], results: Path, catalog: Catalog, scheduler: str, seed: int, lang: str,
              on_start: Callable[[batch.Student], None] = lambda s: None,
              on_done: Callable[[batch.Student], None] = lambda s: None, key: bytes | None = None,
              device: str = "auto", jobs: int = 0, allow_unconfined: bool = False,
              student_timeout: float | None = None) -> None:
    """`grade batch --scheduler`: the same result files as :func:`grader.batch.run_batch`, graded on Dask."""
    if not students:  # nothing left to grade (e.g. a finished --resume): no cluster needed
        return
    with DaskRunner(catalog, scheduler, device=device, key=key, allow_unconfined=allow_unconfined,
                    student_timeout=student_timeout) as runner:
        runner.run(students, results, seed, lang, on_start, on_done, jobs)
