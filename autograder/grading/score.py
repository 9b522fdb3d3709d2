"""Score: one CellResult per test cell of an executed notebook, by nbgrader's rule.

A test cell that raised or wrote to stderr scores 0, otherwise its full points
(``nbgrader.utils.determine_grade``), after the grader's own reasons for a 0: the
cell, or a cell before it, ran out of time; the kernel died before it ran.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

from autograder import notebooks as nbs
from autograder.results import CellResult, CellStatus

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(r"(\w+(?:Warning|Error)): (.*)")


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes from a traceback."""
    return _ANSI.sub("", text)


def _stderr_summary(text: str) -> str:
    """The warning's category and message, never the source line Python may print under it."""
    found = _WARNING.search(text)
    return f"{found.group(1)}: {found.group(2)}"[:300] if found else "output on stderr"


def failure_message(cell: NotebookNode) -> str:
    """Why a test cell failed, in one message."""
    for output in cell.outputs:
        if output.output_type == "error":
            return f"{output.ename}: {strip_ansi(output.evalue)}".strip()
        if output.output_type == "stream" and output.name == "stderr":
            return f"the test cell wrote to stderr, which counts as a failure: {_stderr_summary(output.text)}"
    return "failed"


def score_cells(
    executed: NotebookNode,
    timed_out: set[int],
    stopped_at: int | None,
    timeout: int,
    hidden_failed: set[int] = frozenset(),
) -> list[CellResult]:
    """One CellResult per test cell of an executed notebook.

    Policy: a cell interrupted for running longer than ``timeout`` seconds makes
    the next test cell score 0 as "timed out", even if the function it defined
    before hanging is correct: grading must finish, and hanging code is a bug.
    ``hidden_failed`` holds the test cells whose hidden tests failed (their visible ones passed).
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
        max_points = nbs.points(cell)
        if hung is not None:
            where = "this test cell" if hung == index else f"cell {hung + 1} (before this test)"
            results.append(
                CellResult(
                    gid,
                    0.0,
                    max_points,
                    CellStatus.TIMED_OUT,
                    f"{where} ran longer than {timeout} s and was interrupted; remove the code that never ends",
                )
            )
            hung = None
        elif stopped_at is not None and index >= stopped_at:
            when = "while this test ran" if index == stopped_at else "before this test ran"
            results.append(CellResult(gid, 0.0, max_points, CellStatus.NOT_RUN, f"the kernel died {when}"))
        elif cell.get("execution_count") is None:
            results.append(CellResult(gid, 0.0, max_points, CellStatus.NOT_RUN, "this test cell did not run"))
        else:
            points, _ = determine_grade(cell)
            if points is not None and points >= max_points:
                results.append(CellResult(gid, float(points), max_points, CellStatus.PASSED))
            else:
                results.append(
                    CellResult(
                        gid,
                        float(points or 0.0),
                        max_points,
                        CellStatus.FAILED,
                        failure_message(cell),
                        index in hidden_failed,
                    )
                )
    return results
