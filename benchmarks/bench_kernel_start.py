"""What a fresh grading kernel costs until it runs its first cell, with autograder.grading.learner.ReadyClient
against jupyter_client's own client (which ends by waiting for 0.2 s of silence on IOPub).

Warm sandboxed kernels (forked from one zygote, as grading workers start them), one at a time,
alternating the two clients to share the noise; each round starts a kernel and runs one cell.
"""

from __future__ import annotations

import statistics
import time

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync

from autograder import warm_start
from autograder.grading.learner import LearnerClient, ReadyClient, kernel, release
from autograder.sandbox import Limits

ROUNDS = 10


def first_cell_seconds(client_factory: type[AsyncKernelClient]) -> float:
    """Seconds from asking for a kernel to the end of its first cell."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    start = time.perf_counter()
    with kernel(Limits()) as arguments:
        launch = arguments.pop("start")
        client = LearnerClient(nb, timeout=30, **arguments)
        client.kernel_client = client_factory
        run_sync(client.async_execute)(**launch)
        release(client)
    return time.perf_counter() - start


def main() -> None:
    warm_start.enable()
    first_cell_seconds(ReadyClient)  # the zygote starts here, not inside a measured round
    ready, stock = [], []
    for _ in range(ROUNDS):
        ready.append(first_cell_seconds(ReadyClient))
        stock.append(first_cell_seconds(AsyncKernelClient))
    r, s = statistics.median(ready), statistics.median(stock)
    print(
        f"kernel start to first cell: ReadyClient {r * 1000:.0f} ms, "
        f"jupyter_client's client {s * 1000:.0f} ms: {r / s:.2f}x"
    )
