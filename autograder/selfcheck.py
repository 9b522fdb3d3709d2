"""``bpcourse check``: a learner runs their notebook against the visible tests and reads the verdicts.

The released notebook of the same assignment is the authority for test cells,
so only visible tests run (hidden tests never leave the instructor's side).
"""
from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from autograder import notebooks as nbs
from autograder.defaults import CHECK_TIMEOUT
from autograder.grading import grade_notebook
from autograder.paths import COURSE


def release_for(notebook: Path) -> Path:
    """course/<assignment>/<name>.ipynb for a learner's copy named like the release."""
    return COURSE / notebook.resolve().parent.name / notebook.name


def _last_frame(traceback: TracebackType | None) -> TracebackType | None:
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    return traceback


def is_spurious_kernel_cleanup(unraisable: Any) -> bool:
    """nbclient's atexit cleanup of a client whose kernel never became ready.

    When a kernel is slow to start, nbclient cleans up at once (its ``km`` becomes
    None) but leaves its atexit callback registered; at exit the callback asserts
    ``km is not None`` and Python prints "Exception ignored in atexit callback".
    Grading has already retried with a new kernel: there is nothing left to clean up.
    """
    last = _last_frame(getattr(unraisable, "exc_traceback", None))
    return (
        getattr(unraisable, "exc_type", None) is AssertionError
        and last is not None
        and last.tb_frame.f_code.co_name == "_async_cleanup_kernel"
        and "nbclient" in last.tb_frame.f_code.co_filename
    )


def quiet_spurious_kernel_cleanup() -> None:
    """Drop that one traceback from the learner's terminal; every other unraisable error is printed as before."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not is_spurious_kernel_cleanup(unraisable):
            previous(unraisable)

    sys.unraisablehook = hook


def check_notebook(notebook: Path, timeout: int = CHECK_TIMEOUT) -> int:
    """Print passed/failed per exercise with the visible message; exit code 0 when all pass."""
    quiet_spurious_kernel_cleanup()
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
