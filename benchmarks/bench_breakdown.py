"""Where a graded notebook's time goes, for the sample class and for a class of honest submissions.

Each submission is graded in this process, sandboxed, one at a time, once with cold
kernels (a new sandbox and interpreter per notebook) and once with warm ones (forked from
one pre-imported sandbox, autograder.warm_start, as grading workers do), with a timer
around each step of the pipeline: sandbox and kernel start, the setup cells (imports),
the learner's other cells, the checker's setup and test cells (proxied calls included),
stopping the kernel, and the rest (read, merge, score). Figures: the honest class's
learner cells are run once more with figures drawn, as a plain run does; the difference
is what skipping them saves. The main process: ``class_grading.grade`` on the sample
class, timing what it does itself (saving results, the gradebook) against its wall time.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from autograder import class_grading, gradebook, sample_class, warm_start
from autograder import notebooks as nbs
from autograder.collect import collect
from autograder.grading import boundary, checker, learner, pipeline
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.sandbox import Limits, SandboxedKernelManager
from autograder.workspace import Workspace
from benchmarks.bench_grading import honest_class

HONEST_STUDENTS = 4
TIMEOUT = 10


class Timers:
    """Seconds spent per named step, summed over every notebook graded while patched."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, name: str, label: Callable[..., str]) -> Callable[[], None]:
        """Time ``owner.name`` under ``label(*args)``; returns the undo."""
        original = getattr(owner, name)
        timers = self

        if name.startswith("async_"):

            async def timed(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    timers.seconds[label(*args)] += time.perf_counter() - start
        else:

            def timed(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    timers.seconds[label(*args)] += time.perf_counter() - start

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, original)


def _cell_kind(_client: Any, cell: Any, *rest: Any) -> str:
    return "setup cells (imports)" if nbs.is_locked(cell) else "learner cells"


@contextmanager
def timed_steps() -> Iterator[Timers]:
    timers = Timers()
    undo = [
        timers.wrap(learner.LearnerClient, "async_start_new_kernel", lambda *a: "sandbox and kernel start"),
        timers.wrap(learner.LearnerClient, "async_start_new_kernel_client", lambda *a: "sandbox and kernel start"),
        timers.wrap(boundary.Boundary, "prepare", lambda *a: "sandbox and kernel start"),
        timers.wrap(learner.LearnerClient, "async_execute_cell", _cell_kind),
        timers.wrap(checker.Checker, "run_setup", lambda *a: "checker: setup cells"),
        timers.wrap(checker.Checker, "run_test", lambda *a: "checker: test cells and calls"),
        timers.wrap(SandboxedKernelManager, "destroy", lambda *a: "kernel stop"),
        timers.wrap(warm_start.ForkedKernelManager, "destroy", lambda *a: "kernel stop"),
    ]
    try:
        yield timers
    finally:
        for restore in undo:
            restore()


def _submissions(students: list[sample_class.SampleStudent], folder: Path) -> list[tuple[Path, Any]]:
    sample_class.write(students, folder)
    sources = {name: nbs.read(notebook_files(name, SOLUTIONS)[0]) for name in assignments(SOLUTIONS)}
    return [(path, sources[path.parent.name]) for path in sorted(folder.glob("*/*/*.ipynb"))]


def breakdown(submissions: list[tuple[Path, Any]], warm: bool = False) -> tuple[dict[str, float], float]:
    """Seconds per step summed over the submissions, and the total; kernels forked from a zygote if ``warm``
    (whose own start counts as "sandbox and kernel start" of the first notebook)."""
    if warm:
        warm_start.enable()
    try:
        with timed_steps() as timers:
            start = time.perf_counter()
            for path, source in submissions:
                pipeline.grade_notebook(path, source, timeout=TIMEOUT, sandbox=Limits())
            total = time.perf_counter() - start
    finally:
        warm_start.disable()
    steps = dict(timers.seconds)
    steps["read, merge, score, other"] = total - sum(steps.values())
    return steps, total


def figures_cost(submissions: list[tuple[Path, Any]]) -> float:
    """Extra seconds of the learner's cells when figures are drawn (as a plain run draws them)."""
    learner_time = []
    for draw in (False, True):
        undo = boundary.Boundary.prepare
        if draw:
            boundary.Boundary.prepare = lambda self: None
        try:
            steps, _ = breakdown(submissions)
        finally:
            boundary.Boundary.prepare = undo
        learner_time.append(steps.get("learner cells", 0.0) + steps.get("setup cells (imports)", 0.0))
    return learner_time[1] - learner_time[0]


def main_process(students: list[sample_class.SampleStudent], folder: Path) -> dict[str, float]:
    """``grade`` on a class: its wall time and what the main process spends saving results and the gradebook."""
    sample_class.write(students, folder / "incoming")
    workspace = Workspace(folder / "ws")
    collect(folder / "incoming", workspace)
    timers = Timers()
    undo = [
        timers.wrap(Workspace, "save_result", lambda *a: "saving results"),
        timers.wrap(gradebook, "record", lambda *a: "gradebook"),
        timers.wrap(gradebook, "ensure_assignments", lambda *a: "gradebook"),
    ]
    try:
        summary = class_grading.grade(workspace, timeout=TIMEOUT, progress=False)
    finally:
        for restore in undo:
            restore()
    return {"wall": summary.seconds, "notebooks": summary.graded, **timers.seconds}


def _print(title: str, steps: dict[str, float], total: float, count: int) -> None:
    print(f"{title}: {count} notebooks, {total:.1f} s one at a time, {total / count:.2f} s per notebook")
    for step, seconds in sorted(steps.items(), key=lambda item: -item[1]):
        print(f"  {step:32s} {seconds / count:6.2f} s per notebook  {100 * seconds / total:5.1f}%")


def main() -> dict[str, float]:
    honest = honest_class(HONEST_STUDENTS)
    with tempfile.TemporaryDirectory(prefix="bpcourse-breakdown-") as tmp:
        root = Path(tmp)
        sample = _submissions(sample_class.build(attacks=False), root / "sample")
        mine = _submissions(honest, root / "honest")
        for title, submissions in (("sample class", sample), ("honest class", mine)):
            for warm in (False, True):
                steps, total = breakdown(submissions, warm)
                _print(f"{title}, {'warm' if warm else 'cold'} kernels", steps, total, len(submissions))
        drawn = figures_cost(mine)
        print(f"drawing the figures would add {drawn / len(mine):.2f} s per honest notebook")
        main = main_process(sample_class.build(attacks=False), root / "main")
    overhead = main.get("saving results", 0.0) + main.get("gradebook", 0.0)
    print(
        f"main process on the sample class: {main['wall']:.1f} s wall for {main['notebooks']} notebooks; "
        f"saving results {main.get('saving results', 0.0):.2f} s, gradebook {main.get('gradebook', 0.0):.2f} s "
        f"({100 * overhead / main['wall']:.1f}% of the wall time)"
    )
    return {"per_notebook": total / len(mine), "figures": drawn / len(mine)}
