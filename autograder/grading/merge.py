"""Merge: the notebook to grade is the instructor's, with the learner's answers in its answer cells."""

from __future__ import annotations

import copy

from nbformat import NotebookNode

from autograder import notebooks as nbs


def merge_submission(submission: NotebookNode, source: NotebookNode) -> NotebookNode:
    """The source's cells in the source's order, with the learner's answers.

    Solution cells take the learner's source (a deleted one becomes a stub that
    raises); every other course cell (matched by grade_id or cell id) is taken
    from the source, so edited or deleted test cells come back with their
    hidden tests. Code cells the learner added stay where they were, after the
    course cell they followed, as plain cells: their nbgrader metadata is
    dropped, so no cell of the learner's can pass for a test cell.
    """
    by_grade_id = {nbs.grade_id(c): c for c in submission.cells if nbs.grade_id(c)}
    source_ids = {c.get("id") for c in source.cells}
    source_grade_ids = {nbs.grade_id(c) for c in source.cells if nbs.grade_id(c)}
    extras: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    for cell in submission.cells:
        gid = nbs.grade_id(cell)
        if gid in source_grade_ids or (not gid and cell.get("id") in source_ids):
            anchor = gid or cell.get("id")
        elif cell.get("cell_type") == "code":
            extras.setdefault(anchor, []).append(_plain(cell))
    merged = copy.deepcopy(source)
    merged.cells = list(extras.get(None, []))
    for cell in copy.deepcopy(source.cells):
        gid = nbs.grade_id(cell)
        if nbs.is_solution_cell(cell):
            answer = by_grade_id.get(gid)
            cell.source = (
                answer.source
                if answer is not None
                else f"raise NotImplementedError('the answer cell {gid!r} was deleted from the notebook')"
            )
        merged.cells.append(cell)
        merged.cells.extend(extras.get(gid or cell.get("id"), []))
    for cell in merged.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return merged


def _plain(cell: NotebookNode) -> NotebookNode:
    """A learner's own code cell, stripped of any nbgrader metadata."""
    plain = copy.deepcopy(cell)
    plain.get("metadata", {}).pop("nbgrader", None)
    return plain
