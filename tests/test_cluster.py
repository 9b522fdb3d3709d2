"""Grading on a real Dask cluster: a `dask scheduler` and `dask worker` processes on localhost, as on other machines.

The sample class graded through two workers, one of which is killed mid-run, gets the grades of local grading,
cell by cell, and the killed worker loses nothing and leaves nothing running; a job that kills its worker twice
is given up with a reason; a worker with another version of the course, an unreachable scheduler and one
without workers are refused.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from autograder import cluster
from autograder.class_grading import grade
from autograder.cluster import DaskRunner, connect
from autograder.collect import collect
from autograder.errors import CourseError
from autograder.gradebook import open_gradebook
from autograder.paths import REPO, SOLUTIONS, assignments
from autograder.pool import ATTEMPTS, WorkerLost
from autograder.workspace import Workspace
from tests.class_support import SAMPLE_TIMEOUT
from tests.test_pool import job

pytestmark = pytest.mark.slow

DASK = str(Path(sys.executable).parent / "dask")


def cells(workspace: Workspace) -> dict:
    """Every stored result, cell by cell, with its message: what must not depend on where grading ran."""
    return {
        (r.student, r.assignment, r.notebook): (
            str(r.status),
            r.error,
            [(c.grade_id, c.points, str(c.status), c.message) for c in r.cells],
        )
        for r in workspace.results()
    }


@dataclass
class Cluster:
    """A scheduler and its workers, each `dask` process in its own session so it can be killed as a machine."""

    folder: Path
    scheduler: subprocess.Popen
    address: str
    workers: list[subprocess.Popen] = field(default_factory=list)

    def start_worker(self, pythonpath: Path = REPO) -> subprocess.Popen:
        """One more worker process (with its nanny) whose course code is found under ``pythonpath``."""
        log = (self.folder / f"worker{len(self.workers)}.log").open("w")
        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
        worker = subprocess.Popen(
            [DASK, "worker", self.address, "--nthreads", "1", "--no-dashboard", "--death-timeout", "30"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.folder,
            start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def wait_for(self, count: int) -> None:
        with connect(self.address) as client:
            client.wait_for_workers(count, timeout=60)

    def kill(self, worker: subprocess.Popen) -> list[psutil.Process]:
        """SIGKILL a worker's whole session (nanny and worker: the machine is gone); returns what it had started."""
        started = psutil.Process(worker.pid).children(recursive=True)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        self.workers.remove(worker)
        return started


