"""Grade one notebook: restore the course's cells, execute in a fresh kernel, score each test cell.

This is the one grading path: the test suite, ``bpcourse check``/``grade`` and
the demo all go through ``grade_notebook``. Scores follow nbgrader's rule
(``nbgrader.utils.determine_grade``: a test cell that raised or wrote to
stderr scores 0, otherwise full points), after our own checks that every test
cell really ran.
"""
from __future__ import annotations

import ast
import atexit
import copy
import json
import os
import re
import resource
import secrets
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from autograder import notebooks as nbs
from autograder.defaults import GRADE_TIMEOUT
from autograder.results import CellResult, CellStatus, NotebookResult, NotebookStatus, zero_cells
from autograder.sandbox import Limits, SandboxedKernelManager, socket_folder

DEFAULT_TIMEOUT = GRADE_TIMEOUT
"""Seconds a single cell may run before it is interrupted."""

UNSANDBOXED_ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""A kernel outside the sandbox (a learner's own check) keeps the caller's environment, with one BLAS thread."""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes from a traceback."""
    return _ANSI.sub("", text)


def merge_submission(submission: NotebookNode, source: NotebookNode) -> NotebookNode:
    """The notebook to execute: the source's cells in the source's order, with the learner's answers.

    Solution cells take the learner's source (a deleted one becomes a stub that
    raises); every other course cell (matched by grade_id or cell id) is taken
    from the source, so edited or deleted test cells come back with their
    hidden tests. Cells the learner added stay where they were, after the
    course cell they followed.
    """
    by_grade_id = {nbs.grade_id(c): c for c in submission.cells if nbs.grade_id(c)}
    source_ids = {c.get("id") for c in source.cells}
    source_grade_ids = {nbs.grade_id(c) for c in source.cells if nbs.grade_id(c)}
    extras: dict[str | None, list[NotebookNode]] = {}
    anchor: str | None = None
    for cell in submission.cells:
        gid = nbs.grade_id(cell)
        if gid in source_grade_ids or (not gid and cell.get("id") in source_ids):
            anchor = gid or cell.get("id")
        elif cell.cell_type == "code" and not gid:
            extras.setdefault(anchor, []).append(cell)
    merged = copy.deepcopy(source)
    merged.cells = list(extras.get(None, []))
    for cell in copy.deepcopy(source.cells):
        gid = nbs.grade_id(cell)
        if nbs.is_solution_cell(cell):
            answer = by_grade_id.get(gid)
            cell.source = (
                answer.source
                if answer is not None
                else f"raise NotImplementedError('the answer cell {gid!r} was deleted from the notebook')"
            )
        merged.cells.append(cell)
        merged.cells.extend(extras.get(gid or cell.get("id"), []))
    for cell in merged.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return merged


INJECTED = "bpcourse-injected"


def _answer_names(source: NotebookNode) -> list[str]:
    """Names the learner's answer cells define at top level: the guard must never touch them."""
    names: set[str] = set()
    for cell in source.cells:
        if not nbs.is_solution_cell(cell) or cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return sorted(names)


def _injected(source: str) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata[INJECTED] = True
    return cell


def instrument(nb: NotebookNode, source: NotebookNode) -> tuple[NotebookNode, str]:
    """Add the guard (autograder.guard) under a random name; returns the notebook and the run's token."""
    token = secrets.token_hex(8)
    guard = f"_bpcourse_{token}"
    exercises = _answer_names(source)
    out = copy.deepcopy(nb)
    cells = [_injected(f"import autograder.guard as {guard}\n{guard}.snapshot()")]
    for cell in out.cells:
        if nbs.is_test_cell(cell):
            gid = nbs.grade_id(cell)
            cell.source = f"{guard}.restore(globals())\n{cell.source}\n{guard}.completed({gid!r}, {token!r})"
        elif cell.cell_type == "code" and nbs.is_locked(cell):
            cell.source = f"{guard}.before(globals())\n{cell.source}\n{guard}.remember(globals(), {exercises!r})"
        cells.append(cell)
    out.cells = cells
    return out, token


def _is_marker(line: str, token: str) -> bool:
    from autograder.guard import marker

    return line.startswith(marker("", token))


def completed(cell: NotebookNode, token: str) -> bool:
    """True if the test cell printed this run's completion marker."""
    from autograder.guard import marker

    wanted = marker(nbs.grade_id(cell), token)
    return any(
        wanted in output.get("text", "").splitlines()
        for output in cell.get("outputs", [])
        if output.output_type == "stream"
    )


def uninstrument(executed: NotebookNode, original: NotebookNode, token: str) -> NotebookNode:
    """The executed notebook as the learner wrote it: injected cells, lines and markers gone."""
    out = copy.deepcopy(executed)
    out.cells = [cell for cell in out.cells if not cell.metadata.get(INJECTED)]
    for cell, before in zip(out.cells, original.cells, strict=False):
        cell.source = before.source
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                output.text = "".join(
                    line for line in output.text.splitlines(keepends=True) if not _is_marker(line, token)
                )
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type != "stream" or o.text]
    return out


