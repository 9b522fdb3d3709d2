"""``bpcourse grade``: autograde every collected submission in parallel, here or on a Dask cluster.

Each submission is executed in its own fresh kernel by a grading worker: a pool
of local processes (default: one per core), or the workers of a Dask cluster
(``scheduler``). A worker gets a ``Payload`` that holds everything it needs (the
submission's and the instructor notebook's bytes, the settings, the grader's
fingerprint) and returns the result and the autograded notebook; the main
process alone writes results, autograded notebooks and the gradebook. A result
is stored under a key made of the submission's bytes, the instructor notebook's
bytes and the grading settings: re-running grades only what changed (unless
``force``), and a run killed at any point resumes where it stopped.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import nbformat
from nbformat import NotebookNode
from threadpoolctl import threadpool_limits

from autograder import notebooks as nbs
from autograder import warm_start
from autograder.defaults import GRADE_TIMEOUT
from autograder.grading.pipeline import grade_notebook
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.pool import LocalRunner, Runner, WorkerLost
from autograder.results import CellStatus, NotebookResult, NotebookStatus, zero_cells
from autograder.sandbox import Limits, ensure_available
from autograder.version import GRADER_VERSION, GraderVersion, differences, this_grader
from autograder.workspace import StoredResult, Workspace, atomic_write


@dataclass(frozen=True)
class Job:
    student: str
    assignment: str
    notebook: str
    submission: Path | None  # None: nothing handed in
    source: Path


@dataclass
class GradeSummary:
    graded: int = 0
    skipped: int = 0
    missing: int = 0
    seconds: float = 0.0
    sandboxed: bool = True
    results: list[StoredResult] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    """How a class is graded: per-cell timeout and the sandbox's limits (None: no sandbox)."""

    timeout: int = GRADE_TIMEOUT
    sandbox: Limits | None = Limits()


def job_key(submission: bytes | None, source: bytes, settings: Settings) -> str:
    """What a result depends on: submission bytes (None: not handed in), instructor notebook bytes,
    grader version, settings."""
    digest = hashlib.sha256()
    digest.update(submission if submission is not None else b"<missing>")
    digest.update(source)
    digest.update(f"{GRADER_VERSION}:{settings}".encode())
    return digest.hexdigest()


def plan(workspace: Workspace, names: list[str], source_dir: Path = SOLUTIONS) -> list[Job]:
    """One job per student, assignment and notebook; a notebook not handed in is a job too."""
    jobs = []
    for student in workspace.students():
        for name in names:
            for source in notebook_files(name, source_dir):
                path = workspace.submission(student, name, source.name)
                jobs.append(Job(student, name, source.name, path if path.is_file() else None, source))
    return jobs


def zero_result(
    notebook: str, source: NotebookNode, status: NotebookStatus, error: str, message: str, sandboxed: bool
) -> NotebookResult:
    """A zero for every test cell of the instructor notebook ``source``, with the reason."""
    cells = zero_cells(source, CellStatus.NOT_RUN, message)
    return NotebookResult(notebook, cells, status, error, sandboxed=sandboxed)


def missing_result(job: Job, source: bytes, sandboxed: bool) -> NotebookResult:
    """A zero for every test cell of a notebook nobody handed in (``source``: the instructor notebook's bytes)."""
    why, message = f"{job.notebook} was not handed in", "no notebook was handed in"
    return zero_result(job.notebook, nbs.reads(source), NotebookStatus.MISSING, why, message, sandboxed)


@dataclass(frozen=True)
class Payload:
    """Everything a worker on any machine needs to grade one notebook; no path of this machine."""

    notebook: str
    submission: bytes
    source: bytes
    settings: Settings
    grader: GraderVersion


@dataclass(frozen=True)
class Graded:
    """A worker's answer: the result, and the autograded notebook to store (None if there is none)."""

    result: NotebookResult
    autograded: bytes | None


class WrongGrader(Exception):
    """A worker was handed a job made by a different grader; the message says what differs."""


@dataclass(frozen=True)
class Task:
    """One notebook to grade: what the main process keeps (job, key, where to store) and the payload it sends."""

    job: Job
    key: str
    autograded: Path
    payload: Payload


@functools.cache
def one_blas_thread() -> None:
    """This grading worker's BLAS (numpy's matrix products in the checker's reference computations) runs in one
    thread: a class is graded by one worker per core already, and OpenBLAS's own threads would only spin beside
    them, doubling the CPU those computations take. (Kernels get one thread from their environment.)"""
    threadpool_limits(limits=1, user_api="blas")


def run_payload(payload: Payload) -> Graded:
    """Worker: grade one submission. A failure of the grader itself (not of the submission) becomes a
    zero with the reason, so the rest of the class is still graded; a job from another grader is refused."""
    wrong = differences(this_grader(), payload.grader)
    if wrong:
        raise WrongGrader("this worker refuses the job: " + "; ".join(wrong))
    source = nbs.reads(payload.source)
    one_blas_thread()
    warm_start.enable()  # a grading worker keeps one warm sandbox and forks each notebook's kernel from it
    try:
        result = grade_notebook(
            payload.submission,
            source,
            timeout=payload.settings.timeout,
            name=payload.notebook,
            sandbox=payload.settings.sandbox,
        )
    except Exception as error:  # noqa: BLE001 - reported in the result, never raised
        failed = zero_result(
            payload.notebook,
            source,
            NotebookStatus.GRADER_ERROR,
            f"the grader could not run this notebook: {error!r}",
            "not graded: the grader could not run this notebook",
            payload.settings.sandbox is not None,
        )
        return Graded(failed, None)
    graded, result.graded = result.graded, None
    return Graded(result, nbformat.writes(graded).encode() if graded is not None else None)


