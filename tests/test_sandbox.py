"""Hostile submissions graded in a class beside honest students, inside the sandbox.

For every attack of ``autograder.attacks``: the class is graded to its end, the
honest students' results equal those of a run without any hostile student,
no file outside the sandbox's scratch folder changes (the class's files, the
repository, the grader's HOME and /tmp), no process outlives grading, and the
attacker gets its stated score with a reason.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder import attacks, sample_class
from autograder.class_grading import grade
from autograder.collect import collect
from autograder.export import export_grades
from autograder.grading.learner import OUTPUT_LIMIT
from autograder.grading.pipeline import grade_notebook
from autograder.paths import REPO, SOLUTIONS, assignments
from autograder.sandbox import (
    SANDBOX_UID_BASE,
    Limits,
    bwrap_command,
    kill_tree,
    limit_process,
    sandbox_uid,
    socket_folder,
)
from autograder.workspace import Workspace
from tests.class_support import digests

pytestmark = pytest.mark.slow

FIRST = assignments(SOLUTIONS)[0]
TIMEOUT = 15
HONEST = ("h1-complete", "h2-half")
SKIP_DIRS = frozenset({".venv", ".git", "__pycache__", ".pytest_cache", "workspace", "artifacts", ".ipynb_checkpoints"})


class Listener:
    """A TCP server on the grading machine's loopback that records every connection it gets."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.connections.append(connection.recv(100))
                except OSError:
                    self.connections.append(b"")


def outlived_its_grader(uid: int) -> bool:
    """Whether a process of this sandbox uid is left over: the grading process it belongs to (uid = base + its
    pid, autograder.sandbox) is this test process or has ended. A sandbox of another live grading process
    belongs to a test running beside this one (`make test` runs several)."""
    owner = uid - SANDBOX_UID_BASE
    return owner == os.getpid() or not psutil.pid_exists(owner)


def sandbox_processes() -> list[str]:
    """Processes still running as the uid of a sandbox whose grader is done, or started by an attack outside
    any sandbox."""
    left = []
    for process in psutil.process_iter(["uids", "cmdline", "ppid", "status", "create_time"]):
        info = process.info
        uids, cmdline = info["uids"], " ".join(info["cmdline"] or [])
        sandboxed = uids is not None and uids.real >= SANDBOX_UID_BASE
        if outlived_its_grader(uids.real) if sandboxed else attacks.MARKER in cmdline:
            age = time.time() - (info["create_time"] or time.time())
            left.append(f"{process.pid} (parent {info['ppid']}, {info['status']}, {age:.0f} s old) {cmdline[:80]}")
    return left


def comparable(result) -> dict:
    """A stored result without its timing."""
    return {"status": result.status, "error": result.error, "cells": result.cells}


def executed_cells(path: Path) -> list:
    """An executed notebook's cells without nbclient's timestamps."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb.cells


def run_class(root: Path, files: dict[str, bytes], canaries: list[Path]) -> dict:
    """Collect and grade a class of notebook 01; return what the comparisons need."""
    incoming = root / "incoming"
    for student, data in files.items():
        path = incoming / student / FIRST / assignment().notebook
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
    workspace = Workspace(root / "workspace")
    collect(incoming, workspace)
    submitted = digests(workspace.submitted, SKIP_DIRS)
    repo, outside = digests(REPO, SKIP_DIRS), {str(c): c.read_bytes() for c in canaries}
    summary = grade(workspace, [FIRST], timeout=TIMEOUT, progress=False)
    return {
        "workspace": workspace,
        "summary": summary,
        "results": {r.student: r for r in workspace.results()},
        "submitted_unchanged": digests(workspace.submitted, SKIP_DIRS) == submitted,
        "repo_changes": sorted(set(digests(REPO, SKIP_DIRS).items()) ^ set(repo.items())),
        "outside_unchanged": {str(c): c.read_bytes() for c in canaries} == outside,
        "survivors": sandbox_processes(),
    }


def assignment() -> sample_class.Assignment:
    return sample_class.Assignment(FIRST)


def last_answer(a: sample_class.Assignment) -> str:
    return sample_class.answer(a.solutions[a.order[-1]])


def hostile(a: sample_class.Assignment, name: str, port: int) -> bytes:
    """Notebook 01, correct but for its last answer, which is the attack."""
    return a.submit(a.solved(**{a.order[-1]: attacks.attack(name, last_answer(a), port).code}))


@pytest.fixture(scope="module")
def listener() -> Listener:
    return Listener()


@pytest.fixture(scope="module")
def canaries(tmp_path_factory):
    """Files in the grader's HOME and /tmp that no submission may touch."""
    tag = uuid.uuid4().hex[:8]
    paths = [Path.home() / f".bpcourse-canary-{tag}", Path("/tmp") / f"bpcourse-canary-{tag}"]
    for path in paths:
        path.write_text("untouched\n")
    yield paths
    for path in paths:
        path.unlink()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, listener, canaries):
    a = assignment()
    honest = {HONEST[0]: a.submit(a.solved()), HONEST[1]: a.submit(a.solved(a.order[:2]))}
    baseline = run_class(tmp_path_factory.mktemp("baseline"), honest, canaries)
    hostile_files = {f"x-{name}": hostile(a, name, listener.port) for name in attacks.ATTACKS}
    attacked = run_class(tmp_path_factory.mktemp("attacked"), {**honest, **hostile_files}, canaries)
    return a, baseline, attacked


