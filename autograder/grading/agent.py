"""Runs inside the learner's kernel: answers the trusted checker's requests (autograder.grading.boundary).

For each test cell that needs the learner's code, the checker sends one silent
``execute_request`` that calls ``serve_session``; from then on requests and
answers travel over the kernel's stdin channel, which costs a fraction of an
execute_request: each answer is the prompt of a ``raw_input`` whose reply is the
next request, until the checker sends ``DONE``. A request asks for the
learner's names, calls one of the learner's functions or methods, or reads or sets
an attribute of one of the learner's objects. Only data goes back (``wire``);
the learner's objects and functions stay here and are referred to by handle. A
function the checker passes in (a cost function, a callback) becomes a stub that
asks the checker to run it, over the kernel's stdin channel.

This module runs in untrusted territory: the learner's code can replace it. That
gains nothing, because every verdict is computed in the checker from the data it
receives, which it checks; the learner can only decide what its own functions return.
"""

from __future__ import annotations

import builtins
import sys
import traceback
import warnings
from contextlib import ExitStack
from typing import Any

from autograder.grading import wire

DONE = "done"
"""The checker's last request of a session: its test cell has ended."""

_handles: dict[int, int] = {}  # id(object) -> handle
_objects: list[Any] = []  # handle -> object, kept alive for the notebook's life
_MESSAGE_LIMIT = 10_000
_CALLBACK = "callback"


def serve_session() -> None:
    """Answer the checker's requests, one per ``raw_input``, until it says ``DONE``."""
    from IPython import get_ipython

    kernel = get_ipython().kernel
    prompt = wire.dumps({"ready": True})
    while (request := kernel.raw_input(prompt)) != DONE:
        prompt = '{"answer": ' + answer(request) + "}"


def answer(request: str) -> str:
    """The answer to one request from the checker, as text; never raises."""
    try:
        reply = _answer(wire.loads(request))
    except BaseException as error:  # noqa: BLE001 - whatever happened is the answer
        reply = {"error": _error(error)}
    try:
        return wire.dumps(reply)
    except wire.NotData as error:
        return wire.dumps({"unsupported": f"the answer holds {error}"})


def prepare_kernel() -> None:
    """Before the notebook's first cell: no figure drawn (``skip_figures``), and no flush that has nothing to send
    (``flush_only_what_is_written``)."""
    skip_figures()
    flush_only_what_is_written()


def flush_only_what_is_written() -> None:
    """The kernel's stdout and stderr flush only when something was written since their last flush.

    ipykernel flushes both before every ``raw_input``, one per request and callback of the checker's, and a
    flush hands two tasks to the kernel's output thread and waits for it even when there is nothing to send:
    a third of the CPU a request costs. Whatever was written is still flushed before the prompt goes out.
    """
    from ipykernel.iostream import OutStream

    if getattr(OutStream.flush, "_bpcourse", False):
        return
    flush_all = OutStream.flush

    def flush(self: OutStream) -> None:
        if getattr(self, "_flush_pending", True) or getattr(self, "_subprocess_flush_pending", True):
            flush_all(self)

    flush._bpcourse = True  # type: ignore[attr-defined]
    OutStream.flush = flush  # type: ignore[method-assign]


def skip_figures() -> None:
    """Neither draw nor display figures (their text only): grading reads none, and drawing them is most of a
    notebook's time.

    Two things draw a figure after a cell: the inline backend's display (the image formatters, switched off
    here), and before it pyplot's own post-execute hook (installed by ``%matplotlib inline``), which draws every
    figure changed since it last drew. The hook added here runs first and marks them drawn, so it draws none.
    """
    from IPython import get_ipython

    shell = get_ipython()
    formatters = shell.display_formatter.formatters
    for mime in FIGURE_FORMATS:
        formatters[mime].enabled = False
    shell.events.callbacks["post_execute"].insert(0, _mark_figures_drawn)


def _mark_figures_drawn() -> None:
    """Every open pyplot figure counts as drawn (not stale), so pyplot does not draw it after the cell."""
    helpers = sys.modules.get("matplotlib._pylab_helpers")
    for manager in helpers.Gcf.get_all_fig_managers() if helpers else []:
        manager.canvas.figure.stale = False


FIGURE_FORMATS = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    if op == "names":
        return {"names": _names(request["names"])}
    target = _objects[request["target"]]
    if op == "getattr":
        return _encode_result(getattr(target, request["name"]), [])
    if op == "setattr":
        setattr(target, request["name"], _decoder().decode(request["value"]))
        return _encode_result(None, [])
    if op == "call":
        return _call(target, request)
    raise ValueError(f"unknown request {op!r}")


def _names(wanted: list[str]) -> dict[str, Any]:
    """The learner's values of the names a test cell uses (data by value, the rest by reference)."""
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    found = {}
    for name in wanted:
        if name in namespace:
            try:
                found[name] = wire.Encoder(_refer).encode(namespace[name])
            except wire.NotData:
                continue  # a module or other object a test cannot use: the checker has its own
    return found


