"""Grading results land in nbgrader's gradebook: on the first write and when they change."""

import warnings

import pytest

from autograder import gradebook
from autograder.results import CellResult, CellStatus, NotebookStatus
from autograder.workspace import StoredResult

pytestmark = pytest.mark.slow


def result(points: float) -> StoredResult:
    cell = CellResult("test_sigmoid", points, 3.0, CellStatus.PASSED if points == 3.0 else CellStatus.FAILED)
    return StoredResult("s1", "01-neurons", "neurons.ipynb", "key", NotebookStatus.GRADED, "", 1.0, [cell])


def score(url: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        (notebook,) = gb.find_submission("01-neurons", "s1").notebooks
        return {grade.name: grade.auto_score for grade in notebook.grades}


def test_first_write_and_update(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    gradebook.ensure_assignments(url, tmp_path, ["01-neurons"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gradebook.record(url, [result(3.0)])
    first = score(url)
    assert first["test_sigmoid"] == 3.0 and first["test_relu"] == 0.0 and len(first) == 7
    gradebook.record(url, [result(0.0)])
    assert score(url)["test_sigmoid"] == 0.0
