"""nbgrader's Validate button, as a learner uses it: a solved notebook passes, an untouched one lists its exercises."""

from __future__ import annotations

import pytest

from autograder import notebooks as nbs
from autograder.lab_driver import PAGE_TIMEOUT, open_in_lab
from autograder.paths import COURSE

pytestmark = pytest.mark.browser

ASSIGNMENT = "01-neurons"
SUCCESS = "Success! Your notebook passes all the tests."


def validate(page):
    """Click Validate in the notebook's toolbar and return the results dialog's message element."""
    button = page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True)
    button.click()
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for(timeout=PAGE_TIMEOUT)  # nbgrader runs the whole notebook on the server first
    assert page.locator(".jp-Dialog-header").inner_text().strip() == "Validation Results"
    return message


def notebook_name() -> str:
    (path,) = (COURSE / ASSIGNMENT).glob("*.ipynb")
    return path.name


def test_validate_a_solved_notebook_reports_success(lab_page):
    open_in_lab(lab_page, f"solved/{ASSIGNMENT}/{notebook_name()}")
    message = validate(lab_page)
    assert "validation-success" in message.get_attribute("class").split()
    assert message.inner_text().strip() == SUCCESS


def test_validate_the_untouched_release_lists_every_exercise_as_failing(lab_page, served):
    path = served / "release" / ASSIGNMENT / notebook_name()
    tests = [cell.source.strip() for cell in nbs.test_cells(nbs.read(path))]
    open_in_lab(lab_page, f"release/{ASSIGNMENT}/{notebook_name()}")
    message = validate(lab_page)
    assert "validation-failed" in message.get_attribute("class").split()
    headings = message.locator(":scope > div > p").all_inner_texts()
    blocks = message.locator(":scope > .jp-RenderedText pre").all_inner_texts()
    sources, errors = blocks[0::2], blocks[1::2]
    assert headings == ["The following cell failed:"] * len(tests)
    assert [source.strip() for source in sources] == tests
    assert all(error.strip().splitlines()[-1].strip() == "NotImplementedError:" for error in errors), errors
    assert SUCCESS not in message.inner_text()
