"""Fixtures several test modules share: the sample class, graded once per session on this machine, and
every test ending with this process's warm starts off."""

from __future__ import annotations

import pytest

from autograder import sample_class, warm_start
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


@pytest.fixture(autouse=True)
def cold_after_each_test():
    """Whatever a test turned on (a grading worker's ``run_payload`` enables warm starts), the next test
    starts cold and this process holds no zygote: a warm sandbox kept alive would outlive its test and show
    among the processes test_sandbox finds still running."""
    yield
    warm_start.disable()
