"""Mutation check: small automatic mutations of each solution are caught by its hidden tests.

Goal: at least 90% of the non-equivalent mutants of every notebook are caught.
"""

import nbformat
import pytest

from tests.mutation import score
from tests.mutation_equivalents import EQUIVALENT
from tests.notebook_support import ALL, source

pytestmark = pytest.mark.slow

GOAL = 0.9


@pytest.mark.parametrize("assignment", ALL)
def test_hidden_tests_catch_mutants(assignment):
    result = score(assignment, source(assignment), EQUIVALENT)
    print(f"{assignment}: {result}")
    assert result["mutants"] > 0
    assert result["fraction"] >= GOAL, f"survivors: {result['survivors']}"
    assert not result["stale"], "tests/mutation_equivalents.py names mutants that no longer survive"


def test_mutants_exist_for_every_operator_kind():
    from tests.mutation import mutants

    cell = nbformat.v4.new_code_cell(
        "def f(a, b):\n    ### BEGIN SOLUTION\n    c = -(a.T @ b) + 1\n"
        "    return c.sum(axis=1, keepdims=True) > 0\n    ### END SOLUTION"
    )
    cell.metadata["nbgrader"] = {"grade_id": "f", "solution": True}
    descriptions = {m.description.split(": ", 1)[1] for m in mutants(cell)}
    assert {
        "drop .T",
        "MatMult -> Mult",
        "Add -> Sub",
        "drop unary minus",
        "constant 1 -> 2",
        "axis=1 -> 0",
        "drop keepdims",
        "Gt -> GtE",
        "constant 0 -> 1",
    } <= descriptions
