"""The wire format carries plain data only and rebuilds it exactly, without pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest

from grader.sandbox import wire


@pytest.mark.parametrize(
    "value",
    [None, True, 3, -2.5, "한글", [1, 2.0, "x"], (1, (2, 3)), {"a": [1, {"b": None}]}, float("inf"), float("-inf")],
)
def test_plain_values_round_trip(value):
    assert wire.loads(wire.dumps(value)) == value


def test_nan_round_trips():
    assert np.isnan(wire.loads(wire.dumps(float("nan"))))


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int32", "int64", "uint8", "bool"])
def test_numeric_arrays_round_trip_with_dtype_and_shape(dtype):
    arr = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    back = wire.loads(wire.dumps(arr))
    assert back.dtype == arr.dtype and back.shape == arr.shape and np.array_equal(back, arr)


def test_numpy_scalars_become_python_numbers():
    assert wire.loads(wire.dumps([np.float32(1.5), np.int64(3), np.bool_(True)])) == [1.5, 3, True]


def test_subclasses_of_builtins_are_reduced_to_the_base_value():
    class Sneaky(float):
        def __eq__(self, other):
            return True

    back = wire.loads(wire.dumps(Sneaky(2.0)))
    assert type(back) is float and back == 2.0 and back != 3.0


@pytest.mark.parametrize("value", [object(), np.array(["a"]), np.array([object()]), {1: 2}, lambda: 0])
def test_non_plain_values_are_refused(value):
    with pytest.raises(wire.Unsupported):
        wire.dumps(value)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1}',  # untagged object
        b'{"__nd__": ["|O8", [1], "AAAAAAAAAAA="]}',  # object dtype
        b'{"__nd__": ["<f8", [2], "AAAAAAAAAAA="]}',  # data does not match the shape
        b'{"__pickle__": "gASV"}',  # unknown tag
        b"NaN",  # bare constant
        b"\xff\xfe",  # not UTF-8
    ],
)
def test_malformed_or_unsafe_messages_are_rejected(raw):
    with pytest.raises(wire.WireError):
        wire.loads(raw)


def test_messages_are_json_text_not_pickle():
    payload = wire.dumps({"x": np.ones(2)})
    json.loads(payload)  # plain JSON
    assert b"\x80" not in payload


def test_handles_are_only_resolved_by_the_sandbox():
    handle = wire.loads(wire.dumps(wire.Handle(7, "Sequential")))
    assert isinstance(handle, wire.Handle) and handle.id == 7 and handle.type_name == "Sequential"


def test_plain_values_cross_while_another_thread_is_still_importing_numpy(monkeypatch):
    """The judge loads the student's file on one thread while another imports numpy (grader.loading.Preload):
    a numpy module without its names yet is not an error, and no value can be one of its types."""
    import sys
    import types

    import numpy as np

    from grader.sandbox import wire

    monkeypatch.setitem(sys.modules, "numpy", types.ModuleType("numpy"))  # as sys.modules holds it mid-import
    message = {"id": 1, "op": "load", "source": "x = 1\n", "filename": "losses.py", "args": [1, 2.5, (True, None)]}
    assert wire.loads(wire.dumps(message)) == message
    monkeypatch.setitem(sys.modules, "numpy", np)
    assert wire.loads(wire.dumps({"a": np.arange(3)}))["a"].tolist() == [0, 1, 2]
