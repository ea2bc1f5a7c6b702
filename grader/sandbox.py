"""Judge side of the sandbox: a child process per submission, with time, memory and output limits."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from grader import wire
from grader.i18n import Msg

GRADER_PARENT = str(Path(__file__).resolve().parent.parent)
_BOOTSTRAP = "import sys; sys.path[0] = sys.argv.pop(1); from grader.worker import main; main()"


class Verdict(Exception):
    """The sandbox could not answer: timed out, out of memory, exited, crashed."""

    def __init__(self, kind: str, message: Msg) -> None:
        super().__init__(kind)
        self.kind = kind
        self.message = message


class StudentRaised(Exception):
    """Student code raised an exception; ``info`` holds type, message and student traceback."""

    def __init__(self, info: dict) -> None:
        super().__init__(info.get("type"))
        self.info = info


class Missing(Exception):
    """The student file has no attribute of that name."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class CapturedOutput:
    """What the student code printed: the first ``limit`` bytes kept, the rest counted."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.kept = bytearray()
        self.dropped = 0
        self.start = (0, 0)
        self.lock = threading.Lock()

    def drain(self, stream: Any) -> None:
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            with self.lock:
                room = self.limit - len(self.kept)
                self.kept += chunk[: max(room, 0)]
                self.dropped += max(len(chunk) - max(room, 0), 0)

    def mark(self) -> None:
        """Remember where a new child's output starts."""
        with self.lock:
            self.start = (len(self.kept), self.dropped)

    def drop_since_mark(self) -> None:
        """Forget a child's start-up chatter (interpreter and TensorFlow logs)."""
        with self.lock:
            kept, dropped = self.start
            del self.kept[kept:]
            self.dropped = dropped

    def text(self) -> tuple[str, int]:
        with self.lock:
            return self.kept.decode("utf-8", "replace"), self.dropped


@dataclass
class Limits:
    seconds: float = 10.0
    memory_mb: int = 1024
    startup_seconds: float = 120.0
    file_mb: int = 64
    max_restarts: int = 4


@dataclass
class SessionInfo:
    device: str = "cpu"
    device_name: str = ""
    tensorflow: str | None = None
    restarts: int = 0


def gpu_present() -> bool:
    return any(os.path.exists(p) for p in ("/dev/nvidiactl", "/dev/nvidia0", "/dev/dxg"))


