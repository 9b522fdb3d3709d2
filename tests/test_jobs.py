"""Grading jobs as a worker on any machine gets them: the grader's fingerprint it compares, the payload it
grades, and the zero a notebook gets when its workers die."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from autograder.class_grading import Job, Payload, Settings, Task, WrongGrader, lost_result, run_payload
from autograder.defaults import ONE_BLAS_THREAD
from autograder.gradebook import database_url
from autograder.paths import SOLUTIONS
from autograder.pool import ATTEMPTS, WorkerLost
from autograder.version import GraderVersion, differences, this_grader, tree_hash


def test_the_tree_hash_changes_with_one_byte_or_one_name(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    before = tree_hash([tmp_path / "a.txt"], tmp_path)
    (tmp_path / "a.txt").write_text("y")
    assert tree_hash([tmp_path / "a.txt"], tmp_path) != before
    (tmp_path / "a.txt").unlink()
    (tmp_path / "b.txt").write_text("x")
    assert tree_hash([tmp_path / "b.txt"], tmp_path) != before


def test_differences_name_each_differing_part_and_both_values():
    ours = GraderVersion("2", "s1", "c1")
    assert differences(ours, ours) == []
    said = differences(GraderVersion("3", "s1", "c2"), ours)
    assert said == [
        "grading semantics (GRADER_VERSION): the worker has 3, this machine has 2",
        "the course code (bpkit/, autograder/): the worker has c2, this machine has c1",
    ]


def test_a_worker_refuses_a_job_made_by_another_grader_before_grading_it():
    notebook = next(SOLUTIONS.glob("*/*.ipynb"))
    theirs = dataclasses.replace(this_grader(), solutions="0" * 16)
    payload = Payload(notebook.name, b"not even a notebook", notebook.read_bytes(), Settings(sandbox=None), theirs)
    said = r"the instructor notebooks \(solutions/\): the worker has [0-9a-f]{16}, this machine has 0{16}"
    with pytest.raises(WrongGrader, match=said):
        run_payload(payload)


def test_an_unreadable_submission_in_a_payload_is_graded_zero_with_the_reason():
    notebook = next(SOLUTIONS.glob("*/*.ipynb"))
    payload = Payload(notebook.name, b"\xff not json", notebook.read_bytes(), Settings(sandbox=None), this_grader())
    graded = run_payload(payload)
    assert graded.autograded is None and graded.result.score == 0 and str(graded.result.status) == "invalid"
    assert "not a readable notebook" in graded.result.error


def test_postgresql_urls_are_opened_with_the_installed_driver():
    assert database_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert database_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert database_url("sqlite:////tmp/g.db") == "sqlite:////tmp/g.db"


def test_a_notebook_whose_workers_died_every_time_scores_zero_in_every_cell_with_the_reason(tmp_path):
    notebook = next(SOLUTIONS.glob("*/*.ipynb"))
    payload = Payload(notebook.name, b"{}", notebook.read_bytes(), Settings(), this_grader())
    task = Task(Job("alice", notebook.parent.name, notebook.name, None, notebook), "key", tmp_path / "x", payload)
    graded = lost_result(task, WorkerLost(ATTEMPTS, None))
    result = graded.result
    assert graded.autograded is None and result.sandboxed and str(result.status) == "kernel died"
    assert result.cells and result.score == 0 and result.max_score > 0
    reason = f"the grading process was killed while it ran this notebook, {ATTEMPTS} times"
    assert result.error == reason and {c.message for c in result.cells} == {f"not graded: {reason}"}


BLAS_THREADS_BEFORE_AND_AFTER = """
import json
import numpy
from threadpoolctl import threadpool_info
from autograder.class_grading import one_blas_thread
before = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
one_blas_thread()
after = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
print(json.dumps([before, after]))
"""


def test_a_grading_worker_runs_blas_in_one_thread():
    """Started the way an instructor starts a Dask worker (no BLAS setting in its environment), a grading worker
    still computes in one BLAS thread: a second one would only spin beside the other workers."""
    env = {key: value for key, value in os.environ.items() if key not in ONE_BLAS_THREAD}
    out = subprocess.run(
        [sys.executable, "-c", BLAS_THREADS_BEFORE_AND_AFTER], env=env, capture_output=True, text=True, check=True
    )
    before, after = json.loads(out.stdout)
    assert before and max(before) == os.cpu_count() > 1, out.stdout
    assert after == [1] * len(before), out.stdout
