"""Fixtures several test modules share: the sample class, graded once per session on this machine."""

from __future__ import annotations

import pytest

from autograder import sample_class
from autograder.class_grading import grade
from autograder.collect import collect
from autograder.workspace import Workspace
from tests.class_support import SAMPLE_TIMEOUT, digests


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
