"""The grading workspace: where submissions, results, autograded notebooks, feedback and reports live.

Layout under the workspace root (never inside the tracked tree):
  submitted/<student>/<assignment>/<notebook>.ipynb   copies of what students handed in; never written again
  autograded/<student>/<assignment>/<notebook>.ipynb  executed notebooks
  results/<student>/<assignment>/<notebook>.json      one grading result each (scores, reasons)
  feedback/<student>/<assignment>/<notebook>.html     feedback for the student
  gradebook.db                                        nbgrader's gradebook (default database)
  grades.csv, grades_detailed.csv, report/            exports
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder.results import CellResult, NotebookResult, NotebookStatus, Scored


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file so that it is either the old or the new content, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class StoredResult(Scored):
    """A NotebookResult as kept on disk, with who and what it belongs to and the key it was graded under."""

    student: str
    assignment: str
    notebook: str
    key: str
    status: NotebookStatus
    error: str
    duration: float
    cells: list[CellResult] = field(default_factory=list)
    sandboxed: bool = True

    @classmethod
    def from_result(cls, student: str, assignment: str, key: str, result: NotebookResult) -> StoredResult:
        return cls(
            student,
            assignment,
            result.notebook,
            key,
            result.status,
            result.error,
            result.duration,
            list(result.cells),
            result.sandboxed,
        )

    def to_json(self) -> str:
        """The stored form: statuses become their strings here and nowhere else."""
        return json.dumps(asdict(self), indent=1, default=str)

    @classmethod
    def from_json(cls, text: str) -> StoredResult:
        data = json.loads(text)
        return cls(
            **{
                **data,
                "status": NotebookStatus(data["status"]),
                "cells": [CellResult.from_json(cell) for cell in data["cells"]],
            }
        )


class Workspace:
    """Paths and stored results of one grading workspace."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def submission(self, student: str, assignment: str, notebook: str) -> Path:
        return self.submitted / student / assignment / notebook

    def autograded(self, student: str, assignment: str, notebook: str) -> Path:
        return self.root / "autograded" / student / assignment / notebook

    def result_path(self, student: str, assignment: str, notebook: str) -> Path:
        return self.root / "results" / student / assignment / f"{Path(notebook).stem}.json"

    def feedback_path(self, student: str, assignment: str, notebook: str) -> Path:
        return self.root / "feedback" / student / assignment / f"{Path(notebook).stem}.html"

    def submissions(self) -> list[tuple[str, str, Path]]:
        """(student, assignment, notebook path) for every collected notebook, sorted."""
        if not self.submitted.is_dir():
            return []
        return sorted((path.parent.parent.name, path.parent.name, path) for path in self.submitted.glob("*/*/*.ipynb"))

    def students(self) -> list[str]:
        return sorted(p.name for p in self.submitted.iterdir() if p.is_dir()) if self.submitted.is_dir() else []

    def save_result(self, stored: StoredResult) -> None:
        path = self.result_path(stored.student, stored.assignment, stored.notebook)
        atomic_write(path, stored.to_json().encode())

    def load_result(self, student: str, assignment: str, notebook: str) -> StoredResult | None:
        path = self.result_path(student, assignment, notebook)
        try:
            return StoredResult.from_json(path.read_text())
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def results(self) -> list[StoredResult]:
        """Every stored result, sorted by student, assignment, notebook."""
        found = []
        for path in sorted((self.root / "results").glob("*/*/*.json")):
            try:
                found.append(StoredResult.from_json(path.read_text()))
            except (OSError, ValueError, TypeError, KeyError):
                continue
        return found
