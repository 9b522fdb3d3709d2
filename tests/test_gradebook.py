"""Grading results land in nbgrader's gradebook: on the first write and when they change."""

import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

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


def test_a_new_gradebook_is_stamped_with_nbgrader_s_schema_head_without_running_alembic(tmp_path, monkeypatch):
    from nbgrader.dbutil import _temp_alembic_ini

    with _temp_alembic_ini(f"sqlite:///{tmp_path / 'scratch.db'}") as ini:  # nbgrader's own way to ask
        command = [Path(sys.executable).parent / "alembic", "-c", ini, "heads"]
        head = subprocess.check_output(command, text=True).split()[0]
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))  # running ``alembic`` would now fail
    database = tmp_path / "gradebook.db"
    with gradebook.open_gradebook(f"sqlite:///{database}") as gb:
        assert gb.students == []
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