def _hidden_line(source: str) -> int | None:
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip().startswith(nbs.HIDDEN_BEGIN):
            return number
    return None


_WARNING = re.compile(r"(\w+(?:Warning|Error)): (.*)")


def _stderr_summary(text: str) -> str:
    """The warning's category and message, never the source line Python prints under it (a hidden test's)."""
    found = _WARNING.search(text)
    return f"{found.group(1)}: {found.group(2)}"[:300] if found else "output on stderr"


def _failure(cell: NotebookNode) -> tuple[str, bool]:
    """The message of a failed test cell and whether a hidden test failed."""
    for output in cell.outputs:
        if output.output_type == "error":
            message = f"{output.ename}: {strip_ansi(output.evalue)}".strip()
            lines = [int(n) for n in _CELL_LINE.findall(strip_ansi("\n".join(output.traceback)))]
            boundary = _hidden_line(cell.source)
            hidden = bool(lines and boundary and lines[0] > boundary)
            return message, hidden
        if output.output_type == "stream" and output.name == "stderr":
            return f"the test cell wrote to stderr, which counts as a failure: {_stderr_summary(output.text)}", False
    return "failed", False


def score_cells(
    executed: NotebookNode,
    timed_out: set[int],
    stopped_at: int | None,
    timeout: int = DEFAULT_TIMEOUT,
    token: str | None = None,
) -> list[CellResult]:
    """One CellResult per test cell of an executed notebook.

    Policy: a cell interrupted for running longer than ``timeout`` seconds makes
    the next test cell score 0 as "timed out", even if the function it defined
    before hanging is correct: grading must finish, and hanging code is a bug.
    With a guard ``token``, a test cell only passes if it printed the token's
    completion marker, i.e. really ran to its last line.
    """
    from nbgrader.utils import determine_grade  # slow import, once per process

    results = []
    hung: int | None = None
    position = 0  # cell number as the learner sees it (injected cells not counted)
    for index, cell in enumerate(executed.cells):
        if not cell.metadata.get(INJECTED):
            position += 1
        if index in timed_out and hung is None:
            hung = position
        if not nbs.is_test_cell(cell):
            continue
        gid = nbs.grade_id(cell)
        max_points = nbs.points(cell)
        if hung is not None:
            where = "this test cell" if hung == position else f"cell {hung} (before this test)"
            results.append(
                CellResult(gid, 0.0, max_points, CellStatus.TIMED_OUT,
                           f"{where} ran longer than {timeout} s and was interrupted; remove the code that never ends")
            )
            hung = None
        elif stopped_at is not None and index > stopped_at:
            results.append(CellResult(gid, 0.0, max_points, CellStatus.NOT_RUN, "the kernel died before this test ran"))
        elif cell.get("execution_count") is None:
            results.append(CellResult(gid, 0.0, max_points, CellStatus.NOT_RUN, "this test cell did not run"))
        else:
            points, _ = determine_grade(cell)
            if points is not None and points >= max_points and token and not completed(cell, token):
                results.append(CellResult(gid, 0.0, max_points, CellStatus.FAILED,
                                          "this test cell did not run to its end (an error was hidden?)"))
            elif points is not None and points >= max_points:
                results.append(CellResult(gid, float(points), max_points, CellStatus.PASSED))
            else:
                message, hidden = _failure(cell)
                results.append(CellResult(gid, float(points or 0.0), max_points, CellStatus.FAILED, message, hidden))
    return results


INTERRUPT_IGNORED = "a cell ignored the interrupt"
PROTOCOL_BROKEN = "the kernel sent a message the grader could not accept"

OUTPUT_LIMIT = 1024**2
"""Bytes of output a cell may produce; the rest is dropped with a note (as nbgrader's LimitOutput does)."""

OUTPUT_CUT = "\n[output cut: this cell printed more than {limit} MiB; the rest was dropped]\n"


