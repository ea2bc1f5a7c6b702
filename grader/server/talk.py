"""One question to a server over its socket, with a deadline: status, stop."""

from __future__ import annotations

import json
import socket
from pathlib import Path


def ask(path: Path, question: dict, timeout: float) -> dict | None:
    """The server's answer, or None when nobody answers there in time (no server, a stale file, refused)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as conn:
            conn.settimeout(timeout)
            conn.connect(str(path))
            conn.send(json.dumps(question).encode())
            answer = json.loads(conn.recv(65536) or b"null")
    except (OSError, ValueError):
        return None
    return answer if isinstance(answer, dict) else None


def servers(folder: Path, timeout: float = 2.0) -> list[dict]:
    """Every running server of this user in ``folder``: their status."""
    found = []
    try:
        paths = sorted(folder.glob("*.sock"))
    except OSError:
        return []
    for path in paths:
        answer = ask(path, {"status": True}, timeout)
        if answer and isinstance(answer.get("status"), dict):
            found.append(answer["status"])
    return found
