"""What grading produces: the status of each test cell and notebook, and their results.

Statuses are enums, used by grading, the workspace, feedback, the report and
the CLI alike; they become strings only where results are stored as JSON
(``autograder.workspace``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from nbformat import NotebookNode

from autograder import notebooks as nbs


class _Status(str, Enum):
    """A status that reads as its value: ``str(CellStatus.PASSED) == "passed"``."""

    def __str__(self) -> str:
        return self.value


class CellStatus(_Status):
    """How one test cell went."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"
    TIMED_OUT = "timed out"


class NotebookStatus(_Status):
    """How one notebook went, as a whole."""

    GRADED = "graded"
    KERNEL_DIED = "kernel died"
    INVALID = "invalid"
    MISSING = "missing"
    GRADER_ERROR = "grader error"


@dataclass
class CellResult:
    """The score of one test cell and why."""

    grade_id: str
    points: float
    max_points: float
    status: CellStatus
    message: str = ""
    hidden: bool = False

    @property
    def passed(self) -> bool:
        return self.status is CellStatus.PASSED

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CellResult:
        return cls(**{**data, "status": CellStatus(data["status"])})


class Scored:
    """Totals of anything that holds ``cells``: a list of CellResult."""

    cells: list[CellResult]

    @property
    def score(self) -> float:
        return sum(cell.points for cell in self.cells)

    @property
    def max_score(self) -> float:
        return sum(cell.max_points for cell in self.cells)

    @property
    def timed_out(self) -> bool:
        """True if a cell had to be interrupted."""
        return any(cell.status is CellStatus.TIMED_OUT for cell in self.cells)


@dataclass
class NotebookResult(Scored):
    """The grading of one submitted notebook."""

    notebook: str
    cells: list[CellResult] = field(default_factory=list)
    status: NotebookStatus = NotebookStatus.GRADED
    error: str = ""
    duration: float = 0.0
    graded: NotebookNode | None = None
    sandboxed: bool = False


def zero_cells(source: NotebookNode, status: CellStatus, message: str) -> list[CellResult]:
    """A zero, with the reason, for every test cell of the instructor notebook ``source``."""
    return [CellResult(nbs.grade_id(cell), 0.0, nbs.points(cell), status, message) for cell in nbs.test_cells(source)]
