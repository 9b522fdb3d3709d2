"""The whole grading pipeline on the generated sample class: every expected score, nothing written twice."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile

import pytest
from markupsafe import escape

from autograder import notebooks as nbs
from autograder.class_grading import grade
from autograder.collect import collect
from autograder.export import export_grades
from autograder.feedback import write_feedback
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.release import secret_lines
from autograder.workspace import Workspace
from tests.class_support import SAMPLE_TIMEOUT, digests

pytestmark = pytest.mark.slow

TIMEOUT = SAMPLE_TIMEOUT


def test_the_class_has_at_least_twelve_students(graded_class):
    students = graded_class[0]
    assert len(students) >= 12
    assert len({s.student for s in students}) == len(students)


def test_every_student_gets_the_expected_score(graded_class):
    students, workspace = graded_class[0], graded_class[1]
    got = {}
    for r in workspace.results():
        got.setdefault(r.student, {})[r.assignment] = r.score
    wrong = {
        s.student: {
            a: (got.get(s.student, {}).get(a), e) for a, e in s.expected.items() if got.get(s.student, {}).get(a) != e
        }
        for s in students
    }
    assert not {k: v for k, v in wrong.items() if v}, "(got, expected)"


def test_hostile_submissions_are_explained(graded_class):
    workspace = graded_class[1]
    by = {(r.student, r.assignment): r for r in workspace.results()}
    first, second = assignments(SOLUTIONS)[:2]
    assert by[("s09-corrupt-json", first)].status == "invalid"
    assert by[("s10-wrong-name", first)].status == "missing"
    assert by[("s07-kernel-exit", second)].status == "kernel died"
    assert by[("s06-infinite-loop", first)].timed_out
    assert any("MemoryError" in c.message for c in by[("s11-memory-hog", assignments(SOLUTIONS)[3])].cells)


def test_wrong_file_name_is_reported_by_collect(graded_class):
    report = graded_class[4]
    first = assignments(SOLUTIONS)[0]
    (notebook,) = (SOLUTIONS / first).glob("*.ipynb")
    assert [name for name, _ in report.unmatched] == [f"s10-wrong-name/{first}/{notebook.stem}-final.ipynb"]


def test_submitted_files_are_untouched(graded_class):
    incoming, before = graded_class[2], graded_class[3]
    assert digests(incoming) == before


def test_second_grade_run_changes_nothing(graded_class):
    workspace, first = graded_class[1], graded_class[5]
    scores = {(r.student, r.assignment): (r.score, r.key) for r in workspace.results()}
    again = grade(workspace, timeout=TIMEOUT, progress=False)
    assert again.graded == 0 and again.skipped == len(scores)
    assert {(r.student, r.assignment): (r.score, r.key) for r in workspace.results()} == scores
    assert first.graded + first.missing == len(scores)


def test_gradebook_and_export_agree_with_results(graded_class, tmp_path):
    workspace = graded_class[1]
    grades_csv, _ = export_grades(workspace.db_url, tmp_path)
    rows = {row["student"]: row for row in csv.DictReader(grades_csv.open())}
    for r in workspace.results():
        assert float(rows[r.student][r.assignment]) == pytest.approx(r.score)


def test_collect_from_an_lms_zip_is_idempotent(tmp_path):
    name = assignments(SOLUTIONS)[0]
    (notebook,) = (SOLUTIONS / name).glob("*.ipynb")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"s1_12345_{notebook.name}", notebook.read_bytes())
        z.writestr("s2_notes.txt", b"hi")
        z.writestr("s3_12345_unknown.ipynb", b"{}")
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    workspace = Workspace(tmp_path / "ws")
    first = collect(archive, workspace)
    assert first.imported == [f"s1/{name}/{notebook.name}"]
    assert [n for n, _ in first.unmatched] == ["s2_notes.txt", "s3_12345_unknown.ipynb"]
    second = collect(archive, workspace)
    assert second.imported == [] and second.unchanged == first.imported
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before


def hidden_lines() -> set[str]:
    """Lines of hidden tests that appear nowhere else in the course's notebooks, not even inside another line."""
    sources = [nbs.read(path) for name in assignments(SOLUTIONS) for path in notebook_files(name, SOLUTIONS)]
    shown = "\n".join(nbs.hide_tests(cell.source) for nb in sources for cell in nb.cells)
    return {line for line in secret_lines(sources)["hidden test"] if len(line) >= 30 and line not in shown}


def test_no_hidden_test_source_reaches_a_graded_notebook_result_or_feedback(graded_class):
    workspace = graded_class[1]
    write_feedback(workspace)
    needles = hidden_lines()
    assert len(needles) > 200
    files = [
        p
        for folder in ("autograded", "results", "feedback")
        for p in (workspace.root / folder).rglob("*")
        if p.is_file()
    ]
    assert len(files) > 100
    forms = [(line, (line, json.dumps(line)[1:-1], str(escape(line)))) for line in needles]  # plain, JSON, HTML
    leaked = {
        (p.name, line)
        for p in files
        for text in [p.read_text()]
        for line, written in forms
        if any(form in text for form in written)
    }
    assert not leaked, sorted(leaked)[:5]
