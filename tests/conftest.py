"""Fixtures several test modules share (the sample class, graded once per session on this machine), and how
pytest-xdist spreads the tests: a file at a time, so that each module fixture is built once.

Files that share a session-wide result put one mark of ``tests.groups`` in their ``pytestmark`` and run in
the same worker process."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import sample_class
from autograder.class_grading import grade
from autograder.collect import collect
from autograder.workspace import Workspace
from tests.class_support import SAMPLE_TIMEOUT, digests

TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """A test without an explicit group joins the group of its top-level file, or of its subpackage (whose
    package fixtures, such as the browser tests' JupyterLab, are then built once), for ``--dist loadgroup``."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.path.relative_to(TESTS).parts[0]))


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """The sample class collected and graded locally: (students, workspace, incoming, digests before, collect
    report, grade summary)."""
    root = tmp_path_factory.mktemp("class")
    students = sample_class.build()
    incoming = root / "incoming"
    sample_class.write(students, incoming)
    before = digests(incoming)
    workspace = Workspace(root / "workspace")
    report = collect(incoming, workspace)
    first = grade(workspace, timeout=SAMPLE_TIMEOUT, progress=False)
    return students, workspace, incoming, before, report, first
