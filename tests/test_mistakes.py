"""Typical wrong answers lose points: each one replaces one solution cell and is graded for real."""

from __future__ import annotations

from functools import cache

import pytest

from autograder import notebooks as nbs
from tests.notebook_support import ALL, grade_all, graded_by, mistakes, mistakes_group, source, with_answers

pytestmark = [pytest.mark.skipif(not ALL, reason="no notebooks yet"), pytest.mark.slow]

MIN_MISTAKES = 3


def _cases(assignment):
    return [(solution_id, mistake) for solution_id, catalogue in mistakes(assignment).items() for mistake in catalogue]


@pytest.mark.parametrize("assignment", ALL)
def test_every_exercise_has_a_mistake_catalogue(assignment):
    solution_ids = [nbs.grade_id(c) for c in source(assignment).cells if nbs.is_solution_cell(c)]
    catalogue = mistakes(assignment)
    assert sorted(catalogue) == sorted(solution_ids)
    for solution_id, entries in catalogue.items():
        assert len(entries) >= MIN_MISTAKES, f"{solution_id} has only {len(entries)} mistakes"


@cache
def results(assignment):
    """Every mistake of one assignment graded once, in one grading pool: (solution_id, name) -> result. Every test
    that reads it names the assignment's group (``mistakes_group``), so `make test` runs them in one process."""
    cases = _cases(assignment)
    jobs = [(assignment, with_answers(assignment, {sid: m.code})) for sid, m in cases]
    return {(sid, m.name): r for (sid, m), r in zip(cases, grade_all(jobs), strict=True)}


@pytest.mark.parametrize(
    "assignment,solution_id,name",
    [pytest.param(a, s, m.name, marks=mistakes_group(a)) for a in ALL for s, m in _cases(a)],
    ids=lambda v: str(v)[:40],
)
def test_mistake_loses_points(assignment, solution_id, name):
    result = results(assignment)[(solution_id, name)]
    cell = {c.grade_id: c for c in result.cells}[graded_by(solution_id)]
    assert cell.points < cell.max_points, f"{name!r} earned full marks on {solution_id}"
    assert cell.message, "a lost point must come with a message"
