"""The sandbox process: loads one student file, runs what the judge asks, answers in plain data.

Nothing here knows an expected value. The judge sends a request (call this function with these
inputs, describe this model, train it on this data) and gets back plain data; every verdict
is made in the judge's process.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
import types
from typing import Any

from grader.sandbox import wire


def _line(lines: list[str], number: int | None) -> str:
    return lines[number - 1].strip() if number and 0 < number <= len(lines) else ""

class Worker:
    def __init__(self, fd_in: int, fd_out: int, config: dict) -> None:
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.config = config
        self.module: Any = None
        self.path = ""
        self.source = ""
        self.handles: dict[int, Any] = {}
        self.next_handle = 1
        self.np = None
        self.tf = None

    # --- plumbing ---------------------------------------------------------------------------

    def send(self, message: dict) -> None:
        wire.write_frame(self.fd_out, wire.dumps(message, convert=self.convert))

    def convert(self, value: Any) -> Any:
        """Tensors and array-likes become numpy arrays; anything else stays unsupported."""
        np = self.np
        type_module = type(value).__module__ or ""
        if type_module.startswith(("tensorflow", "keras", "tf_keras")) and hasattr(value, "numpy"):
            return np.asarray(value.numpy())
        if type_module.startswith("torch") and hasattr(value, "detach"):
            return np.asarray(value.detach().cpu().numpy())
        if hasattr(value, "__array__") and not isinstance(value, type):
            arr = np.asarray(value)
            if arr.dtype.kind in wire.NUMERIC_KINDS:
                return arr
        return value

    def resolve(self, tag: str, body: Any) -> Any:
        if tag == "handle":
            try:
                return self.handles[body.id]
            except KeyError:
                raise wire.WireError(f"no object #{body.id}") from None
        if tag == "tensor":
            array, dtype = body
            if self.tf is not None:
                return self.tf.constant(array, dtype=dtype)
            keras = sys.modules.get("keras")
            return keras.ops.convert_to_tensor(array, dtype=dtype) if keras is not None else array
        if tag == "fn":
            source, params = body
            return eval(source, {"np": self.np, "__builtins__": __builtins__, **params})  # trusted judge code
        raise wire.WireError(tag)

    def keep(self, value: Any) -> dict:
        hid = self.next_handle
        self.next_handle += 1
        self.handles[hid] = value
        return {"handle": wire.Handle(hid, type(value).__name__)}

    def answer(self, value: Any, keep: Any) -> dict:
        if keep is True:
            return self.keep(value)
        try:
            return {"value": wire.Encoded(wire.to_plain(value, convert=self.convert))}
        except wire.Unsupported as exc:
            if keep == "auto":
                return self.keep(value)
            return {"unsupported": exc.kind}

    # --- requests ---------------------------------------------------------------------------

    def op_load(self, source: str, filename: str) -> dict:
        """Run the student's file, sent as text: the sandbox never needs to see the student's folder."""
        _seed_everything(self.config, "keras" in sys.modules)
        self.handles.clear()
        module = types.ModuleType("submission")
        module.__file__ = filename
        sys.modules["submission"] = module
        self.path = filename
        self.source = source
        code = compile(source, filename, "exec", dont_inherit=True)
        self.module = module
        exec(code, module.__dict__)
        names = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
        return {"value": names}

    def target(self, target: Any) -> Any:
        return self.module if target is None else target

    def op_call(self, target: Any, name: str, args: list, kwargs: dict, keep: Any = "auto") -> dict:
        obj = self.target(target)
        if obj is None:
            raise wire.WireError("nothing loaded")
        if not hasattr(obj, name):
            return {"missing": name}
        fn = getattr(obj, name)
        return self.answer(fn(*args, **kwargs), keep)

    def op_attr(self, target: Any, name: str, keep: Any = "auto") -> dict:
        obj = self.target(target)
        if not hasattr(obj, name):
            return {"missing": name}
        return self.answer(getattr(obj, name), keep)

    def op_describe(self, target: Any) -> dict:
        from grader.sandbox import keras_facts

        return {"value": keras_facts.describe(target)}

    def op_fit(self, target: Any, x: Any, y: Any, kwargs: dict) -> dict:
        from grader.sandbox import keras_facts

        history = keras_facts.fit(target, x, y, kwargs, on_epoch=self.epoch_event)
        return {"value": history}

    def epoch_event(self, epoch: int, logs: dict) -> None:
        self.send({"event": "epoch", "epoch": epoch, "logs": logs})

    def op_predict(self, target: Any, x: Any) -> dict:
        from grader.sandbox import keras_facts

        return {"value": keras_facts.predict(target, x)}

    def op_run(self, code: str, bindings: dict, keep: Any = "auto") -> dict:
        namespace = {"np": self.np, "tf": self.tf, "module": self.module, "emit": self.epoch_event, **bindings}
        if "keras" in sys.modules:
            import keras

            namespace["keras"] = keras
        exec(compile(code, "<grader>", "exec"), namespace)  # trusted judge code, student objects inside
        return self.answer(namespace.get("result"), keep)

    # --- loop -------------------------------------------------------------------------------

    def serve(self) -> None:
        while True:
            try:
                raw = wire.read_frame(self.fd_in)
            except EOFError:
                return
            request = wire.loads(raw, resolve=self.resolve)
            op = request.pop("op")
            rid = request.pop("id")
            if op == "bye":
                self.send({"id": rid, "value": None})
                return
            try:
                reply = getattr(self, "op_" + op)(**request)
            except SystemExit as exc:
                reply = {"error": {"type": "SystemExit", "message": _safe_repr(exc.code), "traceback": ""}}
            except BaseException as exc:  # student code may raise anything, KeyboardInterrupt included
                reply = {"error": self.describe_error(exc)}
                try:
                    if is_gpu_memory_error(exc):
                        reply["error"]["memory"] = "gpu"  # the judge adds advice; it stays the student's error
                except BaseException:  # noqa: BLE001
                    pass
            reply["id"] = rid
            _flush_output()
            try:
                self.send(reply)
            except wire.WireError as exc:
                self.send({"id": rid, "error": {"type": "WireError", "message": str(exc), "traceback": ""}})

    def describe_error(self, exc: BaseException) -> dict:
        """The exception with the traceback lines of the student's file only."""
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == self.path]
        source_lines = (self.source or "").splitlines()
        lines = [f"line {f.lineno}, in {f.name}: {_line(source_lines, f.lineno)}" for f in frames[-5:]]
        try:
            message = str(exc)
        except BaseException:  # noqa: BLE001 - an exception whose __str__ raises is still the student's
            message = "<an exception that cannot be printed>"
        if len(message) > 500:
            message = message[:500] + " ..."
        try:
            lineno = frames[-1].lineno if frames else getattr(exc, "lineno", None)
            lineno = int.__int__(lineno) if isinstance(lineno, int) and not isinstance(lineno, bool) else None
        except BaseException:  # noqa: BLE001 - a student's exception may make any attribute raise
            lineno = None
        return {"type": type(exc).__name__, "message": message, "traceback": "\n".join(lines), "line": lineno}


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:200] if isinstance(value, (int, str, type(None))) else f"<{type(value).__name__}>"
    except BaseException:  # noqa: BLE001
        return "<?>"


