"""Grading on a Dask cluster: the workers of ``dask worker`` processes, on as many machines as there are.

``DaskRunner`` is a ``Runner`` (see ``autograder.pool``) whose jobs go to the
scheduler at an address. Before any job is sent, every worker is asked who it
is: a worker with more than one thread, without a working sandbox or with a
different grader (``autograder.version``) is refused with a message naming it
and what differs. Dask reschedules the jobs of a worker that dies; a job that
was running on ``ATTEMPTS`` workers that died is given up (the scheduler's
allowed-failures limit is set for that, and each worker thread is sent one
notebook at a time, so only the notebook that was running falls under
suspicion), comes back as ``WorkerLost`` and scores 0 with the reason, like a
lost local worker. Workers return results;
only the main process writes them.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from autograder.errors import CourseError
from autograder.pool import ATTEMPTS, WorkerLost
from autograder.version import GraderVersion, differences, this_grader

if TYPE_CHECKING:
    from distributed import Client, Future
    from distributed.scheduler import Scheduler

Job = TypeVar("Job")
Result = TypeVar("Result")

CONNECT_TIMEOUT = 10.0
"""Seconds to reach the scheduler, and to wait for its first worker, before giving up with an error."""


@dataclass(frozen=True)
class WorkerFacts:
    """What a worker says about itself before it is given work."""

    grader: GraderVersion
    sandbox_problem: str | None


def worker_facts(sandbox: bool) -> WorkerFacts:
    """Run on each worker: its grader's fingerprint, and why it cannot sandbox (None: it can)."""
    from autograder.sandbox import SandboxUnavailable, ensure_available

    problem = None
    if sandbox:
        try:
            ensure_available()
        except SandboxUnavailable as error:
            problem = str(error)
    return WorkerFacts(this_grader(), problem)


def refusals(facts: dict[str, WorkerFacts], threads: dict[str, int]) -> list[str]:
    """Why each unfit worker is refused, one line per problem, naming the worker."""
    lines = []
    for address, fact in sorted(facts.items()):
        lines += [f"{address}: {why}" for why in differences(fact.grader, this_grader())]
        if fact.sandbox_problem:
            lines.append(f"{address}: no grading sandbox there: {fact.sandbox_problem}")
        if threads.get(address, 1) != 1:
            lines.append(
                f"{address}: has {threads[address]} threads; start workers with `--nthreads 1` "
                "(and `--nworkers N` for N notebooks at a time)"
            )
    return lines


def _one_at_a_time(failures: int, dask_scheduler: Scheduler) -> None:
    """Run on the scheduler (Dask passes it): send a worker thread one queued notebook at a time (Dask
    would send a second ahead, and a worker that dies makes every notebook it holds suspect), and give a
    notebook up once ``failures`` + 1 workers died running it."""
    dask_scheduler.WORKER_SATURATION = 1.0
    dask_scheduler.allowed_failures = failures


def connect(address: str, timeout: float | None = None) -> Client:
    """A client of the scheduler at ``address`` that has at least one worker; a CourseError otherwise.
    ``timeout`` (default CONNECT_TIMEOUT) bounds each of the two waits."""
    from distributed import Client

    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise CourseError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({error}); "
            "is `dask scheduler` running there, and is its port open to this machine?"
        ) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise CourseError(
            f"the Dask scheduler at {address} has no workers after {timeout:g} s; "
            f"start one on each grading machine: `dask worker {address} --nthreads 1`"
        ) from None
    return client


class DaskRunner:
    """Jobs on the workers of the Dask scheduler at ``address``, each checked first."""

    def __init__(self, address: str, sandbox: bool = True, timeout: float | None = None) -> None:
        self.address, self.sandbox, self.timeout = address, sandbox, timeout
        self.client: Client | None = None

    def __enter__(self) -> DaskRunner:
        self.client = connect(self.address, self.timeout)
        try:
            facts = self.client.run(worker_facts, self.sandbox)
            refused = refusals(facts, self.client.nthreads())
            if refused:
                raise CourseError(
                    f"{len(refused)} problem(s) with the workers of {self.address}; "
                    "install the same commit of the course on every worker:\n  " + "\n  ".join(refused)
                )
            self.client.run_on_scheduler(_one_at_a_time, ATTEMPTS - 1)
        except BaseException:
            self.client.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.client.close()

    def _queued(self, function: Callable[[Job], Result], job: Job) -> Future:
        """Submit one job for the scheduler to hold until a worker thread is free. Dask holds back only
        tasks it counts as root-ish: a task marked as a data producer, or one of more than twice as many
        tasks as the cluster has threads (dask/distributed#7273), so a plain ``submit`` of a small class
        would send each worker several notebooks at once."""
        from dask.task_spec import Task
        from dask.utils import funcname

        key = f"{funcname(function)}-{uuid.uuid4()}"
        return self.client.get({key: Task(key, function, job, _data_producer=True)}, key, sync=False)

    def map(self, function: Callable[[Job], Result], jobs: list[Job]) -> Iterator[tuple[Job, Result | WorkerLost]]:
        """Submit every job, then yield (job, outcome) as they finish; unfinished jobs are cancelled on exit."""
        from distributed import as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        futures = {self._queued(function, job): job for job in jobs}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                job = futures.pop(future)
                try:
                    outcome = future.result()
                except KilledWorker:
                    outcome = WorkerLost(ATTEMPTS, None)
                except FutureCancelledError as cancelled:
                    raise CourseError(
                        f"grading stopped: Dask cancelled the jobs on {self.address} ({cancelled.reason}); "
                        "what was graded is kept, and the same command grades the rest once the scheduler is back"
                    ) from None
                except Exception as error:
                    raise CourseError(f"a worker of {self.address} failed: {error}") from error
                future.release()
                yield job, outcome
        finally:
            with contextlib.suppress(Exception):
                self.client.cancel(list(futures))
