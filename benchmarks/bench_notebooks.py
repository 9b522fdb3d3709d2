"""How long each solution notebook takes to execute, against an empty notebook in a fresh kernel.

Budgets (the issues): notebooks 01-03 under 10 s, 04-06 under 15 s on this machine.
"""

from __future__ import annotations

import time

import nbformat

from autograder import notebooks as nbs
from autograder.grading.learner import execute
from autograder.paths import SOLUTIONS, assignments, notebook_files

BUDGET = {"01": 10, "02": 10, "03": 10, "04": 15, "05": 15, "06": 15}


def timed(nb) -> float:
    start = time.perf_counter()
    execute(nb)
    return time.perf_counter() - start


def main() -> dict[str, float]:
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import bpkit")])
    baseline = min(timed(empty) for _ in range(3))
    print(f"baseline: a fresh kernel running `import bpkit`: {baseline:.2f} s")
    seconds = {}
    for name in assignments(SOLUTIONS):
        for path in notebook_files(name, SOLUTIONS):
            seconds[name] = timed(nbs.read(path))
            budget = BUDGET.get(name[:2], 15)
            print(
                f"{name:<24} {seconds[name]:5.1f} s  = {seconds[name] / baseline:4.1f}x baseline; "
                f"budget {budget} s: {'ok' if seconds[name] < budget else 'OVER'}"
            )
    return seconds


if __name__ == "__main__":
    main()
