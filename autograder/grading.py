"""Grade one notebook: restore the course's cells, execute in a fresh kernel, score each test cell.

This is the one grading path: the test suite, ``bpcourse check``/``grade`` and
the demo all go through ``grade_notebook``. Scores follow nbgrader's rule
(``nbgrader.utils.determine_grade``: a test cell that raised or wrote to
stderr scores 0, otherwise full points), after our own checks that every test
cell really ran.
"""
from __future__ import annotations

import copy
import resource
import subprocess
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from autograder import notebooks as nbs

DEFAULT_TIMEOUT = 30
"""Seconds a single cell may run before it is interrupted."""

MEMORY_LIMIT = 4 * 1024**3
"""Bytes of address space a grading kernel may use: a runaway allocation fails inside it, not the machine."""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


@dataclass
class CellResult:
    """The score of one test cell and why."""

    grade_id: str
    points: float
    max_points: float
    status: str  # "passed", "failed", "not run", "timed out"
    message: str = ""
    hidden: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class NotebookResult:
    """The grading of one submitted notebook."""

    notebook: str
    cells: list[CellResult] = field(default_factory=list)
    status: str = "graded"  # "graded", "kernel died", "invalid"
    error: str = ""
    duration: float = 0.0
    graded: NotebookNode | None = None

    @property
    def score(self) -> float:
        return sum(cell.points for cell in self.cells)

    @property
    def max_score(self) -> float:
        return sum(cell.max_points for cell in self.cells)

    def scores(self) -> dict[str, float]:
        """grade_id -> points."""
        return {cell.grade_id: cell.points for cell in self.cells}


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes from a traceback."""
    return _ANSI.sub("", text)


def merge_submission(submission: NotebookNode, source: NotebookNode) -> NotebookNode:
    """The notebook to execute: the source's cells in the source's order, with the learner's answers.

    Solution cells take the learner's source (a deleted one becomes a stub that
    raises); every other course cell (matched by grade_id or cell id) is taken
    from the source, so edited or deleted test cells come back with their
    hidden tests. Cells the learner added stay where they were, after the
    course cell they followed.
    """
    by_grade_id = {nbs.grade_id(c): c for c in submission.cells if nbs.grade_id(c)}
    source_ids = {c.get("id") for c in source.cells}
    source_grade_ids = {nbs.grade_id(c) for c in source.cells if nbs.grade_id(c)}
    extras: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    for cell in submission.cells:
        gid = nbs.grade_id(cell)
        if gid in source_grade_ids or (not gid and cell.get("id") in source_ids):
            anchor = gid or cell.get("id")
        elif cell.cell_type == "code" and not gid:
            extras.setdefault(anchor, []).append(cell)
    merged = copy.deepcopy(source)
    merged.cells = list(extras.get(None, []))
    for cell in copy.deepcopy(source.cells):
        gid = nbs.grade_id(cell)
        if nbs.is_solution_cell(cell):
            answer = by_grade_id.get(gid)
            cell.source = (
                answer.source
                if answer is not None
                else f"raise NotImplementedError('the answer cell {gid!r} was deleted from the notebook')"
            )
        merged.cells.append(cell)
        merged.cells.extend(extras.get(gid or cell.get("id"), []))
    for cell in merged.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return merged


def _hidden_line(source: str) -> int | None:
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip().startswith(nbs.HIDDEN_BEGIN):
            return number
    return None


def _failure(cell: NotebookNode) -> tuple[str, bool]:
    """The message of a failed test cell and whether a hidden test failed."""
    for output in cell.outputs:
        if output.output_type == "error":
            message = f"{output.ename}: {strip_ansi(output.evalue)}".strip()
            lines = [int(n) for n in _CELL_LINE.findall(strip_ansi("\n".join(output.traceback)))]
            boundary = _hidden_line(cell.source)
            hidden = bool(lines and boundary and lines[0] > boundary)
            return message, hidden
        if output.output_type == "stream" and output.name == "stderr":
            return f"the test cell wrote to stderr (a warning counts as a failure): {output.text.strip()[:500]}", False
    return "failed", False


def score_cells(
    executed: NotebookNode, timed_out: set[int], stopped_at: int | None, timeout: int = DEFAULT_TIMEOUT
) -> list[CellResult]:
    """One CellResult per test cell of an executed notebook.

    Policy: a cell interrupted for running longer than ``timeout`` seconds makes
    the next test cell score 0 as "timed out", even if the function it defined
    before hanging is correct: grading must finish, and hanging code is a bug.
    """
    from nbgrader.utils import determine_grade  # slow import, once per process

    results = []
    hung: int | None = None
    for index, cell in enumerate(executed.cells):
        if index in timed_out and hung is None:
            hung = index
        if not nbs.is_test_cell(cell):
            continue
        gid = nbs.grade_id(cell)
        max_points = float(nbs.nbgrader_meta(cell).get("points", 0))
        if stopped_at is not None and index > stopped_at:
            results.append(CellResult(gid, 0.0, max_points, "not run", "the kernel died before this test ran"))
        elif hung is not None:
            where = "this test cell" if hung == index else f"cell {hung + 1} (before this test)"
            results.append(
                CellResult(gid, 0.0, max_points, "timed out",
                           f"{where} ran longer than {timeout} s and was interrupted; remove the code that never ends")
            )
            hung = None
        elif cell.get("execution_count") is None:
            results.append(CellResult(gid, 0.0, max_points, "not run", "this test cell did not run"))
        else:
            points, _ = determine_grade(cell)
            if points is not None and points >= max_points:
                results.append(CellResult(gid, float(points), max_points, "passed"))
            else:
                message, hidden = _failure(cell)
                results.append(CellResult(gid, float(points or 0.0), max_points, "failed", message, hidden))
    return results


class _Client(NotebookClient):
    """NotebookClient that remembers which cells it had to interrupt."""

    def __init__(self, nb: NotebookNode, **kwargs: object) -> None:
        super().__init__(nb, **kwargs)
        self.timed_out: set[int] = set()
        self.current = -1

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):  # type: ignore[override]
        self.current = cell_index
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    async def _async_handle_timeout(self, timeout, cell=None):  # type: ignore[override]
        self.timed_out.add(self.current)
        return await super()._async_handle_timeout(timeout, cell)


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:  # runs in the kernel process before it starts
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def execute(
    nb: NotebookNode, timeout: int = DEFAULT_TIMEOUT, memory_limit: int = MEMORY_LIMIT
) -> tuple[NotebookNode, set[int], int | None, str]:
    """Run every cell in a fresh kernel in an empty temporary folder, with limited memory.

    Returns (executed notebook, indices of interrupted cells, index of the cell
    during which the kernel died or None, error text).
    """
    with tempfile.TemporaryDirectory(prefix="bpcourse-run-") as cwd:
        client = _Client(
            nb,
            timeout=timeout,
            interrupt_on_timeout=True,
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": cwd}},
        )
        try:
            # stderr: the kernel process's own log, not the learner's output
            client.execute(stderr=subprocess.DEVNULL, preexec_fn=_limit_memory(memory_limit))
        except DeadKernelError as error:
            return nb, client.timed_out, client.current, f"the kernel died while running cell {client.current}: {error}"
    return nb, client.timed_out, None, ""


def grade_notebook(
    submission: Path | NotebookNode, source: NotebookNode, timeout: int = DEFAULT_TIMEOUT, name: str | None = None
) -> NotebookResult:
    """Grade a submitted notebook (path or node) against its source notebook. Never raises for bad input."""
    start = time.perf_counter()
    label = name or (submission.name if isinstance(submission, Path) else "notebook")
    try:
        nb = nbs.read(submission) if isinstance(submission, Path) else submission
        if not isinstance(nb.get("cells"), list):
            raise ValueError("the notebook has no list of cells")
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not raised
        cells = [
            CellResult(nbs.grade_id(c), 0.0, float(nbs.nbgrader_meta(c).get("points", 0)), "not run",
                       "the notebook could not be read")
            for c in nbs.test_cells(source)
        ]
        return NotebookResult(label, cells, "invalid", f"not a readable notebook: {error}", time.perf_counter() - start)
    merged = merge_submission(nb, source)
    executed, timed_out, stopped_at, error = execute(merged, timeout)
    status = "kernel died" if stopped_at is not None else "graded"
    cells = score_cells(executed, timed_out, stopped_at, timeout)
    return NotebookResult(label, cells, status, error, time.perf_counter() - start, executed)
