"""Grade course notebooks from tests: solutions, releases, and solutions with a mistake planted."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest
from nbformat import NotebookNode

from autograder import notebooks as nbs
from autograder import warm_start
from autograder.grading.pipeline import grade_notebook
from autograder.mistakes import catalogue
from autograder.paths import COURSE, SOLUTIONS, assignments, notebook_files
from autograder.pool import WorkerPool
from autograder.results import NotebookResult
from autograder.sandbox import Limits

WORKERS = 1
"""Grading processes per pool. `make test` already keeps every core busy with its own test processes: a second
grader per pool only made them contend (the mistakes took 182-191 CPU-s with two, 158-166 with one, back to
back under `-n 3`, and less wall time too). Class grading, as instructors run it, still uses one per core."""


def solution_path(assignment: str) -> Path:
    """The (single) instructor notebook of an assignment."""
    (path,) = notebook_files(assignment, SOLUTIONS)
    return path


def release_path(assignment: str) -> Path:
    """The released student notebook of an assignment."""
    return COURSE / assignment / solution_path(assignment).name


@cache
def source(assignment: str) -> NotebookNode:
    """The instructor notebook, read once."""
    return nbs.read(solution_path(assignment))


def graded_by(solution_id: str) -> str:
    """The grade_id of the test cell that grades a solution cell."""
    return f"test_{solution_id}"


def with_answers(assignment: str, answers: dict[str, str]) -> NotebookNode:
    """The solution notebook with some solution cells' sources replaced."""
    nb = copy.deepcopy(source(assignment))
    found = set()
    for cell in nb.cells:
        gid = nbs.grade_id(cell)
        if gid in answers:
            cell.source = answers[gid]
            found.add(gid)
    missing = set(answers) - found
    if missing:
        raise KeyError(f"{assignment} has no solution cells {sorted(missing)}")
    return nb


def _grade(job: tuple[str, NotebookNode]) -> NotebookResult:
    assignment, nb = job
    warm_start.enable()  # as a class is graded: sandboxed, each kernel forked from the worker's zygote
    result = grade_notebook(nb, source(assignment), sandbox=Limits())
    result.graded = None  # keep results small across processes
    return result


def grade_all(jobs: list[tuple[str, NotebookNode]]) -> list[NotebookResult]:
    """Grade several notebooks in a grading process of their own, sandboxed as a class is graded (each kernel
    forked from that process's warm sandbox); results in job order."""
    return WorkerPool(_grade, WORKERS).ordered(jobs)


mistakes = catalogue


def mistakes_group(assignment: str) -> pytest.MarkDecorator:
    """The xdist group of the tests that read one assignment's graded mistakes: one process grades them once."""
    return pytest.mark.xdist_group(f"mistakes-{assignment}")


ALL = assignments(SOLUTIONS) if SOLUTIONS.exists() else []
