"""Runs inside the grading kernel: undoes a submission's monkeypatching before each test cell
and records which test cells ran to their end.

The grader injects (under a random name unknown to the submission):
  * a first cell: ``snapshot()`` of numpy, builtins and every bpkit module's attributes;
  * around each read-only setup cell: ``before(globals())`` and ``remember(globals(), exercises)``
    of the names it bound;
  * at the top of each test cell: ``restore(globals())``;
  * at the end of each test cell: ``completed(grade_id, token)``, which prints a marker line the
    grader looks for in that cell's output (the token is as random as the name, per run).
So code that swaps ``np.allclose``, ``bpkit.testing.check_array``, ``builtins.AssertionError``,
a bpkit reference function or a test helper's global name does not change a verdict, and a test
cell whose error was swallowed (for example by a custom exception handler) does not count as run.
"""
from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

MODULES = (
    "builtins", "numpy", "numpy.linalg", "numpy.random", "numpy.testing",
    "bpkit", "bpkit.activations", "bpkit.descent", "bpkit.losses", "bpkit.network",
    "bpkit.gradcheck", "bpkit.shapes", "bpkit.datasets", "bpkit.testing",
)
REPORT_PREFIX = "bpcourse-completed:"

_modules: dict[str, tuple[ModuleType, dict[str, Any]]] = {}
_names: dict[str, Any] = {}
_before: dict[str, int] = {}
_setattr, _list, _print = setattr, list, print


def _function_codes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: value.__code__ for name, value in attributes.items() if hasattr(value, "__code__")}


def snapshot() -> None:
    """Record the attributes (and function code objects) of every module graded code relies on."""
    for name in MODULES:
        module = importlib.import_module(name)
        attributes = dict(vars(module))
        _modules[name] = (module, attributes)
        _modules[name + ":code"] = (module, _function_codes(attributes))


def before(namespace: dict[str, Any]) -> None:
    """Called first in a read-only setup cell: what the namespace held before it."""
    _before.clear()
    _before.update({name: id(value) for name, value in _list(namespace.items())})


def remember(namespace: dict[str, Any], exercises: list[str]) -> None:
    """Called last in a read-only setup cell: record the names it bound (never the learner's answers)."""
    for name, value in _list(namespace.items()):
        if not name.startswith("_") and name not in exercises and _before.get(name) != id(value):
            _names[name] = value


def restore(namespace: dict[str, Any]) -> None:
    """Put every recorded module attribute, function body and setup name back as it was."""
    for key, (module, saved) in _list(_modules.items()):
        if key.endswith(":code"):
            for name, code in _list(saved.items()):
                function = _modules[key[: -len(":code")]][1][name]
                if function.__code__ is not code:
                    function.__code__ = code
            continue
        current = vars(module)
        for name, value in _list(saved.items()):
            if current.get(name) is not value:
                _setattr(module, name, value)
    for name, value in _list(_names.items()):
        if namespace.get(name) is not value:
            namespace[name] = value
    sys.modules.update({key: module for key, (module, _) in _modules.items() if not key.endswith(":code")})


def completed(grade_id: str, token: str) -> None:
    """Called as a test cell's last line: print the marker that says the cell ran to its end."""
    _print(marker(grade_id, token), flush=True)


def marker(grade_id: str, token: str) -> str:
    """The line that proves a test cell completed in this grading run."""
    return f"{REPORT_PREFIX}{token}:{grade_id}"
