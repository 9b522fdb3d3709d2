"""The learner is never surprised: a mistake that loses points in grading fails the visible tests too.

Every catalogued mistake is graded once (shared with test_mistakes, in its process: ``mistakes_group``). The checker
runs each test cell's visible tests first and its hidden tests after, and records
which part failed; wherever grading takes points, the visible part must have
failed, and with a message of its own, not only a warning on stderr. The visible
tests are exactly what the release, ``bpcourse check`` and the learner's own run show.
"""

from __future__ import annotations

import pytest

from tests.notebook_support import ALL, mistakes, mistakes_group
from tests.test_mistakes import results

pytestmark = [pytest.mark.skipif(not ALL, reason="no notebooks yet"), pytest.mark.slow]

STDERR_ONLY = "the test cell wrote to stderr"


def surprises(assignment: str, solution_id: str, name: str) -> list[str]:
    """Test cells where grading takes points but the visible tests pass, or fail only by a warning."""
    found = []
    for cell in results(assignment)[(solution_id, name)].cells:
        if cell.points >= cell.max_points:
            continue
        if cell.hidden:
            found.append(
                f"{name!r}: {cell.grade_id} passes its visible tests, then loses "
                f"{cell.max_points - cell.points:g} points in grading: {cell.message}"
            )
        elif cell.message.startswith(STDERR_ONLY):
            found.append(f"{name!r}: {cell.grade_id} fails visibly only by a warning on stderr: {cell.message}")
    return found


@pytest.mark.parametrize(
    "assignment,solution_id", [pytest.param(a, s, marks=mistakes_group(a)) for a in ALL for s in mistakes(a)]
)
def test_a_mistake_that_loses_points_fails_the_visible_tests(assignment, solution_id):
    found = [s for m in mistakes(assignment)[solution_id] for s in surprises(assignment, solution_id, m.name)]
    assert not found, "\n".join(found)


# (assignment, mistaken exercise, mistake, test cell, what its visible message must say)
MESSAGES = [
    (
        "01-neurons",
        "sigmoid",
        "np.empty_like keeps an integer dtype",
        "test_sigmoid_derivative",
        "your sigmoid (exercise 1) is wrong, and sigmoid_derivative builds on it",
    ),
    (
        "02-forward-propagation",
        "linear_forward",
        "forgets + b",
        "test_model_forward",
        "your linear_forward (exercise 3) is wrong, and model_forward builds on it",
    ),
    (
        "02-forward-propagation",
        "linear_activation_forward",
        "naive sigmoid overflows for large |z|",
        "test_linear_activation_forward",
        "overflow encountered in exp",
    ),
    (
        "02-forward-propagation",
        "cross_entropy_cost",
        "np.where picks the right log but evaluates log(0) too",
        "test_cross_entropy_cost",
        "np.clip(AL, 1e-12, 1 - 1e-12) before np.log",
    ),
    (
        "02-forward-propagation",
        "cross_entropy_cost",
        "np.dot(Y, log(AL).T): a matrix once n[L] > 1",
        "test_cross_entropy_cost",
        "np.dot(Y, np.log(AL).T) is an (n[L], n[L]) matrix, not a number",
    ),
    (
        "04-dimension-checks",
        "expected_shapes",
        "keys grouped by kind, not by layer",
        "test_check_shapes",
        "your expected_shapes (exercise 7) is wrong, and check_shapes builds on it",
    ),
    (
        "04-dimension-checks",
        "fixed_forward",
        "written for exactly two layers",
        "test_fixed_forward",
        "Loop over l = 1..L instead of naming the layers",
    ),
    (
        "05-backpropagation",
        "nodes",
        "inputs stored on the class, shared by every MulNode",
        "test_apple_graph",
        "your MulNode (exercise 1) is wrong, and apple_graph builds on it",
    ),
    (
        "05-backpropagation",
        "sigmoid_backward",
        "naive sigmoid overflows for large -Z",
        "test_sigmoid_backward",
        "use sigmoid (imported above), which never does",
    ),
    (
        "05-backpropagation",
        "linear_backward",
        "missing 1/m",
        "test_model_backward",
        "your linear_backward (exercise 3) is wrong, and model_backward builds on it",
    ),
    (
        "05-backpropagation",
        "model_backward",
        "wrong cache: caches[l] for layer l",
        "test_model_backward",
        "model_backward for layer sizes [5, 4, 3, 1], m=6: raised ValueError",
    ),
    (
        "06-training",
        "update_parameters",
        "hard-coded two layers",
        "test_train",
        "your update_parameters (exercise 1) is wrong, and train builds on it",
    ),
]


@pytest.mark.parametrize(
    "assignment,solution_id,name,cell,words",
    [pytest.param(*m, marks=mistakes_group(m[0])) for m in MESSAGES],
    ids=lambda v: str(v)[:30],
)
def test_the_visible_message_points_at_the_cause(assignment, solution_id, name, cell, words):
    found = {c.grade_id: c for c in results(assignment)[(solution_id, name)].cells}[cell]
    assert not found.hidden
    message = found.message
    assert words in message, message


def test_each_test_here_runs_in_the_process_that_graded_its_mistakes(request):
    """Under `make test`, a test outside its assignment's mistakes group would grade every mistake again."""
    here = [item for item in request.node.parent.collect() if "assignment" in item.fixturenames]
    assert len(here) > len(MESSAGES)
    for item in here:
        group = item.get_closest_marker("xdist_group")
        assert group and group.args == (f"mistakes-{item.callspec.params['assignment']}",), item.nodeid
