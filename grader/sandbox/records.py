"""What a sandbox session is given and gives back: its limits, the student's output, its verdicts and errors."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from grader.i18n import Msg, register

# the messages of the verdicts this module's callers give (the shared ones are in grader.i18n)
register({
    "out_of_gpu_memory": {
        "ko": "GPU 메모리 부족: 이 학생에게 허용된 GPU 메모리를 넘었습니다. 배치 크기나 모델 크기를 줄여 보세요.",
        "en": "Ran out of GPU memory: used more than this student's share. Try a smaller batch or model.",
    },
    "too_many_processes": {
        "ko": "프로세스가 너무 많습니다: 한 번에 {n}개까지만 만들 수 있습니다. fork나 subprocess를 반복해서 부르고 있지 않은지 확인하세요.",
        "en": "Too many processes: at most {n} may run at once. Look for fork() or subprocess calls in a loop.",
    },
})


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


def memory_advice(info: dict) -> dict | None:
    """What to say when the student's process reported running out of memory (a MemoryError, or a backend's
    out-of-GPU-memory error): advice beside the student's own error, never a verdict of the judge's limits."""
    if info.get("memory") == "gpu":
        return {"ko": "GPU 메모리가 부족하다는 오류입니다. 배치 크기나 모델 크기를 줄여 보세요.",
                "en": "This error says the GPU ran out of memory. Try a smaller batch or model."}
    if info.get("type") == "MemoryError":
        mb = info.get("limit_mb")
        share = f" ({mb:,} MB)" if isinstance(mb, int) else ""
        return {"ko": f"MemoryError는 코드가 허용된 메모리{share}보다 많이 요청했을 때(또는 코드가 직접 raise 했을 때) "
                      "납니다. 아주 큰 배열을 만들지 않는지 확인하세요.",
                "en": f"A MemoryError means your code asked for more memory than its share{share} (or raised it "
                      "itself). Look for a very large array."}
    return None


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
    processes: int = 64
    tmp_mb: int = 64


@dataclass
class SessionInfo:
    device: str = "cpu"
    device_name: str = ""
    tensorflow: str | None = None
    restarts: int = 0
    isolation: list[str] = field(default_factory=list)