def test_the_catalogue_has_at_least_fifteen_kinds():
    assert len(attacks.ATTACKS) >= 15


def test_honest_students_get_the_same_results_as_without_attackers(graded):
    _, baseline, attacked = graded
    notebook = assignment().notebook
    for student in HONEST:
        assert comparable(attacked["results"][student]) == comparable(baseline["results"][student])
        ours, theirs = (run["workspace"].autograded(student, FIRST, notebook) for run in (attacked, baseline))
        assert executed_cells(ours) == executed_cells(theirs)


@pytest.mark.parametrize("name", list(attacks.ATTACKS))
def test_attacker_gets_its_stated_score_with_a_reason(graded, name):
    a, _, attacked = graded
    result = attacked["results"][f"x-{name}"]
    full = attacks.ATTACKS[name][1]
    expected = a.max if full else a.score_without(a.order[-1])
    assert result.score == expected, (result.status, result.error, result.cells[-1])
    last = result.cells[-1]
    if not full:
        assert last.points == 0 and last.message, last


def test_no_file_outside_the_scratch_folder_changed(graded):
    _, baseline, attacked = graded
    for run in (baseline, attacked):
        assert run["submitted_unchanged"]
        assert run["outside_unchanged"]
        assert run["repo_changes"] == []


def test_nothing_outlives_grading(graded):
    _, baseline, attacked = graded
    assert baseline["survivors"] == [] and attacked["survivors"] == []


def test_no_connection_reached_the_local_listener(graded, listener):
    assert listener.connections == []


def test_the_gradebook_and_export_survive(graded, tmp_path):
    _, _, attacked = graded
    workspace = attacked["workspace"]
    grades_csv, _ = export_grades(workspace.db_url, tmp_path)
    rows = grades_csv.read_text().splitlines()
    assert len(rows) == 1 + len(attacked["results"])


def test_a_flood_of_output_is_cut(graded):
    _, _, attacked = graded
    path = attacked["workspace"].autograded("x-flood-stdout", FIRST, assignment().notebook)
    size = len(path.read_bytes())
    assert size < 2 * OUTPUT_LIMIT
    assert "output cut" in path.read_text()


def test_results_say_they_were_sandboxed(graded):
    _, _, attacked = graded
    assert attacked["summary"].sandboxed
    assert all(r.sandboxed for r in attacked["results"].values())


SYSTEM_SEEN = ("/usr/bin/ipcrm", "/usr/lib/locale")
"""System paths a kernel needs (the zygote runs ipcrm; Python sets the C.UTF-8 locale)."""
SYSTEM_PROBED = (*SYSTEM_SEEN, "/usr/include", "/usr/share/doc", "/usr/lib/gcc", "/usr/sbin", "/usr/local", "/var")
"""What the probe looks for: SYSTEM_SEEN, then parts of the system a kernel has no use for."""