class Session:
    """One sandboxed child running one student file; requests are answered in plain data.

    The time budget (``limits.seconds``) covers everything the student code does in this
    session; starting the interpreter and importing TensorFlow do not count against it.
    """

    def __init__(
        self,
        *,
        tensorflow: bool = False,
        device: str = "auto",
        seed: int = 0,
        limits: Limits | None = None,
        on_event: Callable[[dict], None] | None = None,
    ) -> None:
        self.tensorflow = tensorflow
        self.device = device
        self.seed = seed
        self.limits = limits or Limits()
        self.on_event = on_event
        self.output = CapturedOutput()
        self.info = SessionInfo()
        self.used = 0.0
        self.proc: subprocess.Popen | None = None
        self.fd_req = self.fd_resp = -1
        self.loaded: str | None = None
        self.dead: Verdict | None = None
        self.exhausted = False
        self.crashed: dict[str, Verdict] = {}
        self.next_id = 1
        self.threads: list[threading.Thread] = []
        self.ready = False

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> "Session":
        """Spawn the child now; it imports what it needs while the judge goes on."""
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADE_", "PYTEST_", "PYTHON"))}
        env.update(PYTHONHASHSEED=str(self.seed % 2**32), TF_CPP_MIN_LOG_LEVEL="3", PYTHONDONTWRITEBYTECODE="1")
        env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
        env.setdefault("OMP_NUM_THREADS", str(min(os.cpu_count() or 1, 4)))
        if self.device == "cpu":
            env["CUDA_VISIBLE_DEVICES"] = "-1"
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-B", "-s", "-c", _BOOTSTRAP, GRADER_PARENT, str(req_r), str(resp_w)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(req_r, resp_w),
                env=env,
                start_new_session=True,
                cwd=os.getcwd(),
            )
        finally:
            os.close(req_r)
            os.close(resp_w)
        self.fd_req, self.fd_resp = req_w, resp_r
        self.output.mark()
        thread = threading.Thread(target=self.output.drain, args=(self.proc.stdout,), daemon=True)
        thread.start()
        self.threads.append(thread)
        limit_as = not (self.tensorflow and self.device != "cpu" and gpu_present())
        config = {
            "tensorflow": self.tensorflow,
            "seed": self.seed,
            "memory_bytes": self.limits.memory_mb * 1024 * 1024,
            "limit_address_space": limit_as,
            "file_bytes": self.limits.file_mb * 1024 * 1024,
        }
        try:
            wire.write_frame(self.fd_req, wire.dumps(config))
        except OSError:
            pass
        self.ready = False
        return self

    def _await_ready(self) -> None:
        if self.proc is None:
            self.start()
        if self.ready:
            return
        deadline = time.monotonic() + self.limits.startup_seconds
        try:
            reply = self._receive(0, deadline, counts=False)
        except Verdict as verdict:
            if verdict.kind == "timeout":
                raise Verdict("start", Msg("start_failed", how="timeout")) from None
            raise
        if "error" in reply:
            err = reply["error"]
            raise Verdict("start", Msg("start_failed", how=f"{err.get('type')}: {err.get('message')}"))
        value = reply.get("value") or {}
        self.info.device = value.get("device", "cpu")
        self.info.device_name = value.get("device_name", "")
        self.info.tensorflow = value.get("tensorflow")
        self.ready = True
        self.output.drop_since_mark()  # interpreter and TensorFlow start-up chatter is not the student's

    def close(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None and self.ready and not self.dead:
            try:
                wire.write_frame(self.fd_req, wire.dumps({"id": 0, "op": "bye"}))
                self.proc.wait(timeout=1.0)
            except (OSError, subprocess.TimeoutExpired, wire.WireError):
                pass
        self._kill()
        for fd in (self.fd_req, self.fd_resp):
            try:
                os.close(fd)
            except OSError:
                pass
        self.fd_req = self.fd_resp = -1
        for thread in self.threads:
            thread.join(timeout=1.0)
        self.threads.clear()
        self.proc = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _kill(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def begin(self, limits: Limits) -> None:
        """Start a new exercise in this child: a fresh time budget, crash memo and restart count."""
        self.limits = limits
        self.used = 0.0
        self.exhausted = False
        self.crashed = {}
        self.info.restarts = 0
        self.loaded = None

    # --- requests -------------------------------------------------------------------------------

    @property
    def remaining(self) -> float:
        return max(self.limits.seconds - self.used, 0.0)

    def _revive(self) -> None:
        """After a crash, start a fresh child and reload the file (a few times at most)."""
        if self.exhausted:
            raise Verdict("timeout", Msg("timeout_skipped", seconds=self.limits.seconds))
        if self.dead is None:
            return
        if self.info.restarts >= self.limits.max_restarts:
            raise self.dead
        self.close()
        self.info.restarts += 1
        self.dead = None
        self.start()
        if self.loaded is not None:
            self.load(self.loaded)

    def request(self, op: str, **fields: Any) -> dict:
        self._revive()
        self._await_ready()
        rid = self.next_id
        self.next_id += 1
        try:
            wire.write_frame(self.fd_req, wire.dumps({"id": rid, "op": op, **fields}))
        except (OSError, wire.WireError) as exc:
            raise self._died(f"write: {exc}") from None
        start = time.monotonic()
        try:
            return self._receive(rid, start + self.remaining)
        finally:
            self.used += time.monotonic() - start

    def _receive(self, rid: int, deadline: float, counts: bool = True) -> dict:
        while True:
            try:
                header = self._read(wire._HEADER.size, deadline)
                (size,) = wire._HEADER.unpack(header)
                if size > wire.MAX_MESSAGE:
                    raise wire.WireError("oversized message")
                message = wire.loads(self._read(size, deadline))
            except wire.WireError as exc:
                self._kill()
                self.dead = Verdict("protocol", Msg("protocol", how=str(exc)[:200]))
                raise self.dead from None
            if not isinstance(message, dict):
                raise self._died("non-dict message")
            if "event" in message:
                if self.on_event is not None:
                    self.on_event(message)
                continue
            if message.get("id") != rid:
                raise self._died("reply out of order")
            return message

    def _read(self, n: int, deadline: float) -> bytes:
        chunks, remaining = [], n
        poller = select.poll()
        poller.register(self.fd_resp, select.POLLIN | select.POLLHUP)
        next_memory_check = 0.0
        while remaining:
            now = time.monotonic()
            if now >= deadline:
                self._kill()
                if self.ready:
                    self.exhausted = True
                self.dead = Verdict("timeout", Msg("timeout", seconds=self.limits.seconds))
                raise self.dead
            if now >= next_memory_check:
                self._check_memory()
                next_memory_check = now + 0.1
            if not poller.poll(min(deadline - now, 0.1) * 1000):
                continue
            chunk = os.read(self.fd_resp, min(remaining, 1 << 20))
            if not chunk:
                raise self._died("eof")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _check_memory(self) -> None:
        """Resident memory watchdog, for children that may not have an address-space limit."""
        if self.proc is None or not self.ready:
            return
        try:
            with open(f"/proc/{self.proc.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss_mb = int(line.split()[1]) // 1024
                        break
                else:
                    return
        except OSError:
            return
        if rss_mb > self.limits.memory_mb + self.baseline_mb:
            self._kill()
            self.dead = Verdict("memory", Msg("out_of_memory", mb=self.limits.memory_mb))
            raise self.dead

    @property
    def baseline_mb(self) -> int:
        return 1500 if self.tensorflow else 200

    def _died(self, how: str) -> Verdict:
        """Classify the child's end after its pipe broke."""
        if self.proc is not None:
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            code = self.proc.poll()
        else:
            code = None
        self._kill()
        if self.dead is not None:
            return self.dead
        if code is None:
            verdict = Verdict("protocol", Msg("protocol", how=how))
        elif code >= 0:
            verdict = Verdict("exited", Msg("exited", how=f"exit code {code}"))
        elif code == -signal.SIGXFSZ:
            verdict = Verdict("crashed", Msg("crashed", how="file size limit"))
        else:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            verdict = Verdict("crashed", Msg("crashed", how=name))
        if not self.ready:
            verdict = Verdict("start", Msg("start_failed", how=verdict.message.render("en")))
        self.dead = verdict
        return verdict

    # --- what the judge asks --------------------------------------------------------------------

    def _result(self, reply: dict) -> Any:
        if "error" in reply:
            err = reply["error"]
            if err.get("type") == "MemoryError":
                raise Verdict("memory", Msg("out_of_memory", mb=self.limits.memory_mb))
            raise StudentRaised(err)
        if "missing" in reply:
            raise Missing(reply["missing"])
        if "unsupported" in reply:
            raise wire.Unsupported(reply["unsupported"])
        if "handle" in reply:
            return reply["handle"]
        return reply.get("value")

    def load(self, path: str | Path) -> list[str]:
        self.loaded = str(path)
        return self._result(self.request("load", path=str(path)))

    def call(self, name: str, *args: Any, keep: Any = "auto", **kwargs: Any) -> Any:
        """Call a module-level function; one that killed the process fails at once the next time."""
        if name in self.crashed:
            raise self.crashed[name]
        try:
            return self._result(self.request("call", target=None, name=name, args=list(args), kwargs=kwargs, keep=keep))
        except Verdict as verdict:
            if verdict.kind in ("exited", "crashed", "memory"):
                self.crashed[name] = verdict
            raise

    def method(self, obj: wire.Handle, name: str, *args: Any, keep: Any = "auto", **kwargs: Any) -> Any:
        return self._result(self.request("call", target=obj, name=name, args=list(args), kwargs=kwargs, keep=keep))

    def attr(self, obj: wire.Handle | None, name: str, keep: Any = "auto") -> Any:
        return self._result(self.request("attr", target=obj, name=name, keep=keep))


    def describe(self, obj: wire.Handle) -> dict:
        return self._result(self.request("describe", target=obj))

    def fit(self, obj: wire.Handle, x: Any, y: Any, **kwargs: Any) -> dict:
        return self._result(self.request("fit", target=obj, x=x, y=y, kwargs=kwargs))

    def predict(self, obj: wire.Handle, x: Any) -> Any:
        return self._result(self.request("predict", target=obj, x=x))

    def run(self, code: str, keep: Any = "auto", **bindings: Any) -> Any:
        return self._result(self.request("run", code=code, bindings=bindings, keep=keep))


    def captured(self) -> tuple[str, int]:
        return self.output.text()
