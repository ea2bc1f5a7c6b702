"""The students' answer key (``exercises/qNN_slug/key.public.toml``), built from the exact key by
:func:`hashed_key`: answers as salted scrypt hashes, explanations sealed with AES-256-GCM.

Per question:

- ``salt``: random; every hash of the question is ``scrypt(payload, salt ‖ quiz/question)`` with the
  cost in ``[kdf]`` (n = 2¹³, r = 8: about 20 ms and 8 MiB per try), so trying every answer costs time.
- ``checks``: ``SHA-256("check" ‖ K ‖ fine)`` for each accepted answer, ``K`` being the scrypt of its
  slow part.  Choice ids and text answers are slow parts themselves (``fine`` is empty).  A numeric
  answer with a tolerance is hashed on the grid of tolerance/20, as before: the grid points within the
  tolerance are all accepted; the slow part is the block of 4 × 20 grid points holding the point and
  ``fine`` the point itself, so checking a student's value costs one scrypt, not one per grid point.
- ``explanation``: the bilingual explanation, AES-GCM with a random content key (authenticated:
  a changed byte is detected, never decrypted into garbage).
- ``wraps``: the content key, AES-GCM under ``SHA-256("wrap" ‖ K ‖ fine)`` of each accepted answer, so
  a right answer unlocks the explanation.
- ``reveal``: the content key itself, only when the quiz shows explanations after the tries
  (``explain_after_tries``, the default).  The explanation usually states the answer, so this key
  lets explanations be read after the tries: the session records the try (and so the score) in the
  answers file *before* it shows an explanation.  Offline, nothing stops a student who runs their own
  code from using it earlier, just as nothing stops them from hashing every choice of a question:
  the key keeps answers from being read off the file, not from being computed (see docs/sandbox.md).
- ``picks`` (multiple choice): per choice, whether it is right, as a scrypt-based digest, for partial
  credit.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import math
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from grader.errors import CatalogError
from grader.i18n import Msg, register
from grader.quiz.answers import normalise_text, text_forms
from grader.quiz.model import (
    GRID, PUBLIC_FORMAT, Question, QuestionVerdict, Quiz, bilingual, multiple_fraction, numeric_close, text, verdict_for,
)

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "quiz_key_damaged": {
        "ko": "해설을 열 수 없습니다. {path}이(가) 손상되었거나 바뀌었으니 원래 파일을 다시 받으세요.",
        "en": "The explanation cannot be opened: {path} is damaged or was changed; get the original file again.",
    },
})

#: scrypt cost: n = 2**13, r = 8, p = 1 takes about 20 ms and 8 MiB per hash on a laptop.
KDF = {"name": "scrypt", "n": 2**13, "r": 8, "p": 1}
CIPHER = "AES-256-GCM"
CELL = 4 * GRID  # grid points per slow-hash block for numeric answers with a tolerance


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(data: str) -> bytes:
    return base64.b64decode(data.encode("ascii"), validate=True)


@functools.lru_cache(maxsize=4096)
def _scrypt(payload: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(payload.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 * 1024 * 1024)


def _sha(*parts: bytes) -> bytes:
    return hashlib.sha256(b"\x1f".join(parts)).digest()


# --- what is hashed --------------------------------------------------------------------------


def _grid(question: Question) -> tuple[str, float]:
    if question.abs_tol:
        return "abs", question.abs_tol / GRID
    if question.rel_tol:
        return "rel", math.log1p(question.rel_tol) / GRID
    return "exact", 0.0


def _grid_point(value: float, scheme: str, step: float) -> tuple[str, int] | None:
    """The (sign, index) of the grid point nearest ``value``; None where there is none (0 on a log grid)."""
    if scheme == "abs":
        return "", round(value / step)
    if value == 0:
        return None
    return ("-" if value < 0 else "+"), round(math.log(abs(value)) / step)


def _point_value(sign: str, index: int, scheme: str, step: float) -> float:
    if scheme == "abs":
        return index * step
    return (-1 if sign == "-" else 1) * math.exp(index * step)


def _split(sign: str, index: int) -> tuple[str, str]:
    """The slow part (the block of CELL grid points) and the fine part (the point) of a grid point."""
    return f"{sign}{index // CELL}", str(index)


def numeric_parts(question: Question, value: float, scheme: str, step: float) -> tuple[str, str] | None:
    """What a student's numeric value is hashed as: (slow part, fine part)."""
    if scheme == "exact":
        return format(value, ".12g"), ""
    point = _grid_point(value, scheme, step)
    return None if point is None else _split(*point)


