"""Fixtures several test modules share: the sample class, graded once per session on this machine, and
every test ending with this process's warm starts off; and how `make test` spreads the tests over
processes (pytest-xdist, ``--dist loadgroup``)."""

from __future__ import annotations

import os

from autograder.defaults import ONE_BLAS_THREAD

# One BLAS thread in every process of the test run, set before numpy loads and inherited by every process a
# test starts (grading workers, Dask, JupyterLab and its kernels, nbgrader): the run keeps both cores busy with
# its own processes already.
os.environ.update(ONE_BLAS_THREAD)

import pytest  # after the environment above, which numpy reads as it loads

from autograder import sample_class, warm_start
from autograder.class_grading import grade
from autograder.collect import collect
from autograder.workspace import Workspace
from tests.class_support import SAMPLE_TIMEOUT, digests

SAMPLE_CLASS_GROUP = "sample-class"
BROWSER_GROUP = "browser"
BROWSER_PACKAGE = "tests.browser."


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (its hook runs in the same phase)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test file runs in one process, so its module fixtures are made once; so do all the files that use
    the sample class, so it is graded once, and all the browser tests, so one JupyterLab server and one
    Chromium (their package fixtures) serve them all. A test that names its own group (test_mistakes: one
    per assignment) keeps it."""
    sample_class_users = {item.module.__name__ for item in items if "graded_class" in item.fixturenames}
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        item.add_marker(pytest.mark.xdist_group(_group(item.module.__name__, sample_class_users)))


def _group(module: str, sample_class_users: set[str]) -> str:
    """The xdist group of a test module's tests that name none themselves."""
    if module in sample_class_users:
        return SAMPLE_CLASS_GROUP
    return BROWSER_GROUP if module.startswith(BROWSER_PACKAGE) else module


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
