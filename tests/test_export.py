"""CSV export of nbgrader's gradebook."""

from __future__ import annotations

import csv

import pytest
from nbgrader.api import Gradebook

from autograder.config import answer_alembic_in_process
from autograder.export import export_grades

CELLS = {("a1", "n1"): {"test_x": 2, "test_y": 3}, ("a2", "n2"): {"test_z": 5}}
GRADES = {  # (assignment, student) -> cell -> auto score; s2 skipped a2, s3 handed nothing in
    ("a1", "s1"): {"test_x": 2, "test_y": 1},
    ("a2", "s1"): {"test_z": 5},
    ("a1", "s2"): {"test_x": 0, "test_y": 2.5},
}


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    """A gradebook made once per module."""
    answer_alembic_in_process()
    url = f"sqlite:///{tmp_path_factory.mktemp('gradebook') / 'gradebook.db'}"
    with Gradebook(url) as gb:
        for (assignment, notebook), cells in CELLS.items():
            gb.add_assignment(assignment)
            gb.add_notebook(notebook, assignment)
            for name, max_score in cells.items():
                gb.add_grade_cell(name, notebook, assignment, max_score=max_score, cell_type="code")
        for student in ("s2", "s3", "s1"):
            gb.add_student(student)
        for (assignment, student), scores in GRADES.items():
            gb.add_submission(assignment, student)  # nbgrader's own autoflush here warns (SAWarning); harmless
            notebook = "n1" if assignment == "a1" else "n2"
            for name, score in scores.items():
                gb.find_grade(name, notebook, assignment, student).auto_score = score
        gb.db.commit()
    return url


pytestmark = [pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"), pytest.mark.slow]


def _rows(path):
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_summary_has_a_column_per_assignment_zero_for_missing_and_totals(db_url, tmp_path):
    grades, _ = export_grades(db_url, tmp_path / "out")
    assert grades == tmp_path / "out" / "grades.csv"
    assert _rows(grades) == [
        ["student", "a1", "a2", "total", "max_total"],
        ["s1", "3", "5", "8", "10"],
        ["s2", "2.5", "0", "2.5", "10"],
        ["s3", "0", "0", "0", "10"],
    ]


def test_detailed_has_a_row_per_student_and_grade_cell(db_url, tmp_path):
    _, detailed = export_grades(db_url, tmp_path)
    header, *rows = _rows(detailed)
    assert header == ["student", "assignment", "notebook", "grade_id", "points", "max_points"]
    assert len(rows) == 3 * 3
    assert ["s1", "a1", "n1", "test_y", "1", "3"] in rows
    assert ["s2", "a1", "n1", "test_y", "2.5", "3"] in rows
    assert ["s2", "a2", "n2", "test_z", "0", "5"] in rows
    assert [r for r in rows if r[0] == "s3"] == [
        ["s3", "a1", "n1", "test_x", "0", "2"],
        ["s3", "a1", "n1", "test_y", "0", "3"],
        ["s3", "a2", "n2", "test_z", "0", "5"],
    ]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)


def test_export_overwrites_without_leaving_temporary_files(db_url, tmp_path):
    out = tmp_path / "out"
    export_grades(db_url, out)
    export_grades(db_url, out)
    assert sorted(p.name for p in out.iterdir()) == ["grades.csv", "grades_detailed.csv"]
