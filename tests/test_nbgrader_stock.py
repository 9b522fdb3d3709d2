"""Stock ``nbgrader autograde`` still grades the course, unchanged, and cleanly: its tests also run in the learner's
kernel.

bpcourse runs the test cells in a trusted checker; nbgrader runs them in the kernel, beside the answers.
The course's test cells must work both ways (no test relies on the checker).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import notebooks as nbs
from autograder import sample_class
from autograder.collect import collect
from autograder.gradebook import ensure_assignments
from autograder.paths import NBGRADER_CONFIG, SOLUTIONS, assignments, notebook_files
from autograder.workspace import Workspace
from tests.notebook_support import source

pytestmark = pytest.mark.slow

STUDENTS = {"s01-complete": "every exercise right", "s02-untouched": "the release as handed out"}
AUTOGRADE_EACH = """
import sys
from nbgrader.apps.autogradeapp import AutogradeApp
for name in sys.argv[1:]:  # each call grades every student who submitted the assignment
    AutogradeApp.launch_instance(argv=[name, "--force"])
    AutogradeApp.clear_instance()
"""
"""`nbgrader autograde NAME --force` for each assignment named, in one Python process (nbgrader's start-up,
about 2.5 s of CPU, is paid once)."""


@pytest.fixture(scope="module")
def autograded(tmp_path_factory):
    """Each assignment of two sample students autograded by `nbgrader autograde`; their scores."""
    from nbgrader.api import Gradebook

    root = tmp_path_factory.mktemp("nbgrader")
    students = [s for s in sample_class.build(attacks=False) if s.student in STUDENTS]
    sample_class.write(students, root / "incoming")
    workspace = Workspace(root / "ws")
    collect(root / "incoming", workspace)
    ensure_assignments(workspace.db_url, workspace.root, assignments(SOLUTIONS))
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "BPCOURSE_WORKSPACE": str(workspace.root),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
    }
    subprocess.run(  # -I: not the working directory (autograder/, whose html.py is no stdlib html) on sys.path
        [sys.executable, "-I", "-c", AUTOGRADE_EACH, *assignments(SOLUTIONS)],
        cwd=NBGRADER_CONFIG.parent,
        env=env,
        check=True,
        capture_output=True,
    )
    with Gradebook(workspace.db_url) as gb:
        scores = {
            (student, name): (gb.find_submission(name, student).score, gb.find_assignment(name).max_score)
            for student in STUDENTS
            for name in assignments(SOLUTIONS)
        }
    return scores, workspace.root / "autograded"


@pytest.mark.parametrize("assignment", assignments(SOLUTIONS))
def test_stock_nbgrader_gives_the_solutions_full_marks_and_the_release_zero(autograded, assignment):
    scores, _ = autograded
    score, max_score = scores[("s01-complete", assignment)]
    assert max_score > 0 and score == max_score
    assert scores[("s02-untouched", assignment)][0] == 0


@pytest.mark.parametrize("assignment", assignments(SOLUTIONS))
def test_solution_runs_without_warnings(autograded, assignment):
    """No cell of the solution, run as nbgrader runs it (its tests, hidden ones too, in the kernel), writes to
    stderr or raises; no test cell shows a value (nbgrader would read it as partial credit)."""
    _, autograded_folder = autograded
    (executed,) = notebook_files(assignment, autograded_folder / "s01-complete")
    cells = nbs.read(executed).cells
    tests = [c.source for c in source(assignment).cells if nbs.is_test_cell(c)]
    assert [c.source for c in cells if nbs.is_test_cell(c)] == tests, "the test cells ran with their hidden tests"
    noisy = [
        (i, o.get("name") or o.get("ename"), o.get("text") or o.get("evalue"))
        for i, c in enumerate(cells)
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
        or (o.output_type == "stream" and o.name == "stderr")
        or (o.output_type == "execute_result" and nbs.is_test_cell(c))
    ]
    assert not noisy
    assert all(c.execution_count for c in cells if c.cell_type == "code"), "every code cell ran"
