"""Run every benchmark, or the ones named.

``python -m benchmarks [training] [notebooks] [grading] [sandbox] [checker] [kernel] [breakdown] [cluster] [browser]``
"""

import sys

from benchmarks import (
    bench_breakdown,
    bench_browser,
    bench_checker,
    bench_cluster,
    bench_grading,
    bench_kernel_start,
    bench_notebooks,
    bench_sandbox,
    bench_training,
)

BENCHMARKS = {
    "training": bench_training.main,
    "notebooks": bench_notebooks.main,
    "grading": bench_grading.main,
    "sandbox": bench_sandbox.main,
    "checker": bench_checker.main,
    "kernel": bench_kernel_start.main,
    "breakdown": bench_breakdown.main,
    "cluster": bench_cluster.main,
    "browser": bench_browser.main,
}

for name in sys.argv[1:] or list(BENCHMARKS):
    print(f"== {name}")
    BENCHMARKS[name]()
