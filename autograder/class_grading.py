"""``bpcourse grade``: autograde every collected submission in parallel, in one process tree.

Each submission is executed in its own fresh kernel by a pool of worker
processes (default: one per core); the main process alone writes results and
the gradebook, so workers never share a database. A result is stored under a
key made of the submission's bytes, the instructor notebook's bytes and the
grading settings: re-running grades only what changed (unless ``force``), and a
run killed at any point resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import nbformat

from autograder import notebooks as nbs
from autograder.defaults import GRADE_TIMEOUT
from autograder.grading.pipeline import grade_notebook
from autograder.paths import SOLUTIONS, assignments, notebook_files
from autograder.pool import WorkerLost, WorkerPool
from autograder.results import CellStatus, NotebookResult, NotebookStatus, zero_cells
from autograder.sandbox import Limits, ensure_available
from autograder.workspace import StoredResult, Workspace, atomic_write

GRADER_VERSION = "2"
"""Bump when grading semantics change, so stored results are graded again."""


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


def job_key(job: Job, settings: Settings) -> str:
    """What a result depends on: submission bytes, instructor notebook bytes, grader version, settings."""
    digest = hashlib.sha256()
    digest.update(job.submission.read_bytes() if job.submission else b"<missing>")
    digest.update(job.source.read_bytes())
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


def zero_result(job: Job, status: NotebookStatus, error: str, message: str) -> NotebookResult:
    """A zero for every test cell of the job's notebook, with the reason."""
    return NotebookResult(job.notebook, zero_cells(nbs.read(job.source), CellStatus.NOT_RUN, message), status, error)


def missing_result(job: Job) -> NotebookResult:
    """A zero for every test cell of a notebook nobody handed in."""
    return zero_result(job, NotebookStatus.MISSING, f"{job.notebook} was not handed in", "no notebook was handed in")


@dataclass(frozen=True)
class Task:
    """What a worker needs to grade one notebook and write its executed copy."""

    job: Job
    settings: Settings
    autograded: Path
    key: str


def run_task(task: Task) -> NotebookResult:
    """Worker: grade one submission and write its executed notebook. A failure of the grader itself
    (not of the submission) becomes a zero with the reason, so the rest of the class is still graded."""
    job = task.job
    try:
        result = grade_notebook(
            job.submission,
            nbs.read(job.source),
            timeout=task.settings.timeout,
            name=job.notebook,
            sandbox=task.settings.sandbox,
        )
    except Exception as error:  # noqa: BLE001 - reported in the result, never raised
        failed = zero_result(
            job,
            NotebookStatus.GRADER_ERROR,
            f"the grader could not run this notebook: {error!r}",
            "not graded: the grader could not run this notebook",
        )
        failed.sandboxed = task.settings.sandbox is not None
        return failed
    if result.graded is not None:
        atomic_write(task.autograded, nbformat.writes(result.graded).encode())
        result.graded = None
    return result


def lost_result(task: Task, lost: WorkerLost) -> NotebookResult:
    """A zero for a notebook whose grading process died every time."""
    result = zero_result(task.job, NotebookStatus.KERNEL_DIED, lost.reason, f"not graded: {lost.reason}")
    result.sandboxed = task.settings.sandbox is not None
    return result


class Progress:
    """One status line on stderr: a bar, counts and an ETA."""

    def __init__(self, total: int, workers: int, stream: TextIO | None = None) -> None:
        self.total, self.workers, self.stream = total, workers, stream or sys.stderr
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
) -> GradeSummary:
    """Grade what changed since the last run (everything with ``force``) and update the gradebook.

    With ``sandbox`` (the default) every kernel runs in the grading sandbox, and grading stops with
    SandboxUnavailable, saying why, where none can be made; ``sandbox=False`` is the explicit way out.
    """
    from autograder import gradebook

    start = time.perf_counter()
    if sandbox:
        ensure_available()
    settings = Settings(timeout, Limits() if sandbox else None)
    names = names or assignments(source_dir)
    summary = GradeSummary(sandboxed=sandbox)
    todo: list[Task] = []
    for job in plan(workspace, names, source_dir):
        key = job_key(job, settings)
        stored = workspace.load_result(job.student, job.assignment, job.notebook)
        if stored is not None and stored.key == key and not force:
            summary.skipped += 1
            continue
        if job.submission is None:
            missing = missing_result(job)
            missing.sandboxed = sandbox
            workspace.save_result(StoredResult.from_result(job.student, job.assignment, key, missing))
            summary.missing += 1
            continue
        todo.append(Task(job, settings, workspace.autograded(job.student, job.assignment, job.notebook), key))
    bar = Progress(len(todo), workers or 1) if progress and todo else None
    pool = WorkerPool(run_task, min(workers or os.cpu_count() or 1, len(todo) or 1))
    for task, outcome in pool.map(todo):
        result = lost_result(task, outcome) if isinstance(outcome, WorkerLost) else outcome
        job = task.job
        workspace.save_result(StoredResult.from_result(job.student, job.assignment, task.key, result))
        summary.graded += 1
        if bar:
            bar.step(f"{job.student}/{job.assignment}: {result.score:g}/{result.max_score:g}")
    summary.results = [r for r in workspace.results() if r.assignment in names]
    url = db_url or workspace.db_url
    gradebook.ensure_assignments(url, workspace.root, names)
    gradebook.record(url, summary.results)
    summary.seconds = time.perf_counter() - start
    return summary
