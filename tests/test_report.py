"""The instructor's class report, from a fabricated class."""

from __future__ import annotations

from html.parser import HTMLParser

import matplotlib.pyplot as plt
import pytest

from autograder.report import write_report
from autograder.results import CellResult, CellStatus, NotebookStatus
from autograder.workspace import StoredResult, Workspace

PNG = b"\x89PNG\r\n\x1a\n"


def _cell(grade_id, points, max_points, status=None):
    status = status or ("passed" if points == max_points else "failed")
    return CellResult(grade_id, points, max_points, CellStatus(status))


def _save(ws, student, assignment, notebook, cells, status="graded"):
    ws.save_result(StoredResult(student, assignment, notebook, "key", NotebookStatus(status), "", 1.0, cells))


@pytest.fixture(scope="module")
def class_workspace(tmp_path_factory):
    """01-a: totals 5, 2, 4, 0 (mean 2.75, median 3) plus one missing; 02-b: two notebooks, totals 3 and 4."""
    ws = Workspace(tmp_path_factory.mktemp("ws"))
    a = ("01-a", "a.ipynb")
    _save(ws, "s1", *a, [_cell("test_easy", 2, 2), _cell("test_hard", 3, 3)])
    _save(ws, "s2", *a, [_cell("test_easy", 2, 2), _cell("test_hard", 0, 3, "timed out")])
    _save(ws, "s3", *a, [_cell("test_easy", 2, 2), _cell("test_hard", 2, 3)])
    _save(ws, "s4", *a, [_cell("test_easy", 0, 2, "not run"), _cell("test_hard", 0, 3, "not run")], "kernel died")
    _save(ws, "s5", *a, [_cell("test_easy", 0, 2, "not run"), _cell("test_hard", 0, 3, "not run")], "missing")
    _save(ws, "s1", "02-b", "p.ipynb", [_cell("test_p", 1, 1)])
    _save(ws, "s1", "02-b", "q.ipynb", [_cell("test_q", 2, 4)])
    _save(ws, "s2", "02-b", "p.ipynb", [_cell("test_p", 0, 1, "not run")], "invalid")
    _save(ws, "s2", "02-b", "q.ipynb", [_cell("test_q", 4, 4)])
    return ws


@pytest.fixture(scope="module")
def report(class_workspace, tmp_path_factory):
    return write_report(class_workspace, tmp_path_factory.mktemp("out") / "report")


class _Tables(HTMLParser):
    """Text of every table cell, by table id."""

    def __init__(self):
        super().__init__()
        self.tables, self.images = {}, []
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr":
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "img":
            self.images.append(attrs["src"])

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._row.append(self._cell)
            self._cell = None


def _parse(report):
    parser = _Tables()
    parser.feed(report.read_text())
    return parser


def test_summary_table_numbers(report):
    tables = _parse(report).tables
    header, *rows = tables["summary"]
    assert header[:7] == ["Assignment", "Submissions", "Mean", "Median", "Min", "Max", "Out of"]
    assert rows[0][:7] == ["01-a", "4", "2.75", "3", "0", "5", "5"]
    assert rows[1][:7] == ["02-b", "2", "3.5", "3.5", "3", "4", "5"]


def test_lowest_exercises_come_first(report):
    rows = _parse(report).tables["summary"][1:]
    assert rows[0][7] == "hard (42%), easy (75%)"
    assert rows[1][7] == "p (50%), q (75%)"


def test_status_counts(report):
    header, *rows = _parse(report).tables["statuses"]
    assert header == [
        "Assignment",
        "Graded",
        "Graded with timed-out cells",
        "Kernel died",
        "Invalid",
        "Missing",
        "Grader error",
    ]
    assert rows == [["01-a", "2", "1", "1", "0", "1", "0"], ["02-b", "3", "0", "0", "1", "0", "0"]]


def test_every_status_has_a_column(tmp_path):
    """A notebook the grader itself could not run is counted, not lost from the table."""
    ws = Workspace(tmp_path / "ws")
    _save(ws, "s1", "01-a", "a.ipynb", [_cell("test_easy", 0, 2, "not run")], "grader error")
    header, row = _parse(write_report(ws, tmp_path / "out")).tables["statuses"]
    assert dict(zip(header, row, strict=False))["Grader error"] == "1"


def test_figures_are_pngs_embedded_by_relative_path(report):
    assert report.name == "report.html"
    parsed = _parse(report)
    assert sorted(parsed.images) == ["exercises.png", "scores-01-a.png", "scores-02-b.png"]
    for name in parsed.images:
        assert (report.parent / name).read_bytes().startswith(PNG)


def test_no_pyplot_figures_leak(class_workspace, tmp_path):
    before = plt.get_fignums()
    write_report(class_workspace, tmp_path)
    assert plt.get_fignums() == before


def test_empty_workspace_gives_a_page_without_figures(tmp_path):
    report = write_report(Workspace(tmp_path / "ws"), tmp_path / "out")
    assert report == tmp_path / "out" / "report.html"
    assert "No exercises were graded yet" in report.read_text()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.html"]
