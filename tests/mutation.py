"""Automatic small mutations of the solutions, graded by each exercise's own test cell.

Operators: flip an arithmetic operator, flip a comparison, drop a transpose,
swap axis 0/1, drop keepdims, change a numeric constant, drop a unary minus.
Each mutant changes one place inside ``### BEGIN SOLUTION`` ... ``### END SOLUTION``.

Running: one kernel per notebook executes the solution notebook once, then for
each mutant re-defines the solution cell with the mutant, runs that exercise's
test cell (hidden tests included) and restores the original. A mutant is
caught when the test cell raises, warns, or runs out of time, which is exactly
what costs points when nbgrader grades it.
"""

from __future__ import annotations

import ast
import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from autograder import notebooks as nbs
from autograder.grading.learner import execute

FLIPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.MatMult: ast.Mult,
    ast.Pow: ast.Mult,
}
COMPARE = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
TIMEOUT = 20
MARK = "MUTANT-RESULT:"


@dataclass(frozen=True)
class Mutant:
    exercise: str  # solution grade_id
    description: str
    code: str


def _solution_lines(source: str) -> tuple[int, int]:
    lines = source.splitlines()
    begin = next(i for i, line in enumerate(lines, 1) if line.strip() == nbs.SOLUTION_BEGIN)
    end = next(i for i, line in enumerate(lines, 1) if line.strip() == nbs.SOLUTION_END)
    return begin, end


def _sites(tree: ast.AST, begin: int, end: int) -> Iterator[tuple[ast.AST, str]]:
    for node in ast.walk(tree):
        if begin < getattr(node, "lineno", 0) < end:
            yield node, type(node).__name__


def _variants(node: ast.AST) -> Iterator[tuple[str, callable]]:
    """(description, apply) for every mutation of one node; apply mutates a copy's node in place."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in FLIPS:
        new = FLIPS[type(node.op)]
        yield f"{type(node.op).__name__} -> {new.__name__}", lambda n, new=new: setattr(n, "op", new())
    if isinstance(node, ast.Compare) and type(node.ops[0]) in COMPARE:
        new = COMPARE[type(node.ops[0])]
        yield f"{type(node.ops[0]).__name__} -> {new.__name__}", lambda n, new=new: n.ops.__setitem__(0, new())
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield "drop unary minus", lambda n: setattr(n, "op", ast.UAdd())
    if isinstance(node, ast.Constant) and type(node.value) in (int, float) and not isinstance(node.value, bool):
        value = node.value
        other = value + 1 if value in (0, 1) else value * 2
        yield f"constant {value!r} -> {other!r}", lambda n, other=other: setattr(n, "value", other)
    if (
        isinstance(node, ast.keyword)
        and node.arg == "axis"
        and isinstance(node.value, ast.Constant)
        and node.value.value in (0, 1)
    ):
        flipped = 1 - node.value.value
        yield f"axis={node.value.value} -> {flipped}", lambda n: setattr(n.value, "value", 1 - n.value.value)
    if isinstance(node, ast.Call):
        for i, kw in enumerate(node.keywords):
            if kw.arg == "keepdims":
                yield "drop keepdims", lambda n, i=i: n.keywords.pop(i)
    if isinstance(node, ast.Attribute) and node.attr == "T":
        yield "drop .T", None  # handled by replacing the attribute with its value


class _DropTranspose(ast.NodeTransformer):
    def __init__(self, target_index: int) -> None:
        self.target_index, self.index = target_index, -1

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if node.attr == "T":
            self.index += 1
            if self.index == self.target_index:
                return node.value
        return node


def mutants(cell: NotebookNode) -> list[Mutant]:
    """Every single-site mutant of one solution cell."""
    begin, end = _solution_lines(cell.source)
    tree = ast.parse(cell.source)
    found: list[Mutant] = []
    sites = list(_sites(tree, begin, end))
    transposes = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "T"]
    for index, (node, _) in enumerate(sites):
        for description, apply in _variants(node):
            mutated = copy.deepcopy(tree)
            if apply is None:
                target = transposes.index(node)
                mutated = _DropTranspose(target).visit(mutated)
            else:
                apply(list(_sites(mutated, begin, end))[index][0])
            code = ast.unparse(ast.fix_missing_locations(mutated))
            where = f"line {getattr(node, 'lineno', 0) - begin}:{getattr(node, 'col_offset', 0)}"
            found.append(Mutant(nbs.grade_id(cell), f"{where}: {description}", code))
    unique = {}
    for m in found:
        unique.setdefault(m.code, m)
    return list(unique.values())


RUNNER = """
def _bp_mutant(mutant, test, original):
    import json, warnings
    caught = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            exec(compile(mutant, "<mutant>", "exec"), globals())
            exec(compile(test, "<test>", "exec"), globals())
    except BaseException as error:
        caught = type(error).__name__
    finally:
        exec(compile(original, "<original>", "exec"), globals())
    print("MUTANT-RESULT:" + json.dumps(caught))
