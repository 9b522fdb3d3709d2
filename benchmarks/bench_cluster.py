"""The Dask path's overhead: the same class graded by local worker processes and by a local Dask cluster
with as many workers (one thread each), side by side in one run, in alternating order.

Both runs go through `bpcourse grade --force` (sandboxed), so they differ only in where the jobs run: the
goal is a Dask run at most 10% slower than the local one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from autograder import sample_class
from autograder.collect import collect
from autograder.workspace import Workspace
from benchmarks.bench_grading import bpcourse_grade, honest_class

GOAL = 1.10
ROUNDS = 2


def main() -> dict[str, float]:
    from distributed import LocalCluster

    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bpcourse-bench-cluster-") as tmp:
        students = honest_class()
        sample_class.write(students, Path(tmp) / "incoming")
        workspace = Workspace(Path(tmp) / "ws")
        collect(Path(tmp) / "incoming", workspace)
        count = len(workspace.submissions())
        times: dict[str, list[float]] = {"local": [], "dask": []}
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            local = ("--force", "--workers", str(workers))
            for _ in range(ROUNDS):
                times["local"].append(bpcourse_grade(workspace, *local))
                times["dask"].append(bpcourse_grade(workspace, "--force", "--scheduler", cluster.scheduler_address))
    local_s, dask_s = min(times["local"]), min(times["dask"])
    print(f"{len(students)} honest students, {count} notebooks, {workers} workers, best of {ROUNDS}")
    print(f"  local worker processes: {local_s:.1f} s ({local_s / count:.2f} s per notebook)  {times['local']}")
    print(f"  local Dask cluster:     {dask_s:.1f} s ({dask_s / count:.2f} s per notebook)  {times['dask']}")
    print(f"  Dask / local = {dask_s / local_s:.3f} (goal <= {GOAL})")
    return {"dask_over_local": dask_s / local_s}


if __name__ == "__main__":
    main()
