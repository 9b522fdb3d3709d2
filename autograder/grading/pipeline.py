"""Grade one notebook: read, merge, run the learner's cells and check the test cells, score.

This is the one grading path: the test suite, ``bpcourse check``/``grade`` and the
demo all go through ``grade_notebook``. The learner's cells run in their kernel,
the test cells in the checker, in notebook order, so each test sees the learner's
functions as they were defined at that point of the notebook.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_core.utils import run_sync
from nbformat import NotebookNode

from autograder import notebooks as nbs
from autograder.defaults import GRADE_TIMEOUT
from autograder.grading.boundary import Boundary, KernelStopped
from autograder.grading.checker import Checker
from autograder.grading.learner import INTERRUPT_IGNORED, PROTOCOL_BROKEN, LearnerClient, kernel, release
from autograder.grading.merge import merge_submission
from autograder.grading.read import Unreadable, read_submission
from autograder.grading.score import score_cells
from autograder.results import CellStatus, NotebookResult, NotebookStatus, zero_cells
from autograder.sandbox import Limits


@dataclass
class Run:
    """What happened when a merged notebook ran: the executed cells and where time or the kernel ran out."""

    notebook: NotebookNode
    timed_out: set[int] = field(default_factory=set)
    hidden_failed: set[int] = field(default_factory=set)
    stopped_at: int | None = None
    error: str = ""


def grade_notebook(
    submission: Path | bytes | NotebookNode,
    source: NotebookNode,
    timeout: int = GRADE_TIMEOUT,
    name: str | None = None,
    sandbox: Limits | None = None,
) -> NotebookResult:
    """Grade a submitted notebook (path, file bytes or node) against its source notebook. Never raises for bad input.

    With ``sandbox`` limits the learner's kernel runs in the grading sandbox (autograder.sandbox);
    without, as a plain local kernel (a learner checking their own work). A kernel that dies is
    given one more try.
    """
    start = time.perf_counter()
    label = name or (submission.name if isinstance(submission, Path) else "notebook")
    try:
        nb = read_submission(submission)
    except Unreadable as error:
        cells = zero_cells(source, CellStatus.NOT_RUN, "the notebook could not be read")
        duration = time.perf_counter() - start  # nothing ran; had it, it would have run where ``sandbox`` says
        return NotebookResult(label, cells, NotebookStatus.INVALID, str(error), duration, sandboxed=sandbox is not None)
    merged = merge_submission(nb, source)
    result = _grade_merged(merged, timeout, sandbox)
    if result.status is NotebookStatus.KERNEL_DIED and not result.error.startswith(INTERRUPT_IGNORED):
        # once more in a fresh kernel: the machine, not the code, may be at fault
        result = _grade_merged(merged, timeout, sandbox)
        if result.status is NotebookStatus.KERNEL_DIED:
            result.error += " (it stopped the same way when graded a second time, in a fresh kernel)"
    result.notebook, result.duration = label, time.perf_counter() - start
    return result


def _grade_merged(merged: NotebookNode, timeout: int, sandbox: Limits | None) -> NotebookResult:
    """Run a merged notebook once in a fresh kernel and checker, and score it."""
    run = run_cells(copy.deepcopy(merged), timeout, sandbox)
    status = NotebookStatus.KERNEL_DIED if run.stopped_at is not None else NotebookStatus.GRADED
    error = _death_reason(run.stopped_at + 1, run.error, timeout) if run.stopped_at is not None else ""
    cells = score_cells(run.notebook, run.timed_out, run.stopped_at, timeout, run.hidden_failed)
    return NotebookResult(
        "", cells, status, error, 0.0, without_hidden_tests(run.notebook), sandboxed=sandbox is not None
    )


def run_cells(nb: NotebookNode, timeout: int, sandbox: Limits | None) -> Run:
    """Run the learner's cells in a fresh kernel and the test cells in a checker, in notebook order."""
    for attempt in (1, 2):
        with kernel(sandbox) as arguments:
            start = arguments.pop("start")
            client = LearnerClient(nb, timeout=timeout, **arguments)
            run = Run(nb, client.timed_out)
            try:
                run_sync(_interleave)(client, run, start, timeout)
            except KernelStopped as stopped:
                run.stopped_at = client.current
                run.error = INTERRUPT_IGNORED if stopped.ignored_interrupt else str(stopped)
            except Exception as error:
                if client.current < 0 and attempt == 1:
                    continue  # the kernel did not start (a loaded machine): no learner code ran, try once more
                if client.current < 0:
                    raise
                run.stopped_at, run.error = client.current, client.failure(error)
            finally:
                release(client)
            return run
    raise AssertionError("unreachable")


async def _interleave(client: LearnerClient, run: Run, start: dict[str, object], timeout: int) -> None:
    async with client.async_setup_kernel(**start):
        boundary = Boundary(client.km, timeout)
        boundary.prepare()
        checker = Checker(boundary)
        count = 0
        try:
            for index, cell in enumerate(run.notebook.cells):
                if cell.cell_type != "code":
                    continue
                count += 1
                if not nbs.is_test_cell(cell):
                    await client.async_execute_cell(cell, index, execution_count=count)
                    if nbs.is_locked(cell):
                        checker.run_setup(cell)
                    continue
                client.current = index
                try:
                    checked = checker.run_test(cell, count)
                except KernelStopped as stopped:
                    if stopped.ignored_interrupt:
                        run.timed_out.add(index)
                    raise
                if checked.timed_out:
                    run.timed_out.add(index)
                if checked.hidden_failed:
                    run.hidden_failed.add(index)
        finally:
            boundary.close()


def without_hidden_tests(nb: NotebookNode) -> NotebookNode:
    """The executed notebook as it may be shown: every hidden test's source replaced by a note."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if nbs.is_test_cell(cell):
            cell.source = nbs.hide_tests(cell.source)
    return out


def _death_reason(position: int, error: str, timeout: int) -> str:
    if error == INTERRUPT_IGNORED:
        return (
            f"{INTERRUPT_IGNORED}: cell {position} ran longer than {timeout} s and went on after it was "
            "interrupted, so its kernel was stopped; the cells after it did not run"
        )
    if error.startswith(PROTOCOL_BROKEN):
        return f"while cell {position} ran, {error}; grading stopped there and the cells after it did not run"
    return (
        f"the kernel stopped while running cell {position} ({error}): the code in it ended the "
        "Python process (os._exit, a crash, or running out of memory); the cells after it did not run"
    )
