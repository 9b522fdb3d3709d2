"""``bpcourse check``: a learner runs their notebook against the visible tests and reads the verdicts.

The released notebook of the same assignment is the authority for test cells,
so only visible tests run (hidden tests never leave the instructor's side).
"""

from __future__ import annotations

import sys
from pathlib import Path

from autograder import notebooks as nbs
from autograder.defaults import CHECK_TIMEOUT
from autograder.grading.pipeline import grade_notebook
from autograder.paths import COURSE


def release_for(notebook: Path) -> Path:
    """course/<assignment>/<name>.ipynb for a learner's copy named like the release."""
    return COURSE / notebook.resolve().parent.name / notebook.name


def check_notebook(notebook: Path, timeout: int = CHECK_TIMEOUT) -> int:
    """Print passed/failed per exercise with the visible message; exit code 0 when all pass."""
    if not notebook.is_file():
        print(f"error: {notebook} does not exist", file=sys.stderr)
        return 2
    release = release_for(notebook)
    if not release.is_file():
        print(
            f"error: {notebook.name} in folder {notebook.resolve().parent.name!r} is not a course notebook; "
            f"keep the released folder and file names (e.g. course/01-neurons/neurons.ipynb)",
            file=sys.stderr,
        )
        return 2
    result = grade_notebook(notebook, nbs.read(release), timeout=timeout)
    if result.error:
        print(f"note: {result.error}")
    for cell in result.cells:
        exercise = nbs.exercise_of(cell.grade_id)
        mark = "passed" if cell.passed else cell.status
        print(f"{'✓' if cell.passed else '✗'} {exercise:<28} {mark}")
        if not cell.passed and cell.message:
            print("    " + cell.message.replace("\n", "\n    "))
    passed = sum(cell.passed for cell in result.cells)
    print(f"{passed} of {len(result.cells)} exercises pass their visible tests.")
    return 0 if passed == len(result.cells) else 1
