"""Every solution notebook earns full marks; every untouched release earns 0 and leaks nothing. (That a solution runs
without warnings is checked on stock nbgrader's run of it: test_nbgrader_stock.)"""

from __future__ import annotations

from functools import cache

import pytest

from autograder import notebooks as nbs
from autograder.paths import COURSE
from autograder.release import find_leaks
from tests.notebook_support import ALL, grade_all, release_path, solution_path, source

pytestmark = [pytest.mark.skipif(not ALL, reason="no notebooks yet"), pytest.mark.slow]


@cache
def graded_all() -> dict:
    """Every assignment's solution and release, graded once in one pool (one warm sandbox per worker, not per
    assignment): assignment -> (solution result, release result)."""
    jobs = [job for a in ALL for job in ((a, source(a)), (a, nbs.read(release_path(a))))]
    results = grade_all(jobs)
    return {a: (results[2 * i], results[2 * i + 1]) for i, a in enumerate(ALL)}


def graded(assignment):
    """(solution result, release result) of one assignment."""
    return graded_all()[assignment]


@pytest.mark.parametrize("assignment", ALL)
def test_solution_scores_full_marks(assignment):
    result = graded(assignment)[0]
    failed = [f"{c.grade_id}: {c.status} {c.message}" for c in result.cells if not c.passed]
    assert result.status == "graded", result.error
    assert not failed, "\n".join(failed)
    assert result.score == result.max_score > 0


@pytest.mark.parametrize("assignment", ALL)
def test_untouched_release_scores_zero(assignment):
    result = graded(assignment)[1]
    assert result.status == "graded", result.error
    assert result.score == 0, [c for c in result.cells if c.passed]
    assert all(c.status == "failed" for c in result.cells)


@pytest.mark.parametrize("assignment", ALL)
def test_notebooks_are_stored_without_outputs(assignment):
    for path in (solution_path(assignment), release_path(assignment)):
        assert not nbs.has_outputs(nbs.read(path)), f"{path} has outputs: clear them before committing"


@pytest.mark.parametrize("assignment", ALL)
def test_grade_ids_are_stable_and_paired(assignment):
    """Each solution cell `x` is graded by a test cell `test_x` that follows it."""
    cells = source(assignment).cells
    ids = [nbs.grade_id(c) for c in cells if nbs.grade_id(c)]
    assert len(ids) == len(set(ids))
    solutions = [nbs.grade_id(c) for c in cells if nbs.is_solution_cell(c)]
    tests = [nbs.grade_id(c) for c in cells if nbs.is_test_cell(c)]
    for sid in solutions:
        assert f"test_{sid}" in tests, f"solution cell {sid} has no test cell test_{sid}"
        assert ids.index(f"test_{sid}") > ids.index(sid)


def test_points_add_up_to_100_when_all_six_exist():
    total = sum(nbs.max_score(source(a)) for a in ALL)
    if len(ALL) == 6:
        assert total == 100
    else:
        assert 0 < total < 100


def test_release_leaks_nothing():
    assert find_leaks(COURSE) == []