def _accepted_numeric(question: Question, answer: float) -> list[tuple[str, str]]:
    """Every grid point whose value is within the tolerance of ``answer`` (the exact key's rule)."""
    scheme, step = _grid(question)
    if scheme == "exact":
        return [(format(answer, ".12g"), "")]
    sign, centre = _grid_point(answer, scheme, step)
    return [_split(sign, i) for i in range(centre - 2 * GRID - 2, centre + 2 * GRID + 3)
            if numeric_close(_point_value(sign, i, scheme, step), answer, question)]


def _accepted(question: Question, answer: Any) -> list[tuple[str, str]]:
    if question.kind == "single":
        return [(answer, "")]
    if question.kind == "multiple":
        return [(",".join(sorted(answer)), "")]
    if question.kind == "text":
        return [(a, "") for a in sorted({normalise_text(a) for a in answer})]
    return _accepted_numeric(question, float(answer))


# --- building ----------------------------------------------------------------------------------


def hashed_key(quiz: Quiz, *, secret: str | None = None, reveal_after_tries: bool | None = None,
               kdf: dict[str, Any] | None = None) -> dict[str, Any]:
    """The public key of ``quiz`` (TOML-serialisable), built from its exact key (see the module docstring).

    ``reveal_after_tries`` defaults to the quiz's policy; ``secret`` makes the output reproducible;
    ``kdf`` overrides the scrypt cost (tests use a cheap one).
    """
    if quiz.key.public:
        raise ValueError("hashed_key needs the exact key (solutions/)")
    if reveal_after_tries is None:
        reveal_after_tries = quiz.policy.explain_after_tries
    kdf = {**KDF, **(kdf or {})}
    master = (secret if secret is not None else secrets.token_hex(32)).encode("utf-8")
    name = quiz.exercise.name

    def derive(*parts: str, size: int = 32) -> bytes:
        return hmac.new(master, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).digest()[:size]

    out: dict[str, Any] = {"format": PUBLIC_FORMAT, "quiz": name, "kdf": kdf, "cipher": CIPHER, "questions": {}}
    for q in quiz.questions:
        entry = quiz.key.entries[q.id]
        salt = derive("salt", name, q.id, size=16)
        hasher = _Hasher(name, q.id, salt, kdf)
        content = derive("content", name, q.id)
        plain = json.dumps(bilingual(entry.get("explanation", ""), q.id), ensure_ascii=False).encode("utf-8")
        nonce = derive("nonce", name, q.id, size=12)
        record: dict[str, Any] = {
            "salt": _b64(salt),
            "explanation": _b64(nonce + AESGCM(content).encrypt(nonce, plain, hasher.aad("explanation"))),
            "checks": [],
            "wraps": [],
        }
        for slow, fine in _accepted(q, entry["answer"]):
            k = hasher.slow(slow)
            record["checks"].append(_sha(b"check", k, fine.encode()).hex())
            wrap_nonce = derive("wrap-nonce", name, q.id, slow, fine, size=12)
            wrapped = AESGCM(_sha(b"wrap", k, fine.encode())).encrypt(wrap_nonce, content, hasher.aad("wrap"))
            record["wraps"].append(_b64(wrap_nonce + wrapped))
        if q.kind == "multiple":
            right = set(entry["answer"])
            record["picks"] = {c: hasher.pick(c, c in right).hex() for c in q.choice_ids()}
        if q.kind == "numeric":
            record["scheme"], record["step"] = _grid(q)
        if reveal_after_tries:
            record["reveal"] = _b64(content)
        out["questions"][q.id] = record
    return out


class _Hasher:
    def __init__(self, quiz: str, qid: str, salt: bytes, kdf: dict[str, Any]) -> None:
        self.qid = qid
        self.quiz = quiz
        self.salt = salt + f"{quiz}/{qid}".encode("utf-8")
        self.params = (int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))

    def slow(self, payload: str) -> bytes:
        return _scrypt("answer\x1f" + payload, self.salt, *self.params)

    def pick(self, choice: str, right: bool) -> bytes:
        return _sha(b"pick", _scrypt(f"pick\x1f{choice}\x1f{int(right)}", self.salt, *self.params))

    def aad(self, what: str) -> bytes:
        return f"{self.quiz}/{self.qid}/{what}".encode("utf-8")


