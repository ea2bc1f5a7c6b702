"""Judge side of the sandbox: a confined child per student session, with time, memory and output limits."""

from __future__ import annotations

import hashlib
import os
import select
import signal
import threading
import time
from pathlib import Path
from typing import Any, Callable

from grader.sandbox import wire
from grader.i18n import Msg
from grader.sandbox import launcher
from grader.sandbox.boundary import gpu_present
from grader.sandbox.launcher import Child, LaunchError, PlainChild
from grader.sandbox.budget import UNITS, student_over
from grader.sandbox.records import CapturedOutput, Limits, Missing, SessionInfo, StudentRaised, Verdict


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
        root: Path | None = None,
        backend: str = "tensorflow",
    ) -> None:
        self.tensorflow = tensorflow
        self.root = root
        self.backend = backend
        self.device = device
        self.seed = seed
        self.limits = limits or Limits()
        self.on_event = on_event
        self.output = CapturedOutput()
        self.info = SessionInfo()
        self.used = 0.0
        self.child: Child | None = None
        self.started = False
        self.fd_req = self.fd_resp = -1
        self.loaded: str | None = None
        self.dead: Verdict | None = None
        self.exhausted = False
        self.extra_budget_used = False  # a hanging function's budget is given back once per exercise, never twice
        self.crashed: dict[str, Verdict] = {}
        self.next_id = 1
        self.threads: list[threading.Thread] = []
        self.lock = threading.RLock()  # one request at a time, also when threads share a session (the oracle)
        self.ready = False

    # --- life cycle -----------------------------------------------------------------------------

    def config(self) -> dict:
        """What the child is told: its limits, and a seed derived one-way from the judge's."""
        child_seed = int.from_bytes(hashlib.sha256(f"sandbox:{self.seed}".encode()).digest()[:4], "big")
        memory = self.limits.memory_mb * 1024 * 1024
        return {
            "tensorflow": self.tensorflow,
            "seed": child_seed,
            "memory_bytes": memory,
            "tree_memory_bytes": memory,
            # JAX and PyTorch reserve address space far beyond what they use (and CUDA breaks under the
            # limit): there the memory of the process tree is watched instead (cgroup or the monitor)
            "limit_address_space": not (self.tensorflow and (self.backend != "tensorflow"
                                                             or self.device != "cpu" and gpu_present())),
            "file_bytes": self.limits.file_mb * 1024 * 1024,
            # CPU time of each process: at most what all cores could do in the exercise's whole budget (twice its
            # time limit, see call), so it never ends honest work yet bounds a child whose judge stopped watching
            "cpu_seconds": int(2 * self.limits.seconds * (os.cpu_count() or 1)) + 10,
            "processes": self.limits.processes,
            "tmp_mb": self.limits.tmp_mb,
        }

    def start(self) -> "Session":
        """Ask for the child now; the warm worker imports what it needs while the judge goes on."""
        self.started, self.ready = True, False
        if launcher.forking_supported():
            launcher.zygote(self.tensorflow, self.device, self.root, self.backend).start()
        else:
            self._attach(PlainChild(self.config(), self.device, self.backend))
        return self

    def _attach(self, child: Child) -> None:
        self.child = child
        self.fd_req, self.fd_resp = child.fd_req, child.fd_resp
        self.output.mark()
        thread = threading.Thread(target=self.output.drain, args=(child.out,), daemon=True)
        thread.start()
        self.threads.append(thread)

    def _await_ready(self) -> None:
        if not self.started:
            self.start()
        if self.ready:
            return
        deadline = time.monotonic() + self.limits.startup_seconds
        for attempt in range(3):  # no student code has run yet: a child lost while starting is simply replaced
            if self.child is None:
                try:
                    worker = launcher.zygote(self.tensorflow, self.device, self.root, self.backend)
                    self._attach(worker.spawn(self.config(), self.limits.startup_seconds))
                except LaunchError as exc:
                    self.dead = Verdict("start", Msg("start_failed", how=str(exc)[:300]))
                    raise self.dead from None
            try:
                reply = self._receive(0, deadline, counts=False)
                break
            except Verdict as verdict:
                if verdict.kind == "timeout":
                    raise Verdict("start", Msg("start_failed", how="timeout")) from None
                if attempt == 2 or not isinstance(self.child, Child) or isinstance(self.child, PlainChild):
                    raise
                self.child.close()
                self.child, self.dead = None, None
                self.fd_req = self.fd_resp = -1
        if "error" in reply:
            err = reply["error"] if isinstance(reply["error"], dict) else {}
            raise Verdict("start", Msg("start_failed", how=f"{err.get('type')}: {str(err.get('message'))[:300]}"))
        value = reply.get("value") if isinstance(reply.get("value"), dict) else {}
        self.info.device = value.get("device", "cpu")
        self.info.device_name = value.get("device_name", "")
        self.info.tensorflow = value.get("tensorflow")
        layers = [*getattr(self.child, "outer_layers", []), *(value.get("isolation") or [])]
        self.info.isolation = [str(x) for x in layers if isinstance(x, str)]
        self.ready = True
        self.output.drop_since_mark()  # interpreter and TensorFlow start-up chatter is not the student's

    def close(self) -> None:
        if self.child is None:
            self.started = False
            return
        if self.ready and not self.dead:
            try:
                wire.write_frame(self.fd_req, wire.dumps({"id": 0, "op": "bye"}))
                self.child.wait(1.0)
            except (OSError, wire.WireError):
                pass
        self.child.close()
        self.fd_req = self.fd_resp = -1
        for thread in self.threads:
            thread.join(timeout=1.0)
        self.threads.clear()
        self.child = None
        self.started = False

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _kill(self) -> None:
        if self.child is not None:
            self.child.kill()

    def begin(self, limits: Limits) -> None:
        """Start a new exercise in this child: a fresh time budget, crash memo and restart count."""
        self.limits = limits
        self.used = 0.0
        self.exhausted = False
        self.extra_budget_used = False
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
        with self.lock:
            return self._request(op, **fields)

    def _request(self, op: str, **fields: Any) -> dict:
        over = student_over(time.monotonic())
        if over is not None:
            raise over
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
            reply = self._receive(rid, start + self.remaining)
        finally:
            self.used += time.monotonic() - start
        self._limit_verdict()
        return reply

    def _receive(self, rid: int, deadline: float, counts: bool = True) -> dict:
        while True:
            try:
                header = self._read(wire._HEADER.size, deadline)
                (size,) = wire._HEADER.unpack(header)
                if size > wire.MAX_REPLY:  # refused unread: the judge never holds more than its budget
                    raise wire.TooLarge("bytes", size, wire.MAX_REPLY)
                raw = self._read(size, deadline)
                wire.check_budget(raw)
                text = wire.text_of(raw)
                del raw  # the judge holds at most two copies of a frame at once: bytes and text, text and values
                data = wire.parse(text)
                del text
                message = wire.rebuild(data)
                del data
            except wire.TooLarge as exc:
                self._kill()
                self.dead = Verdict("protocol", Msg("reply_too_large", what=UNITS.get(exc.what, exc.what), size=exc.size,
                                                    limit=exc.limit))
                raise self.dead from None
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

    def _read(self, n: int, deadline: float) -> bytearray:
        """``n`` bytes from the child, read into one buffer (no list of chunks joined: one copy in memory)."""
        buffer = bytearray(n)
        view = memoryview(buffer)
        got = 0
        poller = select.poll()
        poller.register(self.fd_resp, select.POLLIN | select.POLLHUP)
        next_memory_check = 0.0
        while got < n:
            now = time.monotonic()
            over = student_over(now)
            if over is not None:
                self._kill()
                self.exhausted = True
                self.dead = over
                raise over
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
            count = os.readv(self.fd_resp, [view[got:got + (1 << 20)]])
            if not count:
                raise self._died("eof")
            got += count
        view.release()
        return buffer

    def _check_memory(self) -> None:
        """Resident-memory watchdog for the unconfined fallback (the warm workers' monitor does this)."""
        if not isinstance(self.child, PlainChild) or not self.ready:
            return
        if self.child.rss_mb() > self.limits.memory_mb + self.baseline_mb:
            self._kill()
            self.dead = Verdict("memory", Msg("out_of_memory", mb=self.limits.memory_mb))
            raise self.dead

    @property
    def baseline_mb(self) -> int:
        return 1500 if self.tensorflow else 200

    def _died(self, how: str) -> Verdict:
        """Classify the child's end after its pipe broke."""
        ended = self.child.wait(2) if self.child is not None else None
        self._kill()
        if self.dead is not None:
            return self.dead
        verdict = self._classify(ended, how)
        if not self.ready:
            verdict = Verdict("start", Msg("start_failed", how=verdict.message.render("en")))
        self.dead = verdict
        return verdict

    def _classify(self, ended: dict | None, how: str) -> Verdict:
        if not ended:
            return Verdict("protocol", Msg("protocol", how=how))
        if ended.get("verdict") == "memory":
            return Verdict("memory", Msg("out_of_memory", mb=self.limits.memory_mb))
        if ended.get("verdict") == "processes":
            return Verdict("processes", Msg("too_many_processes", n=self.limits.processes))
        if "exit" in ended:
            return Verdict("exited", Msg("exited", how=f"exit code {ended['exit']}"))
        sig = ended.get("signal")
        if sig == signal.SIGXFSZ:
            return Verdict("crashed", Msg("crashed", how="file size limit"))
        if sig == signal.SIGXCPU:
            return Verdict("timeout", Msg("cpu_limit", seconds=self.config()["cpu_seconds"]))
        if sig is not None:
            try:
                name = signal.Signals(int(sig)).name
            except (ValueError, TypeError):
                name = str(sig)
            return Verdict("crashed", Msg("crashed", how=name))
        return Verdict("protocol", Msg("protocol", how=how))

    def _limit_verdict(self) -> None:
        """A tree that hit its cgroup's process or memory limit is ended with that verdict."""
        hit = self.child.limit_hit() if self.child is not None else None
        if hit:
            self._kill()
            self.dead = self._classify({"verdict": hit}, hit)
            raise self.dead

    # --- what the judge asks --------------------------------------------------------------------

    def _result(self, reply: dict) -> Any:
        if "error" in reply:
            err = reply["error"]
            if not isinstance(err, dict) or not all(isinstance(err.get(k, ""), str) for k in ("type", "message")):
                self._kill()
                self.dead = Verdict("protocol", Msg("protocol", how="malformed error report"))
                raise self.dead
            err = {**err, "message": err.get("message", "")[:2000], "traceback": str(err.get("traceback", ""))[:4000]}
            # a MemoryError or an out-of-GPU-memory error reported by the child is the student's process speaking
            # (it may have raised it itself): the student's error, never a verdict of the judge's own limits,
            # which the judge sees for itself (the cgroup, the monitor: _classify)
            raise StudentRaised({**err, "limit_mb": self.limits.memory_mb})
        if "missing" in reply:
            raise Missing(str(reply["missing"])[:200])
        if "unsupported" in reply:
            raise wire.Unsupported(str(reply["unsupported"])[:200])
        if "handle" in reply:
            if not isinstance(reply["handle"], wire.Handle):
                self._kill()
                self.dead = Verdict("protocol", Msg("protocol", how="malformed handle"))
                raise self.dead
            return reply["handle"]
        return reply.get("value")

    def load(self, path: str | Path) -> list[str]:
        """Run the student's file in the child; it is sent as text, the child never opens the path."""
        self.loaded = str(path)
        source = Path(path).read_bytes().decode("utf-8", "replace")
        return self._result(self.request("load", source=source, filename=Path(path).name))

    def call(self, name: str, *args: Any, keep: Any = "auto", **kwargs: Any) -> Any:
        """Call a module-level function; one that killed the process fails at once the next time."""
        if name in self.crashed:
            raise self.crashed[name]
        try:
            return self._result(self.request("call", target=None, name=name, args=list(args), kwargs=kwargs, keep=keep))
        except Verdict as verdict:
            if verdict.kind in ("exited", "crashed", "memory", "processes"):
                self.crashed[name] = verdict
            elif verdict.kind == "timeout" and verdict.message.key == "timeout":
                # the time went to this one function: its other checks fail at once; the first time, the rest of
                # the file gets a fresh child and one more budget (the exercise never runs longer than twice its
                # time limit); a later hang leaves the budget used up, so what is left is not run
                self.crashed[name] = verdict
                if not self.extra_budget_used:
                    self.extra_budget_used = True
                    self.exhausted = False
                    self.used = 0.0
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
