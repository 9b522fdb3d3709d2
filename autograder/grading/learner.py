"""Run the learner's cells: one fresh kernel per notebook, sandboxed when grading, driven by nbclient.

``LearnerClient`` is nbclient's client with the grader's limits: it remembers which
cells it had to interrupt, stops a kernel that ignores the interrupt, caps each
cell's output, and freezes a sandbox's socket folder once the kernel is up; its
``ReadyClient`` starts running cells as soon as the kernel answers.
``kernel`` provides one fresh kernel (sandboxed with limits, or plain for a
learner's own check). ``execute`` runs a whole notebook in one kernel, tests
included, as nbgrader's Validate does: the course's own tests use it to run the
solutions; grading never does (autograder.grading.pipeline).
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from queue import Empty
from typing import Any

import nbformat
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from autograder import warm_start
from autograder.defaults import GRADE_TIMEOUT, ONE_BLAS_THREAD
from autograder.sandbox import Limits, SandboxedKernelManager

UNSANDBOXED_ENV = {**os.environ, **ONE_BLAS_THREAD}
"""A kernel outside the sandbox (a learner's own check) keeps the caller's environment, with one BLAS thread."""

INTERRUPT_IGNORED = "a cell ignored the interrupt"
PROTOCOL_BROKEN = "the kernel sent a message the grader could not accept"

OUTPUT_LIMIT = 1024**2
"""Bytes of output a cell may produce; the rest is dropped with a note (as nbgrader's LimitOutput does)."""

OUTPUT_CUT = "\n[output cut: this cell printed more than {limit} MiB; the rest was dropped]\n"

READY_POLL = 1.0
"""Seconds to wait for each kernel_info reply while a new kernel starts, as jupyter_client does."""


class ReadyClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel answers on shell and IOPub.

    jupyter_client's ``wait_for_ready`` ends by waiting for 0.2 s of silence on IOPub, to drop the
    start-up messages; nbclient already ignores every message that answers another request than
    the cell it runs, so those 0.2 s are only idle time in each graded notebook.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            with suppress(Empty):
                reply = await self.shell_channel.get_msg(timeout=READY_POLL)
                if reply["msg_type"] == "kernel_info_reply":
                    await self.iopub_channel.get_msg(timeout=READY_POLL)  # IOPub is connected too
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class LearnerClient(NotebookClient):
    """NotebookClient for the learner's kernel, with the grader's limits on time and output."""

    kernel_client: type[AsyncKernelClient] = ReadyClient
    """The kernel client class; benchmarks/bench_kernel_start.py compares it with jupyter_client's."""

    def __init__(self, nb: NotebookNode, **kwargs: Any) -> None:
        super().__init__(nb, interrupt_on_timeout=True, allow_errors=True, coalesce_streams=True, **kwargs)
        self.timed_out: set[int] = set()
        self.ignored_interrupt = False
        self.current = -1
        self.output_bytes = 0

    async def async_start_new_kernel_client(self):  # type: ignore[override]
        self.km.client_factory = self.kernel_client
        client = await super().async_start_new_kernel_client()
        if isinstance(self.km, SandboxedKernelManager):
            self.km.freeze()
        return client

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):  # type: ignore[override]
        self.current, self.output_bytes = cell_index, 0
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    async def _async_handle_timeout(self, timeout, cell=None):  # type: ignore[override]
        if self.current in self.timed_out:  # interrupted once already and still running
            self.ignored_interrupt = True
            await self.km.shutdown_kernel(now=True)
            raise DeadKernelError("the cell ignored the interrupt")
        self.timed_out.add(self.current)
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
        if self.output_bytes > OUTPUT_LIMIT:
            return None
        self.output_bytes += len(json.dumps(msg.get("content", {})))
        if self.output_bytes > OUTPUT_LIMIT:
            text = OUTPUT_CUT.format(limit=OUTPUT_LIMIT // 1024**2)
            note = nbformat.v4.new_output("stream", name="stdout", text=text)
            outs.append(note)
            return note
        return super().output(outs, _note_skipped_figure(msg), display_id, cell_index)

    def failure(self, error: Exception) -> str:
        """Why execution stopped at the current cell, in words."""
        if self.ignored_interrupt:
            return INTERRUPT_IGNORED
        if isinstance(error, DeadKernelError | RuntimeError):
            return str(error)
        return f"{PROTOCOL_BROKEN}: {error!r:.200}"


FIGURE_SKIPPED = "[figure not drawn while grading] "


def _note_skipped_figure(msg: dict[str, Any]) -> dict[str, Any]:
    """A figure displayed as its text only (autograder.grading.agent.skip_figures) says why."""
    data = msg.get("content", {}).get("data", {})
    text = data.get("text/plain", "")
    if set(data) == {"text/plain"} and isinstance(text, str) and text.startswith("<Figure"):
        msg = {**msg, "content": {**msg["content"], "data": {"text/plain": FIGURE_SKIPPED + text}}}
    return msg


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:  # runs in the kernel process before it starts
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@contextmanager
def kernel(limits: Limits | None) -> Iterator[dict[str, Any]]:
    """NotebookClient arguments for one fresh kernel: sandboxed with ``limits``, or plain (a learner's check).

    The "start" entry holds the arguments for starting the kernel process.
    """
    if limits is None:
        with tempfile.TemporaryDirectory(prefix="bpcourse-run-") as cwd:
            yield {
                "kernel_name": "python3",
                "resources": {"metadata": {"path": cwd}},
                "start": {
                    "stderr": subprocess.DEVNULL,
                    "preexec_fn": _limit_memory(Limits().memory),
                    "env": UNSANDBOXED_ENV,
                },
            }
        return
    with warm_start.sandboxed_kernel(limits) as km:
        # stdout, stderr: the kernel process's own log, not the learner's output
        yield {"km": km, "start": {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}}


def release(client: NotebookClient) -> None:
    """Close what nbclient leaves open when it was given the kernel manager: the client's channels and the
    manager's control socket and zmq context (a dozen file descriptors per notebook, for the life of a
    grading worker otherwise); and drop its atexit cleanup, left registered when the kernel failed to start."""
    atexit.unregister(client._cleanup_kernel)
    if client.kc is not None:
        client.kc.stop_channels()
    if client.km is not None:
        run_sync(client.km.cleanup_resources)()


def execute(
    nb: NotebookNode, timeout: int = GRADE_TIMEOUT, sandbox: Limits | None = None
) -> tuple[NotebookNode, set[int], int | None, str]:
    """Run every cell, tests included, in one fresh kernel (sandboxed with ``sandbox`` limits, unless None).

    Returns (executed notebook, indices of interrupted cells, index of the cell
    during which the kernel died or None, error text).
    """
    for attempt in (1, 2):
        with kernel(sandbox) as arguments:
            start = arguments.pop("start")
            client = LearnerClient(nb, timeout=timeout, **arguments)
            try:
                client.execute(**start)
            except Exception as error:
                if client.current < 0 and attempt == 1:
                    continue  # the kernel did not start (a loaded machine): no learner code ran, try once more
                if client.current < 0:
                    raise
                return nb, client.timed_out, client.current, client.failure(error)
            finally:
                release(client)
        break
    return nb, client.timed_out, None, ""
