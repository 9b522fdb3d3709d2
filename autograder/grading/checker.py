"""Check: run the test cells, hidden tests included, in the trusted grading process, never in the learner's kernel.

The checker has a namespace of its own per notebook. It runs the notebook's
read-only setup cells (the imports and helpers the tests use) itself, and before each
test cell it asks the learner's kernel for the names the cell uses that the checker
does not define: the learner's functions and objects arrive as proxies, data by value
(autograder.grading.boundary). A test cell runs in two parts, its visible tests and
then its hidden ones, so the score can say which part failed. Its outputs are the
notebook cell's outputs, in nbformat, so it is scored as nbgrader scores a cell.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import io
import warnings
from dataclasses import dataclass
from types import CodeType
from typing import Any

import nbformat
import numpy as np
from nbformat import NotebookNode

from autograder import notebooks as nbs
from autograder.grading.boundary import Boundary, CallTimedOut, KernelStopped
from autograder.grading.learner import OUTPUT_LIMIT

_BUILTIN_NAMES = frozenset(dir(builtins))
COMPILED_CELLS = 1024
"""Test and setup cells whose parse and compilation a grading process keeps: the same instructor cells come
back in every notebook of a class, and parsing them again cost about 15 ms per notebook."""


@dataclass
class Checked:
    """How one test cell ended in the checker."""

    timed_out: bool = False
    hidden_failed: bool = False


class CheckerSetupError(RuntimeError):
    """A read-only setup cell failed in the checker: a fault of the course, not of the submission."""


class _Outputs(io.TextIOBase):
    """One stream of a cell, collected as nbformat stream outputs (adjacent writes coalesced)."""

    def __init__(self, name: str, outputs: list[NotebookNode], budget: list[int]) -> None:
        self.name, self.outputs, self.budget = name, outputs, budget

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        kept = text[: max(self.budget[0], 0)]
        self.budget[0] -= len(text)
        if kept:
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last.output_type == "stream" and last.name == self.name:
                last.text += kept
            else:
                self.outputs.append(nbformat.v4.new_output("stream", name=self.name, text=kept))
        return len(text)


def split_tests(source: str) -> tuple[ast.Module, ast.Module]:
    """A test cell's top-level statements before its hidden-tests marker, and the rest."""
    tree = ast.parse(source)
    boundary = nbs.hidden_start(source)
    visible = [node for node in tree.body if boundary is None or node.lineno < boundary]
    hidden = [node for node in tree.body if boundary is not None and node.lineno >= boundary]
    return ast.Module(body=visible, type_ignores=[]), ast.Module(body=hidden, type_ignores=[])


@functools.lru_cache(maxsize=COMPILED_CELLS)
def used_names(source: str) -> frozenset[str]:
    """Every name a cell reads, in any scope (a helper function's body reads the cell's globals)."""
    return frozenset(
        node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    )


@functools.lru_cache(maxsize=COMPILED_CELLS)
def compiled_tests(source: str, grade_id: str | None) -> tuple[tuple[str, CodeType], ...]:
    """("visible" | "hidden", code) for each part of a test cell that has statements, in that order."""
    parts = zip(("visible", "hidden"), split_tests(source), strict=True)
    return tuple(
        (part, compile(module, f"<{part} tests of {grade_id}>", "exec")) for part, module in parts if module.body
    )


@functools.lru_cache(maxsize=COMPILED_CELLS)
def compiled_setup(source: str, grade_id: str | None) -> CodeType:
    """A read-only setup cell, without its magics, compiled."""
    return compile(without_magics(source), f"<setup cell {grade_id}>", "exec")


def without_magics(source: str) -> str:
    """A cell without its IPython line magics and shell escapes (``%matplotlib inline``)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


class Checker:
    """The trusted side of one graded notebook."""

    def __init__(self, boundary: Boundary) -> None:
        self.boundary = boundary
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.injected: dict[str, Any] = {}

    def run_setup(self, cell: NotebookNode) -> None:
        """Run a read-only setup cell here too, so the tests have its imports and helpers."""
        code = compiled_setup(cell.source, nbs.grade_id(cell))
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                exec(code, self.namespace)  # the course's own cell, in the trusted process
        except Exception as error:
            where = nbs.grade_id(cell)
            raise CheckerSetupError(f"the setup cell {where!r} failed in the checker: {error!r}") from error

    def run_test(self, cell: NotebookNode, execution_count: int) -> Checked:
        """Run a test cell (visible, then hidden tests) against the learner's names; fill in its outputs."""
        self.boundary.new_cell()
        cell.outputs, cell.execution_count = [], execution_count
        budget = [OUTPUT_LIMIT]
        streams = {name: _Outputs(name, cell.outputs, budget) for name in ("stdout", "stderr")}
        checked = Checked()
        with contextlib.redirect_stdout(streams["stdout"]), contextlib.redirect_stderr(streams["stderr"]):
            self._run_parts(cell, checked)  # a KernelStopped ends the notebook: no session to close
            self.boundary.end_cell()  # what the learner's code printed lands in this cell
        return checked

    def _run_parts(self, cell: NotebookNode, checked: Checked) -> None:
        """The learner's names, then the visible and the hidden tests, until one fails."""
        if self._run_part(lambda: self._bring_names(cell.source), cell, checked):
            return
        for part, code in compiled_tests(cell.source, nbs.grade_id(cell)):
            wrote_stderr = _wrote_stderr(cell.outputs)
            failed = self._run_part(lambda code=code: self._exec(code), cell, checked)
            if part == "hidden" and (failed or _wrote_stderr(cell.outputs) > wrote_stderr):
                checked.hidden_failed = True
            if failed:
                return

    def _exec(self, code: Any) -> None:
        with warnings.catch_warnings(), np.errstate():
            exec(code, self.namespace)  # the course's test code, in the trusted process

    def _run_part(self, run: Any, cell: NotebookNode, checked: Checked) -> bool:
        """Run one step of a test cell; True if it raised (an error output is added)."""
        try:
            run()
        except CallTimedOut as error:
            checked.timed_out = True
            cell.outputs.append(_error_output("TimeoutError", str(error)))
            return True
        except KernelStopped:
            raise
        except BaseException as error:  # noqa: BLE001 - a failed check, or the learner's error raised again
            notes = "".join(f"\n{note}" for note in getattr(error, "__notes__", []))
            cell.outputs.append(_error_output(type(error).__name__, f"{error}{notes}"))
            return True
        finally:
            self._update_owned()
        return False

    def _bring_names(self, source: str) -> None:
        """Bind the learner's values of the names this cell uses that the checker does not define itself."""
        owned = {name for name in self.namespace if name not in self.injected}
        wanted = sorted(used_names(source) - owned - _BUILTIN_NAMES)
        if not wanted:
            return
        found = self.boundary.names(wanted)  # a value that is not data is left out: the test then says so
        for name in wanted:
            if name in found:
                self.namespace[name] = self.injected[name] = found[name]
            elif name in self.injected:
                del self.namespace[name], self.injected[name]

    def _update_owned(self) -> None:
        """A name the test code bound itself is the checker's from now on."""
        for name, value in list(self.injected.items()):
            if self.namespace.get(name) is not value:
                del self.injected[name]


def _wrote_stderr(outputs: list[NotebookNode]) -> int:
    return sum(len(o.text) for o in outputs if o.output_type == "stream" and o.name == "stderr")


def _error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output with the message only: no traceback, so no line of a hidden test is ever shown."""
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