def _flush_output() -> None:
    """What the student printed reaches the judge before the reply does."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - the student may have replaced or closed the stream
            pass


def _seed_everything(config: dict, tensorflow: bool) -> None:
    """The same seed before every file loaded, so results do not depend on what ran before."""
    import numpy as np

    seed = int(config.get("seed", 0)) % 2**32
    random.seed(seed)
    np.random.seed(seed)
    if tensorflow:
        import keras

        keras.utils.set_random_seed(seed)


def _device_info(tf: Any) -> dict:
    """The device Keras will use, asked after the fork (CUDA must not start in the zygote)."""
    info: dict[str, Any] = {"device": "cpu"}
    keras = sys.modules.get("keras")
    backend = keras.backend.backend() if keras is not None else None
    if backend == "tensorflow" and tf is not None:
        from grader.sandbox.boundary import gpu_present

        # no device node (or CUDA_VISIBLE_DEVICES=-1): TensorFlow sees no GPU, and asking it costs up to 20 ms
        no_gpu = os.environ.get("CUDA_VISIBLE_DEVICES") == "-1" or not gpu_present()
        gpus = [] if no_gpu else tf.config.list_physical_devices("GPU")
        for gpu in gpus:
            try:
                tf.config.experimental.set_memory_growth(gpu, True)
            except (RuntimeError, ValueError):
                pass
        if gpus:
            info["device"] = "gpu"
            try:
                info["device_name"] = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "")
            except (RuntimeError, ValueError):
                pass
    elif backend == "jax":
        import jax

        device = jax.devices()[0]
        if device.platform == "gpu":
            info.update(device="gpu", device_name=str(getattr(device, "device_kind", "")))
    elif backend == "torch":
        import torch

        if torch.cuda.is_available():
            info.update(device="gpu", device_name=torch.cuda.get_device_name(0))
    return info


GPU_MEMORY_ERRORS = ("ResourceExhaustedError", "OutOfMemoryError")


def is_gpu_memory_error(exc: BaseException) -> bool:
    """Out of GPU memory, whichever backend said it."""
    name = type(exc).__name__
    return name in GPU_MEMORY_ERRORS or (name == "XlaRuntimeError" and "RESOURCE_EXHAUSTED" in str(exc))


def serve_forked(fd_in: int, fd_out: int, config: dict, info: dict) -> None:
    """The student's process, forked from a warm zygote and already confined."""
    worker = Worker(fd_in, fd_out, config)
    worker.np = sys.modules["numpy"]
    worker.tf = sys.modules.get("tensorflow") if info.get("tensorflow") else None  # None on JAX and PyTorch
    try:
        info = {**info, **_device_info(worker.tf)}
    except BaseException as exc:  # noqa: BLE001 - reported to the judge
        worker.send({"id": 0, "error": {"type": type(exc).__name__, "message": str(exc), "traceback": ""}})
        os._exit(0)
    worker.send({"id": 0, "value": info})
    worker.serve()
    sys.stdout.flush()
    os._exit(0)


def main() -> None:
    """The unconfined fallback: one interpreter per session, started by the judge."""
    from grader.sandbox import confine

    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    config = wire.loads(wire.read_frame(fd_in))
    worker = Worker(fd_in, fd_out, config)
    try:
        import numpy as np

        worker.np = np
        info: dict[str, Any] = {"tensorflow": None, "isolation": ["rlimits"]}
        if config.get("tensorflow"):
            import keras
            import tensorflow as tf

            worker.tf = tf
            info.update(tensorflow=tf.__version__, keras=keras.__version__)
        info.update(_device_info(worker.tf))
        confine.apply_rlimits(memory=config.get("memory_bytes") if config.get("limit_address_space") else None,
                              file_size=config.get("file_bytes"), processes=None, cpu_seconds=config.get("cpu_seconds"))
    except BaseException as exc:  # noqa: BLE001 - reported to the judge
        worker.send({"id": 0, "error": {"type": type(exc).__name__, "message": str(exc), "traceback": ""}})
        return
    worker.send({"id": 0, "value": info})
    worker.serve()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
