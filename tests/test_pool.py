"""The worker pool outlives its workers: a dead worker is replaced and its job tried once more."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

from autograder.pool import ATTEMPTS, WorkerLost, WorkerPool


def job(task: tuple[str, str]) -> str:
    """'ok' answers, 'die' kills its worker every time, 'die-once' only the first time (a marker file)."""
    kind, marker = task
    if kind == "die" or (kind == "die-once" and not Path(marker).exists()):
        Path(marker).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return f"{kind} done"


def test_a_job_that_kills_its_worker_is_given_up_after_two_tries_and_the_rest_is_done(tmp_path):
    tasks = [
        ("ok", str(tmp_path / "a")),
        ("die", str(tmp_path / "b")),
        ("die-once", str(tmp_path / "c")),
        ("ok", str(tmp_path / "d")),
        ("ok", str(tmp_path / "e")),
    ]
    outcomes = dict(WorkerPool(job, 2).map(tasks))
    assert {task[0] + task[1][-1]: outcome for task, outcome in outcomes.items()} == {
        "oka": "ok done",
        "okd": "ok done",
        "oke": "ok done",
        "die-oncec": "die-once done",
        "dieb": WorkerLost(ATTEMPTS, -signal.SIGKILL),
    }
    assert "killed (signal 9)" in WorkerLost(ATTEMPTS, -signal.SIGKILL).reason


def test_workers_end_with_the_pool():
    pool = WorkerPool(job, 2)
    assert dict(pool.map([("ok", "x"), ("ok", "y")])) == {("ok", "x"): "ok done", ("ok", "y"): "ok done"}
    assert multiprocessing.active_children() == []
