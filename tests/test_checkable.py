"""The course's test cells can run in the checker, outside the learner's kernel (autograder.grading.checker)."""

from __future__ import annotations

import ast

import pytest

from autograder import notebooks as nbs
from autograder.grading.checker import compiled_tests, split_tests, used_names, without_magics
from tests.notebook_support import ALL, source


def _defined(code: str, imports: bool) -> set[str]:
    """Names a cell binds at its top level: definitions and assignments (and imports, if asked)."""
    names = set()
    for node in ast.parse(without_magics(code)).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif imports and isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


@pytest.mark.parametrize("assignment", ALL)
def test_no_setup_cell_binds_a_name_an_answer_defines(assignment):
    """The checker runs setup cells itself: a name they bind would shadow the learner's answer there."""
    cells = [c for c in source(assignment).cells if c.cell_type == "code"]
    answers = set().union(*(_defined(c.source, imports=False) for c in cells if nbs.is_solution_cell(c)))
    setup = set().union(
        *(_defined(c.source, imports=True) for c in cells if nbs.is_locked(c) and not nbs.is_test_cell(c))
    )
    assert not answers & setup


@pytest.mark.parametrize("assignment", ALL)
def test_hidden_tests_start_at_the_top_level_of_their_cell(assignment):
    """The checker runs a test cell's visible statements, then its hidden ones."""
    for cell in nbs.test_cells(source(assignment)):
        visible, hidden = split_tests(cell.source)
        marker = nbs.hidden_start(cell.source)
        assert visible.body and hidden.body, nbs.grade_id(cell)
        assert all(node.end_lineno < marker for node in visible.body), nbs.grade_id(cell)


def test_a_grading_process_compiles_each_instructor_cell_once():
    """Every notebook of a class brings the same test cells: the second one reuses the first one's code."""
    cell = next(c for c in source(ALL[0]).cells if nbs.is_test_cell(c) and nbs.hidden_start(c.source) is not None)
    first = compiled_tests(cell.source, nbs.grade_id(cell))
    assert [part for part, _ in first] == ["visible", "hidden"]
    assert compiled_tests(cell.source, nbs.grade_id(cell)) is first
    assert used_names(cell.source) is used_names(cell.source)
