"""``bpcourse grade`` on a class of honest submissions and on the sample class, against two baselines
measured in the same run.

* plain nbclient execution of the same submitted notebooks, one after another (figures drawn, as a plain run does);
* ``nbgrader autograde`` called once per student and assignment (on a few students, per call).
The goals: grading (sandbox and trusted checker included) in at most 0.4x the sequential time on 2 cores,
and at least 4x faster than one nbgrader call per submission.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from autograder import notebooks as nbs
from autograder import sample_class
from autograder.collect import collect
from autograder.paths import NBGRADER_CONFIG, SOLUTIONS, assignments
from autograder.workspace import Workspace

TIMEOUT = 10
NBGRADER_STUDENTS = 2
HONEST_STUDENTS = 8
GOAL = 0.4


def sequential_limit(workspace: Workspace) -> float:
    """Seconds to execute every submitted notebook with plain nbclient, one after another."""
    start = time.perf_counter()
    for _, _, path in workspace.submissions():
        try:
            nb = nbs.read(path)
        except Exception:  # noqa: BLE001 - the corrupt one cannot be executed at all
            continue
        client = NotebookClient(
            nb,
            timeout=TIMEOUT,
            allow_errors=True,
            interrupt_on_timeout=True,
            kernel_name="python3",
            resources={"metadata": {"path": tempfile.gettempdir()}},
        )
        with contextlib.suppress(DeadKernelError):
            client.execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bpcourse_grade(workspace: Workspace, *options: str) -> float:
    """Wall time of the `bpcourse grade` command (with ``options``), start-up included."""
    start = time.perf_counter()
    subprocess.run(
        [
            Path(sys.executable).parent / "bpcourse",
            "grade",
            "--workspace",
            str(workspace.root),
            "--timeout",
            str(TIMEOUT),
            *options,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def nbgrader_per_call(workspace: Workspace) -> tuple[float, int]:
    """Mean seconds of one `nbgrader autograde ASSIGNMENT --student S` call, over a few students."""
    env = {
        **os.environ,
        "BPCOURSE_WORKSPACE": str(workspace.root),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    from autograder.gradebook import ensure_assignments

    ensure_assignments(workspace.db_url, workspace.root, assignments(SOLUTIONS))
    calls, start = 0, time.perf_counter()
    for student in workspace.students()[:NBGRADER_STUDENTS]:
        for name in assignments(SOLUTIONS):
            subprocess.run(
                [
                    Path(sys.executable).parent / "nbgrader",
                    "autograde",
                    name,
                    f"--student={student}",
                    "--force",
                    f"--ExecutePreprocessor.timeout={TIMEOUT}",
                ],
                cwd=NBGRADER_CONFIG.parent,
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            calls += 1
    return (time.perf_counter() - start) / calls, calls


def honest_class(students: int = HONEST_STUDENTS) -> list[sample_class.SampleStudent]:
    """Students who all hand in the instructor's answers."""
    complete = next(s for s in sample_class.build(attacks=False) if s.description == "every exercise right")
    return [
        sample_class.SampleStudent(f"h{i:02d}", complete.description, complete.files, complete.expected)
        for i in range(students)
    ]


def compare(students: list[sample_class.SampleStudent], root: Path) -> tuple[float, float, Workspace]:
    """(sequential nbclient seconds, bpcourse grade seconds, workspace) for one class."""
    sample_class.write(students, root / "incoming")
    workspace = Workspace(root / "ws")
    collect(root / "incoming", workspace)
    return sequential_limit(workspace), bpcourse_grade(workspace), workspace


def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bpcourse-bench-") as tmp:
        for label, students in (("honest class", honest_class()), ("sample class", sample_class.build(attacks=False))):
            limit, ours, workspace = compare(students, Path(tmp) / label.split()[0])
            count = len(workspace.submissions())
            print(f"{label}: {len(students)} students, {count} notebooks, {os.cpu_count()} cores")
            print(f"  sequential nbclient: {limit:.1f} s ({limit / count:.2f} s per notebook)")
            print(
                f"  bpcourse grade:      {ours:.1f} s ({ours / count:.2f} s per notebook) = "
                f"{ours / limit:.2f}x the sequential time (goal <= {GOAL})"
            )
            figures[label] = ours / limit
        per_call, calls = nbgrader_per_call(workspace)
    per_student_total = per_call * count
    print(
        f"nbgrader autograde: {per_call:.1f} s per call (mean of {calls}); one call per submission of the sample "
        f"class would take {per_student_total:.0f} s = {per_student_total / ours:.1f}x bpcourse grade (goal >= 4x)"
    )
    return {**figures, "nbgrader_per_call": per_call}


if __name__ == "__main__":
    main()
