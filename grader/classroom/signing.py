"""Signing the instructor's files in a results folder (sources, adjustments) as `grade batch` signs results."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

KEY_FILE = ".grader-key"  # the results folder's secret, written by `grade batch`


def mac(key: bytes, data: dict) -> str:
    """HMAC-SHA256 of ``data`` without its own ``mac`` field, over canonical JSON (every signed file of a results folder)."""
    body = json.dumps({k: v for k, v in data.items() if k != "mac"}, sort_keys=True, ensure_ascii=True)
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def signed(key: bytes, data: dict) -> dict:
    return {**{k: v for k, v in data.items() if k != "mac"}, "mac": mac(key, data)}


def valid(key: bytes | None, data: object) -> bool:
    """A dict whose ``mac`` matches; never without a key."""
    if key is None or not isinstance(data, dict):
        return False
    return hmac.compare_digest(str(data.get("mac", "")), mac(key, data))


def folder_key(results: Path) -> bytes | None:
    """The key `grade batch` wrote in ``results``; None where there is none (never created here)."""
    try:
        return bytes.fromhex((results / KEY_FILE).read_text().strip())
    except (OSError, ValueError):
        return None
