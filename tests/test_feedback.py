"""Feedback pages: what a student reads about one graded notebook."""

from __future__ import annotations

from html.parser import HTMLParser

from autograder.feedback import write_feedback
from autograder.results import CellResult, CellStatus, NotebookStatus
from autograder.workspace import StoredResult, Workspace

VOID = {"meta", "img", "br", "hr", "link", "input"}


def _cell(grade_id, points, max_points, status="passed", message="", hidden=False):
    return CellResult(grade_id, points, max_points, CellStatus(status), message, hidden)


def _save(ws, student="alice", status="graded", error="", cells=(), assignment="01-neurons", notebook="neurons.ipynb"):
    ws.save_result(StoredResult(student, assignment, notebook, "key", NotebookStatus(status), error, 1.0, list(cells)))


def _page(ws, student="alice", assignment="01-neurons", notebook="neurons.ipynb"):
    return ws.feedback_path(student, assignment, notebook).read_text()


class _Balance(HTMLParser):
    """Checks that every element is closed in order (a cheap well-formedness test)."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_one_page_per_result_at_the_feedback_path(tmp_path):
    ws = Workspace(tmp_path)
    _save(ws, "alice", cells=[_cell("test_forward", 2, 2)])
    _save(ws, "bob", cells=[_cell("test_forward", 0, 2, "failed", "wrong")])
    written = write_feedback(ws)
    expected = [ws.feedback_path(s, "01-neurons", "neurons.ipynb") for s in ("alice", "bob")]
    assert written == expected
    assert all(path.is_file() for path in expected)


def test_scores_and_exercise_names(tmp_path):
    ws = Workspace(tmp_path)
    _save(ws, cells=[_cell("test_forward", 2, 2), _cell("test_backward", 0.5, 3, "failed", "off")])
    write_feedback(ws)
    page = _page(ws)
    assert "2.5 / 5" in page
    assert ">forward<" in page and ">backward<" in page
    assert "test_forward" not in page
    assert "01-neurons" in page and "neurons.ipynb" in page


def test_failure_message_is_escaped_in_a_pre_block(tmp_path):
    ws = Workspace(tmp_path)
    message = "AssertionError: dW1 has shape <(3,)> & should be (3, 1)"
    _save(ws, cells=[_cell("test_backward", 0, 3, "failed", message)])
    write_feedback(ws)
    page = _page(ws)
    assert "<pre>AssertionError: dW1 has shape &lt;(3,)&gt; &amp; should be (3, 1)</pre>" in page
    assert "<(3,)>" not in page


def test_hidden_failures_are_marked_and_visible_ones_are_not(tmp_path):
    ws = Workspace(tmp_path)
    _save(ws, "alice", cells=[_cell("test_forward", 0, 2, "failed", "ValueError: other seed", hidden=True)])
    _save(ws, "bob", cells=[_cell("test_forward", 0, 2, "failed", "ValueError: visible", hidden=False)])
    write_feedback(ws)
    assert "A hidden test failed:" in _page(ws, "alice")
    assert "A hidden test failed:" not in _page(ws, "bob")


def test_passed_cells_show_no_message(tmp_path):
    ws = Workspace(tmp_path)
    _save(ws, cells=[_cell("test_forward", 2, 2, "passed", "leftover")])
    write_feedback(ws)
    page = _page(ws)
    assert "<pre>" not in page and "leftover" not in page


def test_statuses_are_explained_in_plain_words(tmp_path):
    ws = Workspace(tmp_path)
    _save(ws, "ann", "invalid", "not a readable notebook: Expecting value <line 1>")
    _save(
        ws,
        "ben",
        "kernel died",
        "the kernel died while running cell 7: Kernel died",
        [_cell("test_forward", 0, 2, "not run", "the kernel died before this test ran")],
    )
    _save(ws, "cat", "missing")
    _save(ws, "dan", cells=[_cell("test_forward", 2, 2)])
    write_feedback(ws)
    assert "could not be read" in _page(ws, "ann") and "Expecting value &lt;line 1&gt;" in _page(ws, "ann")
    assert "kernel" in _page(ws, "ben") and "running cell 7" in _page(ws, "ben")
    assert "the kernel died before this test ran" in _page(ws, "ben")
    assert "No notebook was handed in" in _page(ws, "cat")
    assert 'class="notice"' not in _page(ws, "dan")


def test_page_is_self_contained_html5(tmp_path):
    ws = Workspace(tmp_path)
    _save(ws, cells=[_cell("test_forward", 0, 2, "timed out", "ran longer than 30 s"), _cell("test_b", 1, 1)])
    write_feedback(ws)
    page = _page(ws)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    lowered = page.lower()
    for forbidden in ("<script", "http:", "https:", "src=", "<link", "@import"):
        assert forbidden not in lowered
    checker = _Balance()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []
