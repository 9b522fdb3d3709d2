"""Every course notebook, run headless (nbclient, as ``bpcourse check`` runs it) and cell by cell in the browser,
reaches its end; its only errors are the NotImplementedError of the exercises not yet written, and the browser
shows them in exactly the cells where the headless kernel has them.

The notebooks are opened one after the other in one loaded JupyterLab (``lab_page``), as a learner goes
from one to the next; the headless runs go on in another process meanwhile."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from autograder.lab_driver import cells, open_in_lab
from autograder.paths import SOLUTIONS, assignments, notebook_files
from tests.browser.jlab import error_outputs, last_line, run_cells_one_by_one

ASSIGNMENTS = assignments(SOLUTIONS) if SOLUTIONS.exists() else []


def headless_errors(path: str) -> dict[int, list[str]]:
    """Cell index -> last line of each error or stderr output, in a headless kernel (nbclient)."""
    from autograder import notebooks as nbs
    from autograder.grading.learner import execute

    executed, timed_out, died, error = execute(nbs.read(path), timeout=300)
    assert died is None and not timed_out, (died, timed_out, error)
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code"), "every code cell ran"
    found = {}
    for index, cell in enumerate(executed.cells):
        lines = [
            last_line(f"{o.ename}: {o.evalue}") if o.output_type == "error" else last_line(o.text)
            for o in cell.get("outputs", [])
            if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")
        ]
        if lines:
            found[index] = lines
    return found


@pytest.fixture(scope="module")
def expected(served):
    """Headless runs of the same copies, started at once in another process while the browser works."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        paths = {name: str(notebook_files(name, served / "course")[0]) for name in ASSIGNMENTS}
        yield {name: pool.submit(headless_errors, path) for name, path in paths.items()}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_course_notebook_runs_headless_to_the_end_with_only_the_unwritten_exercises_failing(expected, assignment):
    """Run with errors allowed, the release reaches its last cell, and every error it shows is NotImplementedError
    (no other exception, no warning on stderr)."""
    errors = expected[assignment].result(timeout=600)
    assert errors, "an untouched release has exercises to write"
    assert {line for lines in errors.values() for line in lines} == {"NotImplementedError:"}, errors


@pytest.mark.browser
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_course_notebook_runs_to_the_end_with_only_the_unwritten_exercises_failing(
    lab_page, served, expected, assignment
):
    page = lab_page
    (notebook,) = notebook_files(assignment, served / "course")
    open_in_lab(page, f"course/{assignment}/{notebook.name}")
    run_cells_one_by_one(page)

    counts = [c["count"] for c in cells(page) if c["type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "every code cell ran once, in order, to the last one"
    shown = {index: [last_line(text) for text in texts] for index, texts in error_outputs(page).items()}
    assert shown, "an untouched release has exercises to write"
    assert {line for lines in shown.values() for line in lines} == {"NotImplementedError:"}, shown
    assert shown == expected[assignment].result(timeout=600)
