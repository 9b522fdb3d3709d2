"""What crosses between the learner's kernel and the trusted checker: plain data as JSON, never code or pickles.

Data is None, bool, int, float, complex, str; numpy arrays and scalars of a bool or
numeric dtype (sent as dtype, shape and raw bytes: nothing is unpickled, not even by
``np.load``); and lists, tuples, sets, frozensets and dicts of data. Anything else
travels as a tagged reference the other side resolves (a learner's object stays in
its kernel, a checker's function stays in the checker) or, from the learner's side,
as a description of what could not be sent.

The same module encodes on both sides, but only the checker's decoder is trusted:
it checks every tag, dtype, shape, size and depth, so whatever the learner's kernel
sends, decoding yields plain data, references, or ``NotData``. Objects that appear
twice (an argument the function returns, an array in two places) are sent once and
decoded as one object.
"""

from __future__ import annotations

import base64
import importlib
import json
from collections.abc import Callable
from typing import Any

import numpy as np

MAX_BYTES = 32 * 1024**2
"""The largest message either side accepts."""
MAX_DEPTH = 40
MAX_ITEMS = 200_000
ARRAY_KINDS = "biufc"
"""numpy dtype kinds that are data: bool, signed and unsigned integers, floats, complex numbers."""
NATIVE = (bool, int, float, str)
CONTAINERS = {list: "list", tuple: "tuple", set: "set", frozenset: "frozenset", dict: "dict"}
TAG = "$"

Encoded = Any
"""A JSON-ready value: a native, or a dict with a TAG."""


class NotData(Exception):
    """A value that is not plain data, or a message that does not decode to plain data."""


class Encoder:
    """Turns a value into JSON-ready data; ``refer`` encodes what is not data (or returns None)."""

    def __init__(self, refer: Callable[[Any], Encoded | None]) -> None:
        self.refer = refer
        self.memo: dict[int, int] = {}
        self.keep: list[Any] = []  # ids in memo must stay valid while encoding

    def encode(self, value: Any, depth: int = 0) -> Encoded:
        if depth > MAX_DEPTH:
            raise NotData(f"data nested more than {MAX_DEPTH} levels deep")
        kind = type(value)
        if value is None or kind in NATIVE:
            return value
        if kind is complex:
            return {TAG: "complex", "re": value.real, "im": value.imag}
        if id(value) in self.memo:
            return {TAG: "same", "i": self.memo[id(value)]}
        if kind in CONTAINERS or kind is np.ndarray:
            self.memo[id(value)] = len(self.memo)
            self.keep.append(value)
            index = self.memo[id(value)]
            if kind is np.ndarray:
                return {TAG: "array", "i": index, **_array_fields(value), "ro": not value.flags.writeable}
            if kind is dict:
                items = [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in list(value.items())]
                return {TAG: "dict", "i": index, "v": items}
            return {TAG: CONTAINERS[kind], "i": index, "v": [self.encode(item, depth + 1) for item in list(value)]}
        if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS and type(value).__module__ == "numpy":
            return {TAG: "scalar", **_array_fields(np.asarray(value))}
        referred = self.refer(value)
        if referred is None:
            raise NotData(describe(value))
        return referred


def _array_fields(array: np.ndarray) -> dict[str, Any]:
    if array.dtype.kind not in ARRAY_KINDS or array.dtype.fields is not None:
        raise NotData(f"a numpy array of dtype {array.dtype}")
    return {
        "dtype": array.dtype.str,
        "shape": list(array.shape),
        "b64": base64.b64encode(array.tobytes(order="C")).decode(),
    }


def describe(value: Any) -> str:
    """Name what could not be sent, for a message to the learner."""
    kind = type(value)
    if isinstance(value, np.ndarray):
        return f"a {kind.__name__} (a subclass of numpy.ndarray, not a plain array)"
    if kind.__name__ in ("generator", "async_generator", "coroutine"):
        return f"a {kind.__name__} (use return, not yield)"
    module = "" if kind.__module__ in ("builtins", "__main__") else f"{kind.__module__}."
    return f"a {module}{kind.__qualname__} object"


