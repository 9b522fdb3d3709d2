"""The learner is never surprised: a mistake that loses points in grading fails the visible tests too.

Every catalogued mistake is graded twice: against the solution notebook (visible
and hidden tests, as the autograder does; shared with test_mistakes) and
against the release (visible tests only, as `bpcourse check` and the learner's
own run see them). Wherever grading takes points, the visible tests must fail
too, and with a message of their own, not only a warning on stderr.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from tests.notebook_support import ALL, grade_all_visible, mistakes, with_answers
from tests.test_mistakes import _cases, results

pytestmark = pytest.mark.skipif(not ALL, reason="no notebooks yet")

STDERR_ONLY = "the test cell wrote to stderr"


@lru_cache(maxsize=None)
def visible_results(assignment):
    """Every mistake of one assignment graded against the release: (solution_id, name) -> result."""
    cases = _cases(assignment)
    jobs = [(assignment, with_answers(assignment, {sid: m.code})) for sid, m in cases]
    return {(sid, m.name): r for (sid, m), r in zip(cases, grade_all_visible(jobs))}


def surprises(assignment: str, solution_id: str, name: str) -> list[str]:
    """Test cells where grading takes points but the visible tests pass, or fail only by a warning."""
    graded = results(assignment)[(solution_id, name)]
    checked = {cell.grade_id: cell for cell in visible_results(assignment)[(solution_id, name)].cells}
    found = []
    for cell in graded.cells:
        if cell.points >= cell.max_points:
            continue
        seen = checked[cell.grade_id]
        if seen.passed:
            found.append(f"{name!r}: {cell.grade_id} passes its visible tests, then loses "
                         f"{cell.max_points - cell.points:g} points in grading: {cell.message}")
        elif seen.message.startswith(STDERR_ONLY):
            found.append(f"{name!r}: {cell.grade_id} fails visibly only by a warning on stderr: {seen.message}")
    return found


@pytest.mark.parametrize("assignment,solution_id", [(a, s) for a in ALL for s in mistakes(a)])
def test_a_mistake_that_loses_points_fails_the_visible_tests(assignment, solution_id):
    found = [s for m in mistakes(assignment)[solution_id] for s in surprises(assignment, solution_id, m.name)]
    assert not found, "\n".join(found)