class _Client(NotebookClient):
    """NotebookClient that remembers which cells it had to interrupt, stops a kernel that ignores the
    interrupt, caps each cell's output, and freezes a sandbox's socket folder once the kernel is up."""

    def __init__(self, nb: NotebookNode, **kwargs: object) -> None:
        super().__init__(nb, **kwargs)
        self.timed_out: set[int] = set()
        self.ignored_interrupt = False
        self.current = -1
        self.output_bytes = 0

    async def async_start_new_kernel_client(self):  # type: ignore[override]
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
            note = nbformat.v4.new_output("stream", name="stdout", text=OUTPUT_CUT.format(limit=OUTPUT_LIMIT // 1024**2))
            outs.append(note)
            return note
        return super().output(outs, msg, display_id, cell_index)


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:  # runs in the kernel process before it starts
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _kernel_failure(client: _Client, error: Exception) -> str:
    """Why execution stopped at the current cell, in words."""
    if client.ignored_interrupt:
        return INTERRUPT_IGNORED
    if isinstance(error, DeadKernelError | RuntimeError):
        return str(error)
    return f"{PROTOCOL_BROKEN}: {error!r:.200}"


@contextmanager
def _kernel(limits: Limits | None) -> Iterator[dict[str, object]]:
    """NotebookClient arguments for one fresh kernel: sandboxed with ``limits``, or plain (a learner's check)."""
    if limits is None:
        with tempfile.TemporaryDirectory(prefix="bpcourse-run-") as cwd:
            yield {"kernel_name": "python3", "resources": {"metadata": {"path": cwd}},
                   "start": {"stderr": subprocess.DEVNULL, "preexec_fn": _limit_memory(Limits().memory), "env": UNSANDBOXED_ENV}}
        return
    with socket_folder() as folder:
        km = SandboxedKernelManager(folder, limits)
        try:
            yield {"km": km, "start": {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}}
        finally:
            km.destroy()


def execute(
    nb: NotebookNode, timeout: int = DEFAULT_TIMEOUT, sandbox: Limits | None = None
) -> tuple[NotebookNode, set[int], int | None, str]:
    """Run every cell in a fresh kernel (inside a sandbox with ``sandbox`` limits, unless None).

    Returns (executed notebook, indices of interrupted cells, index of the cell
    during which the kernel died or None, error text).
    """
    for attempt in (1, 2):
        with _kernel(sandbox) as kernel:
            start = kernel.pop("start")
            client = _Client(nb, timeout=timeout, interrupt_on_timeout=True, allow_errors=True, coalesce_streams=True,
                             **kernel)
            try:
                # stderr: the kernel process's own log, not the learner's output
                client.execute(**start)
            except Exception as error:  # noqa: BLE001 - whatever the kernel did, its notebook is scored
                if client.current < 0 and attempt == 1:
                    continue  # the kernel did not start (a loaded machine): no learner code ran, try once more
                if client.current < 0:
                    raise
                return nb, client.timed_out, client.current, _kernel_failure(client, error)
            finally:
                # nbclient leaves its atexit cleanup registered when the kernel failed to start
                atexit.unregister(client._cleanup_kernel)
        break
    return nb, client.timed_out, None, ""


def grade_notebook(
    submission: Path | NotebookNode,
    source: NotebookNode,
    timeout: int = DEFAULT_TIMEOUT,
    name: str | None = None,
    sandbox: Limits | None = None,
) -> NotebookResult:
    """Grade a submitted notebook (path or node) against its source notebook. Never raises for bad input.

    With ``sandbox`` limits the kernel runs in the grading sandbox (autograder.sandbox); without, as
    a plain local kernel (a learner checking their own work). A kernel that dies is given one more try.
    """
    start = time.perf_counter()
    label = name or (submission.name if isinstance(submission, Path) else "notebook")
    try:
        nb = nbs.read(submission) if isinstance(submission, Path) else submission
        if not isinstance(nb.get("cells"), list):
            raise ValueError("the notebook has no list of cells")
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not raised
        cells = zero_cells(source, CellStatus.NOT_RUN, "the notebook could not be read")
        return NotebookResult(label, cells, NotebookStatus.INVALID, f"not a readable notebook: {error}", time.perf_counter() - start)
    merged = merge_submission(nb, source)
    result = _run_merged(merged, source, timeout, sandbox)
    if result.status is NotebookStatus.KERNEL_DIED and not result.error.startswith(INTERRUPT_IGNORED):
        # once more in a fresh kernel: the machine, not the code, may be at fault
        result = _run_merged(merged, source, timeout, sandbox)
        if result.status is NotebookStatus.KERNEL_DIED:
            result.error += " (it stopped the same way when graded a second time, in a fresh kernel)"
    result.notebook, result.duration = label, time.perf_counter() - start
    return result


def _death_reason(position: int, error: str, timeout: int) -> str:
    if error == INTERRUPT_IGNORED:
        return (f"{INTERRUPT_IGNORED}: cell {position} ran longer than {timeout} s and went on after it was "
                "interrupted, so its kernel was stopped; the cells after it did not run")
    if error.startswith(PROTOCOL_BROKEN):
        return f"while cell {position} ran, {error}; grading stopped there and the cells after it did not run"
    return (f"the kernel stopped while running cell {position} ({error}): the code in it ended the "
            "Python process (os._exit, a crash, or running out of memory); the cells after it did not run")


def _run_merged(merged: NotebookNode, source: NotebookNode, timeout: int, sandbox: Limits | None) -> NotebookResult:
    """Execute the merged notebook once in a fresh kernel and score it."""
    instrumented, token = instrument(merged, source)
    executed, timed_out, stopped_at, error = execute(instrumented, timeout, sandbox)
    status = NotebookStatus.KERNEL_DIED if stopped_at is not None else NotebookStatus.GRADED
    if stopped_at is not None:
        position = sum(not c.metadata.get(INJECTED) for c in executed.cells[: stopped_at + 1])
        error = _death_reason(position, error, timeout)
    cells = score_cells(executed, timed_out, stopped_at, timeout, token)
    graded = uninstrument(executed, merged, token)
    return NotebookResult("", cells, status, error, 0.0, graded, sandboxed=sandbox is not None)
