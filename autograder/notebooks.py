"""Reading notebooks and their nbgrader cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
TEST_PREFIX = "test_"
"""A test cell's grade_id is its exercise's, with this prefix."""


def read(path: Path) -> NotebookNode:
    """Read a notebook as nbformat 4."""
    return nbformat.read(str(path), as_version=4)


def reads(data: bytes) -> NotebookNode:
    """Read a notebook from its file's bytes as nbformat 4 (what ``read`` does with the file)."""
    return nbformat.reads(data.decode("utf-8"), as_version=4)


def nbgrader_meta(cell: NotebookNode) -> dict[str, Any]:
    """The cell's nbgrader metadata, or {} for a plain cell."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: graded, not a solution."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_solution_cell(cell: NotebookNode) -> bool:
    """A cell the learner writes."""
    return bool(nbgrader_meta(cell).get("solution"))


def is_locked(cell: NotebookNode) -> bool:
    """A cell nbgrader restores from the source when grading (read-only or test)."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("locked")) or is_test_cell(cell)


def grade_id(cell: NotebookNode) -> str | None:
    """The nbgrader grade_id, or None."""
    return nbgrader_meta(cell).get("grade_id")


def points(cell: NotebookNode) -> float:
    """The points a test cell is worth (0 for any other cell)."""
    return float(nbgrader_meta(cell).get("points", 0))


def exercise_of(grade_id: str) -> str:
    """The exercise a test cell checks: its grade_id without the ``test_`` prefix."""
    return grade_id.removeprefix(TEST_PREFIX)


def test_id(exercise: str) -> str:
    """The grade_id of the test cell of an exercise."""
    return f"{TEST_PREFIX}{exercise}"


HIDDEN_NOTE = "# (hidden tests: not shown)"


def hidden_start(source: str) -> int | None:
    """The line number (from 1) of a test cell's hidden-tests marker, or None if it has none."""
    lines = enumerate(source.splitlines(), start=1)
    return next((number for number, line in lines if line.strip().startswith(HIDDEN_BEGIN)), None)


def hide_tests(source: str) -> str:
    """A test cell's source with each hidden-tests block replaced by a one-line note."""
    kept, hidden = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(HIDDEN_BEGIN):
            hidden = True
            kept.append(line[: len(line) - len(line.lstrip())] + HIDDEN_NOTE)
        elif stripped.startswith(HIDDEN_END):
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def test_cells(nb: NotebookNode) -> list[NotebookNode]:
    """The autograded test cells, in order."""
    return [cell for cell in nb.cells if is_test_cell(cell)]


def max_score(nb: NotebookNode) -> float:
    """Total points of the notebook's test cells."""
    return float(sum(points(cell) for cell in test_cells(nb)))


def has_outputs(nb: NotebookNode) -> bool:
    """True if any code cell carries outputs or an execution count."""
    return any(
        cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
        for cell in nb.cells
    )