def _call(function: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Call with decoded arguments, forbidden references switched off, warnings recorded; send back
    the result, the arguments as they are afterwards (copy in, copy out) and the warnings."""
    import bpkit.testing

    decoder = _decoder()
    args = decoder.decode(request["args"])
    kwargs = decoder.decode(request["kwargs"])
    forbidden = [_resolve_function(item, decoder) for item in request.get("forbid", [])]
    watched = [_resolve_function(item, decoder) for item in request.get("count", [])]
    with ExitStack() as stack:
        caught = stack.enter_context(warnings.catch_warnings(record=True))
        warnings.simplefilter("always")
        stack.enter_context(bpkit.testing.forbid(*[ref for ref in forbidden if ref is not None]))
        counters = [stack.enter_context(bpkit.testing.count_calls(ref)) for ref in watched]
        try:
            result = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - the learner's exception goes to the checker
            return {"error": _error(error), "warnings": _warnings(caught), "counts": [c.count for c in counters]}
    return {
        **_encode_result(result, [args, kwargs]),
        "warnings": _warnings(caught),
        "counts": [c.count for c in counters],
    }


def _encode_result(result: Any, arguments: list[Any]) -> dict[str, Any]:
    encoder = wire.Encoder(_refer_or_keep)
    after = [encoder.encode(value) for value in arguments]
    try:
        return {"result": encoder.encode(result), "after": after}
    except wire.NotData as error:
        return {"unsupported": str(error)}


def _resolve_function(item: Any, decoder: wire.Decoder) -> Any:
    """A function a test forbids or counts: one of the learner's (by handle) or a bpkit function (by name)."""
    if isinstance(item, dict) and "bpkit" in item:
        try:
            value = wire.bpkit_object(str(item["bpkit"]))
        except LookupError:
            return None
    else:
        value = decoder.decode(item)
    return value if hasattr(value, "__code__") else None


def _refer(value: Any) -> dict[str, Any] | None:
    """A handle for the learner's functions and objects; None for what is neither (not sendable)."""
    if getattr(value, "__bpcourse_callback__", None) is not None:
        return {wire.TAG: _CALLBACK, "id": value.__bpcourse_callback__}
    kind = type(value)
    if isinstance(value, sys.modules["numpy"].ndarray):
        return None
    if kind.__module__ == "__main__" and any(
        name in vars(kind) for name in ("__eq__", "__array__", "__array_interface__")
    ):
        return None
    if not (callable(value) or kind.__module__ == "__main__"):
        return None
    if id(value) not in _handles:
        _handles[id(value)] = len(_objects)
        _objects.append(value)
    name = getattr(value, "__name__", kind.__name__)
    return {
        wire.TAG: "ref",
        "id": _handles[id(value)],
        "call": callable(value),
        "name": str(name)[:100],
        "kind": kind.__name__[:100],
    }


def _refer_or_keep(value: Any) -> dict[str, Any] | None:
    """As _refer, and a bpkit dataclass the checker sent (immutable) is left as the checker has it."""
    if wire.is_bpkit_dataclass(value):
        return {wire.TAG: "kept"}
    return _refer(value)


def _decoder() -> wire.Decoder:
    return wire.Decoder(_resolve, frozenset({"ref", _CALLBACK, "dataclass"}))


def _resolve(data: dict[str, Any]) -> Any:
    tag = data[wire.TAG]
    if tag == "ref":
        return _objects[data["id"]]
    if tag == _CALLBACK:
        return _stub(data["id"], str(data.get("name", "function")))
    return wire.bpkit_object(str(data["cls"]))(**_decoder().decode(data["fields"]))


def _stub(handle: int, name: str) -> Any:
    """A function that asks the checker to run its function ``handle`` and returns what that returned."""

    def call_checker(*args: Any, **kwargs: Any) -> Any:
        from IPython import get_ipython

        encoder = wire.Encoder(_refer)
        request = {"callback": handle, "args": encoder.encode(list(args)), "kwargs": encoder.encode(kwargs)}
        answer = wire.loads(get_ipython().kernel.raw_input(wire.dumps(request)))
        if "error" in answer:
            error = answer["error"]
            raise _builtin_type(str(error.get("type")))(str(error.get("message")))
        return _decoder().decode(answer["result"])

    call_checker.__name__ = call_checker.__qualname__ = name
    call_checker.__bpcourse_callback__ = handle  # type: ignore[attr-defined]
    return call_checker


def _builtin_type(name: str) -> type[BaseException]:
    found = getattr(builtins, name, None)
    return found if isinstance(found, type) and issubclass(found, Exception) else RuntimeError


def _error(error: BaseException) -> dict[str, Any]:
    """An exception as data: its type, its nearest built-in type, its message and where it was raised."""
    kind = type(error)
    builtin = next(c for c in kind.__mro__ if c.__module__ == "builtins")
    return {
        "type": kind.__name__[:100],
        "module": str(kind.__module__)[:100],
        "qualname": kind.__qualname__[:200],
        "builtin": builtin.__name__,
        "message": _text(error),
        "where": _where(error),
    }


def _text(error: BaseException) -> str:
    try:
        return str(error)[:_MESSAGE_LIMIT]
    except Exception:  # noqa: BLE001 - a message that cannot be made is still an error
        return f"({type(error).__name__} whose message could not be shown)"


def _where(error: BaseException) -> str:
    """The last line of the learner's code the exception passed through: function and line in its cell."""
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if "site-packages" not in f.filename and "/autograder/" not in f.filename and "/bpkit/" not in f.filename
    ]
    return f"{frames[-1].name}, line {frames[-1].lineno} of its cell" if frames else ""


def _warnings(caught: list[warnings.WarningMessage]) -> list[dict[str, Any]]:
    kept = []
    for item in caught[:100]:
        builtin = next(c for c in item.category.__mro__ if c.__module__ == "builtins")
        kept.append(
            {
                "category": builtin.__name__,
                "message": str(item.message)[:_MESSAGE_LIMIT],
                "lineno": int(item.lineno or 0),
            }
        )
    return kept