def lost_result(task: Task, lost: WorkerLost) -> Graded:
    """A zero for a notebook whose grading process died every time."""
    payload = task.payload
    result = zero_result(
        payload.notebook,
        nbs.reads(payload.source),
        NotebookStatus.KERNEL_DIED,
        lost.reason,
        f"not graded: {lost.reason}",
        payload.settings.sandbox is not None,
    )
    return Graded(result, None)


class Progress:
    """One status line on stderr: a bar, counts and an ETA."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.stream = total, stream or sys.stderr
        self.done = 0
        self.start = time.perf_counter()
        self.live = self.stream.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        line = (
            f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} graded"
            f"  {elapsed:5.1f}s elapsed, ETA {eta:4.0f}s  {label}"
        )
        if self.live:
            self.stream.write("\r" + line[:120].ljust(120))
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def grade(
    workspace: Workspace,
    names: list[str] | None = None,
    workers: int | None = None,
    force: bool = False,
    timeout: int = GRADE_TIMEOUT,
    db_url: str | None = None,
    progress: bool = True,
    sandbox: bool = True,
    source_dir: Path = SOLUTIONS,
    scheduler: str | None = None,
) -> GradeSummary:
    """Grade what changed since the last run (everything with ``force``) and update the gradebook.

    With ``sandbox`` (the default) every kernel runs in the grading sandbox, and grading stops with
    SandboxUnavailable, saying why, where none can be made; ``sandbox=False`` is the explicit way out.
    With ``scheduler`` (a Dask scheduler's address) the notebooks are graded by that cluster's workers,
    each checked first (same grader, a working sandbox); otherwise by ``workers`` local processes.
    """
    from autograder import gradebook

    start = time.perf_counter()
    settings = Settings(timeout, Limits() if sandbox else None)
    names = names or assignments(source_dir)
    summary = GradeSummary(sandboxed=sandbox)
    with _runner(scheduler, workers, sandbox) as runner:  # the workers are checked before anything is written
        todo = _to_grade(workspace, plan(workspace, names, source_dir), settings, force, summary)
        bar = Progress(len(todo)) if progress and todo else None
        tasks = {id(task.payload): task for task in todo}
        for payload, outcome in runner.map(run_payload, [task.payload for task in todo]):
            task = tasks[id(payload)]
            graded = lost_result(task, outcome) if isinstance(outcome, WorkerLost) else outcome
            result = _store(workspace, task, graded)
            summary.graded += 1
            if bar:
                bar.step(f"{task.job.student}/{task.job.assignment}: {result.score:g}/{result.max_score:g}")
    summary.results = [r for r in workspace.results() if r.assignment in names]
    url = db_url or workspace.db_url
    gradebook.ensure_assignments(url, workspace.root, names)
    gradebook.record(url, summary.results)
    summary.seconds = time.perf_counter() - start
    return summary


def _runner(scheduler: str | None, workers: int | None, sandbox: bool) -> Runner:
    """Where the notebooks are graded: the Dask cluster at ``scheduler``, or local worker processes."""
    if scheduler:
        from autograder.cluster import DaskRunner

        return DaskRunner(scheduler, sandbox)
    if sandbox:
        ensure_available()
    return LocalRunner(workers or os.cpu_count() or 1)


def _to_grade(
    workspace: Workspace, jobs: list[Job], settings: Settings, force: bool, summary: GradeSummary
) -> list[Task]:
    """The jobs whose stored result is missing or stale, as tasks; a notebook not handed in is stored at once."""
    todo = []
    sources: dict[Path, bytes] = {}  # each instructor notebook read once, its bytes shared by every payload
    for job in jobs:
        if job.source not in sources:
            sources[job.source] = job.source.read_bytes()
        source = sources[job.source]
        submission = job.submission.read_bytes() if job.submission else None
        key = job_key(submission, source, settings)
        stored = workspace.load_result(job.student, job.assignment, job.notebook)
        if stored is not None and stored.key == key and not force:
            summary.skipped += 1
        elif submission is None:
            missing = missing_result(job, source, settings.sandbox is not None)
            workspace.save_result(StoredResult.from_result(job.student, job.assignment, key, missing))
            summary.missing += 1
        else:
            payload = Payload(job.notebook, submission, source, settings, this_grader())
            autograded = workspace.autograded(job.student, job.assignment, job.notebook)
            todo.append(Task(job, key, autograded, payload))
    return todo


def _store(workspace: Workspace, task: Task, graded: Graded) -> NotebookResult:
    """Write the autograded notebook, then the result (the result last: it marks the job done)."""
    if graded.autograded is not None:
        atomic_write(task.autograded, graded.autograded)
    job = task.job
    workspace.save_result(StoredResult.from_result(job.student, job.assignment, task.key, graded.result))
    return graded.result
