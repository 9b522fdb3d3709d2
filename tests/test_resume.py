"""Killing `bpcourse grade` mid-run and running it again gives the grades of an uninterrupted run."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from autograder import sample_class
from autograder.collect import collect
from autograder.paths import SOLUTIONS, assignments
from autograder.sandbox import scratch_prefix
from autograder.warm_start import SCRATCH_KIND
from autograder.workspace import Workspace

pytestmark = pytest.mark.slow

STUDENTS = ("s01-complete", "s03-half", "s04-mistakes")


def bpcourse(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "bpcourse"), *args]


def test_sigkill_mid_run_then_resume(tmp_path):
    names = assignments(SOLUTIONS)[:2]
    students = [s for s in sample_class.build() if s.student in STUDENTS]
    incoming = tmp_path / "incoming"
    sample_class.write(students, incoming)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in incoming.rglob("*.ipynb")}
    workspace = Workspace(tmp_path / "ws")
    collect(incoming, workspace)
    command = bpcourse("grade", *names, "--workspace", str(workspace.root), "--workers", "2", "--timeout", "10")

    first = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not list((workspace.root / "results").glob("*/*/*.json")):
        time.sleep(0.2)
    time.sleep(0.5)  # now some notebooks are mid-execution
    killed = [first.pid, *(p.pid for p in psutil.Process(first.pid).children(recursive=True))]
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    # gone from the machine, as they are by the time an instructor grades again (a killed process lingers until reaped)
    psutil.wait_procs([p for p in map(_process, killed) if p], timeout=30)
    left = [f for pid in killed for f in Path(tempfile.gettempdir()).glob(f"{scratch_prefix(SCRATCH_KIND)}{pid}-*")]
    assert left, "the killed grading workers leave their warm sandboxes' folders"
    done_before = len(list((workspace.root / "results").glob("*/*/*.json")))
    assert 0 < done_before < len(students) * len(names), "the kill must land mid-run"

    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert not [f for f in left if f.exists()], "grading again removes the folders of the killed run's sandboxes"
    got = {(r.student, r.assignment): r.score for r in workspace.results()}
    want = {(s.student, a): s.expected[a] for s in students for a in names}
    assert got == want
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in incoming.rglob("*.ipynb")} == before
    with sqlite3.connect(workspace.root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        nulls = db.execute("SELECT COUNT(*) FROM grade WHERE auto_score IS NULL").fetchone()[0]
        assert nulls == 0


def _process(pid: int) -> psutil.Process | None:
    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        return None
