"""Worker processes that outlive whatever a job does to them.

Each worker runs one job at a time and talks to the main process over a pipe,
so when a worker dies (killed, out of memory) the main process knows which job
it was running: the worker is replaced and the job tried once more on a fresh
one; a job that loses its worker twice comes back as ``WorkerLost`` with the
reason, and the other jobs go on. (``concurrent.futures.ProcessPoolExecutor``
instead breaks as a whole and fails every pending job.)

Workers are forked from a clean fork server that has imported the grading code
once, not from the caller, which may hold threads and sockets: forking those
can deadlock.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, Protocol, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

ATTEMPTS = 2
"""How many workers a job may lose before it is given up."""

PRELOAD = ["autograder.grading.pipeline", "nbgrader.utils", "matplotlib.pyplot", "bpkit.plots", "bpkit.widgets"]
"""Imported once by the fork server, so no worker pays for them per notebook (the checker runs the setup cells)."""


@dataclass(frozen=True)
class WorkerLost:
    """A job whose worker process died every time it ran it."""

    attempts: int
    exitcode: int | None
    """Negative: the signal that killed it; None: not known (a remote worker)."""

    @property
    def reason(self) -> str:
        if self.exitcode is None:
            how = ""
        elif self.exitcode > 0:
            how = f" (exit code {self.exitcode})"
        else:
            how = f" (signal {-self.exitcode})"
        return f"the grading process was killed{how} while it ran this notebook, {self.attempts} times"


def _serve(function: Callable[[object], object], connection: Connection) -> None:
    """A worker's life: receive a job, send its result, until told to stop (None)."""
    while (job := connection.recv()) is not None:
        connection.send(function(job))


@dataclass
class _Worker(Generic[Job]):
    process: multiprocessing.process.BaseProcess
    connection: Connection
    job: tuple[int, Job] | None = None


class WorkerPool(Generic[Job, Result]):
    """Run ``function`` over jobs in ``workers`` processes; yields (job, result or WorkerLost) as they finish."""

    def __init__(self, function: Callable[[Job], Result], workers: int) -> None:
        self.function, self.size = function, max(1, workers)
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(PRELOAD)

    def _start(self) -> _Worker[Job]:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(self.function, theirs), daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def map(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Result | WorkerLost]]:
        todo: deque[tuple[int, Job]] = deque(enumerate(jobs))
        attempts = [0] * len(todo)
        workers = [self._start() for _ in range(min(self.size, len(todo)))]
        try:
            while todo or any(w.job is not None for w in workers):
                for position, worker in enumerate(workers):
                    if worker.job is None and todo:
                        if not worker.process.is_alive():  # died between jobs
                            worker = workers[position] = self._replace(worker)
                        worker.job = todo.popleft()
                        attempts[worker.job[0]] += 1
                        worker.connection.send(worker.job[1])
                busy = {w.connection: w for w in workers if w.job is not None}
                busy.update({w.process.sentinel: w for w in workers if w.job is not None})
                for ready in wait(list(busy)):
                    worker = busy[ready]
                    if worker.job is None:
                        continue  # its pipe and its sentinel were both ready: handled once
                    (index, job), worker.job = worker.job, None
                    try:
                        result = worker.connection.recv()
                    except (EOFError, OSError):  # the worker died mid-job
                        worker.process.join()
                        exitcode = worker.process.exitcode
                        workers[workers.index(worker)] = self._replace(worker)
                        if attempts[index] < ATTEMPTS:
                            todo.appendleft((index, job))
                        else:
                            yield job, WorkerLost(attempts[index], exitcode)
                        continue
                    yield job, result
        finally:
            for worker in workers:
                self._stop(worker)

    def _replace(self, worker: _Worker[Job]) -> _Worker[Job]:
        """A fresh worker in place of a dead one."""
        worker.process.join()
        worker.connection.close()
        return self._start()

    def ordered(self, jobs: list[Job]) -> list[Result | WorkerLost]:
        """Every job's outcome, in the order of ``jobs``."""
        outcomes = {id(job): outcome for job, outcome in self.map(jobs)}
        return [outcomes[id(job)] for job in jobs]

    @staticmethod
    def _stop(worker: _Worker[Job]) -> None:
        with contextlib.suppress(OSError):
            worker.connection.send(None)
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()


class Runner(Protocol):
    """Where a class's jobs run: ``map`` yields (job, outcome) as they finish; used as a context manager."""

    def __enter__(self) -> Runner: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def map(self, function: Callable[[Job], Result], jobs: list[Job]) -> Iterator[tuple[Job, Result | WorkerLost]]: ...


class LocalRunner:
    """Jobs on this machine, in a WorkerPool of at most ``workers`` processes."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def __enter__(self) -> LocalRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def map(self, function: Callable[[Job], Result], jobs: list[Job]) -> Iterator[tuple[Job, Result | WorkerLost]]:
        return WorkerPool(function, min(self.workers, len(jobs) or 1)).map(jobs)
