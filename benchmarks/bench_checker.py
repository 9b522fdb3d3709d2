"""What the trusted checker costs, measured in the same run against its own floors.

* one proxied call: a learner's function called from the checker with a small array
  (arguments out, result and arguments back, decoded), inside a test cell's session,
  against one bare ``execute_request`` round trip to the same kernel (what each call
  cost before sessions, transport alone);
* a test cell that makes one call: the session opened, the call, the session closed;
* a callback: the learner's function calling a checker function once per call;
* each solved notebook graded (sandboxed), the slowest named: the time per notebook.
"""

from __future__ import annotations

import time

import numpy as np
from jupyter_client import KernelManager

from autograder import notebooks as nbs
from autograder.grading.boundary import Boundary
from autograder.grading.pipeline import grade_notebook
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.sandbox import Limits

CALLS = 300
LEARNER = "import numpy as np\ndef double(x):\n    return 2 * x\ndef twice(f, x):\n    return f(x) + f(x)\n"


def _per_call(action, calls: int = CALLS) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        action()
    return (time.perf_counter() - start) / calls


def calls() -> dict[str, float]:
    """Microseconds per bare round trip, proxied call and call with two callbacks."""
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    try:
        client = km.blocking_client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.execute_interactive(LEARNER, timeout=60)
        bare = _per_call(lambda: client.execute_interactive("", silent=True, store_history=False, timeout=60))
        boundary = Boundary(km, timeout=10**6)
        double, twice = (boundary.names(["double", "twice"])[n] for n in ("double", "twice"))
        x = np.arange(6.0).reshape(2, 3)
        proxied = _per_call(lambda: double(x))
        called_back = _per_call(lambda: twice(np.negative, x))
        boundary.end_cell()

        def one_call_cell() -> None:
            double(x)
            boundary.end_cell()

        cell = _per_call(one_call_cell)
        boundary.close()
        client.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
    return {
        "bare_us": bare * 1e6,
        "proxied_us": proxied * 1e6,
        "callbacks_us": called_back * 1e6,
        "one_call_cell_us": cell * 1e6,
    }


def notebooks() -> dict[str, float]:
    """Seconds to grade each solved notebook in the sandbox (one at a time)."""
    times = {}
    for name in assignments(SOLUTIONS):
        source = nbs.read(notebook_files(name, SOLUTIONS)[0])
        start = time.perf_counter()
        grade_notebook(source, source, sandbox=Limits())
        times[name] = time.perf_counter() - start
    return times


def main() -> dict[str, float]:
    figures = calls()
    print(f"one bare execute_request round trip: {figures['bare_us']:.0f} us")
    print(
        f"one proxied call (a (2, 3) array there and back): {figures['proxied_us']:.0f} us "
        f"({figures['proxied_us'] / figures['bare_us']:.2f}x the bare round trip)"
    )
    print(f"one call that calls back into the checker twice: {figures['callbacks_us']:.0f} us")
    print(f"a test cell that makes one call (session opened and closed): {figures['one_call_cell_us']:.0f} us")
    times = notebooks()
    for name, seconds in times.items():
        print(f"  {name}: {seconds:.2f} s graded")
    slowest = max(times, key=times.get)
    print(f"slowest notebook: {slowest}, {times[slowest]:.2f} s")
    return {**figures, "slowest_s": times[slowest]}