# --- checking -------------------------------------------------------------------------------------


def _damaged(path: str, detail: str) -> CatalogError:
    return CatalogError(Msg("bad_exercise", path=path, error=f"{detail}; rebuild it with `grade release`"))


class HashedKey:
    """The students' key (exercises/qNN_slug/key.public.toml), see :func:`hashed_key`."""

    public = True

    def __init__(self, name: str, data: dict[str, Any], path: str = "key.public.toml") -> None:
        if data.get("format") != PUBLIC_FORMAT:
            raise _damaged(path, f"format {data.get('format')!r} is not {PUBLIC_FORMAT!r}")
        kdf = data.get("kdf") or {}
        if kdf.get("name") != "scrypt" or data.get("cipher") != CIPHER:
            raise _damaged(path, "unknown kdf or cipher")
        n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
        if not (isinstance(n, int) and 2 <= n <= 2**16 and n & (n - 1) == 0 and r in range(1, 17) and p in range(1, 5)):
            raise _damaged(path, f"scrypt cost n={n}, r={r}, p={p} is out of range")
        self.name = name
        self.path = path
        self.kdf = kdf
        self.records = data.get("questions", {})
        for qid, record in self.records.items():
            try:
                _unb64(record["salt"]), _unb64(record["explanation"])
                ok = isinstance(record["checks"], list) and len(record["checks"]) == len(record["wraps"])
            except (KeyError, TypeError, ValueError, AttributeError):
                ok = False
            if not ok:
                raise _damaged(path, f"the record of question {qid!r} is damaged")

    def ids(self) -> set[str]:
        """The questions the key has a record for."""
        return set(self.records)

    def _hasher(self, question: Question) -> _Hasher:
        return _Hasher(self.name, question.id, _unb64(self.records[question.id]["salt"]), self.kdf)

    def _open(self, hasher: _Hasher, record: dict[str, Any], content: bytes) -> dict[str, str]:
        """The explanation sealed under ``content``; a changed byte gives the 'damaged' message instead."""
        try:
            blob = _unb64(record["explanation"])
            plain = AESGCM(content).decrypt(blob[:12], blob[12:], hasher.aad("explanation"))
            return json.loads(plain.decode("utf-8"))
        except (InvalidTag, ValueError, KeyError, UnicodeDecodeError):
            return text("quiz_key_damaged", path=self.path)

    def _match(self, question: Question, slow: str, fine: str = "") -> dict[str, str] | None | bool:
        """The explanation when (slow, fine) is an accepted answer; False when it is not."""
        record = self.records[question.id]
        hasher = self._hasher(question)
        k = hasher.slow(slow)
        check = _sha(b"check", k, fine.encode()).hex()
        if check not in record["checks"]:
            return False
        try:
            blob = _unb64(record["wraps"][record["checks"].index(check)])
            content = AESGCM(_sha(b"wrap", k, fine.encode())).decrypt(blob[:12], blob[12:], hasher.aad("wrap"))
        except (InvalidTag, ValueError, IndexError):
            return text("quiz_key_damaged", path=self.path)
        return self._open(hasher, record, content)

    def judge(self, question: Question, value: Any) -> QuestionVerdict:
        record = self.records[question.id]
        if question.kind == "multiple":
            hasher = self._hasher(question)
            picks = record["picks"]
            right = {c for c, digest in picks.items() if hasher.pick(c, True).hex() == digest}
            fraction, n_right, n_wrong = multiple_fraction(value, right, list(picks))
            found = self._match(question, ",".join(sorted(value))) if fraction >= 1 else False
            return verdict_for(question, fraction, found or None, (n_right, len(right), n_wrong))
        if question.kind == "numeric":
            parts = numeric_parts(question, value, record["scheme"], float(record["step"]))
            found = self._match(question, *parts) if parts is not None else False
            return verdict_for(question, float(found is not False), found or None)
        candidates = [value] if question.kind == "single" else sorted(text_forms(value))
        for payload in candidates:
            found = self._match(question, payload)
            if found is not False:
                return verdict_for(question, 1.0, found or None)
        return verdict_for(question, 0.0, None)

    def reveal(self, question: Question) -> dict[str, str] | None:
        record = self.records[question.id]
        if "reveal" not in record:
            return None
        try:
            content = _unb64(record["reveal"])
        except ValueError:
            return text("quiz_key_damaged", path=self.path)
        return self._open(self._hasher(question), record, content)
