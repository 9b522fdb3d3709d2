"""`make test` spreads the tests over processes by group (tests/conftest.py): a file's tests run in one process.

pytest 9.2 made pytest-xdist drop the groups without a word (pytest-dev/pytest-xdist#1386): every test was sent
on its own, and each process made the module fixtures again (the sample class graded twice, each assignment's
mistakes graded by both processes). This test fails if the installed pytest and xdist stop honouring them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pytest

from autograder.paths import REPO
from tests.conftest import BROWSER_GROUP, SAMPLE_CLASS_GROUP, _group

pytestmark = pytest.mark.slow  # it starts pytest with two worker processes

FILES = ("tests/test_layout.py", "tests/test_package.py")
RAN = re.compile(r"^\[(gw\d+)\] .*PASSED (tests/\S+?\.py)::\S+@(\S+)", re.MULTILINE)


def test_each_file_runs_in_one_process_under_its_own_group():
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider"]
    out = subprocess.run([*command, *FILES], cwd=REPO, capture_output=True, text=True, timeout=300).stdout
    workers, groups = defaultdict(set), defaultdict(set)
    for worker, file, group in RAN.findall(out):
        workers[file].add(worker)
        groups[file].add(group)
    assert sorted(workers) == sorted(FILES), out[-2000:]
    assert all(len(w) == 1 for w in workers.values()), dict(workers)
    assert groups == {f: {f.removesuffix(".py").replace("/", ".")} for f in FILES}


def test_the_browser_tests_share_one_group_and_the_sample_class_users_another():
    """One process runs every browser test, so one JupyterLab server and one Chromium serve them all."""
    browser_files = sorted((REPO / "tests" / "browser").glob("test_*.py"))
    assert len(browser_files) > 1
    modules = [f"tests.browser.{path.stem}" for path in browser_files]
    assert {_group(module, set()) for module in modules} == {BROWSER_GROUP}
    assert _group("tests.test_pipeline", {"tests.test_pipeline"}) == SAMPLE_CLASS_GROUP
    assert _group("tests.test_layout", {"tests.test_pipeline"}) == "tests.test_layout"
