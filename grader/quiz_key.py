"""The students' answer key: salted hashes of the normalised answers and explanations that unlock
once answered (``exercises/qNN_slug/key.public.toml``).  Built from the exact key by :func:`hashed_key`.

Choice questions have few possible answers, so a student who runs code can always find the right
one by trying them all (as with any key checked locally); the hashes keep the answers from being
read, not from being computed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import secrets
from typing import Any

from grader.quiz import (
    GRID, PUBLIC_FORMAT, ExactKey, Question, Quiz, Verdict, _bilingual, _multiple_fraction, _verdict,
    normalise_text, text_forms,
)

def _h(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _stream_xor(key: bytes, data: bytes) -> bytes:
    stream = b"".join(hashlib.sha256(key + i.to_bytes(4, "big")).digest() for i in range(len(data) // 32 + 1))
    return bytes(a ^ b for a, b in zip(data, stream))


def _xor_hex(a: bytes, b_hex: str) -> bytes:
    return bytes(x ^ y for x, y in zip(a, bytes.fromhex(b_hex)))


def _grid(question: Question) -> tuple[str, float]:
    if question.abs_tol:
        return "abs", question.abs_tol / GRID
    if question.rel_tol:
        return "rel", math.log1p(question.rel_tol) / GRID
    return "exact", 0.0


def numeric_payload(value: float, scheme: str, step: float, shift: int = 0) -> str | None:
    """The grid point of ``value`` (moved by ``shift`` steps) as hashed in the public key."""
    if scheme == "abs":
        return str(round(value / step) + shift)
    if scheme == "rel":
        if value == 0:
            return None
        return f"{'-' if value < 0 else '+'}{round(math.log(abs(value)) / step) + shift}"
    return format(value, ".12g")


def _payloads(question: Question, answer: Any) -> list[str]:
    if question.kind == "single":
        return [answer]
    if question.kind == "multiple":
        return [",".join(sorted(answer))]
    if question.kind == "text":
        return sorted({normalise_text(a) for a in answer})
    scheme, step = _grid(question)
    return [numeric_payload(float(answer), scheme, step)]


def hashed_key(quiz: "Quiz", *, secret: str | None = None, reveal_after_tries: bool = False) -> dict[str, Any]:
    """The public key of ``quiz`` (TOML-serialisable), built from its exact key.

    Per question: a salt; ``checks``, the sha256 of each accepted normalised answer (for numeric
    questions, of the answer's point on a grid of tolerance/20, the checker trying the grid points
    around the student's value); ``wraps``, the explanation's content key xored with a key derived
    from that same answer, so the explanation decrypts only from a right answer; for multiple
    choice, one digest per choice saying whether it is right (for partial credit).  With
    ``reveal_after_tries`` the content key is also stored, merely obfuscated, so that explanations
    can be shown after the allowed tries.  ``secret`` makes the output reproducible.
    """
    if not isinstance(quiz.key, ExactKey):
        raise ValueError("hashed_key needs the exact key (solutions/)")
    seed = secret if secret is not None else secrets.token_hex(16)
    name = quiz.exercise.name
    out: dict[str, Any] = {"format": PUBLIC_FORMAT, "quiz": name, "questions": {}}
    for q in quiz.questions:
        entry = quiz.key.entries[q.id]
        salt = _h("salt", seed, name, q.id)[:16]
        content = bytes.fromhex(_h("content", seed, name, q.id))
        plain = json.dumps(_bilingual(entry.get("explanation", ""), q.id), ensure_ascii=False).encode("utf-8")
        record: dict[str, Any] = {
            "salt": salt,
            "checks": [],
            "wraps": [],
            "explanation": base64.b64encode(_stream_xor(content, plain)).decode("ascii"),
            "tag": _h("tag", content.hex())[:16],
        }
        for payload in _payloads(q, entry["answer"]):
            record["checks"].append(_h("check", name, q.id, salt, payload))
            wrap = bytes.fromhex(_h("wrap", name, q.id, salt, payload))
            record["wraps"].append(bytes(a ^ b for a, b in zip(content, wrap)).hex())
        if q.kind == "multiple":
            right = set(entry["answer"])
            record["picks"] = {c: _h("pick", name, q.id, salt, c, str(int(c in right))) for c in q.choice_ids()}
        if q.kind == "numeric":
            record["scheme"], record["step"] = _grid(q)
        if reveal_after_tries:
            record["reveal"] = bytes(a ^ b for a, b in zip(content, bytes.fromhex(_h("reveal", name, q.id, salt)))).hex()
        out["questions"][q.id] = record
    return out


class HashedKey:
    """The students' key (exercises/qNN_slug/key.public.toml), see :func:`hashed_key`."""

    public = True

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name = name
        self.records = data.get("questions", {})

    def _unlock(self, record: dict[str, Any], content: bytes) -> dict[str, str] | None:
        if _h("tag", content.hex())[:16] != record.get("tag"):
            return None
        try:
            return json.loads(_stream_xor(content, base64.b64decode(record["explanation"])).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def _match(self, question: Question, record: dict[str, Any], payload: str | None) -> dict[str, str] | None | bool:
        """The explanation when ``payload`` is an accepted answer (True if it matches but will not decrypt)."""
        if payload is None:
            return False
        check = _h("check", self.name, question.id, record["salt"], payload)
        if check not in record["checks"]:
            return False
        wrap = _h("wrap", self.name, question.id, record["salt"], payload)
        content = _xor_hex(bytes.fromhex(wrap), record["wraps"][record["checks"].index(check)])
        return self._unlock(record, content) or True

    def judge(self, question: Question, value: Any) -> Verdict:
        record = self.records[question.id]
        salt = record["salt"]
        if question.kind == "multiple":
            picks = record["picks"]
            right = {c for c, d in picks.items() if d == _h("pick", self.name, question.id, salt, c, "1")}
            fraction, n_right, n_wrong = _multiple_fraction(value, right, list(picks))
            found = self._match(question, record, ",".join(sorted(value))) if fraction >= 1 else False
            return _verdict(question, fraction, found if isinstance(found, dict) else None, (n_right, len(right), n_wrong))
        if question.kind == "numeric":
            return self._judge_numeric(question, record, value)
        candidates = [value] if question.kind == "single" else sorted(text_forms(value))
        for payload in candidates:
            found = self._match(question, record, payload)
            if found is not False:
                return _verdict(question, 1.0, found if isinstance(found, dict) else None)
        return _verdict(question, 0.0, None)

    def _judge_numeric(self, question: Question, record: dict[str, Any], value: float) -> Verdict:
        scheme, step = record["scheme"], float(record["step"])
        shifts = range(-GRID - 1, GRID + 2) if scheme != "exact" else range(1)
        for shift in shifts:
            payload = numeric_payload(value, scheme, step, shift)
            found = self._match(question, record, payload)
            if found is False:
                continue
            point = int(payload) * step if scheme == "abs" else int(payload[1:]) * step if scheme == "rel" else value
            if scheme == "abs":
                ok = abs(value - point) <= question.abs_tol + step / 2
            elif scheme == "rel":
                ok = abs(math.log(abs(value)) - point) <= math.log1p(question.rel_tol) + step / 2
            else:
                ok = True
            return _verdict(question, float(ok), found if ok and isinstance(found, dict) else None)
        return _verdict(question, 0.0, None)

    def reveal(self, question: Question) -> dict[str, str] | None:
        record = self.records[question.id]
        if "reveal" not in record:
            return None
        content = _xor_hex(bytes.fromhex(_h("reveal", self.name, question.id, record["salt"])), record["reveal"])
        return self._unlock(record, content)