ISOLATION_PROBE = """
import json, os, site, socket, sys
seen = {{
    "interfaces": sorted(name for _, name in socket.if_nameindex()),
    "workspace": os.path.exists({workspace!r}),
    "solutions": os.path.exists({solutions!r}),
    "repo": sorted(os.listdir({repo!r})),
    "home": os.path.exists({home!r}),  # a file in the grader's HOME
    "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "uid": os.getuid(),
    "writable_root": os.access("/", os.W_OK),
    "system": sorted(p for p in {system!r} if os.path.exists(p)),
    "base_site_packages": [
        n for d in site.getsitepackages([sys.base_prefix]) if os.path.isdir(d) for n in os.listdir(d)
    ] if sys.prefix != sys.base_prefix else [],
}}
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    seen["connected"] = True
except OSError:
    seen["connected"] = False
print("PROBE" + json.dumps(seen))
"""


def test_a_grading_kernel_sees_no_network_no_workspace_and_no_solutions(tmp_path, listener, canaries):
    a = assignment()
    (tmp_path / "submitted").mkdir()
    probe = ISOLATION_PROBE.format(
        workspace=str(tmp_path),
        solutions=str(SOLUTIONS),
        repo=str(REPO),
        home=str(canaries[0]),
        port=listener.port,
        system=SYSTEM_PROBED,
    )
    nb = nbformat.reads(a.submit(a.solved(**{a.order[0]: probe})).decode(), as_version=4)
    result = grade_notebook(nb, a.source, timeout=TIMEOUT, sandbox=Limits())
    text = "".join(o.get("text", "") for c in result.graded.cells for o in c.get("outputs", []))
    seen = json.loads(text.split("PROBE", 1)[1].splitlines()[0])
    assert seen["interfaces"] == ["lo"] and not seen["connected"]
    assert not seen["workspace"] and not seen["solutions"] and not seen["home"]
    assert seen["repo"] == sorted({"assets", "autograder", "bpkit", *_environment_in(REPO)})
    assert len(seen["processes"]) <= 2 and not seen["writable_root"]
    assert seen["system"] == sorted(p for p in SYSTEM_PROBED if p in SYSTEM_SEEN and os.path.exists(p))
    assert seen["base_site_packages"] == []  # the grader's environment is the only one a kernel imports from
    if os.geteuid() == 0:
        assert seen["uid"] >= SANDBOX_UID_BASE


def _environment_in(folder: Path) -> list[str]:
    """The top folder of ``folder`` the Python environment lives in (.venv), if it lives there."""
    environment = Path(sys.prefix).resolve()
    return [environment.relative_to(folder).parts[0]] if environment.is_relative_to(folder) else []


@pytest.mark.parametrize("name", ["read-solutions", "connect-to-a-local-listener"])
def test_without_the_sandbox_the_attack_would_succeed(name):
    """The catalogue's attacks are real: with the sandbox off, they earn the points they are after."""
    a, own = assignment(), Listener()
    nb = nbformat.reads(hostile(a, name, own.port).decode(), as_version=4)
    result = grade_notebook(nb, a.source, timeout=TIMEOUT, sandbox=None)
    assert result.score == a.max, result.cells[-1]
    assert own.connections == ([b"pwned"] if name == "connect-to-a-local-listener" else [])


def test_a_killed_sandbox_leaves_no_process_of_its_uid_not_even_a_zombie():
    """Its init (here one that forked three sleepers) must be reaped by bwrap, not left to the host's init.
    (Other sandboxes of this process share the uid, so the test follows the processes of its own.)"""
    forks = "import os, time\nfor _ in range(3):\n    os.fork() or time.sleep(600)\ntime.sleep(600)"
    limits, uid = Limits(), sandbox_uid()
    for _ in range(3):
        with socket_folder() as folder:
            command = bwrap_command(folder, limits, [sys.executable, "-c", forks], uid, as_init=True)
            process = subprocess.Popen(command, env={}, preexec_fn=limit_process(limits))
            deadline = time.monotonic() + 60
            while len(psutil.Process(process.pid).children(recursive=True)) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            inside = psutil.Process(process.pid).children(recursive=True)
            kill_tree(process)
        left = [(p.pid, p.status()) for p in inside if p.is_running()]  # a zombie is still "running"
        assert left == []
