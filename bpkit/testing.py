"""Assertions for the notebooks' test cells, with failure messages that teach.

A failed check raises ``CheckFailed`` (an ``AssertionError``) whose message says
what was checked, what was expected, what came, the largest absolute and
relative error and where, the name of a known mistake when the numbers give it
away (transposed, sign flipped, off by a factor of m, a rank-1 array), and a
hint. Wrong types (a list, None, a tuple) get a sentence, not a numpy traceback.

The helpers keep private references to the numpy functions they use, taken at
import time, so code that monkeypatches numpy later cannot change a verdict.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

_asarray = np.asarray
_abs = np.abs
_argmax = np.argmax
_isfinite = np.isfinite
_isnan = np.isnan
_maximum = np.maximum
_unravel_index = np.unravel_index
_ndarray = np.ndarray
_all = np.all
_isclose = np.isclose
_ravel = np.ravel
_array_str = np.array2string
_float = float
_isinstance = isinstance
_print = print
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_getprofile, _setprofile = sys.getprofile, sys.setprofile

RTOL = 1e-6
ATOL = 1e-9


class CheckFailed(AssertionError):
    """A test-cell check failed; the message says what and how to fix it."""


class DelegationError(CheckFailed):
    """The learner's function called bpkit's reference instead of doing the work."""


def _fail(name: str, lines: list[str], hint: str | None) -> None:
    text = [f"{name}: {lines[0]}"] + [f"  {line}" for line in lines[1:]]
    if hint:
        text.append(f"  Hint: {hint}")
    raise CheckFailed("\n".join(text))


def _short(value: Any) -> str:
    if _isinstance(value, _ndarray):
        return _array_str(value, precision=6, threshold=20, edgeitems=3, max_line_width=100)
    return repr(value)


def _as_number_array(name: str, got: Any, expected: np.ndarray, hint: str | None) -> np.ndarray:
    """Turn what the learner returned into a float array, or fail with a sentence saying why not."""
    if got is None:
        _fail(name, ["got None. Did the function forget to `return` its result?"], hint)
    if _isinstance(got, (list, tuple)):
        _fail(
            name,
            [
                f"got a Python {type(got).__name__}, expected a numpy array of shape {expected.shape}.",
                "Build the result with numpy operations (or wrap it with np.array(...)).",
            ],
            hint,
        )
    if expected.ndim > 0 and not _isinstance(got, _ndarray):
        _fail(
            name,
            [f"got {type(got).__name__} {got!r}, expected a numpy array of shape {expected.shape}."],
            hint,
        )
    try:
        array = _asarray(got, dtype=_float)
    except (TypeError, ValueError):
        _fail(name, [f"got {type(got).__name__}, which is not a number or a numeric array."], hint)
    return array


def _shape_problem(got: np.ndarray, expected: np.ndarray) -> str:
    if got.shape == expected.shape[::-1] and got.ndim == 2:
        return "it looks transposed: check the order of a matrix product or a missing .T"
    if got.ndim == 1 and expected.ndim == 2 and got.shape[0] in expected.shape:
        return (
            f"a rank-1 array {got.shape} where a 2-D array {expected.shape} was due: "
            "keep the column shape (keepdims=True, or reshape(-1, 1))"
        )
    if got.ndim == 2 and expected.ndim == 2 and got.shape[0] == expected.shape[0] and got.shape[1] == 1:
        return "one column where there should be one per example: was the batch dimension summed away?"
    if got.size == expected.size:
        return "the right number of entries in the wrong shape"
    return "the shape is different"


def _mistake_name(
    got: np.ndarray, expected: np.ndarray, mistakes: Mapping[str, Any] | None, m: int | None
) -> str | None:
    """Name a known mistake whose output matches ``got``."""
    for label, wrong in (mistakes or {}).items():
        wrong = _asarray(wrong, dtype=_float)
        if wrong.shape == got.shape and _all(_isclose(got, wrong, rtol=1e-6, atol=1e-9)):
            return label
    nonzero = _abs(expected) > 1e-12
    if not nonzero.any():
        return None
    ratios = got[nonzero] / expected[nonzero]
    factor = _float(ratios[0])
    if not _all(_isclose(ratios, factor, rtol=1e-6)) or _isclose(factor, 1.0):
        return None
    if not _all(_isclose(got[~nonzero], 0.0, rtol=0, atol=1e-9)):
        return None
    return _factor_name(factor, m, several=int(nonzero.sum()) > 1)


def _factor_name(factor: float, m: int | None, several: bool) -> str | None:
    """Say what a common factor between got and expected means (an unknown one only if it explains several entries)."""
    if _isclose(factor, -1.0):
        return "the sign is flipped"
    if m and m != 1 and _isclose(factor, m):
        return f"every entry is m = {m} times too large: a missing 1/m?"
    if m and m != 1 and _isclose(factor, 1 / m):
        return f"every entry is m = {m} times too small: divided by m twice?"
    if _isclose(factor, 2.0) or _isclose(factor, 0.5):
        return f"every entry is off by a factor of {factor:g}: a missing or extra 1/2?"
    if several and factor != 0:
        return f"every entry is off by the same factor {factor:.6g}"
    return None


def _low_precision(got: Any) -> bool:
    """True for float16/float32 arrays and numbers: they carry about 3 or 7 significant digits, not 16."""
    dtype = getattr(got, "dtype", None)
    return dtype is not None and dtype.kind == "f" and dtype.itemsize < 8


def _error_lines(array: np.ndarray, expected: np.ndarray, close: np.ndarray) -> list[str]:
    """Largest absolute error and where; relative error only where the expected value is not 0."""
    diff = _abs(array - expected)
    wrong = ~close
    where = tuple(int(i) for i in _unravel_index(_argmax(diff * wrong), array.shape)) if array.ndim else ()
    lines = [
        f"largest absolute error {_float(diff[where]):.3g} at index {where}: "
        f"expected {expected[where]:.6g}, got {array[where]:.6g}"
    ]
    zero = _abs(expected) <= 1e-300
    if (wrong & ~zero).any():
        relative = diff[wrong & ~zero] / _abs(expected[wrong & ~zero])
        lines.append(f"largest relative error {_float(relative.max()):.3g}")
    if (wrong & zero).any():
        lines.append(
            f"{int((wrong & zero).sum())} wrong value(s) where 0 was expected "
            f"(largest absolute error there {_float(diff[wrong & zero].max()):.3g})"
        )
    return lines


def check_array(
    name: str,
    got: Any,
    expected: Any,
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    hint: str | None = None,
    mistakes: Mapping[str, Any] | None = None,
    m: int | None = None,
) -> None:
    """Check that ``got`` is a numeric array of ``expected``'s shape and values.

    ``mistakes`` maps a description ("derivative taken at sigmoid(z)") to the
    output that mistake would give, so the message can name it. ``m`` is the
    number of examples, to recognise a missing or doubled 1/m.
    """
    expected = _asarray(expected, dtype=_float)
    array = _as_number_array(name, got, expected, hint)
    if array.shape != expected.shape:
        _fail(
            name,
            [
                f"expected shape {expected.shape}, got shape {array.shape}: {_shape_problem(array, expected)}.",
            ],
            hint,
        )
    bad = ~_isfinite(array) & _isfinite(expected)
    if bad.any():
        where = tuple(int(i) for i in _unravel_index(_argmax(bad), array.shape)) if array.ndim else ()
        _fail(
            name,
            [
                f"contains {array[where]} at index {where} where {expected[where]:.6g} was expected.",
                "inf or NaN usually comes from an overflow (exp of a large number) or a division by zero.",
            ],
            hint,
        )
    close = _isclose(array, expected, rtol=rtol, atol=atol, equal_nan=True)
    if _all(close):
        return
    lines = [f"{int((~close).sum())} of {array.size} values are wrong (tolerance rtol={rtol:g}, atol={atol:g})."]
    lines += _error_lines(array, expected, close)
    if array.size <= 12:
        lines += [f"expected: {_short(expected)}", f"got:      {_short(array)}"]
    if _low_precision(got):
        agree = _all(_isclose(array, expected, rtol=1e-5, atol=1e-7))
        lines.append(
            f"your result is {got.dtype} (about {'7' if got.dtype.itemsize == 4 else '3'} significant digits); "
            "compute in float64, numpy's default (drop dtype=np.float32 / .astype(np.float32))"
            + (": apart from that the values agree." if agree else ".")
        )
    mistake = _mistake_name(array, expected, mistakes, m)
    if mistake:
        lines.append(f"This looks like: {mistake}.")
    _fail(name, lines, hint)


def check_scalar(
    name: str,
    got: Any,
    expected: float,
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    hint: str | None = None,
    mistakes: Mapping[str, Any] | None = None,
    m: int | None = None,
) -> None:
    """Check a single number (a Python float or a 0-d / size-1 array is fine)."""
    if got is None:
        _fail(name, ["got None. Did the function forget to `return` its result?"], hint)
    if _isinstance(got, _ndarray) and got.size == 1:
        got = got.reshape(())
    if _isinstance(got, (list, tuple)) or (_isinstance(got, _ndarray) and got.size != 1):
        _fail(name, [f"expected a single number, got {type(got).__name__} {_short(got)}."], hint)
    check_array(name, got, expected, rtol=rtol, atol=atol, hint=hint, mistakes=mistakes, m=m)


def check_equal(name: str, got: Any, expected: Any, *, hint: str | None = None) -> None:
    """Exact equality, for integers, strings, tuples of shapes and dicts of them."""
    if _isinstance(expected, Mapping) and _isinstance(got, Mapping):
        missing = [k for k in expected if k not in got]
        extra = [k for k in got if k not in expected]
        if missing or extra:
            _fail(name, [f"keys differ: missing {missing}, unexpected {extra}."], hint)
        for key in expected:
            check_equal(f"{name}[{key!r}]", got[key], expected[key], hint=hint)
        return
    if _isinstance(got, _ndarray) or _isinstance(expected, _ndarray):
        check_array(name, got, expected, rtol=0, atol=0, hint=hint)
        return
    if type(got) is not type(expected) and not (
        _isinstance(got, (int, np.integer)) and _isinstance(expected, int) and not _isinstance(got, bool)
    ):
        _fail(name, [f"expected {type(expected).__name__} {expected!r}, got {type(got).__name__} {got!r}."], hint)
    if got != expected:
        _fail(name, [f"expected {expected!r}, got {got!r}."], hint)


def check_shape(name: str, got: Any, expected_shape: tuple[int, ...], *, hint: str | None = None) -> None:
    """Check only the shape of an array."""
    if not _isinstance(got, _ndarray):
        _fail(name, [f"got {type(got).__name__}, expected a numpy array of shape {expected_shape}."], hint)
    if got.shape != tuple(expected_shape):
        placeholder = np.zeros(expected_shape)
        _fail(
            name,
            [f"expected shape {tuple(expected_shape)}, got {got.shape}: {_shape_problem(got, placeholder)}."],
            hint,
        )


def check_gradients(
    name: str,
    got: Any,
    expected: Mapping[str, Any],
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    hint: str | None = None,
    m: int | None = None,
) -> None:
    """Check a grads dict ("dW1", "db1", ...) entry by entry, naming the first one that differs."""
    if not _isinstance(got, Mapping):
        _fail(name, [f"expected a dict of gradients with keys {sorted(expected)}, got {type(got).__name__}."], hint)
    missing = [k for k in expected if k not in got]
    if missing:
        _fail(name, [f"missing gradients {missing}; got keys {sorted(got)}."], hint)
    for key in sorted(expected, key=_layer_order):
        check_array(f"{name}[{key!r}]", got[key], expected[key], rtol=rtol, atol=atol, hint=hint, m=m)


def _layer_order(key: str) -> tuple[int, str]:
    digits = "".join(ch for ch in key if ch.isdigit())
    return (-int(digits) if digits else 0, key)


def check_raises(
    name: str,
    fn: Callable[[], Any],
    exception: type[BaseException],
    *,
    contains: tuple[str, ...] = (),
    hint: str | None = None,
) -> BaseException:
    """Check that ``fn()`` raises ``exception`` whose message contains every string in ``contains``."""
    try:
        fn()
    except exception as error:
        message = str(error)
        absent = [word for word in contains if word not in message]
        if absent:
            _fail(name, [f"raised {exception.__name__}({message!r}) but the message should mention {absent}."], hint)
        return error
    except Exception as error:  # noqa: BLE001 - we report whatever the learner raised
        _fail(name, [f"expected {exception.__name__}, got {type(error).__name__}: {error}"], hint)
    _fail(name, [f"expected {exception.__name__} to be raised, but nothing was raised."], hint)
    raise AssertionError("unreachable")


@contextlib.contextmanager
def warnings_fail(name: str, *, hint: str | None = None) -> Iterator[None]:
    """Inside the block a RuntimeWarning (overflow in exp, log of 0, 0/0) fails the check with ``hint``.

    Graded, a warning on stderr costs the points anyway; this says why and how to fix it.
    """
    with _catch_warnings():
        _simplefilter("error", RuntimeWarning)
        try:
            yield
        except RuntimeWarning as warning:
            _fail(
                name,
                [
                    f"numpy warned: RuntimeWarning: {warning}.",
                    "A warning counts as a failure: the result may be inf or nan, and graded, the cell scores 0.",
                ],
                hint,
            )


@contextlib.contextmanager
def explain_errors(name: str, *, hint: str | None = None) -> Iterator[None]:
    """Inside the block a warning or an unexpected error from the learner's code fails with a sentence and ``hint``.

    A RuntimeWarning is treated as by ``warnings_fail``; any other exception (a numpy
    ``TypeError`` or ``ValueError``, a ``KeyError``) is reported with its type and message.
    Check failures and ``NotImplementedError`` (an exercise not written yet) pass through.
    """
    try:
        with warnings_fail(name, hint=hint):
            yield
    except (CheckFailed, NotImplementedError):
        raise
    except Exception as error:  # noqa: BLE001 - whatever the learner's code raised is reported
        _fail(name, [f"raised {type(error).__name__}: {error}"], hint)


@contextlib.contextmanager
def blame_earlier(caller: str, earlier: Sequence[tuple[str, Callable[[], None]]]) -> Iterator[None]:
    """If a check inside the block fails, first re-check the earlier exercises ``caller`` builds on.

    ``earlier`` lists (label, check) pairs such as ("linear_forward (exercise 3)", check_fn). The first
    check that fails becomes the message ("your linear_forward (exercise 3) is wrong: ..."), so the
    learner fixes the cause, not the loop that called it. If they all pass, the original failure stands.
    A caller that is not written yet (NotImplementedError) is reported as it is.
    """
    try:
        yield
    except NotImplementedError:
        raise
    except Exception as failure:
        for label, check in earlier:
            cause = _earlier_failure(check)
            if cause is not None:
                function = label.split(" ")[0]
                raise CheckFailed(
                    f"your {label} is wrong, and {caller} builds on it: fix {function} first.\n  {cause}".replace(
                        "\n", "\n  "
                    )
                ) from None
        raise failure


def _earlier_failure(check: Callable[[], None]) -> str | None:
    """The message of a failing check of an earlier exercise, or None if it passes."""
    try:
        with warnings_fail("an earlier exercise"):
            check()
    except CheckFailed as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 - a crash of the earlier function is its own failure
        return f"it raised {type(error).__name__}: {error}"
    return None


def _tripwire(*args: Any, **kwargs: Any) -> Any:
    # Runs with the globals of the function it replaces, so it reaches everything through builtins.
    frame = __import__("sys")._getframe(0)
    name = frame.f_code.co_name
    if str(frame.f_globals.get("__name__", "")).startswith("bpkit"):
        why = (
            f"calls bpkit's reference `{name}` instead of doing the work itself. "
            "Write it with numpy (calling your own earlier functions is fine)."
        )
    else:
        why = f"calls `{name}`, which it may not use here: do the work in the exercise itself."
    raise __import__("bpkit.testing", fromlist=["DelegationError"]).DelegationError(f"this exercise {why}")


_forbidden: list[Any] = []


def forbidden() -> tuple[Any, ...]:
    """What the ``forbid`` blocks around the caller forbid now (a grader that runs learner code in
    another process forbids them there too)."""
    return tuple(_forbidden)


@contextlib.contextmanager
def forbid(*references: Callable[..., Any]) -> Iterator[None]:
    """Inside the block, calling any of ``references`` raises ``DelegationError``.

    It swaps the functions' code objects, so it catches every alias of them
    (``from bpkit.network import linear_forward as lf`` included). Hidden tests
    use it to make sure an exercise is the learner's own work, not bpkit's.
    """
    originals = [(ref, ref.__code__) for ref in references if hasattr(ref, "__code__")]
    _forbidden.extend(references)
    try:
        for ref, code in originals:
            ref.__code__ = _tripwire.__code__.replace(co_name=code.co_name)
        yield
    finally:
        for ref, code in originals:
            ref.__code__ = code
        del _forbidden[len(_forbidden) - len(references) :]


class CallCount:
    """How many times a function was called inside a ``count_calls`` block."""

    def __init__(self) -> None:
        self.count = 0


_counted: list[tuple[Any, CallCount]] = []


def counted() -> tuple[tuple[Any, CallCount], ...]:
    """The (function, counter) pairs of the ``count_calls`` blocks around the caller (a grader that
    runs learner code in another process counts there too, and adds the counts here)."""
    return tuple(_counted)


@contextlib.contextmanager
def count_calls(function: Callable[..., Any]) -> Iterator[CallCount]:
    """Inside the block, count every call of ``function`` (a function or method), whoever makes it.

    Tests use it to check how an exercise is built ("apple_graph runs backward through its
    MulNodes") without replacing anything the learner wrote.
    """
    counter = CallCount()
    code = getattr(function, "__code__", None)
    previous = _getprofile()

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code is code:
            counter.count += 1
        if previous is not None:
            previous(frame, event, arg)

    _counted.append((function, counter))
    if code is not None:
        _setprofile(profile)
    try:
        yield counter
    finally:
        if code is not None:
            _setprofile(previous)
        _counted.remove((function, counter))


def passed(exercise: str, checks: int | None = None) -> None:
    """Print the success line at the end of a visible test block."""
    count = f" ({checks} checks)" if checks else ""
    _print(f"\u2713 {exercise}: visible tests passed{count}.")
