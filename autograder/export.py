"""Export nbgrader's gradebook as CSV: one summary row per student, and one row per student and graded cell.

Read through nbgrader's Python API, so the files agree with what nbgrader
itself holds. A missing submission scores 0 in both files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry, SubmittedAssignment

from autograder.gradebook import open_gradebook
from autograder.workspace import atomic_write

DETAILED_HEADER = ["student", "assignment", "notebook", "grade_id", "points", "max_points"]


def _number(value: float) -> str:
    """A score as CSV text: 3 rather than 3.0."""
    return f"{value:g}"


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def _submission(gb: Gradebook, assignment: str, student: str) -> SubmittedAssignment | None:
    try:
        return gb.find_submission(assignment, student)
    except MissingEntry:
        return None


def _cell_scores(submission: SubmittedAssignment | None) -> dict[tuple[str, str], float]:
    """(notebook, grade cell) -> score of one submission; empty for a missing one."""
    if submission is None:
        return {}
    return {(nb.name, grade.name): grade.score for nb in submission.notebooks for grade in nb.grades}


def export_grades(db_url: str, out_dir: Path) -> tuple[Path, Path]:
    """Write ``grades.csv`` and ``grades_detailed.csv`` into ``out_dir``; return their paths.

    grades.csv: student, one score column per assignment (sorted by name), total, max_total.
    grades_detailed.csv: student, assignment, notebook, grade_id, points, max_points.
    """
    summary: list[list[str]] = []
    detailed: list[list[str]] = [DETAILED_HEADER]
    with open_gradebook(db_url) as gb:
        assignments = sorted(gb.assignments, key=lambda a: a.name)
        max_total = sum(a.max_score for a in assignments)
        summary.append(["student", *(a.name for a in assignments), "total", "max_total"])
        for student in sorted(s.id for s in gb.students):
            scores = []
            for assignment in assignments:
                submission = _submission(gb, assignment.name, student)
                scores.append(submission.score if submission is not None else 0.0)
                cell_scores = _cell_scores(submission)
                for notebook in sorted(assignment.notebooks, key=lambda n: n.name):
                    for cell in sorted(notebook.grade_cells, key=lambda c: c.name):
                        detailed.append(
                            [
                                student,
                                assignment.name,
                                notebook.name,
                                cell.name,
                                _number(cell_scores.get((notebook.name, cell.name), 0.0)),
                                _number(cell.max_score),
                            ]
                        )
            summary.append([student, *map(_number, scores), _number(sum(scores)), _number(max_total)])
    out_dir = Path(out_dir)
    grades, grades_detailed = out_dir / "grades.csv", out_dir / "grades_detailed.csv"
    atomic_write(grades, _csv_bytes(summary))
    atomic_write(grades_detailed, _csv_bytes(detailed))
    return grades, grades_detailed
