"""The sandbox process: loads one student file, runs what the judge asks, answers in plain data.

Nothing here knows an expected value. The judge sends a request (call this function with these
inputs, describe this model, train it on this data) and gets back plain data; every verdict
is made in the judge's process.
"""

from __future__ import annotations

import importlib.util
import os
import random
import resource
import sys
import traceback
from typing import Any

from grader import wire

class Worker:
    def __init__(self, fd_in: int, fd_out: int, config: dict) -> None:
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.config = config
        self.module: Any = None
        self.path = ""
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
            return self.tf.constant(array, dtype=dtype) if self.tf else array
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

    def op_load(self, path: str) -> dict:
        _seed_everything(self.config, self.tf is not None)
        self.handles.clear()
        directory = os.path.dirname(os.path.abspath(path))
        if directory not in sys.path:
            sys.path.insert(0, directory)
        spec = importlib.util.spec_from_file_location("submission", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["submission"] = module
        self.path = os.path.abspath(path)
        spec.loader.exec_module(module)
        self.module = module
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
        from grader import keras_facts

        return {"value": keras_facts.describe(target)}

    def op_fit(self, target: Any, x: Any, y: Any, kwargs: dict) -> dict:
        from grader import keras_facts

        history = keras_facts.fit(target, x, y, kwargs, on_epoch=self.epoch_event)
        return {"value": history}

    def epoch_event(self, epoch: int, logs: dict) -> None:
        self.send({"event": "epoch", "epoch": epoch, "logs": logs})

    def op_predict(self, target: Any, x: Any) -> dict:
        from grader import keras_facts

        return {"value": keras_facts.predict(target, x)}

    def op_run(self, code: str, bindings: dict, keep: Any = "auto") -> dict:
        namespace = {"np": self.np, "tf": self.tf, "module": self.module, "emit": self.epoch_event, **bindings}
        if self.tf is not None:
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
                reply = {"error": {"type": "SystemExit", "message": repr(exc.code), "traceback": ""}}
            except BaseException as exc:  # student code may raise anything, KeyboardInterrupt included
                reply = {"error": self.describe_error(exc)}
            reply["id"] = rid
            try:
                self.send(reply)
            except wire.WireError as exc:
                self.send({"id": rid, "error": {"type": "WireError", "message": str(exc), "traceback": ""}})

    def describe_error(self, exc: BaseException) -> dict:
        """The exception with the traceback lines of the student's file only."""
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == self.path]
        lines = [f"line {f.lineno}, in {f.name}: {f.line}" for f in frames[-5:]]
        message = str(exc)
        if len(message) > 500:
            message = message[:500] + " ..."
        lineno = frames[-1].lineno if frames else getattr(exc, "lineno", None)
        return {"type": type(exc).__name__, "message": message, "traceback": "\n".join(lines), "line": lineno}


def _mapped_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _apply_limits(config: dict) -> None:
    memory = config.get("memory_bytes")
    if memory and config.get("limit_address_space", True):
        # The allowance is on top of what the interpreter (and TensorFlow) already mapped.
        limit = _mapped_bytes() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    file_size = config.get("file_bytes")
    if file_size:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _seed_everything(config: dict, tensorflow: bool) -> None:
    """The same seed before every file loaded, so results do not depend on what ran before."""
    import numpy as np

    seed = int(config.get("seed", 0)) % 2**32
    random.seed(seed)
    np.random.seed(seed)
    if tensorflow:
        import keras

        keras.utils.set_random_seed(seed)


def _prepare(config: dict, worker: Worker) -> dict:
    import numpy as np

    worker.np = np
    info = {"device": "cpu", "tensorflow": None}
    if config.get("tensorflow"):
        import keras
        import tensorflow as tf

        worker.tf = tf
        gpus = tf.config.list_physical_devices("GPU")
        for gpu in gpus:
            try:
                tf.config.experimental.set_memory_growth(gpu, True)
            except (RuntimeError, ValueError):
                pass
        info["device"] = "gpu" if gpus else "cpu"
        if gpus:
            try:
                details = tf.config.experimental.get_device_details(gpus[0])
                info["device_name"] = details.get("device_name", "")
            except (RuntimeError, ValueError):
                pass
        info["tensorflow"] = tf.__version__
        info["keras"] = keras.__version__
    return info


def main() -> None:
    fd_in, fd_out = int(sys.argv[1]), int(sys.argv[2])
    config = wire.loads(wire.read_frame(fd_in))
    worker = Worker(fd_in, fd_out, config)
    try:
        info = _prepare(config, worker)
        _apply_limits(config)
    except BaseException as exc:
        worker.send({"id": 0, "error": {"type": type(exc).__name__, "message": str(exc), "traceback": ""}})
        return
    worker.send({"id": 0, "value": info})
    worker.serve()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