def start_scheduler(folder: Path) -> tuple[subprocess.Popen, str]:
    file = folder / "scheduler.json"
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(file)],
        stdout=(folder / "scheduler.log").open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(REPO)},  # it unpickles the jobs' functions: it needs the course too
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:  # the file appears before Dask has finished writing it
        try:
            return scheduler, json.loads(file.read_text())["address"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            if time.monotonic() > deadline:
                stop(scheduler)  # no caller holds it yet
                raise
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("dask")
    scheduler, address = start_scheduler(folder)
    ours = Cluster(folder, scheduler, address)
    try:
        ours.start_worker()
        ours.start_worker()
        ours.wait_for(2)
        yield ours
    finally:
        for worker in list(ours.workers):
            stop(worker)
        stop(scheduler)


def collected(graded_class, root: Path) -> Workspace:
    """A fresh workspace holding the sample class's submissions."""
    workspace = Workspace(root)
    collect(graded_class[2], workspace)
    return workspace


def autograded(workspace: Workspace) -> list[Path]:
    folder = workspace.root / "autograded"
    return sorted(p.relative_to(folder) for p in folder.rglob("*.ipynb"))


@dataclass
class RemoteRun:
    """The sample class graded by `bpcourse grade --scheduler` while one of the two workers is killed mid-run."""

    workspace: Workspace
    returncode: int
    out: str
    err: str
    done_before: int
    """Notebooks graded before the kill."""
    started: list[psutil.Process]
    """What the killed worker had started (its sandboxed kernels among them)."""


@pytest.fixture(scope="module")
def remote_run(graded_class, dask_cluster, tmp_path_factory) -> RemoteRun:
    """The class is graded once on the cluster, by the command line: a worker is killed (its machine is gone)
    after the third notebook and a new one joins, as an instructor restarting a machine would."""
    workspace = collected(graded_class, tmp_path_factory.mktemp("remote"))
    command = [sys.executable, "-m", "autograder", "grade", "--workspace", str(workspace.root)]
    command += ["--timeout", str(SAMPLE_TIMEOUT), "--scheduler", dask_cluster.address]
    grading = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(autograded(workspace)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        done_before = len(autograded(workspace))
        started = dask_cluster.kill(dask_cluster.workers[-1])
        dask_cluster.start_worker()
        out, err = grading.communicate(timeout=600)
    finally:
        if grading.poll() is None:
            grading.kill()
        dask_cluster.wait_for(2)
    return RemoteRun(workspace, grading.returncode, out, err, done_before, started)


def test_the_sample_class_graded_on_a_cluster_that_loses_a_worker_gets_the_local_grades_cell_by_cell(
    graded_class, remote_run, dask_cluster
):
    local, remote = graded_class[1], remote_run.workspace
    assert remote_run.returncode == 0, remote_run.err
    assert f"graded {len(remote.submissions())}," in remote_run.out
    assert all(r.sandboxed for r in remote.results())
    assert cells(remote) == cells(local)
    assert autograded(remote) == autograded(local)
    again = grade(remote, timeout=SAMPLE_TIMEOUT, progress=False, scheduler=dask_cluster.address)
    assert again.graded == 0 and again.skipped == len(cells(local))


def test_a_worker_killed_mid_run_loses_nothing_records_nothing_twice_and_leaves_nothing_running(remote_run):
    workspace = remote_run.workspace
    assert 3 <= remote_run.done_before < len(workspace.submissions())
    with open_gradebook(workspace.db_url) as gb:
        for name in assignments(SOLUTIONS):
            assert len(gb.find_assignment(name).submissions) == len(workspace.students())
    assert remote_run.started, "the killed worker was grading: it had started a sandboxed kernel"
    _, alive = psutil.wait_procs(remote_run.started, timeout=10)
    assert not alive, f"outlived their worker: {[p.info for p in alive]}"


def test_a_job_that_kills_its_worker_twice_is_given_up_with_a_reason_and_the_rest_is_done(dask_cluster, tmp_path):
    tasks = [("ok", str(tmp_path / "a")), ("die", str(tmp_path / "b")), ("die-once", str(tmp_path / "c"))]
    tasks.append(("ok", str(tmp_path / "d")))
    with DaskRunner(dask_cluster.address, sandbox=False) as runner:
        outcomes = dict(runner.map(job, tasks))
    assert outcomes == {
        tasks[0]: "ok done",
        tasks[1]: WorkerLost(ATTEMPTS, None),
        tasks[2]: "die-once done",
        tasks[3]: "ok done",
    }
    assert f"killed while it ran this notebook, {ATTEMPTS} times" in outcomes[tasks[1]].reason
    dask_cluster.wait_for(2)  # each nanny restarted its worker


def holding(dask_scheduler) -> tuple[list[int], int]:
    """Run on the scheduler: how many jobs each worker holds, and how many wait on the scheduler."""
    return sorted(len(ws.processing) for ws in dask_scheduler.workers.values()), len(dask_scheduler.queued)


def test_each_worker_holds_one_notebook_at_a_time_and_the_rest_wait_on_the_scheduler(dask_cluster):
    """A worker that dies makes every job it holds suspect: it must hold only the one it runs, even when the
    class is smaller than Dask's own threshold for holding tasks back (twice the cluster's threads)."""
    with DaskRunner(dask_cluster.address, sandbox=False) as runner:
        outcomes = runner.map(time.sleep, [0.2, 2, 2, 2])
        assert next(outcomes) == (0.2, None)
        deadline = time.monotonic() + 10
        while True:  # the scheduler may not yet have sent the freed worker its next job
            held, waiting = runner.client.run_on_scheduler(holding)
            if not (0 in held and waiting) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert (held, waiting) == ([1, 1], 1), "per worker, then waiting on the scheduler"
        assert list(outcomes) == [(2, None)] * 3


def other_course(root: Path) -> Path:
    """A copy of the course whose instructor notebooks differ by one character (a worker a commit behind)."""
    for package in ("autograder", "bpkit", "solutions", "assets"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    notebook = next((root / "solutions").glob("*/*.ipynb"))
    notebook.write_text(notebook.read_text().replace('"cells": [', '"cells":  [', 1))
    return root


def one_submission(root: Path) -> Workspace:
    """A workspace where one student handed in the first assignment's solution."""
    incoming = root / "incoming" / "alice" / assignments(SOLUTIONS)[0]
    incoming.mkdir(parents=True)
    shutil.copy(next((SOLUTIONS / incoming.name).glob("*.ipynb")), incoming)
    workspace = Workspace(root / "ws")
    collect(root / "incoming", workspace)
    return workspace


def test_a_worker_with_other_instructor_notebooks_is_refused_saying_what_differs(dask_cluster, tmp_path):
    stale = dask_cluster.start_worker(pythonpath=other_course(tmp_path / "course"))
    try:
        dask_cluster.wait_for(3)
        workspace = one_submission(tmp_path)
        with pytest.raises(CourseError) as refused:
            grade(workspace, timeout=SAMPLE_TIMEOUT, progress=False, scheduler=dask_cluster.address)
        message = str(refused.value)
        assert message.count("\n") == 1 and "the instructor notebooks (solutions/)" in message
        assert "same commit of the course" in message
        assert not workspace.results(), "nothing was graded or stored"
    finally:
        dask_cluster.kill(stale)


def test_an_unreachable_scheduler_is_a_clear_error_not_a_hang(monkeypatch, tmp_path, capsys):
    from autograder.cli import main

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    with pytest.raises(CourseError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 1 s"):
        connect("tcp://127.0.0.1:9")
    workspace = one_submission(tmp_path)
    assert main(["grade", "--workspace", str(workspace.root), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_a_scheduler_without_workers_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    scheduler, address = start_scheduler(tmp_path)
    try:
        with pytest.raises(CourseError, match=r"has no workers after 2 s; start one .*dask worker"):
            connect(address)
    finally:
        stop(scheduler)


def test_a_scheduler_lost_mid_run_stops_grading_with_a_clear_error(tmp_path):
    scheduler, address = start_scheduler(tmp_path)
    ours = Cluster(tmp_path, scheduler, address)
    try:
        ours.start_worker()
        ours.wait_for(1)
        with DaskRunner(address, sandbox=False) as runner:
            outcomes = runner.map(time.sleep, [0.1, 60, 60])
            assert next(outcomes) == (0.1, None)
            stop(scheduler)
            said = r"grading stopped: Dask cancelled the jobs on .* \(scheduler-connection-lost\); what was graded"
            with pytest.raises(CourseError, match=said):
                next(outcomes)
    finally:
        for worker in ours.workers:
            stop(worker)
        stop(scheduler)
