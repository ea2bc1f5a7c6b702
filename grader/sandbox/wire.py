"""Wire format between the judge and the sandbox: length-framed JSON of plain data, never pickle.

Plain data is None, bool, int, float, str, lists, tuples, dicts with string keys and numpy
arrays of numeric dtype. JSON objects on the wire are always tags (``{"__nd__": ...}``), so a
decoder can rebuild exactly the plain value and nothing else. Subclasses of the built-in
types are reduced to their base value before they cross.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import struct
import sys
from typing import Any, Callable

MAX_MESSAGE = 256 * 1024 * 1024  # what the sandbox accepts from the judge
#: The judge's memory budget for one frame from a student's process: decoded in at most ~3x its size (the bytes,
#: the text, the values), so a hostile frame costs the judge at most a few hundred MB, refused with a verdict that
#: names the cap. 80 MiB holds a 12.1 M-parameter float32 model's weights as base64.
MAX_REPLY = 80 * 1024 * 1024
#: JSON values (roughly: commas) in one frame from the child; arrays travel as base64, so honest frames hold few.
MAX_REPLY_ITEMS = 1_000_000
_HEADER = struct.Struct(">I")

#: dtypes allowed to cross the boundary (object, string and void dtypes never do).
NUMERIC_KINDS = frozenset("biuf")


class WireError(Exception):
    """A message that is not well-formed plain data."""


class Unsupported(WireError):
    """A value that has no plain-data form (a model, a function, an object)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


# --- markers the judge sends into the sandbox ----------------------------------------------


class Handle:
    """Refers to an object that lives in the sandbox (a model, a network, an optimizer)."""

    __slots__ = ("id", "type_name")

    def __init__(self, id: int, type_name: str = "") -> None:
        self.id = int(id)
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name or 'object'} #{self.id}>"


class Tensor:
    """An array the sandbox turns into a TensorFlow tensor before calling student code."""

    __slots__ = ("array", "dtype")

    def __init__(self, array: Any, dtype: str | None = None) -> None:
        import numpy as np

        self.array = np.asarray(array)
        self.dtype = dtype or str(self.array.dtype)


class Fn:
    """A function the sandbox builds from trusted source: ``Fn("lambda x: np.sum(a * x**2)", a=2.0)``."""

    __slots__ = ("source", "params")

    def __init__(self, source: str, **params: Any) -> None:
        self.source = source
        self.params = params


class Encoded:
    """A value already turned into wire data (so it is not encoded twice)."""

    __slots__ = ("plain",)

    def __init__(self, plain: Any) -> None:
        self.plain = plain


# --- encoding --------------------------------------------------------------------------------


def _encode_array(arr: Any) -> dict:
    import numpy as np

    if arr.dtype.kind not in NUMERIC_KINDS:
        raise Unsupported(f"array of dtype {arr.dtype}")
    arr = np.ascontiguousarray(arr).reshape(arr.shape)  # ascontiguousarray makes 0-d arrays 1-d
    dtype = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
    data = arr.astype(dtype, copy=False).tobytes()
    return {"__nd__": [dtype.str, list(arr.shape), base64.b64encode(data).decode("ascii")]}