"""


def run_mutants(source: NotebookNode, batch: list[Mutant]) -> list[str | None]:
    """For each mutant, the exception that caught it (or "timeout"), None if it survived."""
    solutions = {nbs.grade_id(c): c.source for c in source.cells if nbs.is_solution_cell(c)}
    tests = {nbs.grade_id(c): c.source for c in source.cells if nbs.is_test_cell(c)}
    nb = copy.deepcopy(source)
    nb.cells.append(nbformat.v4.new_code_cell(RUNNER))
    first = len(nb.cells)
    for m in batch:
        call = f"_bp_mutant({m.code!r}, {tests['test_' + m.exercise]!r}, {solutions[m.exercise]!r})"
        nb.cells.append(nbformat.v4.new_code_cell(call))
    executed, timed_out, died, error = execute(nb, timeout=TIMEOUT)
    if died is not None:
        raise RuntimeError(f"the mutation kernel died: {error}")
    results: list[str | None] = []
    for index in range(first, len(executed.cells)):
        if index in timed_out:
            results.append("timeout")
            continue
        text = "".join(o.get("text", "") for o in executed.cells[index].outputs if o.output_type == "stream")
        line = next((l for l in text.splitlines() if l.startswith(MARK)), None)
        results.append(json.loads(line[len(MARK) :]) if line else "no result")
    return results


def score(assignment: str, source: NotebookNode, equivalent: dict[tuple[str, str, str], str]) -> dict:
    """Run every mutant of an assignment; caught fraction over the non-equivalent ones, survivors, and the
    entries of ``equivalent`` for it that name no surviving mutant (stale, once a solution changed)."""
    batch = [m for c in source.cells if nbs.is_solution_cell(c) for m in mutants(c)]
    outcomes = run_mutants(source, batch)
    survivors = [m for m, caught in zip(batch, outcomes, strict=True) if caught is None]
    unexplained = [m for m in survivors if (assignment, m.exercise, m.description) not in equivalent]
    judged = len(batch) - (len(survivors) - len(unexplained))
    surviving = {(assignment, m.exercise, m.description) for m in survivors}
    return {
        "stale": [key for key in equivalent if key[0] == assignment and key not in surviving],
        "mutants": len(batch),
        "caught": len(batch) - len(survivors),
        "equivalent": len(survivors) - len(unexplained),
        "fraction": (judged - len(unexplained)) / judged if judged else 1.0,
        "survivors": [(m.exercise, m.description) for m in unexplained],
    }


if __name__ == "__main__":
    from autograder.paths import SOLUTIONS, assignments, notebook_files
    from tests.mutation_equivalents import EQUIVALENT

    for name in assignments(SOLUTIONS):
        (path,) = notebook_files(name)
        result = score(name, nbs.read(path), EQUIVALENT)
        print(
            f"{name}: {result['caught']}/{result['mutants']} caught, {result['equivalent']} equivalent, "
            f"{result['fraction']:.0%} of non-equivalent; survivors: {result['survivors']}"
        )
