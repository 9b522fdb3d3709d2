"""The catalogue of typical wrong answers, one module per notebook: ``nb<NN>.py``.

Most mistakes are edits of the instructor's solution cell, so they follow the
solution as it changes: each edit names text that must occur exactly once in the
cell, and a mistake whose text is gone fails loudly instead of drifting. A
mistake that is a different function altogether is a rewrite of the whole cell.
The tests grade every entry and assert it loses points; the sample class uses
them as its students' mistakes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from autograder import notebooks as nbs
from autograder.paths import SOLUTIONS, notebook_files


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: ``code`` is the whole source of one solution cell, to hand in."""

    name: str
    code: str


@dataclass(frozen=True)
class Edit:
    """A mistake made by replacing text of the solution cell, one replacement after the other."""

    name: str
    replacements: tuple[tuple[str, str], ...]

    def then(self, old: str, new: str) -> Edit:
        """This edit with one more replacement, applied to the result of the others."""
        return Edit(self.name, (*self.replacements, (old, new)))

    def apply(self, solution: str, where: str) -> str:
        """The solution cell's source with every replacement made; ``where`` names the cell in errors."""
        for old, new in self.replacements:
            solution = _replace_once(solution, old, new, f"{where}: mistake {self.name!r}")
        return solution


@dataclass(frozen=True)
class Rewrite:
    """A mistake that is a different answer altogether: it replaces the whole solution cell."""

    name: str
    code: str

    def apply(self, solution: str, where: str) -> str:
        """The rewritten cell, whatever the solution is."""
        return self.code


def edit(name: str, old: str, new: str) -> Edit:
    """A mistake that replaces ``old``, which must occur exactly once in the solution cell, by ``new``."""
    return Edit(name, ((old, new),))


def rewrite(name: str, code: str) -> Rewrite:
    """A mistake given as the whole source of the cell."""
    return Rewrite(name, code)


def catalogue(assignment: str) -> dict[str, list[Mistake]]:
    """Solution grade_id -> its typical mistakes, for an assignment such as "01-neurons"."""
    entries = importlib.import_module(f"{__name__}.nb{assignment[:2]}").MISTAKES
    solutions = _solution_sources(assignment)
    made: dict[str, list[Mistake]] = {}
    for grade_id, mistakes in entries.items():
        if grade_id not in solutions:
            raise KeyError(f"nb{assignment[:2]} lists mistakes for {grade_id!r}, not a solution cell of {assignment}")
        where = f"{assignment}/{grade_id}"
        made[grade_id] = [Mistake(m.name, m.apply(solutions[grade_id], where)) for m in mistakes]
    return made


def _solution_sources(assignment: str) -> dict[str, str]:
    """grade_id -> source of every solution cell of the assignment's instructor notebook."""
    (path,) = notebook_files(assignment, SOLUTIONS)
    return {nbs.grade_id(cell): cell.source for cell in nbs.read(path).cells if nbs.is_solution_cell(cell)}


def _replace_once(text: str, old: str, new: str, what: str) -> str:
    """``text`` with ``old`` replaced by ``new``; raises ValueError unless ``old`` occurs exactly once."""
    found = _occurrences(text, old)
    if found != 1:
        raise ValueError(f"{what}: the text to replace occurs {found} times in the solution cell, not once: {old!r}")
    return text.replace(old, new)


def _occurrences(text: str, old: str) -> int:
    """How often ``old`` occurs in ``text``, overlapping occurrences included."""
    count, start = 0, text.find(old)
    while start != -1:
        count, start = count + 1, text.find(old, start + 1)
    return count
