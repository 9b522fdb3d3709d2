"""Fixtures for the browser tests: one learner's JupyterLab and one Chromium for the whole package.

The server serves a temporary folder, never the repository's notebooks:

    course/   a copy of course/                           (run every notebook)
    filled/   notebook 03 with its answer cells filled in from solutions/ (the step-size slider)
    solved/   a copy of solutions/                         (Validate succeeds)
    release/  another copy of course/                      (Validate lists the unwritten exercises)

with its own HOME and Jupyter folders. On a failure the page's screenshot,
console log and the server log go to tests/artifacts/. In CI (CI=true) a missing
Chromium or Playwright is a failure, elsewhere a skip.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder import notebooks as nbs
from autograder.lab_driver import close_current, launch_browser, load_lab, missing_browser, running_lab
from autograder.paths import COURSE, SOLUTIONS
from tests.browser.jlab import copy_notebooks, failed, in_ci, keep_artifacts_if_failed, new_page, shut_down_kernels

FILLED_ASSIGNMENT = "03-gradient-descent"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in Chromium (deselect with -m 'not browser')")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def fill_answers(release: Path, solution: Path, target: Path) -> Path:
    """The release notebook with each answer cell's source taken from the solution notebook."""
    nb = nbs.read(release)
    answers = {nbs.grade_id(c): c.source for c in nbs.read(solution).cells if nbs.is_solution_cell(c)}
    for cell in nb.cells:
        if nbs.is_solution_cell(cell):
            cell.source = answers[nbs.grade_id(cell)]
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(target))
    return target


@pytest.fixture(scope="package")
def served(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("served")
    copy_notebooks(COURSE, root / "course")
    copy_notebooks(COURSE, root / "release")
    copy_notebooks(SOLUTIONS, root / "solved")
    (release,) = (COURSE / FILLED_ASSIGNMENT).glob("*.ipynb")
    filled = root / "filled" / FILLED_ASSIGNMENT / release.name
    fill_answers(release, SOLUTIONS / FILLED_ASSIGNMENT / release.name, filled)
    return root


@pytest.fixture(scope="package")
def browser():
    why = missing_browser()
    if why:
        if in_ci():
            pytest.fail(f"the browser tests must run in CI, but {why}", pytrace=False)
        pytest.skip(f"browser tests need Chromium and Playwright: {why}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def lab_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lab")


@pytest.fixture(scope="package")
def lab(browser, served, lab_root):
    """The learner's JupyterLab on the served folder (a LabCommand: .base, .token, .url)."""
    with running_lab(lab_root, served) as command:
        yield command


@pytest.fixture
def page(request, browser, lab, lab_root):
    """A fresh browser context and page; on failure its screenshot and logs are kept in tests/artifacts/."""
    context, page, console = new_page(browser)
    yield page
    keep_artifacts_if_failed(request, page, console, lab_root)
    context.close()
    shut_down_kernels(lab)


@pytest.fixture(scope="package")
def loaded_lab(browser, lab):
    """One page with JupyterLab loaded, and its console log, for the tests that open notebooks in it one after
    the other: loading the app is most of what opening a notebook costs (lab_driver.open_in_lab)."""
    context, page, console = new_page(browser)
    load_lab(page, lab)
    yield page, console
    context.close()


@pytest.fixture
def lab_page(request, loaded_lab, lab, lab_root):
    """The loaded JupyterLab's page. After the test, its dialogs and notebook are closed and its kernel shut
    down; after a failure the app is loaded again, so a page left in a bad state does not fail the next test."""
    page, console = loaded_lab
    console.clear()
    yield page
    keep_artifacts_if_failed(request, page, console, lab_root)
    close_current(page)
    shut_down_kernels(lab)
    if failed(request):
        load_lab(page, lab)
