"""The gradebook on a real PostgreSQL server: a throwaway one (initdb and pg_ctl in a temporary folder).

The graded sample class is recorded with ``bpcourse grade --db postgresql://...``, exported with
``bpcourse export --db ...`` and reported; the database holds one submission per student and assignment,
whatever the number of runs, and agrees with the stored results.
"""

from __future__ import annotations

import csv
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from autograder.cli import main
from autograder.gradebook import open_gradebook
from autograder.lab import free_port
from autograder.workspace import Workspace
from tests.class_support import SAMPLE_TIMEOUT

pytestmark = pytest.mark.slow


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL server programs (the ``postgresql`` package; .ci/run installs it)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert found, "PostgreSQL's server is not installed: apt-get install postgresql"
    return Path(found[-1]).parent


def as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: then its programs run as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """The URL of a fresh, empty database on a PostgreSQL server of its own, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="bpcourse-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port, bin_dir = folder / "data", free_port(), postgres_bin()
    subprocess.run(
        as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder}"
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
    subprocess.run(as_postgres(start), check=True, capture_output=True)
    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as connection:
            connection.execute("CREATE DATABASE gradebook")
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), check=False)
        shutil.rmtree(folder, ignore_errors=True)


def submissions_in(url: str) -> list[tuple[str, str]]:
    """(student, assignment) of every submission row, read with plain SQL."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT s.student_id, a.name FROM submitted_assignment s JOIN assignment a ON a.id = s.assignment_id"
        )
        return sorted(rows.fetchall())


def test_grade_export_and_report_with_a_postgresql_gradebook(graded_class, postgres, tmp_path, capsys):
    local = graded_class[1]
    workspace = Workspace(tmp_path / "ws")
    shutil.copytree(local.root, workspace.root, ignore=shutil.ignore_patterns("gradebook.db", "grades*.csv"))
    grade = ["grade", "--workspace", str(workspace.root), "--db", postgres, "--timeout", str(SAMPLE_TIMEOUT)]
    assert main(grade) == 0  # the results are there: recorded, not graded again
    assert main(grade) == 0  # recorded once more: no new rows
    assert "graded 0, unchanged" in capsys.readouterr().out
    expected = sorted({(r.student, r.assignment) for r in workspace.results()})
    assert submissions_in(postgres) == expected
    assert not (workspace.root / "gradebook.db").exists(), "nothing went to the default SQLite gradebook"

    assert main(["export", "--workspace", str(workspace.root), "--db", postgres]) == 0
    rows = {row["student"]: row for row in csv.DictReader((workspace.root / "grades.csv").open())}
    totals: dict[tuple[str, str], float] = {}
    for r in workspace.results():
        totals[r.student, r.assignment] = totals.get((r.student, r.assignment), 0.0) + r.score
    assert {(s, a): float(rows[s][a]) for s, a in totals} == pytest.approx(totals)
    with open_gradebook(postgres) as gb:
        assert {s.id for s in gb.students} == set(rows)

    assert main(["report", "--workspace", str(workspace.root)]) == 0
    assert "<table" in (workspace.root / "report" / "report.html").read_text()


def test_a_gradebook_server_that_cannot_be_reached_is_a_clear_error(graded_class, tmp_path, capsys):
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/gradebook"
    workspace = tmp_path / "ws"
    shutil.copytree(graded_class[1].root, workspace, ignore=shutil.ignore_patterns("gradebook.db"))
    assert main(["export", "--workspace", str(workspace), "--db", unreachable]) == 2
    error = capsys.readouterr().err
    assert f"error: cannot open the gradebook database {unreachable}:" in error and "refused" in error