def to_plain(value: Any, *, convert: Callable[[Any], Any] | None = None, _depth: int = 0) -> Any:
    """Turn ``value`` into taggable JSON data, raising Unsupported for anything else."""
    if _depth > 64:
        raise Unsupported("structure nested too deeply")
    if value is None or type(value) is bool:
        return value
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return _float(float.__float__(value))
    if isinstance(value, str):
        return str.__str__(value)
    # a numpy value can only exist once numpy is imported; while another thread is still importing it, the module
    # is there without its names yet (and no value of its types can exist)
    np = sys.modules.get("numpy")
    ndarray, generic = getattr(np, "ndarray", None), getattr(np, "generic", None)
    if ndarray is not None and isinstance(value, ndarray):
        return _encode_array(value)
    if generic is not None and isinstance(value, generic):
        if value.dtype.kind == "b":
            return bool(value)
        if value.dtype.kind in "iu":
            return int(value)
        if value.dtype.kind == "f":
            return _float(float(value))
        raise Unsupported(f"numpy {value.dtype}")
    nxt = _depth + 1
    if isinstance(value, tuple):
        return {"__tuple__": [to_plain(v, convert=convert, _depth=nxt) for v in value]}
    if isinstance(value, list):
        return [to_plain(v, convert=convert, _depth=nxt) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise Unsupported(f"dict key of type {type(k).__name__}")
            out[str.__str__(k)] = to_plain(v, convert=convert, _depth=nxt)
        return {"__map__": out}
    if isinstance(value, Encoded):
        return value.plain
    if isinstance(value, Handle):
        return {"__handle__": [value.id, value.type_name]}
    if isinstance(value, Tensor):
        return {"__tensor__": [_encode_array(value.array)["__nd__"], value.dtype]}  # the bare array spec
    if isinstance(value, Fn):
        return {"__fn__": [value.source, to_plain(value.params, _depth=nxt)]}
    if convert is not None:
        converted = convert(value)
        if converted is not value:
            return to_plain(converted, convert=convert, _depth=nxt)
    raise Unsupported(type(value).__name__)


def _float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"__float__": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def dumps(message: Any, convert: Callable[[Any], Any] | None = None) -> bytes:
    return json.dumps(to_plain(message, convert=convert), allow_nan=False, separators=(",", ":")).encode()


# --- decoding --------------------------------------------------------------------------------


def _decode_array(spec: Any) -> Any:
    import numpy as np

    if not (isinstance(spec, list) and len(spec) == 3):
        raise WireError("malformed array")
    dtype_str, shape, data = spec
    if not isinstance(dtype_str, str) or not isinstance(shape, list) or not isinstance(data, str):
        raise WireError("malformed array")
    try:
        dtype = np.dtype(dtype_str)
    except TypeError as exc:
        raise WireError(f"bad dtype {dtype_str!r}") from exc
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject:
        raise WireError(f"dtype {dtype_str!r} is not numeric")
    if not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("bad array shape")
    if len(data) > 4 * (math.prod(shape) * dtype.itemsize + 2) // 3 + 4:
        raise WireError("array data does not match its shape")  # checked before decoding anything
    raw = binascii.a2b_base64(data, strict_mode=True)  # reads the ASCII text in place (no copy of it)
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise WireError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def from_plain(data: Any, resolve: Callable[[str, Any], Any] | None = None) -> Any:
    """Rebuild plain values from decoded JSON; ``resolve`` handles the sandbox-only tags."""
    if isinstance(data, str):
        return clean_text(data)
    if data is None or isinstance(data, (bool, int, float)):
        return data
    if isinstance(data, list):
        return [from_plain(v, resolve) for v in data]
    if isinstance(data, dict):
        if len(data) != 1:
            raise WireError("untagged object")
        (tag, body), = data.items()
        if tag == "__map__" and isinstance(body, dict):
            return {clean_text(k): from_plain(v, resolve) for k, v in body.items()}
        if tag == "__tuple__" and isinstance(body, list):
            return tuple(from_plain(v, resolve) for v in body)
        if tag == "__nd__":
            return _decode_array(body)
        if tag == "__float__" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "__handle__" and isinstance(body, list) and len(body) == 2:
            handle = Handle(int(body[0]), str(body[1]))
            return resolve("handle", handle) if resolve else handle
        if resolve is not None and tag == "__tensor__" and isinstance(body, list) and len(body) == 2:
            return resolve("tensor", (_decode_array(body[0]), str(body[1])))
        if resolve is not None and tag == "__fn__" and isinstance(body, list) and len(body) == 2:
            return resolve("fn", (str(body[0]), from_plain(body[1])))
        raise WireError(f"unknown tag {tag!r}")
    raise WireError(f"unexpected JSON value {type(data).__name__}")


class TooLarge(WireError):
    """A frame over the judge's budget (:data:`MAX_REPLY` bytes or :data:`MAX_REPLY_ITEMS` values)."""

    def __init__(self, what: str, size: int, limit: int) -> None:
        super().__init__(f"{size:,} {what}, over the limit of {limit:,}")
        self.what, self.size, self.limit = what, size, limit


def check_budget(raw: bytes | bytearray, max_items: int = MAX_REPLY_ITEMS) -> None:
    """Refuse, before parsing, a frame whose JSON would hold more values than the judge decodes (counted in C)."""
    items = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if items > max_items:
        raise TooLarge("values", items, max_items)


def parse(raw: bytes | bytearray | str) -> Any:
    """JSON of one message, not yet checked for tags; anything malformed is a :class:`WireError`."""
    try:
        return json.loads(raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw,
                          parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"not JSON: {exc}") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise WireError(f"not JSON: {str(exc)[:100]}") from None


def rebuild(data: Any, resolve: Callable[[str, Any], Any] | None = None) -> Any:
    """Plain values from parsed JSON (:func:`parse`); anything malformed is a :class:`WireError`."""
    try:
        return from_plain(data, resolve)
    except WireError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError, binascii.Error) as exc:
        raise WireError(f"malformed message: {type(exc).__name__}") from None


def loads(raw: bytes | bytearray | str, resolve: Callable[[str, Any], Any] | None = None) -> Any:
    """Decode one message; anything malformed (whatever the sender wrote) is a :class:`WireError`."""
    return rebuild(parse(raw), resolve)


def text_of(raw: bytearray) -> str:
    """A frame's text; the caller drops the bytes before parsing, so that only two copies ever coexist."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WireError(f"not JSON: {exc}") from None


def clean_text(text: str) -> str:
    """A string that can be written anywhere: lone surrogates (never valid UTF-8) replaced."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _reject_constant(name: str) -> Any:
    raise WireError(f"bare {name} on the wire")


# --- framing ---------------------------------------------------------------------------------


def write_frame(fd: int, payload: bytes) -> None:
    if len(payload) > MAX_MESSAGE:
        raise WireError(f"message of {len(payload)} bytes is over the limit")
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exact(fd: int, n: int) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> bytes:
    (size,) = _HEADER.unpack(read_exact(fd, _HEADER.size))
    if size > MAX_MESSAGE:
        raise WireError(f"message of {size} bytes is over the limit")
    return read_exact(fd, size)