class Decoder:
    """Turns received data back into values; ``resolve`` makes the value of a tag in ``tags``."""

    def __init__(self, resolve: Callable[[dict[str, Any]], Any], tags: frozenset[str]) -> None:
        self.resolve = resolve
        self.tags = tags
        self.memo: dict[int, Any] = {}
        self.items = 0

    def decode(self, data: Encoded, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise NotData(f"more than {MAX_ITEMS} values or {MAX_DEPTH} levels of nesting")
        if data is None or type(data) in NATIVE:
            return data
        if type(data) is not dict or not isinstance(data.get(TAG), str):
            raise NotData("a malformed message")
        tag = data[TAG]
        if tag == "complex":
            return complex(_number(data, "re"), _number(data, "im"))
        if tag == "same":
            index = data.get("i")
            if type(index) is not int or index not in self.memo or self.memo[index] is _PENDING:
                raise NotData("a malformed back-reference")
            return self.memo[index]
        if tag == "scalar":
            return _array(data)[()]
        if tag == "array":
            array = _array(data)
            array.flags.writeable = data.get("ro") is not True
            return self._remember(data, array)
        if tag in ("list", "tuple", "set", "frozenset", "dict"):
            return self._container(tag, data, depth)
        if tag in self.tags:
            return self.resolve(data)
        raise NotData(f"an unexpected tag {tag[:40]!r}")

    def _remember(self, data: dict[str, Any], value: Any) -> Any:
        index = data.get("i")
        if type(index) is not int or index in self.memo:
            raise NotData("a malformed object index")
        self.memo[index] = value
        return value

    def _container(self, tag: str, data: dict[str, Any], depth: int) -> Any:
        items = data.get("v")
        if type(items) is not list:
            raise NotData("a malformed container")
        if tag == "list":
            out: list[Any] = self._remember(data, [])
            out.extend(self.decode(item, depth + 1) for item in items)
            return out
        if tag == "dict":
            mapping: dict[Any, Any] = self._remember(data, {})
            for pair in items:
                if type(pair) is not list or len(pair) != 2:
                    raise NotData("a malformed dict")
                key = self.decode(pair[0], depth + 1)
                try:
                    hash(key)
                except TypeError:
                    raise NotData("a dict key that is not hashable") from None
                mapping[key] = self.decode(pair[1], depth + 1)
            return mapping
        self._remember(data, _PENDING)
        values = [self.decode(item, depth + 1) for item in items]
        try:
            built = {"tuple": tuple, "set": set, "frozenset": frozenset}[tag](values)
        except TypeError:
            raise NotData(f"a {tag} of unhashable values") from None
        self.memo[data["i"]] = built
        return built


_PENDING = object()


def _number(data: dict[str, Any], key: str) -> float:
    value = data.get(key)
    if type(value) not in (int, float):
        raise NotData("a malformed number")
    return float(value)


def _array(data: dict[str, Any]) -> np.ndarray:
    """A fresh, owned numpy array from dtype, shape and raw bytes, after checking all three."""
    try:
        dtype = np.dtype(data.get("dtype"))
    except (TypeError, ValueError):
        raise NotData("an array with an unknown dtype") from None
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise NotData(f"an array of dtype {dtype}, not a number type")
    shape = data.get("shape")
    if type(shape) is not list or len(shape) > 32 or any(type(n) is not int or n < 0 for n in shape):
        raise NotData("an array with a malformed shape")
    raw = data.get("b64")
    if type(raw) is not str or len(raw) > MAX_BYTES * 4 // 3 + 4:
        raise NotData("an array larger than the limit")
    try:
        buffer = base64.b64decode(raw, validate=True)
    except ValueError:
        raise NotData("an array with malformed bytes") from None
    if len(buffer) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise NotData("an array whose bytes do not match its shape")
    return np.frombuffer(buffer, dtype=dtype).reshape(shape).copy()


def bpkit_object(path: str) -> Any:
    """The object a ``"module:qualname"`` path names inside bpkit; LookupError for any other package."""
    module, _, qualname = path.partition(":")
    if not module.startswith("bpkit"):
        raise LookupError(f"{module!r} is not part of bpkit")
    value: Any = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def is_bpkit_dataclass(value: Any) -> bool:
    """A dataclass of bpkit's (a dataset): the checker may send one to the kernel, never the other way."""
    return hasattr(type(value), "__dataclass_fields__") and type(value).__module__.startswith("bpkit")


def dumps(message: dict[str, Any]) -> str:
    """A message as text, or NotData if it is larger than MAX_BYTES."""
    text = json.dumps(message, allow_nan=True)
    if len(text) > MAX_BYTES:
        raise NotData(f"more than {MAX_BYTES // 1024**2} MiB of data")
    return text


def loads(text: Any) -> dict[str, Any]:
    """A received message (a JSON object), or NotData."""
    if type(text) is not str or len(text) > MAX_BYTES:
        raise NotData("a message that is not text, or larger than the limit")
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        raise NotData("a message that is not JSON") from None
    if type(message) is not dict:
        raise NotData("a message that is not a JSON object")
    return message
