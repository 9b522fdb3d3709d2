"""``bpcourse grade`` on the sample class against two baselines measured in the same run.

* the sequential limit: plain nbclient execution of the same submitted notebooks, one after another;
* ``nbgrader autograde`` called once per student and assignment (on a few students, per call).
The goal: grading at or below the sequential limit, and at least 4x faster than one call per student.
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


def sequential_limit(workspace: Workspace) -> float:
    """Seconds to execute every submitted notebook with plain nbclient, one after another."""
    start = time.perf_counter()
    for _, _, path in workspace.submissions():
        try:
            nb = nbs.read(path)
        except Exception:  # noqa: BLE001 - the corrupt one cannot be executed at all
            continue
        client = NotebookClient(nb, timeout=TIMEOUT, allow_errors=True, interrupt_on_timeout=True,
                                kernel_name="python3", resources={"metadata": {"path": tempfile.gettempdir()}})
        with contextlib.suppress(DeadKernelError):
            client.execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bpcourse_grade(workspace: Workspace) -> float:
    """Wall time of the `bpcourse grade` command, start-up included."""
    start = time.perf_counter()
    subprocess.run([Path(sys.executable).parent / "bpcourse", "grade", "--workspace", str(workspace.root),
                    "--timeout", str(TIMEOUT)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def nbgrader_per_call(workspace: Workspace) -> tuple[float, int]:
    """Mean seconds of one `nbgrader autograde ASSIGNMENT --student S` call, over a few students."""
    env = {**os.environ, "BPCOURSE_WORKSPACE": str(workspace.root),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    from autograder.gradebook import ensure_assignments

    ensure_assignments(workspace.db_url, workspace.root, assignments(SOLUTIONS))
    calls, start = 0, time.perf_counter()
    for student in workspace.students()[:NBGRADER_STUDENTS]:
        for name in assignments(SOLUTIONS):
            subprocess.run([Path(sys.executable).parent / "nbgrader", "autograde", name, f"--student={student}",
                            "--force", f"--ExecutePreprocessor.timeout={TIMEOUT}"], cwd=NBGRADER_CONFIG.parent,
                           env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            calls += 1
    return (time.perf_counter() - start) / calls, calls


def main() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bpcourse-bench-") as tmp:
        students = sample_class.build(attacks=False)  # plain execution below must not run attacks
        sample_class.write(students, Path(tmp) / "incoming")
        workspace = Workspace(Path(tmp) / "ws")
        collect(Path(tmp) / "incoming", workspace)
        submissions = len(workspace.submissions())
        limit = sequential_limit(workspace)
        ours = bpcourse_grade(workspace)
        per_call, calls = nbgrader_per_call(Workspace(Path(tmp) / "ws"))
    per_student_total = per_call * submissions
    print(f"{len(students)} students, {submissions} submitted notebooks, {os.cpu_count()} cores")
    print(f"sequential nbclient limit: {limit:.1f} s")
    print(f"bpcourse grade:            {ours:.1f} s = {ours / limit:.2f}x the sequential limit (goal <= 1.0)")
    print(f"nbgrader autograde:        {per_call:.1f} s per call (mean of {calls}); one call per submission "
          f"would take {per_student_total:.0f} s = {per_student_total / ours:.1f}x bpcourse grade (goal >= 4x)")
    return {"limit": limit, "ours": ours, "nbgrader_per_call": per_call}


if __name__ == "__main__":
    main()
