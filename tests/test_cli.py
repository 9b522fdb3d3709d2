"""`bpcourse` commands as a user calls them (in-process, through ``main(argv)``): errors, the self-check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder import notebooks as nbs
from autograder.cli import main
from autograder.paths import COURSE, SOLUTIONS

pytestmark = pytest.mark.slow

FIRST = "01-neurons"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys):
    def call(*args: str) -> Run:
        try:
            code = main(list(args))
        except SystemExit as stop:  # --help and argparse's own errors
            code = stop.code
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return call


def test_help_lists_every_subcommand(run):
    out = run("--help").stdout
    for command in ("release", "collect", "grade", "feedback", "export", "report", "check", "demo", "lab"):
        assert command in out


def test_shared_options_have_one_default_each(run):
    from autograder.defaults import CHECK_TIMEOUT, DEMO_TIMEOUT, GRADE_TIMEOUT

    for command, default in (("grade", GRADE_TIMEOUT), ("check", CHECK_TIMEOUT), ("demo", DEMO_TIMEOUT)):
        assert f"(default: {default})" in run(command, "--help").stdout
    for command in ("collect", "grade", "feedback", "export", "report"):
        assert "--workspace" in run(command, "--help").stdout


def test_the_installed_command_runs():
    done = subprocess.run([str(Path(sys.executable).parent / "bpcourse"), "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "bpcourse" in done.stdout


def test_errors_name_the_file_and_what_to_do(run, tmp_path):
    missing = run("collect", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "nowhere does not exist" in missing.stderr
    empty = run("grade", "--workspace", str(tmp_path / "ws"))
    assert empty.returncode == 2 and "bpcourse collect SOURCE" in empty.stderr
    unknown = run("release", "99-nothing")
    assert unknown.returncode == 2 and "99-nothing" in unknown.stderr


def test_self_check_reports_each_exercise_without_hidden_tests(run, tmp_path):
    folder = tmp_path / FIRST
    folder.mkdir()
    (release,) = COURSE.joinpath(FIRST).glob("*.ipynb")
    learner = folder / release.name
    nb = nbs.read(release)
    answers = {
        nbs.grade_id(c): c.source for c in nbs.read(SOLUTIONS / FIRST / release.name).cells if nbs.is_solution_cell(c)
    }
    first_exercise = next(gid for gid in answers)
    for cell in nb.cells:
        if nbs.grade_id(cell) == first_exercise:
            cell.source = answers[first_exercise]
    nbformat.write(nb, str(learner))
    result = run("check", str(learner))
    assert result.returncode == 1
    assert f"✓ {first_exercise}" in result.stdout
    assert "NotImplementedError" in result.stdout
    assert "HIDDEN" not in result.stdout
    assert f"1 of {len(answers)} exercises pass their visible tests." in result.stdout


def test_self_check_refuses_a_notebook_it_does_not_know(run, tmp_path):
    stray = tmp_path / "mine.ipynb"
    shutil.copy(next(COURSE.joinpath(FIRST).glob("*.ipynb")), stray)
    result = run("check", str(stray))
    assert result.returncode == 2 and "not a course notebook" in result.stderr
