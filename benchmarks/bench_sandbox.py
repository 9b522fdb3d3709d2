"""What the grading sandbox costs, measured against grading without it in the same run.

* per notebook: one solved notebook graded in turn with and without the sandbox, one kernel at a time;
* per class: the sample class (without its attack students, which only run sandboxed) graded with
  ``bpcourse grade`` and with ``bpcourse grade --no-sandbox``.
Goal: the sandbox adds under 5%.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from autograder import notebooks as nbs
from autograder import sample_class
from autograder.collect import collect
from autograder.grading.pipeline import grade_notebook
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.sandbox import Limits
from autograder.workspace import Workspace
from benchmarks.bench_grading import bpcourse_grade

ROUNDS = 5
TIMEOUT = 10


def per_notebook(rounds: int = ROUNDS) -> tuple[float, float]:
    """Median seconds to grade each solved notebook, (sandboxed, plain), alternating to share the noise."""
    sandboxed, plain = [], []
    sources = [nbs.read(notebook_files(name, SOLUTIONS)[0]) for name in assignments(SOLUTIONS)]
    for _ in range(rounds):
        for source in sources:
            for limits, times in ((Limits(), sandboxed), (None, plain)):
                start = time.perf_counter()
                grade_notebook(source, source, timeout=TIMEOUT, sandbox=limits)
                times.append(time.perf_counter() - start)
    return statistics.median(sandboxed), statistics.median(plain)


def per_class() -> tuple[float, float, int]:
    """Wall seconds of `bpcourse grade` on the sample class, (sandboxed, plain), and the notebook count."""
    times = {}
    with tempfile.TemporaryDirectory(prefix="bpcourse-bench-") as tmp:
        sample_class.write(sample_class.build(attacks=False), Path(tmp) / "incoming")
        for mode, extra in (("sandboxed", []), ("plain", ["--no-sandbox"])):
            workspace = Workspace(Path(tmp) / mode)
            collect(Path(tmp) / "incoming", workspace)
            times[mode] = bpcourse_grade(workspace, *extra)
        count = len(workspace.submissions())
    return times["sandboxed"], times["plain"], count


def main() -> dict[str, float]:
    boxed, plain = per_notebook()
    print(
        f"one notebook (median of {ROUNDS} rounds x {len(assignments(SOLUTIONS))} notebooks): "
        f"sandboxed {boxed:.2f} s, plain {plain:.2f} s, overhead {boxed - plain:+.2f} s = {boxed / plain - 1:+.1%}"
    )
    class_boxed, class_plain, count = per_class()
    print(
        f"sample class ({count} notebooks): sandboxed {class_boxed:.1f} s, plain {class_plain:.1f} s, "
        f"overhead {class_boxed / class_plain - 1:+.1%} (goal < +5%)"
    )
    return {
        "notebook_sandboxed": boxed,
        "notebook_plain": plain,
        "class_sandboxed": class_boxed,
        "class_plain": class_plain,
    }


if __name__ == "__main__":
    main()
